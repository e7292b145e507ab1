"""Reminders (day before, two hours before, quiet hours), the outbox, reschedule and erase."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from knowledge import outbox
from knowledge.appointments import Appointments, BookingError, SlotFull
from knowledge.db import make_sessionmaker
from knowledge.models import AppointmentRow, NotificationRow
from knowledge.outbox import Notice, Outbox
from knowledge.personal_data import PersonalData
from knowledge.reminders import DAY_BEFORE, TWO_HOURS, reminder_times
from knowledge.subscriptions import Subscriptions
from knowledge.when import SEOUL, QuietHours, clock_label, day_label, when_label

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SEOUL)  # Monday 10:00
TUESDAY_2PM = dt.datetime(2026, 11, 24, 14, 0, tzinfo=SEOUL)
WEDNESDAY_9AM = dt.datetime(2026, 11, 25, 9, 0, tzinfo=SEOUL)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=SEOUL)


@pytest.mark.parametrize(
    "starts, now, expected",
    [
        (
            TUESDAY_2PM,
            NOW,
            [(DAY_BEFORE, at(23, 10)), (TWO_HOURS, at(24, 12))],
        ),  # day-before due now? no: equal → skipped
        (TUESDAY_2PM, at(23, 9), [(DAY_BEFORE, at(23, 10)), (TWO_HOURS, at(24, 12))]),
        (WEDNESDAY_9AM, NOW, [(DAY_BEFORE, at(24, 10)), (TWO_HOURS, at(25, 8))]),  # 07:00 is quiet
        (at(23, 15), at(23, 11), [(TWO_HOURS, at(23, 13))]),  # same day: no day-before
        (at(23, 13), at(23, 11, 30), []),  # too close for either
    ],
)
def test_reminder_times(starts: dt.datetime, now: dt.datetime, expected: list) -> None:
    got = reminder_times(starts, now, QuietHours(21, 8))
    # a reminder due exactly now has already passed its moment for a booking made now
    assert got == [(kind, due) for kind, due in expected if due > now]


def test_quiet_hours_parse_and_shift() -> None:
    quiet = QuietHours.parse("21-8")
    assert (
        quiet.is_quiet(at(23, 22)) and quiet.is_quiet(at(24, 7)) and not quiet.is_quiet(at(24, 8))
    )
    assert quiet.next_allowed(at(23, 22, 30)) == at(24, 8)
    assert quiet.next_allowed(at(24, 6)) == at(24, 8)
    assert QuietHours.parse("").next_allowed(at(23, 23)) == at(23, 23)
    for bad in ["21", "a-b", "25-8", "8-8"]:
        with pytest.raises(ValueError, match="IEUM_QUIET_HOURS"):
            QuietHours.parse(bad)


def test_korean_labels() -> None:
    assert day_label(dt.date(2026, 11, 24)) == "11월 24일(화)"
    assert clock_label(dt.time(9, 0)) == "오전 9시"
    assert clock_label(dt.time(12, 0)) == "낮 12시"
    assert clock_label(dt.time(14, 30)) == "오후 2시 30분"
    assert when_label(TUESDAY_2PM) == "11월 24일(화) 오후 2시"


async def test_booking_queues_reminders_and_cancel_stops_them(db_engine: AsyncEngine) -> None:
    sessions = make_sessionmaker(db_engine)
    appointments = Appointments(sessions, QuietHours(21, 8))
    booking = await appointments.book(
        "ec_seoul", WEDNESDAY_9AM, "web:a", "홍길동", "010-1234-5678", NOW, place="관악센터"
    )
    box = Outbox(sessions)
    queued = await box.for_recipient("web:a")
    assert [(n.kind, n.due_at) for n in queued] == [
        (DAY_BEFORE, at(24, 10)),
        (TWO_HOURS, at(25, 8)),
    ]
    assert "관악센터" in queued[0].body["text"] and booking.code in queued[0].body["text"]
    assert await appointments.reminder_count(booking.code) == 2

    assert await appointments.cancel(booking.code, "web:a", NOW)
    assert {n.status for n in await box.for_recipient("web:a")} == {"cancelled"}
    assert await box.pickup("web:a", at(25, 8, 30)) == []  # nothing for a cancelled booking


async def test_pickup_delivers_due_reminders_once(db_engine: AsyncEngine) -> None:
    sessions = make_sessionmaker(db_engine)
    appointments = Appointments(sessions, QuietHours(21, 8))
    await appointments.book("ec_seoul", WEDNESDAY_9AM, "web:b", "김영희", "01099998888", NOW)
    box = Outbox(sessions)
    assert await box.pickup("web:b", at(24, 9, 59)) == []  # not due yet
    first = await box.pickup("web:b", at(24, 10))
    assert [n.kind for n in first] == [DAY_BEFORE]
    assert await box.pickup("web:b", at(24, 11)) == []  # never twice
    second = await box.pickup("web:b", at(25, 8, 1))
    assert [n.kind for n in second] == [TWO_HOURS]


async def test_queue_is_idempotent_and_claims_are_exclusive(db_engine: AsyncEngine) -> None:
    sessions = make_sessionmaker(db_engine)
    notices = [
        Notice(f"telegram:{i}", "event", "fair-1", {"text": "박람회"}, NOW) for i in range(30)
    ]
    async with sessions() as session, session.begin():
        assert await outbox.queue(session, notices, NOW) == 30
    async with sessions() as session, session.begin():
        assert await outbox.queue(session, notices, NOW) == 0  # republishing notifies no one twice
    box = Outbox(sessions)
    first = await box.claim_due("telegram", NOW, limit=20)
    second = await box.claim_due("telegram", NOW, limit=20)
    assert len(first) == 20 and len(second) == 10
    assert not {n.id for n in first} & {n.id for n in second}
    assert await box.claim_due("web", NOW) == []
    # a crashed sender's claims come back after the lease, not before
    assert await box.claim_due("telegram", NOW + dt.timedelta(seconds=60)) == []
    retaken = await box.claim_due("telegram", NOW + dt.timedelta(minutes=3), limit=100)
    assert len(retaken) == 30
    for item in retaken:
        await box.mark_sent(item.id, NOW)
    assert await box.status_counts() == {"sent": 30}


async def test_reschedule_keeps_code_moves_seat_and_reminders(db_engine: AsyncEngine) -> None:
    sessions = make_sessionmaker(db_engine)
    appointments = Appointments(sessions, QuietHours(21, 8))
    booking = await appointments.book(
        "ec_seoul", TUESDAY_2PM, "web:c", "박철수", "01011112222", NOW
    )
    moved = await appointments.reschedule(booking.code, "web:c", WEDNESDAY_9AM, NOW)
    assert moved.code == booking.code and moved.starts_at == WEDNESDAY_9AM
    # the old time is free again, the new one is taken
    assert any(
        s.starts_at == TUESDAY_2PM
        for s in await appointments.free_slots("ec_seoul", TUESDAY_2PM.date(), NOW)
    )
    assert await appointments.slot_state("ec_seoul", WEDNESDAY_9AM, NOW) == "full"
    reminders = await Outbox(sessions).for_recipient("web:c")
    pending = sorted((n.kind, n.due_at) for n in reminders if n.status == "pending")
    assert pending == sorted([(DAY_BEFORE, at(24, 10)), (TWO_HOURS, at(25, 8))])
    assert {n.status for n in reminders if n.due_at.day == 24 and n.kind == TWO_HOURS} == {
        "cancelled"
    }

    await appointments.book("ec_seoul", TUESDAY_2PM, "web:d", "이민수", "01033334444", NOW)
    with pytest.raises(SlotFull) as full:
        await appointments.reschedule(booking.code, "web:c", TUESDAY_2PM, NOW)
    assert full.value.alternatives
    with pytest.raises(BookingError):
        await appointments.reschedule(booking.code, "web:someone-else", TUESDAY_2PM, NOW)


async def test_slot_states(db_engine: AsyncEngine) -> None:
    appointments = Appointments(make_sessionmaker(db_engine))
    assert await appointments.slot_state("ec_seoul", TUESDAY_2PM, NOW) == "free"
    assert await appointments.slot_state("ec_seoul", at(24, 12), NOW) == "closed"  # lunch
    assert await appointments.slot_state("ec_seoul", at(23, 9), NOW) == "past"
    await appointments.close_day("ec_seoul", dt.date(2026, 11, 24), "내부 교육")
    assert await appointments.slot_state("ec_seoul", TUESDAY_2PM, NOW) == "closed"


async def test_erase_sender_leaves_no_row(db_engine: AsyncEngine) -> None:
    sessions = make_sessionmaker(db_engine)
    appointments = Appointments(sessions, QuietHours(21, 8))
    first = await appointments.book("ec_seoul", TUESDAY_2PM, "web:e", "최수진", "01055556666", NOW)
    await appointments.book("ec_seoul", WEDNESDAY_9AM, "web:e", "최수진", "01055556666", NOW)
    await appointments.cancel(first.code, "web:e", NOW)
    await appointments.book("ec_seoul", at(25, 10), "web:other", "남", "01077778888", NOW)
    await Subscriptions(sessions).add("web:e", ["서울"], NOW)
    await Subscriptions(sessions).add("web:other", ["서울"], NOW)
    erased = await PersonalData(sessions).erase("web:e")
    assert (erased.appointments, erased.subscriptions) == (2, 1) and erased.notifications >= 2
    async with sessions() as session:
        for table, column in (
            (AppointmentRow, AppointmentRow.sender),
            (NotificationRow, NotificationRow.recipient),
        ):
            mine = await session.scalar(
                select(func.count()).select_from(table).where(column == "web:e")
            )
            others = await session.scalar(
                select(func.count()).select_from(table).where(column == "web:other")
            )
            assert mine == 0 and others >= 1


async def test_retention_deletes_bookings_thirty_days_after(db_engine: AsyncEngine) -> None:
    sessions = make_sessionmaker(db_engine)
    appointments = Appointments(sessions, QuietHours(21, 8))
    old = await appointments.book("ec_seoul", TUESDAY_2PM, "web:r", "오래된분", "01012121212", NOW)
    await appointments.book("ec_seoul", WEDNESDAY_9AM, "web:r", "최근분", "01034343434", NOW)
    later = dt.datetime(2026, 12, 24, 15, 0, tzinfo=SEOUL)  # 30 days after the Tuesday, 1 h on
    assert await appointments.purge_before(later - dt.timedelta(days=30)) == 1
    async with sessions() as session:
        codes = set(await session.scalars(select(AppointmentRow.code)))
        refs = {n.ref for n in await Outbox(sessions).for_recipient("web:r")}
    assert old.code not in codes and len(codes) == 1
    assert not any(ref.startswith(old.code) for ref in refs)


async def test_concurrent_pickups_deliver_each_notice_once(db_engine: AsyncEngine) -> None:
    """Two requests from the same web user at once: each due notice is shown by only one."""
    import asyncio

    sessions = make_sessionmaker(db_engine)
    notices = [Notice("web:twice", "event", f"e{i}", {"text": f"소식 {i}"}, NOW) for i in range(5)]
    async with sessions() as session, session.begin():
        await outbox.queue(session, notices, NOW)
    box = Outbox(sessions)
    first, second = await asyncio.gather(box.pickup("web:twice", NOW), box.pickup("web:twice", NOW))
    refs = [n.ref for n in first + second]
    assert sorted(refs) == [f"e{i}" for i in range(5)]
