"""Counseling slots, holidays, phone numbers, and booking that never double-books."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from knowledge.appointments import (
    SEOUL,
    Appointments,
    NotASlot,
    Schedule,
    SlotFull,
    day_slots,
    is_public_holiday,
    mask_mobile,
    normalize_mobile,
)
from knowledge.db import make_sessionmaker

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SEOUL)  # Monday
TUESDAY_2PM = dt.datetime(2026, 11, 24, 14, 0, tzinfo=SEOUL)


@pytest.mark.parametrize(
    "typed, digits",
    [("010-1234-5678", "01012345678"), ("01012345678", "01012345678"), ("010 1234 5678", "01012345678"),
     ("+82 10-1234-5678", "01012345678"), ("011-123-4567", "0111234567")],
)  # fmt: skip
def test_mobile_numbers(typed: str, digits: str) -> None:
    assert normalize_mobile(typed) == digits


@pytest.mark.parametrize("typed", ["02-123-4567", "1234", "010-1234-567", "공일공", ""])
def test_not_mobile_numbers(typed: str) -> None:
    assert normalize_mobile(typed) is None


def test_masked_phone_hides_the_middle() -> None:
    assert mask_mobile("01012345678") == "010-****-5678"


def test_slots_skip_lunch_weekends_and_public_holidays() -> None:
    slots = day_slots(Schedule(), dt.date(2026, 11, 24))
    assert [s.hour for s in slots] == [9, 10, 11, 13, 14, 15, 16, 17]
    assert day_slots(Schedule(), dt.date(2026, 11, 28)) == []  # Saturday
    assert is_public_holiday(dt.date(2026, 12, 25))
    assert day_slots(Schedule(), dt.date(2026, 12, 25)) == []  # 성탄절, a Friday
    assert is_public_holiday(dt.date(2026, 9, 25))  # 추석 연휴


async def test_book_check_cancel(db_engine: AsyncEngine) -> None:
    appointments = Appointments(make_sessionmaker(db_engine))
    booking = await appointments.book(
        "ec_seoul", TUESDAY_2PM, "web:a", "홍길동", "010-1234-5678", NOW
    )
    assert len(booking.code) == 6 and booking.starts_at == TUESDAY_2PM
    assert [b.code for b in await appointments.for_sender("web:a", NOW)] == [booking.code]
    free = await appointments.free_slots("ec_seoul", TUESDAY_2PM.date(), NOW)
    assert TUESDAY_2PM not in [s.starts_at for s in free]
    assert not await appointments.cancel(booking.code, "web:someone-else", NOW)
    assert await appointments.cancel(booking.code.lower(), "web:a", NOW)
    assert await appointments.for_sender("web:a", NOW) == []
    free = await appointments.free_slots("ec_seoul", TUESDAY_2PM.date(), NOW)
    assert TUESDAY_2PM in [s.starts_at for s in free]


async def test_full_or_closed_slot_offers_nearest_free(db_engine: AsyncEngine) -> None:
    appointments = Appointments(make_sessionmaker(db_engine))
    await appointments.book("ec_seoul", TUESDAY_2PM, "web:a", "김", "01011112222", NOW)
    with pytest.raises(SlotFull) as full:
        await appointments.book("ec_seoul", TUESDAY_2PM, "web:b", "이", "01033334444", NOW)
    nearest = [s.starts_at.hour for s in full.value.alternatives]
    assert 14 not in nearest and {13, 15} <= set(nearest)
    await appointments.close_day("ec_seoul", dt.date(2026, 11, 25), "내부 교육")
    with pytest.raises(NotASlot) as closed:
        await appointments.book(
            "ec_seoul",
            dt.datetime(2026, 11, 25, 10, tzinfo=SEOUL),
            "web:c",
            "박",
            "01055556666",
            NOW,
        )
    assert all(s.starts_at.date() != dt.date(2026, 11, 25) for s in closed.value.alternatives)
    with pytest.raises(NotASlot):
        await appointments.book(
            "ec_seoul",
            dt.datetime(2026, 11, 24, 12, tzinfo=SEOUL),
            "web:c",
            "박",
            "01055556666",
            NOW,
        )


async def test_fifty_concurrent_requests_for_the_last_seat(db_engine: AsyncEngine) -> None:
    sessions = make_sessionmaker(db_engine)
    appointments = Appointments(sessions)
    await appointments.set_schedule("ec_seoul", Schedule(seats=2), NOW)
    await appointments.book("ec_seoul", TUESDAY_2PM, "web:first", "첫손님", "01000000000", NOW)

    async def attempt(i: int) -> str:
        try:
            await appointments.book(
                "ec_seoul", TUESDAY_2PM, f"web:{i}", f"손님{i}", "01012345678", NOW
            )
            return "booked"
        except SlotFull:
            return "full"

    results = await asyncio.gather(*(attempt(i) for i in range(50)))
    assert results.count("booked") == 1
    assert results.count("full") == 49
    assert len(await appointments.day_list("ec_seoul", TUESDAY_2PM.date())) == 2
