"""Programs, eligibility and centers through /api/messages with the real engine and KB."""

from __future__ import annotations

import uuid

from tests.e2e.conftest import Stack


def user() -> str:
    return f"kb-{uuid.uuid4()}"


def all_text(replies: list[dict]) -> str:
    return "\n".join(r["text"] for r in replies)


def verdict_of(head: str) -> str | None:
    """The verdict a reply's first line says in words (no status tags since issue 17)."""
    if "받기 어려워요" in head:
        return "불가"
    if "더 확인해야" in head:
        return "확인 필요"
    if head.startswith("네,") and "받으실 수 있어요." in head:
        return "가능"
    return None


def test_eligible_with_reasons_in_one_message(stack: Stack) -> None:
    resp = stack.say(user(), "만 45세 재직자인데 생애경력설계 받을 수 있나요?")
    assert resp.status_code == 200
    replies = resp.json()["replies"]
    assert verdict_of(replies[0]["text"].split("\n")[0]) == "가능"
    assert "만 45세" in replies[0]["text"]
    assert "기준일" in all_text(replies)


def test_eligibility_asks_what_is_missing_then_answers(stack: Stack) -> None:
    me = user()
    replies = stack.say(me, "경력지원제 받을 수 있어요?").json()["replies"]
    assert "연세" in all_text(replies)
    replies = stack.say(me, "쉰셋이요").json()["replies"]
    status_buttons = [b for r in replies for b in r["buttons"]]
    assert status_buttons, all_text(replies)
    assert "unemployed" in status_buttons[2]["payload"]
    replies = stack.say(me, "3번").json()["replies"]  # answering a button by its number
    head = replies[0]["text"].split("\n")[0]
    assert "경력지원제" in head and verdict_of(head) is not None
    assert "만 53세" in replies[0]["text"]


def test_multi_turn_eligibility_starting_with_no_facts(stack: Stack) -> None:
    me = user()
    replies = stack.say(me, "제가 지원 대상인지 확인하고 싶어요").json()["replies"]
    buttons = [b for r in replies for b in r["buttons"]]
    lifecycle = next(b for b in buttons if "lifecycle_career_design" in b["payload"])
    replies = stack.say(me, lifecycle["payload"]).json()["replies"]
    assert "연세" in all_text(replies)
    replies = stack.say(me, "72년생입니다").json()["replies"]
    assert verdict_of(replies[0]["text"].split("\n")[0]) == "가능"
    assert "만 54세" in replies[0]["text"]


def test_seoul_only_program_outside_seoul(stack: Stack) -> None:
    me = user()
    replies = stack.say(me, "61살인데 보람일자리 지원 가능할까요").json()["replies"]
    text = all_text(replies)
    if "지역" in text and "받기 어려워요" not in text:
        replies = stack.say(me, "부산이요").json()["replies"]
        text = all_text(replies)
    if "상황" in text and "받기 어려워요" not in text:
        replies = stack.say(me, '/inform{"employment_status": "unemployed"}').json()["replies"]
        text = all_text(replies)
    assert verdict_of(text.split("\n")[0]) == "불가" or "받기 어려워요" in text
    assert "서울" in text


def test_centers_near_a_district_with_phones(stack: Stack) -> None:
    replies = stack.say(user(), "관악구 근처에 상담 받을 곳 있나요").json()["replies"]
    assert "관악구" in replies[0]["text"]
    cards = [r["card"] for r in replies if "card" in r]
    assert cards and any("phone" in c for c in cards)


def test_center_search_asks_for_a_place_first(stack: Stack) -> None:
    me = user()
    replies = stack.say(me, "중장년센터 어디 있어요?").json()["replies"]
    assert "시·군·구" in all_text(replies)
    replies = stack.say(me, "수원시").json()["replies"]
    assert "수원" in replies[0]["text"]
    assert any("card" in r for r in replies)


def test_program_info_with_aspect(stack: Stack) -> None:
    replies = stack.say(user(), "전직스쿨 신청은 어떻게 해요?").json()["replies"]
    assert "전직스쿨" in replies[0]["text"]
    assert "기준일" in all_text(replies)


def test_program_list_as_buttons(stack: Stack) -> None:
    replies = stack.say(user(), "중장년 지원 프로그램 뭐 있어요?").json()["replies"]
    buttons = [b for r in replies for b in r["buttons"]]
    assert 3 <= len(buttons) <= 6
    replies = stack.say(user(), buttons[0]["payload"]).json()["replies"]
    assert "기준일" in all_text(replies)


def test_restart_leaves_a_form(stack: Stack) -> None:
    me = user()
    stack.say(me, "경력지원제 받을 수 있어요?")
    replies = stack.say(me, "처음으로").json()["replies"]
    assert "처음" in replies[0]["text"]
    replies = stack.say(me, "안녕하세요").json()["replies"]
    assert "이음" in replies[0]["text"]
