"""Usage records: scrubbing, one row per turn without personal data, batching off the reply
path, retention and erasure — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import action_server, gateway
from bot.usage import UsageRecorder, sender_hash, turn_row, usage_key
from knowledge.db import make_sessionmaker
from knowledge.models import UsageTurnRow
from knowledge.scrub import review_key, scrub
from knowledge.usage import UsageStore
from knowledge.when import SEOUL
from tests.app.console_traffic import SCRIPT, ScriptedEngine

KEY = b"test-usage-key"
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SEOUL)


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("제 이름은 홍길동이에요 전화는 010-1234-5678", "제 이름은 [이름]이에요 전화는 [전화번호]"),
        ("성함: 김영희", "성함: [이름]"),
        ("이름 박철수입니다", "이름 [이름]입니다"),
        ("01012345678로 연락 주세요", "[전화번호]로 연락 주세요"),
        ("010 9876 5432 번호로 문자 주세요", "[전화번호] 번호로 문자 주세요"),
        ("+82 10-2222-3333", "[전화번호]"),
        ("사무실 02-123-4567", "사무실 [전화번호]"),
        ("주민번호 720315-1234567 알려드려요", "주민번호 [주민번호] 알려드려요"),
        ("계좌 110-123-456789로 보내 주세요", "계좌 [번호]로 보내 주세요"),
        ("국민은행 123456789012", "국민은행 [번호]"),
        ("메일은 kim.ys@example.com", "메일은 [이메일]"),
        # nothing personal: left as it was (ages, dates, times are what the review needs)
        ("52살인데 2026년 12월 3일 10시에 상담 돼요?", "52살인데 2026년 12월 3일 10시에 상담 돼요?"),
    ],
)  # fmt: skip
def test_scrub(said: str, kept: str) -> None:
    assert scrub(said) == kept


def test_similar_wording_shares_a_review_key() -> None:
    assert review_key("어제 뭐 먹었는지 맞혀 봐요") == review_key("어제 뭐 먹었는지  맞혀 봐요!!")
    assert review_key("ㅋㅋㅋㅋㅋ 연금") == review_key("ㅋㅋ 연금")
    assert review_key("연금 얼마예요") != review_key("연금 언제예요")


def _row(text_said: str, **kw: object) -> dict:
    said = SCRIPT[text_said]
    summary = {
        "intent": said.intent,
        "confidence": said.confidence,
        "actions": list(said.actions),
        "programs": list(said.programs),
        "asked": said.asked,
        "loop": said.loop,
    }
    messages = [{"custom": {"ieum_turn": summary}}]
    if said.extra:
        messages.append({"custom": {"ieum_usage": said.extra}})
    values = {
        "key": KEY,
        "channel": "web",
        "sender": "web:abc-123",
        "text": text_said,
        "messages": messages,
        "apology": False,
        "latency_ms": 120,
        "at": NOW,
        "low_confidence": 0.6,
        **kw,
    }
    return turn_row(**values)  # type: ignore[arg-type]


def test_a_turn_row_keeps_no_identity() -> None:
    row = _row("52세 재직자도 생애경력설계 받을 수 있나요?")
    assert row["sender_hash"] == sender_hash(KEY, "web:abc-123") != "web:abc-123"
    assert len(row["sender_hash"]) == 64 and "abc" not in row["sender_hash"]
    assert (row["intent"], row["action"], row["program"], row["verdict"]) == (
        "check_eligibility",
        "action_answer_eligibility",
        "lifecycle_career_design",
        "가능",
    )
    assert row["text"] is None  # understood: the words are not kept
    assert row["day"] == dt.date(2026, 11, 23) and row["fallback"] is False


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("어제 뭐 먹었는지 맞혀 봐요", "어제 뭐 먹었는지 맞혀 봐요"),  # fallback
        ("노후 연금 얼마 나와요", "노후 연금 얼마 나와요"),  # low confidence
        (
            "제 이름은 홍길동이고 번호는 010-1234-5678인데 뭐 해줄 수 있어요",
            "제 이름은 [이름]이고 번호는 [전화번호]인데 뭐 해줄 수 있어요",
        ),
        ("홍길동", None),  # the answer to "성함이?" is never kept, however unsure
        ("010-1234-5678", None),
        ("안녕하세요", None),
    ],
)
def test_only_not_understood_text_is_kept_and_scrubbed(said: str, kept: str | None) -> None:
    row = _row(said)
    assert row["text"] == kept
    assert (row["review_key"] is None) == (kept is None)


def test_a_resolved_button_and_an_apology_keep_no_text() -> None:
    assert _row("어제 뭐 먹었는지 맞혀 봐요", text="")["text"] is None
    assert _row("어제 뭐 먹었는지 맞혀 봐요", apology=True)["text"] is None


def test_the_gateway_knows_the_action_servers_apology() -> None:
    assert gateway.ACTION_APOLOGY == action_server.ACTION_APOLOGY


def test_the_key_file_is_created_once_and_kept(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = usage_key("", tmp_path)
    assert first == usage_key("", tmp_path) and len(first) == 64
    assert (tmp_path / "usage.key").stat().st_mode & 0o077 == 0
    assert usage_key("from-settings", tmp_path) == b"from-settings"


async def _rows(engine: AsyncEngine) -> list[UsageTurnRow]:
    async with make_sessionmaker(engine)() as session:
        return list(await session.scalars(select(UsageTurnRow).order_by(UsageTurnRow.id)))


async def test_recorder_batches_flushes_on_stop_and_erases(db_engine: AsyncEngine) -> None:
    store = UsageStore(make_sessionmaker(db_engine))
    recorder = UsageRecorder(store, KEY, batch_size=3, flush_seconds=0.05)
    recorder.start()
    for i in range(7):
        recorder.record(_row("안녕하세요", sender=f"web:user-{i % 2}"))
    await recorder.stop()  # what the app's cleanup does at shutdown
    rows = await _rows(db_engine)
    assert len(rows) == 7
    recorder = UsageRecorder(store, KEY)  # not started: rows wait in the queue
    recorder.record(_row("안녕하세요", sender="web:user-0"))
    recorder.record(_row("안녕하세요", sender="web:user-1"))
    assert await recorder.erase("web:user-0") == 4  # stored rows; the queued one never lands
    await recorder.stop()
    hashes = {r.sender_hash for r in await _rows(db_engine)}
    assert hashes == {sender_hash(KEY, "web:user-1")}
    assert len(await _rows(db_engine)) == 4


async def test_retention_deletes_old_turns(db_engine: AsyncEngine) -> None:
    store = UsageStore(make_sessionmaker(db_engine))
    await store.add_many(
        [_row("안녕하세요", at=NOW - dt.timedelta(days=d)) for d in (0, 89, 90, 91, 200)]
    )
    assert await store.purge_before(NOW - dt.timedelta(days=90)) == 2
    assert sorted((NOW.date() - r.day).days for r in await _rows(db_engine)) == [0, 89, 90]


async def test_no_phone_or_name_in_usage_tables_after_a_booking_dialogue(
    db_engine: AsyncEngine,
) -> None:
    """The booking dialogue through the gateway, then a search of every usage column."""
    store = UsageStore(make_sessionmaker(db_engine))
    recorder = UsageRecorder(store, KEY)
    clock = [NOW]
    gw = gateway.Gateway(ScriptedEngine(clock), usage=recorder, now=lambda: clock[0])  # type: ignore[arg-type]
    for said in (
        "상담 예약하고 싶어요",
        "홍길동",
        "010-1234-5678",
        "제 이름은 홍길동이고 번호는 010-1234-5678인데 뭐 해줄 수 있어요",
    ):
        await gw.handle("telegram", "424242", said)
    await recorder.flush()
    rows = await _rows(db_engine)
    assert len(rows) == 4
    values: list[str] = []
    async with db_engine.connect() as conn:
        for table in ("usage_turns", "usage_reviews"):
            for row in (await conn.execute(text(f"SELECT * FROM {table}"))).all():
                values += [str(v) for v in row]
    dumped = " ".join(values)
    for secret in ("홍길동", "010-1234-5678", "01012345678", "1234-5678", "424242"):
        assert secret not in dumped
    assert "[이름]" in dumped and "[전화번호]" in dumped  # the fallback's scrubbed copy
