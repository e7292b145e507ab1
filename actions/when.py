"""Date and time of a counseling visit: validation and questions shared by booking and rescheduling."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.checks import skip_unset
from actions.deps import ActionDeps, UsesDeps
from actions.send import send
from knowledge.appointments import is_public_holiday
from knowledge.booking_answers import (
    alternatives,
    closed_day_reason,
    day_choices,
    no_free_day,
    starts,
    time_choices,
    weekday_mismatch,
)
from knowledge.when import day_label
from nlu.korean.dates import explicit_day_said, parse_date, parse_time, said_weekday

BOOKING_WINDOW_DAYS = 60
SUGGESTED_DAYS = 5


def slot_day(value: Any, deps: ActionDeps) -> dt.date | None:
    """A validated `date` slot ('2026-11-24') or words, as one day."""
    span = parse_date(str(value), deps.now()) if value else None
    return span.start if span is not None and span.is_day else None


def slot_clock(value: Any) -> dt.time | None:
    return parse_time(str(value)) if value else None


async def center_of(tracker: Tracker, deps: ActionDeps) -> str | None:
    """The center the visit is at: the chosen one, or the booking being moved."""
    code = tracker.get_slot("booking_code")
    if tracker.active_loop_name == "reschedule_form" and code:
        booking = await deps.appointments.get(str(code), tracker.sender_id, deps.now())
        return booking.center_id if booking else None
    center = tracker.get_slot("center")
    return str(center) if center else None


async def free_days(deps: ActionDeps, center_id: str, limit: int = SUGGESTED_DAYS) -> list[dt.date]:
    days: list[dt.date] = []
    today = deps.today()
    for offset in range(0, 21):
        day = today + dt.timedelta(days=offset)
        if await deps.appointments.free_slots(center_id, day, deps.now()):
            days.append(day)
            if len(days) >= limit:
                break
    return days


class VisitTimeValidation:
    """Mixin for FormValidationAction: `date` and `time` slots checked against free seats."""

    deps: ActionDeps

    @skip_unset
    async def validate_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        now = self.deps.now()
        said = tracker.latest_message.get("text") or ""
        span = parse_date(str(value or ""), now) or parse_date(said, now)
        if explicit_day_said(said):  # "12월 11일 금요일": the date wins over the weekday
            span = parse_date(said, now) or span
        if span is None:
            dispatcher.utter_message(response="utter_bad_date")
            return {"date": None}
        center_id = await center_of(tracker, self.deps)
        if not span.is_day:
            days = [d for d in await free_days(self.deps, center_id) if span.start <= d <= span.end]
            send(dispatcher, [day_choices(days, None)] if days else [])
            if not days:
                dispatcher.utter_message(response="utter_bad_date")
            return {"date": None}
        day = span.start
        if day < self.deps.today():
            dispatcher.utter_message(text=f"{day_label(day)}은 이미 지난 날짜예요.")
            return {"date": None}
        if day > self.deps.today() + dt.timedelta(days=BOOKING_WINDOW_DAYS):
            dispatcher.utter_message(text="예약은 오늘부터 두 달 안쪽 날짜로만 할 수 있어요.")
            return {"date": None}
        if center_id and not await self.deps.appointments.free_slots(center_id, day, now):
            nearest = await self.deps.appointments.nearest_free(
                center_id, starts(day, dt.time(10, 0)), now
            )
            send(
                dispatcher, [alternatives(closed_day_reason(day, is_public_holiday(day)), nearest)]
            )
            return {"date": None, "time": None}
        weekday = said_weekday(said)
        if weekday is not None and weekday != day.weekday() and explicit_day_said(said):
            dispatcher.utter_message(text=weekday_mismatch(day, weekday))
        return {"date": day.isoformat()}

    @skip_unset
    async def validate_time(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        clock = slot_clock(value) or slot_clock(tracker.latest_message.get("text"))
        if clock is None:
            dispatcher.utter_message(response="utter_bad_time")
            return {"time": None}
        day = slot_day(tracker.get_slot("date"), self.deps)
        center_id = await center_of(tracker, self.deps)
        if day is None or center_id is None:
            return {"time": clock.strftime("%H:%M")}
        now = self.deps.now()
        wanted = starts(day, clock)
        free = await self.deps.appointments.free_slots(center_id, day, now)
        if any(slot.starts_at == wanted for slot in free):
            return {"time": clock.strftime("%H:%M")}
        state = await self.deps.appointments.slot_state(center_id, wanted, now)
        reason = {
            "full": "그 시간은 예약이 다 찼어요.",
            "past": "그 시간은 이미 지났어요.",
        }.get(state, "그 시간은 상담 시간이 아니에요(평일 오전 9시~오후 6시, 점심시간 제외).")
        nearest = await self.deps.appointments.nearest_free(center_id, wanted, now)
        send(dispatcher, [alternatives(reason, nearest)])
        return {"time": None}


class ActionAskDate(UsesDeps, Action):
    def name(self) -> str:
        return "action_ask_date"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        center_id = await center_of(tracker, self.deps)
        center = await self.deps.catalog.center(center_id) if center_id else None
        days = await free_days(self.deps, center_id) if center_id else []
        send(dispatcher, [day_choices(days, center) if days else no_free_day(center)])
        return []


class ActionAskTime(UsesDeps, Action):
    def name(self) -> str:
        return "action_ask_time"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        day = slot_day(tracker.get_slot("date"), self.deps)
        center_id = await center_of(tracker, self.deps)
        if day is None or center_id is None:
            dispatcher.utter_message(response="utter_bad_date")
            return []
        now = self.deps.now()
        free = await self.deps.appointments.free_slots(center_id, day, now)
        if free:
            send(dispatcher, [time_choices(day, free)])
        else:
            nearest = await self.deps.appointments.nearest_free(
                center_id, starts(day, dt.time(10, 0)), now
            )
            send(dispatcher, [alternatives(f"{day_label(day)}은 자리가 모두 찼어요.", nearest)])
        return []
