"""1:1 counseling appointments: schedules, free slots, booking that can never double-book.

Every write runs in one transaction. A partial unique index on (center, start, seat) for
booked rows is the final guard: when two requests race for the last seat, the database lets
exactly one insert through and the other gets "full" with the nearest free slots.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge import outbox
from knowledge.models import (
    AppointmentRow,
    ClosedDayRow,
    CounselingScheduleRow,
    NotificationRow,
)
from knowledge.reminders import reminder_notices
from knowledge.when import QuietHours

logger = logging.getLogger(__name__)

SEOUL = ZoneInfo("Asia/Seoul")
CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no 0/O, 1/I, 2/Z, 5/S, 8/B: easy to read aloud
_MOBILE = re.compile(r"^(010\d{8}|01[16789]\d{7,8})$")


@dataclass(frozen=True)
class Schedule:
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    opens: dt.time = dt.time(9, 0)
    closes: dt.time = dt.time(18, 0)
    lunch: tuple[dt.time, dt.time] | None = (dt.time(12, 0), dt.time(13, 0))
    slot_minutes: int = 60
    seats: int = 1


DEFAULT_SCHEDULE = Schedule()


@dataclass(frozen=True)
class Slot:
    starts_at: dt.datetime
    free_seats: int


@dataclass(frozen=True)
class Booking:
    code: str
    center_id: str
    starts_at: dt.datetime
    name: str
    phone: str
    status: str


class BookingError(Exception):
    """Carries the nearest free slots so the dialogue can offer them."""

    def __init__(self, message: str, alternatives: list[Slot] | None = None) -> None:
        super().__init__(message)
        self.alternatives = alternatives or []


class SlotFull(BookingError):
    pass


class NotASlot(BookingError):
    pass


def normalize_mobile(text: str) -> str | None:
    """'010-1234-5678', '01012345678', '010 1234 5678' → '01012345678'; None if not a mobile."""
    digits = re.sub(r"[\s\-.()]", "", text or "")
    if digits.startswith("+82"):
        digits = "0" + digits[3:]
    return digits if _MOBILE.match(digits) else None


def format_mobile(digits: str) -> str:
    return f"{digits[:3]}-{digits[3:-4]}-{digits[-4:]}"


def mask_mobile(digits: str) -> str:
    return f"{digits[:3]}-****-{digits[-4:]}" if len(digits) >= 10 else "***"


@functools.lru_cache(maxsize=8)
def _korean_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("KR", years=year)


def is_public_holiday(day: dt.date) -> bool:
    return day in _korean_holidays(day.year)


def day_slots(schedule: Schedule, day: dt.date) -> list[dt.datetime]:
    """Every slot start on a day by the schedule alone (weekday, hours, lunch, holidays)."""
    if day.weekday() not in schedule.weekdays or is_public_holiday(day):
        return []
    starts = []
    current = dt.datetime.combine(day, schedule.opens, SEOUL)
    end = dt.datetime.combine(day, schedule.closes, SEOUL)
    step = dt.timedelta(minutes=schedule.slot_minutes)
    while current + step <= end:
        in_lunch = (
            schedule.lunch is not None and schedule.lunch[0] <= current.time() < schedule.lunch[1]
        )
        if not in_lunch:
            starts.append(current)
        current += step
    return starts


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def _is_seat_conflict(exc: IntegrityError) -> bool:
    """Code collisions are retried with a new code; anything else means the seat is taken."""
    message = str(exc.orig).lower()
    return not ("code" in message and "seat" not in message)


class Appointments:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], quiet: QuietHours | None = None
    ) -> None:
        self._sessions = sessions
        self._quiet = quiet if quiet is not None else QuietHours()

    async def schedule(self, session: AsyncSession, center_id: str) -> Schedule:
        row = await session.get(CounselingScheduleRow, center_id)
        if row is None:
            return DEFAULT_SCHEDULE
        lunch = None
        if row.lunch_start and row.lunch_end:
            lunch = (dt.time.fromisoformat(row.lunch_start), dt.time.fromisoformat(row.lunch_end))
        return Schedule(
            weekdays=tuple(int(d) for d in row.weekdays.split(",") if d),
            opens=dt.time.fromisoformat(row.opens),
            closes=dt.time.fromisoformat(row.closes),
            lunch=lunch,
            slot_minutes=row.slot_minutes,
            seats=row.seats,
        )

    async def set_schedule(self, center_id: str, schedule: Schedule, now: dt.datetime) -> None:
        async with self._sessions() as session, session.begin():
            await session.merge(
                CounselingScheduleRow(
                    center_id=center_id,
                    weekdays=",".join(str(d) for d in schedule.weekdays),
                    opens=schedule.opens.strftime("%H:%M"),
                    closes=schedule.closes.strftime("%H:%M"),
                    lunch_start=schedule.lunch[0].strftime("%H:%M") if schedule.lunch else None,
                    lunch_end=schedule.lunch[1].strftime("%H:%M") if schedule.lunch else None,
                    slot_minutes=schedule.slot_minutes,
                    seats=schedule.seats,
                    updated_at=now,
                )
            )

    async def close_day(self, center_id: str, day: dt.date, reason: str | None = None) -> None:
        async with self._sessions() as session, session.begin():
            await session.merge(ClosedDayRow(center_id=center_id, day=day, reason=reason))

    async def _free_on(
        self, session: AsyncSession, center_id: str, day: dt.date, now: dt.datetime
    ) -> list[Slot]:
        if await session.get(ClosedDayRow, (center_id, day)) is not None:
            return []
        schedule = await self.schedule(session, center_id)
        starts = [s for s in day_slots(schedule, day) if s > now]
        if not starts:
            return []
        rows = await session.execute(
            select(AppointmentRow.starts_at, func.count())
            .where(
                AppointmentRow.center_id == center_id,
                AppointmentRow.status == "booked",
                AppointmentRow.starts_at >= starts[0],
                AppointmentRow.starts_at <= starts[-1],
            )
            .group_by(AppointmentRow.starts_at)
        )
        taken = {_aware(when): count for when, count in rows}
        return [
            Slot(s, schedule.seats - taken.get(s, 0))
            for s in starts
            if schedule.seats - taken.get(s, 0) > 0
        ]

    async def slot_state(self, center_id: str, starts_at: dt.datetime, now: dt.datetime) -> str:
        """Why a time can or cannot be booked: 'free', 'full', 'closed' or 'past'."""
        starts_at = starts_at.astimezone(SEOUL)
        if starts_at <= now:
            return "past"
        async with self._sessions() as session:
            free = await self._free_on(session, center_id, starts_at.date(), now)
            if any(slot.starts_at == starts_at for slot in free):
                return "free"
            schedule = await self.schedule(session, center_id)
            closed = await session.get(ClosedDayRow, (center_id, starts_at.date())) is not None
        if closed or starts_at not in day_slots(schedule, starts_at.date()):
            return "closed"
        return "full"

    async def free_slots(self, center_id: str, day: dt.date, now: dt.datetime) -> list[Slot]:
        async with self._sessions() as session:
            return await self._free_on(session, center_id, day, now)

    async def nearest_free(
        self, center_id: str, wanted: dt.datetime, now: dt.datetime, limit: int = 3, days: int = 14
    ) -> list[Slot]:
        """Free slots closest to the wanted time, searching the following days too."""
        found: list[Slot] = []
        async with self._sessions() as session:
            for offset in range(days):
                day = wanted.date() + dt.timedelta(days=offset)
                found.extend(await self._free_on(session, center_id, day, now))
                if len(found) >= limit * 2:
                    break
        found.sort(key=lambda s: abs((s.starts_at - wanted).total_seconds()))
        return sorted(found[:limit], key=lambda s: s.starts_at)

    async def book(
        self,
        center_id: str,
        starts_at: dt.datetime,
        sender: str,
        name: str,
        phone: str,
        now: dt.datetime,
        place: str = "센터",
    ) -> Booking:
        """Books one seat with its reminders, or raises SlotFull / NotASlot with free slots."""
        starts_at = starts_at.astimezone(SEOUL)
        mobile = normalize_mobile(phone)
        if mobile is None:
            raise BookingError("휴대전화 번호가 올바르지 않습니다.")
        schedule = await self._check_slot(center_id, starts_at, now)
        for seat in range(1, schedule.seats + 1):
            for _attempt in range(3):  # a code collision is retried with a new code
                try:
                    async with self._sessions() as session, session.begin():
                        row = AppointmentRow(
                            code=new_code(),
                            center_id=center_id,
                            starts_at=starts_at,
                            seat=seat,
                            sender=sender,
                            name=name.strip()[:100],
                            phone=mobile,
                            status="booked",
                            created_at=now,
                        )
                        session.add(row)
                        await session.flush()
                        await outbox.queue(
                            session,
                            reminder_notices(sender, row.code, starts_at, place, now, self._quiet),
                            now,
                        )
                    return _booking(row)
                except IntegrityError as exc:
                    if not _is_seat_conflict(exc):
                        continue
                    break  # this seat was taken by someone else: try the next seat
        raise SlotFull(
            "그 시간은 예약이 다 찼습니다.", await self.nearest_free(center_id, starts_at, now)
        )

    async def _check_slot(
        self, center_id: str, starts_at: dt.datetime, now: dt.datetime
    ) -> Schedule:
        async with self._sessions() as session:
            schedule = await self.schedule(session, center_id)
            closed = await session.get(ClosedDayRow, (center_id, starts_at.date())) is not None
        if closed or starts_at <= now or starts_at not in day_slots(schedule, starts_at.date()):
            raise NotASlot(
                "그 시간은 상담 시간이 아닙니다.",
                await self.nearest_free(center_id, starts_at, now),
            )
        return schedule

    async def reschedule(
        self,
        code: str,
        sender: str,
        starts_at: dt.datetime,
        now: dt.datetime,
        place: str = "센터",
    ) -> Booking:
        """Moves a booking (same code) to a free seat; old reminders stop, new ones are queued."""
        starts_at = starts_at.astimezone(SEOUL)
        current = await self.get(code, sender, now)
        if current is None:
            raise BookingError("바꿀 예약을 찾지 못했습니다.")
        schedule = await self._check_slot(current.center_id, starts_at, now)
        for seat in range(1, schedule.seats + 1):
            try:
                async with self._sessions() as session, session.begin():
                    row = await session.scalar(
                        select(AppointmentRow).where(
                            AppointmentRow.code == current.code,
                            AppointmentRow.status == "booked",
                        )
                    )
                    if row is None:
                        raise BookingError("바꿀 예약을 찾지 못했습니다.")
                    row.starts_at = starts_at
                    row.seat = seat
                    await session.flush()
                    await outbox.cancel_refs(session, f"{row.code}@", now)
                    await outbox.queue(
                        session,
                        reminder_notices(sender, row.code, starts_at, place, now, self._quiet),
                        now,
                    )
                return _booking(row)
            except IntegrityError:
                continue  # seat taken: try the next one
        raise SlotFull(
            "그 시간은 예약이 다 찼습니다.",
            await self.nearest_free(current.center_id, starts_at, now),
        )

    async def get(self, code: str, sender: str, now: dt.datetime) -> Booking | None:
        """An upcoming booking of this sender by its code."""
        for booking in await self.for_sender(sender, now):
            if booking.code == code.strip().upper():
                return booking
        return None

    async def purge_before(self, cutoff: dt.datetime) -> int:
        """Deletes bookings (and their reminders) that started before `cutoff`: the retention
        promised in the consent text (30 days after the counseling day)."""
        async with self._sessions() as session, session.begin():
            codes = list(
                await session.scalars(
                    select(AppointmentRow.code).where(
                        AppointmentRow.starts_at < cutoff.astimezone(SEOUL)
                    )
                )
            )
            for code in codes:
                await session.execute(
                    delete(NotificationRow).where(
                        NotificationRow.ref.startswith(f"{code}@", autoescape=True)
                    )
                )
            if codes:
                await session.execute(delete(AppointmentRow).where(AppointmentRow.code.in_(codes)))
            return len(codes)

    async def reminder_count(self, code: str) -> int:
        async with self._sessions() as session:
            count = await session.scalar(
                select(func.count())
                .select_from(NotificationRow)
                .where(
                    NotificationRow.ref.startswith(f"{code}@", autoescape=True),
                    NotificationRow.status == "pending",
                )
            )
            return int(count or 0)

    async def for_sender(self, sender: str, now: dt.datetime) -> list[Booking]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(AppointmentRow)
                .where(
                    AppointmentRow.sender == sender,
                    AppointmentRow.status == "booked",
                    AppointmentRow.starts_at > now,
                )
                .order_by(AppointmentRow.starts_at)
            )
            return [_booking(row) for row in rows]

    async def cancel(self, code: str, sender: str, now: dt.datetime) -> bool:
        async with self._sessions() as session, session.begin():
            row = await session.scalar(
                select(AppointmentRow).where(
                    AppointmentRow.code == code.upper(),
                    AppointmentRow.sender == sender,
                    AppointmentRow.status == "booked",
                )
            )
            if row is None:
                return False
            row.status = "cancelled"
            row.cancelled_at = now
            await outbox.cancel_refs(session, f"{row.code}@", now)
            return True

    async def day_list(self, center_id: str, day: dt.date) -> list[Booking]:
        start = dt.datetime.combine(day, dt.time(0, 0), SEOUL)
        async with self._sessions() as session:
            rows = await session.scalars(
                select(AppointmentRow)
                .where(
                    AppointmentRow.center_id == center_id,
                    AppointmentRow.status == "booked",
                    AppointmentRow.starts_at >= start,
                    AppointmentRow.starts_at < start + dt.timedelta(days=1),
                )
                .order_by(AppointmentRow.starts_at, AppointmentRow.seat)
            )
            return [_booking(row) for row in rows]


def _aware(value: dt.datetime) -> dt.datetime:
    """Times are written in Asia/Seoul; SQLite hands them back naive, PostgreSQL in UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=SEOUL)
    return value.astimezone(SEOUL)


def _booking(row: AppointmentRow) -> Booking:
    return Booking(row.code, row.center_id, _aware(row.starts_at), row.name, row.phone, row.status)
