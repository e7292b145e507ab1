"""Job-fair alerts end to end: a Telegram user subscribes in chat, an operator publishes through
`POST /admin/events`, the message arrives once; unsubscribing stops it; other regions hear nothing."""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid

import requests

from tests.e2e.conftest import Stack, ThreadedFakeTelegram

ADMIN = {"Authorization": "Bearer e2e-admin-token"}


def event(title: str, region: str, days: int = 10) -> dict[str, str]:
    start = (dt.datetime.now(dt.timezone(dt.timedelta(hours=9))) + dt.timedelta(days=days)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    return {
        "title": title, "starts_at": start.isoformat(), "ends_at": (start + dt.timedelta(hours=7)).isoformat(),
        "venue": "시민청 대회의실", "region": region, "organizer": "고용노동부", "url": "https://www.work24.go.kr",
    }  # fmt: skip


def publish(stack: Stack, body: dict[str, str]) -> dict:
    resp = requests.post(f"{stack.url}/admin/events", json=body, headers=ADMIN, timeout=10)
    assert resp.status_code == 201, resp.text
    return resp.json()


def alerts(telegram: ThreadedFakeTelegram, chat: int, title: str) -> list[dict]:
    return [m for m in telegram.sent_to(chat) if title in m["text"] and "[이음 알림]" in m["text"]]


def test_subscribe_publish_once_unsubscribe(stack: Stack, telegram: ThreadedFakeTelegram) -> None:
    chat = random.randint(100_000, 999_999)
    telegram.send_text(chat, "채용박람회 알림 받고 싶어요")
    asked = telegram.wait_text(chat, "어느 지역")
    assert not any("알아듣지 못했어요" in m["text"] for m in asked), asked
    seoul = next(row[0] for m in asked if m["reply_markup"] for row in m["reply_markup"]["inline_keyboard"]
                 if row[0]["text"] == "서울")  # fmt: skip
    before = len(telegram.sent_to(chat))
    telegram.press(chat, seoul["callback_data"])
    confirmed = telegram.wait_text(chat, "지금 받고 계신 지역: 서울", after=before)
    assert confirmed

    # someone on the web subscribed to 부산 only
    web_user = str(uuid.uuid4())
    assert "부산" in "\n".join(
        r["text"] for r in stack.say(web_user, "부산 박람회 알림 받을래요").json()["replies"]
    )

    title = f"서울 중장년 채용박람회 {uuid.uuid4().hex[:6]}"
    first = publish(stack, event(title, "서울"))
    assert first["queued"] >= 1
    deadline = time.monotonic() + 20
    while not alerts(telegram, chat, title) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(alerts(telegram, chat, title)) == 1
    again = publish(stack, event(title, "서울"))
    assert again["id"] == first["id"] and again["queued"] == 0
    time.sleep(2)
    assert len(alerts(telegram, chat, title)) == 1  # exactly once
    web_replies = stack.say(web_user, "안녕하세요").json()["replies"]
    assert not any(title in r["text"] for r in web_replies)  # 부산 subscriber: nothing

    before = len(telegram.sent_to(chat))
    telegram.send_text(chat, "알림 그만 받을래요")
    telegram.wait_text(chat, "껐어요", after=before)
    later = f"서울 하반기 박람회 {uuid.uuid4().hex[:6]}"
    publish(stack, event(later, "서울", days=20))
    time.sleep(2)
    assert alerts(telegram, chat, later) == []


def test_web_subscriber_sees_the_alert_when_writing_next(stack: Stack) -> None:
    me = str(uuid.uuid4())
    asked = stack.say(me, "박람회 알림 신청할게요").json()["replies"]
    assert not any("알아듣지 못했어요" in r["text"] for r in asked), asked
    confirmed = stack.say(me, "대전").json()["replies"]
    assert "지금 받고 계신 지역: 대전" in "\n".join(r["text"] for r in confirmed)
    title = f"대전 중장년 일자리 한마당 {uuid.uuid4().hex[:6]}"
    publish(stack, event(title, "대전"))
    replies = stack.say(me, "안녕하세요").json()["replies"]
    assert title in replies[0]["text"]
    listing = stack.say(me, "대전 채용박람회 언제 있어요?").json()["replies"]
    assert any(title in r["text"] for r in listing)


def test_publish_rejections(stack: Stack) -> None:
    assert (
        requests.post(f"{stack.url}/admin/events", json=event("x", "서울"), timeout=10).status_code
        == 401
    )
    bad = event("x", "서울") | {"starts_at": "다음주"}
    resp = requests.post(f"{stack.url}/admin/events", json=bad, headers=ADMIN, timeout=10)
    assert resp.status_code == 400 and resp.json()["field"] == "starts_at"
