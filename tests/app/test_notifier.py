"""The notifier with real python-telegram-bot against a local fake Bot API."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot

from bot.notifier import Notifier, Pacing
from bot.telegram_push import TelegramPush
from knowledge import outbox
from knowledge.appointments import Appointments
from knowledge.db import make_sessionmaker
from knowledge.outbox import Notice, Outbox
from knowledge.when import SEOUL, QuietHours
from tests.fake_telegram import STATE, FakeTelegramState, create_fake_telegram

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SEOUL)


class VirtualTime:
    """A monotonic clock that sleeping advances, so pacing is checked without waiting."""

    def __init__(self) -> None:
        self.t = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.t += seconds


@pytest.fixture
async def telegram(aiohttp_server) -> AsyncIterator[tuple[FakeTelegramState, Bot]]:  # type: ignore[no-untyped-def]
    server: TestServer = await aiohttp_server(create_fake_telegram())
    state = server.app[STATE]
    bot = Bot(state.token, base_url=str(server.make_url("/bot")))
    await bot.initialize()
    yield state, bot
    await bot.shutdown()


def notifier(
    db_engine: AsyncEngine, bot: Bot, clock: list[dt.datetime], vt: VirtualTime, **kw
) -> Notifier:  # type: ignore[no-untyped-def]
    return Notifier(
        Outbox(make_sessionmaker(db_engine)),
        {"telegram": TelegramPush(bot)},
        now=lambda: clock[0],
        quiet=QuietHours(21, 8),
        pacing=Pacing(clock=vt.clock, sleep=vt.sleep),
        **kw,
    )


async def queue(db_engine: AsyncEngine, notices: list[Notice]) -> None:
    sessions = make_sessionmaker(db_engine)
    async with sessions() as session, session.begin():
        await outbox.queue(session, notices, NOW)


async def test_booking_reminder_reaches_telegram_once(db_engine: AsyncEngine, telegram) -> None:  # type: ignore[no-untyped-def]
    state, bot = telegram
    appointments = Appointments(make_sessionmaker(db_engine), QuietHours(21, 8))
    starts = dt.datetime(2026, 11, 25, 14, 0, tzinfo=SEOUL)
    booking = await appointments.book(
        "ec_seoul", starts, "telegram:4242", "홍길동", "01012345678", NOW, place="관악센터"
    )
    clock = [NOW]
    sender = notifier(db_engine, bot, clock, VirtualTime())
    assert await sender.run_once() == 0  # nothing due yet
    clock[0] = dt.datetime(2026, 11, 24, 10, 0, tzinfo=SEOUL)
    assert await sender.run_once() == 1
    assert await sender.run_once() == 0  # never twice
    (message,) = state.sent
    assert (
        message["chat_id"] == 4242 and booking.code in message["text"] and "내일" in message["text"]
    )
    keyboard = message["reply_markup"]["inline_keyboard"]
    assert [row[0]["callback_data"] for row in keyboard] == [
        "/check_appointment",
        "/cancel_appointment",
    ]


async def test_quiet_hours_hold_messages_until_morning(db_engine: AsyncEngine, telegram) -> None:  # type: ignore[no-untyped-def]
    state, bot = telegram
    await queue(db_engine, [Notice("telegram:1", "event", "e1", {"text": "박람회 소식"}, NOW)])
    clock = [dt.datetime(2026, 11, 23, 22, 30, tzinfo=SEOUL)]
    sender = notifier(db_engine, bot, clock, VirtualTime())
    assert await sender.run_once() == 0 and state.sent == []
    clock[0] = dt.datetime(2026, 11, 24, 8, 0, tzinfo=SEOUL)
    assert await sender.run_once() == 1


async def test_429_is_honoured_and_nothing_is_lost_or_doubled(
    db_engine: AsyncEngine, telegram
) -> None:  # type: ignore[no-untyped-def]
    state, bot = telegram
    state.throttle_every, state.retry_after = 4, 3
    await queue(
        db_engine,
        [Notice(f"telegram:{i}", "event", "e1", {"text": f"소식 {i}"}, NOW) for i in range(1, 21)],
    )
    clock = [NOW]
    vt = VirtualTime()
    sender = notifier(db_engine, bot, clock, vt)
    for _ in range(20):
        clock[0] += dt.timedelta(seconds=5)  # past each retry_after
        await sender.run_once()
    assert sorted(m["chat_id"] for m in state.sent) == list(range(1, 21))
    assert state.throttled >= 1 and 3 in vt.slept


async def test_blocked_user_is_given_up_and_reported(db_engine: AsyncEngine, telegram) -> None:  # type: ignore[no-untyped-def]
    state, bot = telegram
    state.blocked_chats = {13}
    await queue(
        db_engine,
        [Notice(f"telegram:{i}", "event", "e1", {"text": "소식"}, NOW) for i in (12, 13, 14)],
    )
    gone: list[str] = []

    async def unsubscribe(recipient: str) -> None:
        gone.append(recipient)

    sender = notifier(db_engine, bot, [NOW], VirtualTime(), on_unreachable=unsubscribe)
    assert await sender.run_once() == 2
    assert gone == ["telegram:13"]
    assert await sender.run_once() == 0  # not retried
    counts = await Outbox(make_sessionmaker(db_engine)).status_counts()
    assert counts == {"sent": 2, "failed": 1}


async def test_pacing_keeps_platform_limits() -> None:
    vt = VirtualTime()
    pacing = Pacing(per_second=30, per_chat_gap=1.0, clock=vt.clock, sleep=vt.sleep)
    for i in range(60):
        await pacing.wait_turn(f"telegram:{i}")
    assert 1.9 <= vt.t <= 2.1  # 60 messages at 30/s
    start = vt.t
    for _ in range(3):
        await pacing.wait_turn("telegram:same")
    assert vt.t - start >= 2.0  # one a second per chat


async def test_telegram_down_then_back_loses_nothing(
    db_engine: AsyncEngine, aiohttp_server
) -> None:  # type: ignore[no-untyped-def]
    """The Bot API unreachable: messages wait with backoff; when it returns they all go, once."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    await queue(
        db_engine, [Notice(f"telegram:{i}", "event", "e9", {"text": "소식"}, NOW) for i in (31, 32)]
    )
    clock = [NOW]
    down = Bot("123:TEST", base_url=f"http://127.0.0.1:{port}/bot")
    sender = notifier(db_engine, down, clock, VirtualTime())
    assert await sender.run_once() == 0
    pending = await Outbox(make_sessionmaker(db_engine)).for_recipient("telegram:31")
    assert pending[0].status == "pending" and pending[0].due_at > NOW  # backed off, not dropped
    server: TestServer = await aiohttp_server(create_fake_telegram(), port=port)
    state = server.app[STATE]
    clock[0] = NOW + dt.timedelta(minutes=5)
    assert await sender.run_once() == 2
    assert sorted(m["chat_id"] for m in state.sent) == [31, 32]
    await down.shutdown()
