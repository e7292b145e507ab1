"""book_appointment: center → date → time → consent → name → mobile → summary → booked."""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.centers import known_place
from actions.checks import checked, skip_unset, yes_no
from actions.deps import UsesDeps
from actions.send import send
from actions.when import VisitTimeValidation, slot_clock, slot_day
from knowledge.answers import ask_which_district
from knowledge.appointments import BookingError, SlotFull
from knowledge.booking_answers import (
    alternatives,
    ask_place_for_booking,
    bookable,
    booked,
    center_choices,
    no_consent,
    not_booked,
    place_label,
    starts,
    summary,
)
from knowledge.center_search import find_centers
from knowledge.person import find_mobile, parse_person_name
from knowledge.places import find_place
from knowledge.text import alias_key
from knowledge.yes_no import parse_yes_no
from nlu.korean.dates import explicit_day_said, parse_time

logger = logging.getLogger(__name__)

BOOKING_SLOTS = ["center", "date", "time", "consent", "person_name", "phone", "confirmed"]


def clear_booking() -> list[dict[str, Any]]:
    """Forget the answers (name and number included) once the booking is done or dropped."""
    return [SlotSet(name, None) for name in BOOKING_SLOTS]


class ValidateBookingForm(UsesDeps, VisitTimeValidation, FormValidationAction):
    def name(self) -> str:
        return "validate_booking_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if tracker.get_slot("consent") is False:
            return []  # the user said no: the closing action explains what happens next
        if tracker.get_slot("confirmed") is False and booking_corrections(tracker) is None:
            return []
        # All of them, not only the empty ones: rasa-sdk validates only slots listed here, and
        # the engine asks for the first one still empty.
        return list(BOOKING_SLOTS)

    @skip_unset
    async def validate_center(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        center = await self.deps.catalog.center(text)
        if center is not None and center in bookable([center]):
            return {"center": center.id}
        key = alias_key(text)
        if len(key) >= 4:
            named = [
                c for c in bookable(await self.deps.catalog.centers()) if alias_key(c.name) in key
            ]
            if len(named) == 1:
                return {"center": named[0].id}
        place = find_place(text, self.deps.districts)
        if place.district is not None:
            return {
                "center": None,
                "district": place.district.name,
                "region": place.district.region,
            }
        if place.ambiguous:
            send(dispatcher, [ask_which_district(place.ambiguous)])
            return {"center": None}
        if place.region is not None:
            return {"center": None, "region": place.region, "district": None}
        dispatcher.utter_message(response="utter_bad_center")
        return {"center": None}

    @skip_unset
    async def validate_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return yes_no("consent", value, dispatcher)

    @skip_unset
    async def validate_person_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        name = parse_person_name(str(value or ""))
        return checked("person_name", name, dispatcher, "utter_bad_person_name")

    @skip_unset
    async def validate_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return checked("phone", find_mobile(str(value or "")), dispatcher, "utter_bad_phone")

    @skip_unset
    async def validate_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        corrections = booking_corrections(tracker)
        if corrections is not None and parse_yes_no(value) is not True:
            # "아니요, 11일이에요": fix that field, keep the rest, show the summary again
            text = str(tracker.latest_message.get("text") or "")
            tagged = {e.get("entity") for e in tracker.latest_message.get("entities", [])}
            if "date" not in tagged and explicit_day_said(text):  # the model missed "14일"
                corrections.update(await self.validate_date(text, dispatcher, tracker, domain))
            if "time" not in tagged and parse_time(text) is not None:
                corrections.update(await self.validate_time(text, dispatcher, tracker, domain))
            return {**corrections, "confirmed": None}
        return yes_no("confirmed", value, dispatcher)


_CORRECTED_ENTITIES = {"date", "time", "center", "district"}
_NAME_CORRECTION = re.compile(
    r"(?:이름|성함)\s{0,2}(?:은|는|이|가|을|를)?\s{0,2}(\S{2,12}(?: \S{1,8})?)"
)


def booking_corrections(tracker: Tracker) -> dict[str, Any] | None:
    """What a "no" at the summary corrects, or None when it corrects nothing: a number or name
    typed with it, or a date, time or center the NLU found in the same message (those slots
    refill through their own mappings and validation, so only the typed fields are returned)."""
    if tracker.get_slot("requested_slot") != "confirmed":
        return None
    text = str(tracker.latest_message.get("text") or "")
    found: dict[str, Any] = {}
    phone = find_mobile(text)
    if phone:
        found["phone"] = phone
    said_name = _NAME_CORRECTION.search(text[:120])
    name = parse_person_name(said_name.group(1)) if said_name else None
    if name:
        found["person_name"] = name
    entities = {e.get("entity") for e in tracker.latest_message.get("entities", [])}
    if found or entities & _CORRECTED_ENTITIES:
        return found
    if explicit_day_said(text) or parse_time(text) is not None:
        return found  # a date or time in words the model did not tag
    return None


class ActionAskCenter(UsesDeps, Action):
    def name(self) -> str:
        return "action_ask_center"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        place = known_place(tracker, self.deps)
        if place.ambiguous:
            send(dispatcher, [ask_which_district(place.ambiguous)])
            return []
        if place.district is None and place.region is None:
            send(dispatcher, [ask_place_for_booking()])
            return []
        search = find_centers(
            bookable(await self.deps.catalog.centers()),
            self.deps.districts,
            place.district,
            place.region,
        )
        centers = [m.center for m in search.matches]
        if not centers:
            send(dispatcher, [ask_place_for_booking()])
            return []
        send(dispatcher, [center_choices(centers, search.place or "")])
        return []


class ActionAskBookingSummary(UsesDeps, Action):
    def name(self) -> str:
        return "action_ask_booking_form_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        day = slot_day(tracker.get_slot("date"), self.deps)
        clock = slot_clock(tracker.get_slot("time"))
        center = await self.deps.catalog.center(str(tracker.get_slot("center") or ""))
        if day is None or clock is None:
            dispatcher.utter_message(response="utter_bad_date")
            return [SlotSet("date", None), SlotSet("time", None)]
        send(
            dispatcher,
            [
                summary(
                    center,
                    starts(day, clock),
                    str(tracker.get_slot("person_name")),
                    str(tracker.get_slot("phone")),
                )
            ],
        )
        return []


class ActionBookAppointment(UsesDeps, Action):
    def name(self) -> str:
        return "action_book_appointment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        center = await self.deps.catalog.center(str(tracker.get_slot("center") or ""))
        if tracker.get_slot("consent") is False:
            send(dispatcher, [no_consent(center)])
            return clear_booking()
        if tracker.get_slot("confirmed") is not True:
            send(dispatcher, [not_booked()])
            return clear_booking()
        day = slot_day(tracker.get_slot("date"), self.deps)
        clock = slot_clock(tracker.get_slot("time"))
        name, phone = tracker.get_slot("person_name"), tracker.get_slot("phone")
        if center is None or day is None or clock is None or not name or not phone:
            dispatcher.utter_message(response="utter_booking_incomplete")
            return clear_booking()
        try:
            booking = await self.deps.appointments.book(
                center.id,
                starts(day, clock),
                tracker.sender_id,
                str(name),
                str(phone),
                self.deps.now(),
                place=place_label(center),
            )
        except SlotFull as exc:
            send(
                dispatcher,
                [alternatives("죄송해요, 방금 그 시간이 마감되었어요.", exc.alternatives)],
            )
            return [
                SlotSet("time", None),
                SlotSet("confirmed", None),
                FollowupAction("booking_form"),
            ]
        except BookingError as exc:
            send(dispatcher, [alternatives(f"죄송해요, {exc}", exc.alternatives)])
            return [
                SlotSet("time", None),
                SlotSet("confirmed", None),
                FollowupAction("booking_form"),
            ]
        logger.info("booked %s at %s", booking.code, center.id)
        reminders = await self.deps.appointments.reminder_count(booking.code)
        send(dispatcher, booked(booking, center, reminders))
        return clear_booking()


class ActionStartBooking(Action):
    """Before the booking form: drop answers left from an earlier, unfinished booking."""

    def name(self) -> str:
        return "action_start_booking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if tracker.get_slot("paused_form") == "booking_form":  # "상담 예약 계속하기"
            return [SlotSet("paused_form", None)]
        said_now = {e.get("entity") for e in tracker.latest_message.get("entities", [])}
        return [
            SlotSet(name, None)
            for name in BOOKING_SLOTS
            if name not in said_now and tracker.get_slot(name) is not None
        ]
