"""The web chat shows due reminders when the user next writes; delete_my_data erases history."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.keys import APPOINTMENTS_KEY
from tests.app.conftest import FIXED_NOW, make_settings


class Clock:
    def __init__(self) -> None:
        self.now = FIXED_NOW

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def web(
    aiohttp_client, fake_engine: TestServer, tmp_path: Path, clock: Clock
) -> AsyncIterator[TestClient]:  # type: ignore[no-untyped-def]
    settings = make_settings(tmp_path, rasa_url=str(fake_engine.make_url("")).rstrip("/"))
    yield await aiohttp_client(create_app(settings, now=clock))


async def say(web: TestClient, user: str, text: str) -> list[dict]:
    resp = await web.post("/api/messages", json={"user_id": user, "text": text})
    assert resp.status == 200
    return (await resp.json())["replies"]


async def test_reminders_arrive_once_when_due(web: TestClient, clock: Clock) -> None:
    appointments = web.server.app[APPOINTMENTS_KEY]
    starts = dt.datetime(2026, 11, 25, 14, 0, tzinfo=FIXED_NOW.tzinfo)
    booking = await appointments.book(
        "ec_seoul", starts, "web:me", "홍길동", "01012345678", FIXED_NOW, place="관악센터"
    )

    assert not any("[이음 알림]" in r["text"] for r in await say(web, "me", "안녕하세요"))
    clock.now = dt.datetime(2026, 11, 24, 10, 5, tzinfo=FIXED_NOW.tzinfo)  # the day before
    replies = await say(web, "me", "안녕하세요")
    assert replies[0]["text"].startswith("[이음 알림] 내일 11월 25일(수) 오후 2시")
    assert booking.code in replies[0]["text"]
    assert {b["payload"] for b in replies[0]["buttons"]} == {
        "/check_appointment",
        "/cancel_appointment",
    }
    assert replies[1]["text"] == "받은 말: 안녕하세요"  # the answer still follows
    assert not any("[이음 알림]" in r["text"] for r in await say(web, "me", "또 왔어요"))
    assert not any("[이음 알림]" in r["text"] for r in await say(web, "someone-else", "안녕"))


async def test_no_reminder_after_cancelling(web: TestClient, clock: Clock) -> None:
    appointments = web.server.app[APPOINTMENTS_KEY]
    starts = dt.datetime(2026, 11, 25, 14, 0, tzinfo=FIXED_NOW.tzinfo)
    booking = await appointments.book(
        "ec_seoul", starts, "web:me", "홍길동", "01012345678", FIXED_NOW
    )
    await appointments.cancel(booking.code, "web:me", FIXED_NOW)
    clock.now = starts - dt.timedelta(hours=1)
    assert not any("[이음 알림]" in r["text"] for r in await say(web, "me", "안녕하세요"))


async def test_erase_control_deletes_only_that_conversation(
    web: TestClient, tmp_path: Path
) -> None:
    tracker_db = tmp_path / "rasa_tracker.db"
    with sqlite3.connect(tracker_db) as conn:
        conn.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, data TEXT)"
        )
        conn.executemany(
            "INSERT INTO events (sender_id, type_name, data) VALUES (?, 'user', '{}')",
            [("web:me",), ("web:me",), ("web:other",)],
        )
    replies = await say(web, "me", "/affirm_erase")
    assert replies[0]["text"] == "지웠어요"
    with sqlite3.connect(tracker_db) as conn:
        rows = conn.execute("SELECT sender_id FROM events").fetchall()
    assert rows == [("web:other",)]
