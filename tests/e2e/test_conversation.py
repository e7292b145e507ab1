"""A short Korean conversation through the real engine, action server and app."""

from __future__ import annotations

import uuid

from tests.e2e.conftest import Stack


def new_user() -> str:
    return str(uuid.uuid4())


def test_greeting_gets_korean_answer_with_menu(stack: Stack) -> None:
    resp = stack.say(new_user(), "안녕하세요")
    assert resp.status_code == 200
    replies = resp.json()["replies"]
    assert "이음" in replies[0]["text"]
    assert len(replies[0]["buttons"]) >= 3


def test_help_lists_what_the_bot_does_as_buttons(stack: Stack) -> None:
    user = new_user()
    stack.say(user, "안녕하세요")
    resp = stack.say(user, "뭐 할 수 있어요?")
    assert resp.status_code == 200
    reply = resp.json()["replies"][0]
    assert "도와드려요" in reply["text"]
    titles = [b["title"] for b in reply["buttons"]]
    assert "상담사 연결" in titles and "가까운 센터 찾기" in titles


def test_button_payload_acts_as_the_button(stack: Stack) -> None:
    user = new_user()
    menu = stack.say(user, "도움말").json()["replies"][0]["buttons"]
    handoff = next(b for b in menu if b["title"] == "상담사 연결")
    resp = stack.say(user, handoff["payload"])
    assert resp.status_code == 200
    replies = resp.json()["replies"]
    assert "1350" in replies[0]["text"]
    card = next(r["card"] for r in replies if "card" in r)
    assert card["phone"] == "1350"


def test_out_of_scope_is_answered_politely(stack: Stack) -> None:
    resp = stack.say(new_user(), "오늘 서울 날씨 어때요?")
    assert resp.status_code == 200
    text = resp.json()["replies"][0]["text"]
    assert "죄송" in text


def test_unknown_button_payload_gets_a_clear_answer(stack: Stack) -> None:
    resp = stack.say(new_user(), "/no_such_intent")
    assert resp.status_code == 200
    assert resp.json()["replies"][0]["text"]


def test_bad_input_never_5xx(stack: Stack) -> None:
    user = new_user()
    for text in ["😀", "가" * 2000, "\x00\x01", "<script>alert(1)</script>", "'; DROP TABLE x; --"]:
        resp = stack.say(user, text)
        assert resp.status_code == 200, text
        assert resp.json()["replies"]


def test_engine_api_needs_its_token(stack: Stack) -> None:
    import requests

    resp = requests.post(f"{stack.rasa_url}/model/parse", json={"text": "안녕"}, timeout=10)
    assert resp.status_code == 401
    resp = requests.post(
        f"{stack.rasa_url}/model/parse",
        params={"token": stack.rasa_token},
        json={"text": "안녕하세요"},
        timeout=10,
    )
    assert resp.json()["intent"]["name"] == "greet"
