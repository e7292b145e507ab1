"""The engine's stored conversation after a booking: the typed name and mobile number are gone
(slot values, the answers, the summary), the rest of the conversation is kept, and the live
conversation goes on. Reads the SQLite tracker store under the stack's var dir."""

from __future__ import annotations

import json
import sqlite3
import time

from tests.e2e.conftest import Stack
from tests.e2e.test_booking_dialogues import Chat, all_text, book

NAME = "홍길동"
NUMBER_SPELLINGS = ("010 1234 5678", "010-1234-5678", "01012345678", "1234-5678", "1234 5678")


def stored_events(stack: Stack, user_id: str) -> list[dict]:
    path = stack.log_path.parent / "rasa_tracker.db"
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT data FROM events WHERE sender_id LIKE ? ORDER BY id", (f"%{user_id}",)
        ).fetchall()
    return [json.loads(row[0]) for row in rows]


def wait_for_user_text(stack: Stack, user_id: str, text: str, limit_s: float = 10) -> list[dict]:
    """Events are written in the background: wait until the last turn is stored."""
    deadline = time.monotonic() + limit_s
    while True:
        events = stored_events(stack, user_id)
        if any(e.get("event") == "user" and e.get("text") == text for e in events):
            return events
        assert time.monotonic() < deadline, "the last turn was never stored"
        time.sleep(0.2)


def test_booking_leaves_no_name_or_number_in_stored_history(stack: Stack) -> None:
    chat = Chat(stack)
    code, _center, _day = book(chat)
    replies = chat.say("예약 확인하고 싶어요")
    assert code in all_text(replies)  # the live conversation and the booking still hold them
    events = wait_for_user_text(stack, chat.me, "예약 확인하고 싶어요")
    stored = "\n".join(json.dumps(e, ensure_ascii=False) for e in events)
    assert NAME not in stored
    for spelling in NUMBER_SPELLINGS:
        assert spelling not in stored, spelling
    user_texts = [e["text"] for e in events if e.get("event") == "user"]
    assert "상담 예약하고 싶어요" in user_texts and "관악구요" in user_texts
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots.get("person_name") in (None, "[가림]") and slots.get("phone") in (None, "[가림]")


def test_a_typed_number_is_never_stored_even_before_booking(stack: Stack) -> None:
    chat = Chat(stack)
    chat.say("제 번호는 010-9876-5432인데 상담 받고 싶어요", expect_confusion=True)
    events = wait_for_user_text(stack, chat.me, "제 번호는 [가림]인데 상담 받고 싶어요")
    stored = json.dumps(events, ensure_ascii=False)
    assert "9876" not in stored
