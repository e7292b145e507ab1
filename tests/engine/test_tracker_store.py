"""The cached SQL tracker store: same conversations as Rasa's SQL store, no replay per turn,
nothing lost on shutdown or across processes, personal data gone from stored events."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from nlu.tracker_store import MASK, CachedSQLTrackerStore, mask_mobile, redact_events

ROOT = Path(__file__).parents[2]
DOMAIN = Domain.from_dict(
    {
        "intents": ["greet", "inform", "book_appointment"],
        "slots": {
            name: {"type": "any", "mappings": [{"type": "custom"}]}
            for name in ("person_name", "phone", "center")
        },
        "responses": {"utter_greet": [{"text": "안녕하세요"}]},
        "session_config": {"session_expiration_time": 120, "carry_over_slots_to_new_session": True},
    }
)
T0 = time.time() - 3600  # recent: inside any retention
TURN_TEXTS = [
    "안녕하세요",
    "관악구 상담 예약하고 싶어요",
    "다음주 화요일 오후 2시",
    "네 동의합니다",
]


def store_at(path: Path, **kwargs: object) -> CachedSQLTrackerStore:
    return CachedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(path), **kwargs)


def stored(path: Path, sender: str) -> list[dict]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)
        ).fetchall()
    return [json.loads(r[0]) for r in rows]


def stored_text(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT data FROM events").fetchall()
    # Rasa stores JSON with \\u escapes: decode so Korean is searchable as typed
    return "\n".join(json.dumps(json.loads(r[0]), ensure_ascii=False) for r in rows)


async def turn(store: CachedSQLTrackerStore, sender: str, events: list[Event]) -> None:
    """What Rasa's processor does with the store in one turn: get, update, save."""
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    for event in events:
        tracker.update(event)
    await store.save(tracker)


def user_turn(text: str, n: int) -> list[Event]:
    return [
        UserUttered(text, {"name": "inform", "confidence": 0.9}, timestamp=T0 + n),
        ActionExecuted("utter_greet", timestamp=T0 + n + 0.1),
        BotUttered(f"{n}번째 답입니다", timestamp=T0 + n + 0.2),
        ActionExecuted("action_listen", timestamp=T0 + n + 0.3),
    ]


def session_start(t: float = T0 - 1) -> list[Event]:
    return [
        ActionExecuted("action_session_start", timestamp=t),
        SessionStarted(timestamp=t + 0.01),
        ActionExecuted("action_listen", timestamp=t + 0.02),
    ]


