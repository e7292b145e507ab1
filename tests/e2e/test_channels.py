"""The same conversation — greet → program info → find center — on all three channels,
through the real engine and actions: web chat, Telegram (real python-telegram-bot inside the
app, long-polling a fake Bot API) and KakaoTalk (skill payloads shaped like Kakao's)."""

from __future__ import annotations

import json
import random
import uuid
from pathlib import Path
from typing import Any

import requests

from tests.e2e.conftest import Stack, ThreadedFakeTelegram

KAKAO_REQUEST = Path(__file__).parents[3] / "shared" / "fixtures" / "kakao" / "request_text.json"


def test_web_chat(stack: Stack) -> None:
    me = str(uuid.uuid4())
    greet = stack.say(me, "/greet").json()["replies"]
    program_button = next(
        b for r in greet for b in r["buttons"] if b["title"] == "지원 프로그램 안내"
    )
    programs = stack.say(me, program_button["payload"]).json()["replies"]
    first = next(b for r in programs for b in r["buttons"])
    info = stack.say(me, first["payload"]).json()["replies"]
    assert "기준일" in "\n".join(r["text"] for r in info)
    centers = stack.say(me, "관악구 근처 센터 알려 주세요").json()["replies"]
    assert any("card" in r and r["card"].get("phone") for r in centers)


def test_telegram(stack: Stack, telegram: ThreadedFakeTelegram) -> None:
    chat = random.randint(10_000, 99_999)
    telegram.send_text(chat, "/start")
    sent = telegram.wait_sent(chat, 1)
    assert "이음" in sent[0]["text"]
    menu = sent[0]["reply_markup"]["inline_keyboard"]
    programs = next(row[0] for row in menu if row[0]["text"] == "지원 프로그램 안내")
    telegram.press(chat, programs["callback_data"])
    sent = telegram.wait_sent(chat, 2)
    program_rows = sent[-1]["reply_markup"]["inline_keyboard"]
    assert all(len(row[0]["callback_data"].encode()) <= 64 for row in program_rows)
    before = len(telegram.sent_to(chat))
    telegram.press(chat, program_rows[0][0]["callback_data"])
    telegram.wait_text(chat, "기준일", after=before)
    before = len(telegram.sent_to(chat))
    telegram.send_text(chat, "관악구 근처 센터 알려 주세요")
    fresh = telegram.wait_text(chat, "전화:", after=before)
    assert any("관악구" in m["text"] for m in fresh)


def kakao_payload(user: str, utterance: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    payload = json.loads(KAKAO_REQUEST.read_text(encoding="utf-8"))
    payload["userRequest"]["utterance"] = utterance
    payload["userRequest"]["user"]["id"] = user
    payload["userRequest"]["user"]["properties"]["botUserKey"] = user
    payload["action"]["params"], payload["action"]["detailParams"] = {}, {}
    payload["action"]["clientExtra"] = extra or {}
    return payload


def kakao(
    stack: Stack, user: str, utterance: str, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    resp = requests.post(
        f"{stack.url}/webhooks/kakao", json=kakao_payload(user, utterance, extra), timeout=10
    )
    assert resp.status_code == 200
    body = resp.json()
    assert body["version"] == "2.0" and 1 <= len(body["template"]["outputs"]) <= 3
    return body


def test_kakao(stack: Stack) -> None:
    user = uuid.uuid4().hex * 2  # Kakao keys are long hex strings (≤ 70)
    greet = kakao(stack, user, "안녕하세요")
    quick = greet["template"]["quickReplies"]
    assert len(quick) <= 10 and all(len(q["label"]) <= 14 for q in quick)
    programs_chip = next(q for q in quick if q["messageText"] == "지원 프로그램 안내")
    programs = kakao(stack, user, programs_chip["messageText"], programs_chip["extra"])
    chip = programs["template"]["quickReplies"][0]
    info = kakao(stack, user, chip["messageText"], chip["extra"])
    texts = "\n".join(
        o["simpleText"]["text"] for o in info["template"]["outputs"] if "simpleText" in o
    )
    assert "기준일" in texts
    centers = kakao(stack, user, "관악구 근처 센터 알려 주세요")
    card = next(o["listCard"] for o in centers["template"]["outputs"] if "listCard" in o)
    assert card["items"] and any(b["action"] == "phone" for b in card["buttons"])
