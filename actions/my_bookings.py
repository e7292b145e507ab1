"""check / cancel / reschedule: the user's own bookings, found by their channel identity."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.checks import skip_unset, yes_no
from actions.deps import ActionDeps, UsesDeps
from actions.send import send
from actions.when import VisitTimeValidation, slot_clock, slot_day
from knowledge.appointments import Booking, BookingError, SlotFull
from knowledge.booking_answers import (
    alternatives,
    bookings_list,
    cancelled,
    choose_booking,
    confirm_cancel,
    confirm_reschedule,
    kept_as_is,
    no_bookings,
    place_label,
    rescheduled,
    starts,
)
from knowledge.schema import Center
from knowledge.yes_no import parse_yes_no

NO_CHOICE = "-"  # the user declined to pick a booking


async def my_bookings(tracker: Tracker, deps: ActionDeps) -> list[Booking]:
    return await deps.appointments.for_sender(tracker.sender_id, deps.now())


async def centers_by_id(deps: ActionDeps) -> dict[str, Center]:
    return {c.id: c for c in await deps.catalog.centers()}


async def chosen_booking(tracker: Tracker, deps: ActionDeps) -> Booking | None:
    code = tracker.get_slot("booking_code")
    if not code or code == NO_CHOICE:
        return None
    return await deps.appointments.get(str(code), tracker.sender_id, deps.now())


class ActionCheckAppointments(UsesDeps, Action):
    def name(self) -> str:
        return "action_check_appointments"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        bookings = await my_bookings(tracker, self.deps)
        send(dispatcher, bookings_list(bookings, await centers_by_id(self.deps)))
        return []


class ActionStartBookingChange(UsesDeps, Action):
    """Before cancel/reschedule forms: forget stale answers; pick the booking when there is one."""

    def name(self) -> str:
        return "action_start_booking_change"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        entities = {e.get("entity") for e in tracker.latest_message.get("entities", [])}
        events = [SlotSet("confirmed", None)]
        for name in ("date", "time"):
            if name not in entities:
                events.append(SlotSet(name, None))
        if "booking_code" not in entities:
            bookings = await my_bookings(tracker, self.deps)
            only = bookings[0].code if len(bookings) == 1 else None
            events.append(SlotSet("booking_code", only))
        return events


class ValidateBookingCode:
    """Mixin: `booking_code` from a button, a typed code, or a no."""

    deps: ActionDeps

    @skip_unset
    async def validate_booking_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        bookings = await my_bookings(tracker, self.deps)
        text = str(value or "").upper()
        for booking in bookings:
            if re.search(rf"(?<![A-Z0-9]){booking.code}(?![A-Z0-9])", text):
                return {"booking_code": booking.code}
        if parse_yes_no(value) is False:
            return {"booking_code": NO_CHOICE}
        dispatcher.utter_message(response="utter_bad_booking_choice")
        return {"booking_code": None}

    @skip_unset
    async def validate_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return yes_no("confirmed", value, dispatcher)


async def change_slots_needed(tracker: Tracker, deps: ActionDeps, slots: list[str]) -> list[str]:
    if not await my_bookings(tracker, deps):
        return []
    if tracker.get_slot("booking_code") == NO_CHOICE or tracker.get_slot("confirmed") is False:
        return []
    return slots  # all listed (so each gets validated); the engine asks the first empty one


class ValidateCancelForm(UsesDeps, ValidateBookingCode, FormValidationAction):
    def name(self) -> str:
        return "validate_cancel_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return await change_slots_needed(tracker, self.deps, ["booking_code", "confirmed"])


class ValidateRescheduleForm(
    UsesDeps, ValidateBookingCode, VisitTimeValidation, FormValidationAction
):
    def name(self) -> str:
        return "validate_reschedule_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return await change_slots_needed(
            tracker, self.deps, ["booking_code", "date", "time", "confirmed"]
        )


class ActionAskBookingCode(UsesDeps, Action):
    def name(self) -> str:
        return "action_ask_booking_code"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        verb = "취소할까요" if tracker.active_loop_name == "cancel_form" else "바꿀까요"
        bookings = await my_bookings(tracker, self.deps)
        send(dispatcher, [choose_booking(bookings, await centers_by_id(self.deps), verb)])
        return []


class ActionAskCancelConfirmed(UsesDeps, Action):
    def name(self) -> str:
        return "action_ask_cancel_form_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        booking = await chosen_booking(tracker, self.deps)
        if booking is None:
            send(dispatcher, [no_bookings()])
            return [SlotSet("booking_code", NO_CHOICE)]
        center = await self.deps.catalog.center(booking.center_id)
        send(dispatcher, [confirm_cancel(booking, center)])
        return []


class ActionAskRescheduleConfirmed(UsesDeps, Action):
    def name(self) -> str:
        return "action_ask_reschedule_form_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        booking = await chosen_booking(tracker, self.deps)
        day = slot_day(tracker.get_slot("date"), self.deps)
        clock = slot_clock(tracker.get_slot("time"))
        if booking is None or day is None or clock is None:
            send(dispatcher, [no_bookings()])
            return [SlotSet("booking_code", NO_CHOICE)]
        center = await self.deps.catalog.center(booking.center_id)
        send(dispatcher, [confirm_reschedule(booking, center, starts(day, clock))])
        return []


def _done() -> list[dict[str, Any]]:
    return [SlotSet(name, None) for name in ("booking_code", "confirmed", "date", "time")]


class ActionCancelAppointment(UsesDeps, Action):
    def name(self) -> str:
        return "action_cancel_appointment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if not await my_bookings(tracker, self.deps):
            send(dispatcher, [no_bookings()])
            return _done()
        booking = await chosen_booking(tracker, self.deps)
        if booking is None or tracker.get_slot("confirmed") is not True:
            send(dispatcher, [kept_as_is()])
            return _done()
        center = await self.deps.catalog.center(booking.center_id)
        if await self.deps.appointments.cancel(booking.code, tracker.sender_id, self.deps.now()):
            send(dispatcher, [cancelled(booking, center)])
        else:
            send(dispatcher, [no_bookings()])
        return _done()


class ActionRescheduleAppointment(UsesDeps, Action):
    def name(self) -> str:
        return "action_reschedule_appointment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if not await my_bookings(tracker, self.deps):
            send(dispatcher, [no_bookings()])
            return _done()
        booking = await chosen_booking(tracker, self.deps)
        day = slot_day(tracker.get_slot("date"), self.deps)
        clock = slot_clock(tracker.get_slot("time"))
        if (
            booking is None
            or day is None
            or clock is None
            or tracker.get_slot("confirmed") is not True
        ):
            send(dispatcher, [kept_as_is()])
            return _done()
        center = await self.deps.catalog.center(booking.center_id)
        try:
            moved = await self.deps.appointments.reschedule(
                booking.code,
                tracker.sender_id,
                starts(day, clock),
                self.deps.now(),
                place=place_label(center),
            )
        except (SlotFull, BookingError) as exc:
            send(dispatcher, [alternatives(f"죄송해요, {exc}", exc.alternatives)])
            return [
                SlotSet("time", None),
                SlotSet("confirmed", None),
                FollowupAction("reschedule_form"),
            ]
        send(dispatcher, [rescheduled(moved, center)])
        return _done()