async def test_survives_restart_in_order(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    store = store_at(db)
    await turn(store, "web:a", session_start())
    for n, text in enumerate(TURN_TEXTS):
        await turn(store, "web:a", user_turn(text, n))
    store.close()  # shutdown flushes
    again = store_at(db)
    tracker = await again.retrieve("web:a")
    assert tracker is not None
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == TURN_TEXTS
    # Rasa's own SQL store reads exactly the same conversation
    plain = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    rasa_tracker = await plain.retrieve("web:a")
    assert [e.as_dict() for e in rasa_tracker.events] == [e.as_dict() for e in tracker.events]
    again.close()


async def test_turn_reads_no_history_and_writes_only_new_events(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    store = store_at(db)
    statements: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    await turn(store, "web:b", session_start())
    await turn(store, "web:b", user_turn("안녕하세요", 0))  # loads the new session once
    store.flush()
    per_turn: list[int] = []
    for n in range(1, 40):
        before = len(statements)
        await turn(store, "web:b", user_turn(f"{n}번 질문이에요", n))
        store.flush()
        per_turn.append(len(statements) - before)
    assert max(per_turn) <= 1  # one batched INSERT at most, never a SELECT of the history
    assert not any("SELECT" in s.upper() for s in statements[-(len(per_turn)) :])
    assert len(stored(db, "web:b")) == len(session_start()) + 40 * len(user_turn("", 0))
    store.close()


async def test_unsaved_changes_are_not_served_from_memory(tmp_path: Path) -> None:
    """A turn that failed before saving must not leave its events in the next turn."""
    store = store_at(tmp_path / "tracker.db")
    await turn(store, "web:c", session_start())
    await turn(store, "web:c", user_turn("안녕하세요", 0))
    tracker = await store.retrieve("web:c")
    tracker.update(UserUttered("저장되지 않은 말", timestamp=T0 + 1000))  # no save
    again = await store.retrieve("web:c")
    assert "저장되지 않은 말" not in [e.text for e in again.events if isinstance(e, UserUttered)]
    store.close()


async def test_shared_mode_two_processes_alternating(tmp_path: Path) -> None:
    """Two engine processes serving one user in turn (the lock store serialises the turns)."""
    url = os.environ.get("IEUM_TEST_POSTGRES_URL")
    if url:
        pytest.importorskip("psycopg2")
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
        kwargs = {
            "dialect": "postgresql",
            "host": parsed.host,
            "port": parsed.port or 5432,
            "db": parsed.database,
            "username": parsed.username,
            "password": parsed.password,
        }
    else:
        kwargs = {"dialect": "sqlite", "db": str(tmp_path / "shared.db")}
    first = CachedSQLTrackerStore(domain=DOMAIN, shared=True, **kwargs)
    second = CachedSQLTrackerStore(domain=DOMAIN, shared=True, **kwargs)
    sender = f"web:shared-{uuid.uuid4().hex[:8]}"
    await turn(first, sender, session_start())
    texts = [f"{n}번째 말씀: {TURN_TEXTS[n % len(TURN_TEXTS)]}" for n in range(12)]
    for n, text in enumerate(texts):
        await turn((first, second)[n % 2], sender, user_turn(text, n))
    for store in (first, second):
        tracker = await store.retrieve(sender)
        assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == texts
    plain = SQLTrackerStore(domain=DOMAIN, **kwargs)
    rasa_tracker = await plain.retrieve(sender)
    assert [e.text for e in rasa_tracker.events if isinstance(e, UserUttered)] == texts
    with plain.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM events WHERE sender_id = :s"), {"s": sender})
    # an erasure by someone else is seen at once: the cached tracker is not served
    assert await first.retrieve(sender) is None
    first.close()
    second.close()


BOOKINGS = [
    ("홍길동입니다", "홍길동", "010-1234-5678", "010-1234-5678"),
    ("제 이름은 김영희예요", "김영희", "010 9876 5432", "01098765432"),
    ("박철수", "박철수", "01055551234", "010-5555-1234"),
]


def booking_events(said_name: str, name: str, typed: str, slot_phone: str) -> list[Event]:
    return [
        SlotSet("requested_slot", "person_name"),
        BotUttered("성함을 알려 주세요."),
        ActionExecuted("action_listen"),
        UserUttered(said_name, {"name": "inform", "confidence": 0.8}),
        SlotSet("person_name", name),
        SlotSet("requested_slot", "phone"),
        BotUttered("휴대전화 번호를 알려 주세요."),
        ActionExecuted("action_listen"),
        UserUttered(f"{typed} 이에요", {"name": "inform", "confidence": 0.8}),
        SlotSet("phone", slot_phone),
        SlotSet("requested_slot", None),
        BotUttered(f"{name}님, {slot_phone}로 화요일 오후 2시 예약할까요?"),
        ActionExecuted("action_listen"),
    ]


def spellings(number: str) -> list[str]:
    digits = "".join(c for c in number if c.isdigit())
    return [
        digits,
        f"{digits[:3]}-{digits[3:7]}-{digits[7:]}",
        f"{digits[:3]} {digits[3:7]} {digits[7:]}",
    ]


@pytest.mark.parametrize(("said_name", "name", "typed", "slot_phone"), BOOKINGS)
async def test_booking_redacts_name_and_number(
    tmp_path: Path, said_name: str, name: str, typed: str, slot_phone: str
) -> None:
    db = tmp_path / "tracker.db"
    store = store_at(db)
    sender = "web:booker"
    await turn(store, sender, session_start())
    await turn(store, sender, booking_events(said_name, name, typed, slot_phone))
    store.flush()
    text = stored_text(db)
    # the typed number is masked at once; the slot values stay until the booking holds them
    assert typed not in text.replace(f'"value": "{slot_phone}"', "")
    assert f'"value": "{name}"' in text
    await turn(store, sender, [
        UserUttered("네 맞아요", {"name": "affirm", "confidence": 0.9}),
        ActionExecuted("action_book_appointment"),
        BotUttered(f"{name}님 예약되었어요. 예약번호 K-T-7-H-Q-A"),
        SlotSet("person_name", None),
        SlotSet("phone", None),
        ActionExecuted("action_listen"),
    ])  # fmt: skip
    store.flush()
    text = stored_text(db)
    assert name not in text
    for spelling in spellings(slot_phone):
        assert spelling not in text
    assert "예약번호 K-T-7-H-Q-A" in text and "네 맞아요" in text  # the rest is kept
    # the live tracker still serves the conversation, and a restart reads the masked one
    store.close()
    again = store_at(db)
    tracker = await again.retrieve(sender)
    assert MASK in [e.text for e in tracker.events if isinstance(e, UserUttered)]
    again.close()


@pytest.mark.parametrize(
    ("typed", "masked"),
    [
        ("제 번호는 010-1234-5678 입니다", f"제 번호는 {MASK} 입니다"),
        ("01012345678", MASK),
        ("+82 10 1234 5678로 주세요", f"{MASK}로 주세요"),
        ("센터 02-880-1234 맞나요", "센터 02-880-1234 맞나요"),  # a center's landline stays
        ("1972년생 52세", "1972년생 52세"),
    ],
)
def test_mask_mobile(typed: str, masked: str) -> None:
    assert mask_mobile(typed) == masked


def test_redact_events_leaves_conversations_without_personal_data_alone() -> None:
    rows = [
        (1, "user", json.dumps({"event": "user", "text": "관악구 상담센터 어디예요?"})),
        (2, "bot", json.dumps({"event": "bot", "text": "관악구 중장년내일센터입니다."})),
        (3, "slot", json.dumps({"event": "slot", "name": "center", "value": "seoul_gwanak"})),
    ]
    assert redact_events(rows) == {}


async def test_erase_control_deletes_history_after_pending_writes(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    store = store_at(db)
    await turn(store, "web:erase", session_start())
    await turn(store, "web:erase", user_turn("제 정보 삭제해 주세요", 1))
    await turn(store, "web:erase", [
        UserUttered("네 지워 주세요", {"name": "affirm", "confidence": 0.9}),
        BotUttered("지웠어요", data={"custom": {"ieum_control": "erase_conversation"}}),
        ActionExecuted("action_listen"),
    ])  # fmt: skip
    store.flush()
    assert stored(db, "web:erase") == []
    assert await store.retrieve("web:erase") is None
    store.close()


async def test_retention_purges_old_events_only(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    store = store_at(db, retention_days="30")
    old = time.time() - 31 * 86400
    await turn(store, "web:old", session_start(old))
    await turn(store, "web:new", session_start(time.time()))
    store.flush()
    store.purge_now()
    assert stored(db, "web:old") == []
    assert len(stored(db, "web:new")) == len(session_start())
    store.close()


def test_sigterm_flushes_pending_writes(tmp_path: Path) -> None:
    """The engine stops on SIGTERM like this: the handler ends the process normally."""
    db = tmp_path / "tracker.db"
    script = textwrap.dedent(
        f"""
        import asyncio, os, signal, sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from tests.engine.test_tracker_store import store_at, turn, user_turn, session_start
        from pathlib import Path
        signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
        async def main():
            store = store_at(Path({str(db)!r}))
            await turn(store, "web:term", session_start())
            for n in range(200):
                await turn(store, "web:term", user_turn(f"{{n}}번째 말", n))
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)
        asyncio.run(main())
        """
    )
    subprocess.run([sys.executable, "-c", script], check=False, timeout=120, cwd=ROOT)
    events = stored(db, "web:term")
    texts = [e["text"] for e in events if e["event"] == "user"]
    assert texts == [f"{n}번째 말" for n in range(200)]
