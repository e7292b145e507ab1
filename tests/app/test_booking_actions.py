"""Booking, checking, changing, cancelling and erasing: actions with a real Tracker and domain."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import build_actions
from actions.booking import (
    ActionAskBookingSummary,
    ActionAskCenter,
    ActionBookAppointment,
    ActionStartBooking,
    ValidateBookingForm,
)
from actions.deps import ActionDeps
from actions.my_bookings import (
    NO_CHOICE,
    ActionAskBookingCode,
    ActionCancelAppointment,
    ActionCheckAppointments,
    ActionRescheduleAppointment,
    ActionStartBookingChange,
    ValidateCancelForm,
    ValidateRescheduleForm,
)
from actions.my_data import ActionDeleteMyData
from actions.when import ActionAskDate, ActionAskTime
from knowledge.appointments import Schedule
from knowledge.when import SEOUL

DOMAIN = yaml.safe_load((Path(__file__).parents[2] / "nlu" / "domain.yml").read_text("utf-8"))
SENDER = "web:booker"
TUESDAY_2PM = dt.datetime(2026, 11, 24, 14, 0, tzinfo=SEOUL)


def tracker(
    text: str = "",
    intent: str = "inform",
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    loop: str | None = None,
    sender: str = SENDER,
) -> Tracker:
    slot_values = {name: None for name in DOMAIN["slots"]} | (slots or {})
    return Tracker(
        sender_id=sender,
        slots=slot_values,
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.99},
            "entities": entities or [],
        },
        events=[{"event": "user", "text": text}],
        paused=False,
        followup_action=None,
        active_loop={"name": loop} if loop else {},
        latest_action_name="action_listen",
    )


def events_by_slot(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def all_text(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(
        str(m.get("text") or (m.get("custom") or {}).get("text") or m.get("response"))
        for m in dispatcher.messages
    )


def payloads(dispatcher: CollectingDispatcher) -> list[str]:
    return [b["payload"] for m in dispatcher.messages for b in m.get("buttons", [])]


async def run(action: Any, t: Tracker) -> tuple[list[dict[str, Any]], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, DOMAIN)
    return events, dispatcher


async def test_actions_and_their_responses_exist_in_the_domain(deps: ActionDeps) -> None:
    actions = {a.name() for a in build_actions(deps)}
    assert actions <= set(DOMAIN["actions"])
    for form in ("booking_form", "cancel_form", "reschedule_form", "delete_data_form"):
        assert form in DOMAIN["forms"] and f"validate_{form}" in actions
        for slot in DOMAIN["forms"][form]["required_slots"]:
            asks = {f"action_ask_{form}_{slot}", f"action_ask_{slot}"} & actions
            utters = {f"utter_ask_{form}_{slot}", f"utter_ask_{slot}"} & set(DOMAIN["responses"])
            assert asks or utters, f"{form} has no question for {slot}"


async def test_start_booking_forgets_old_answers_but_keeps_what_was_just_said() -> None:
    t = tracker(
        "다음주 화요일 상담 예약",
        "book_appointment",
        slots={"date": "다음주 화요일", "person_name": "홍길동", "phone": "01012345678"},
        entities=[{"entity": "date", "value": "다음주 화요일"}],
    )
    events, _ = await run(ActionStartBooking(), t)
    cleared = events_by_slot(events)
    assert "date" not in cleared and cleared["person_name"] is None and cleared["phone"] is None


async def test_center_question_uses_the_known_district(deps: ActionDeps) -> None:
    _, dispatcher = await run(
        ActionAskCenter(deps), tracker(slots={"district": "관악구", "region": "서울"})
    )
    assert "관악구" in all_text(dispatcher)
    assert payloads(dispatcher) and all(
        p.startswith('/inform{"center":') for p in payloads(dispatcher)
    )
    _, dispatcher = await run(ActionAskCenter(deps), tracker("상담 예약", "book_appointment"))
    assert "시·군·구" in all_text(dispatcher)
    assert payloads(dispatcher) == [
        "/restart",
        "/request_human",
    ]  # typed answer, way back (issue 17)


@pytest.mark.parametrize(
    "typed, expected",
    [("ec_seoul", {"center": "ec_seoul"}), ("관악구요", {"center": None, "district": "관악구"}),
     ("수원", {"center": None, "district": "수원시"})],
)  # fmt: skip
async def test_center_answers(deps: ActionDeps, typed: str, expected: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    got = await ValidateBookingForm(deps).validate_center(typed, dispatcher, tracker(typed), DOMAIN)
    assert {k: got.get(k) for k in expected} == expected


async def test_unknown_center_gets_a_korean_hint(deps: ActionDeps) -> None:
    dispatcher = CollectingDispatcher()
    got = await ValidateBookingForm(deps).validate_center("음", dispatcher, tracker("음"), DOMAIN)
    assert got == {"center": None}
    assert dispatcher.messages[0]["response"] == "utter_bad_center"


@pytest.mark.parametrize(
    "said, day",
    [("다음주 화요일", "2026-12-01"), ("내일", "2026-11-24"), ("12월 3일", "2026-12-03"),
     ("2026-11-25", "2026-11-25"), ("모레요", "2026-11-25")],
)  # fmt: skip
async def test_dates_in_words(deps: ActionDeps, said: str, day: str) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker(said, slots={"center": "ec_seoul"}, loop="booking_form")
    got = await ValidateBookingForm(deps).validate_date(said, dispatcher, t, DOMAIN)
    assert got == {"date": day} and not dispatcher.messages


async def test_weekend_holiday_and_past_dates_offer_the_nearest_free(deps: ActionDeps) -> None:
    form = ValidateBookingForm(deps)
    for said, reason in [("11월 28일", "주말"), ("12월 25일", "공휴일")]:
        dispatcher = CollectingDispatcher()
        t = tracker(said, slots={"center": "ec_seoul"}, loop="booking_form")
        got = await form.validate_date(said, dispatcher, t, DOMAIN)
        assert got["date"] is None and reason in all_text(dispatcher)
        assert all('"date":' in p and '"time":' in p for p in payloads(dispatcher))
        assert payloads(dispatcher)
    dispatcher = CollectingDispatcher()
    got = await form.validate_date("11월 20일", dispatcher, tracker("11월 20일"), DOMAIN)
    assert got["date"] is None and "지난" in all_text(dispatcher)
    dispatcher = CollectingDispatcher()
    got = await form.validate_date("언젠가", dispatcher, tracker("언젠가"), DOMAIN)
    assert got == {"date": None} and dispatcher.messages[0]["response"] == "utter_bad_date"


async def test_time_must_be_a_free_slot(deps: ActionDeps) -> None:
    form = ValidateBookingForm(deps)
    slots = {"center": "ec_seoul", "date": "2026-11-24"}
    ok = await form.validate_time(
        "오후 두 시", CollectingDispatcher(), tracker("오후 두 시", slots=slots), DOMAIN
    )
    assert ok == {"time": "14:00"}
    await deps.appointments.book(
        "ec_seoul", TUESDAY_2PM, "web:x", "다른분", "01000000000", deps.now()
    )
    dispatcher = CollectingDispatcher()
    full = await form.validate_time("2시", dispatcher, tracker("2시", slots=slots), DOMAIN)
    assert full == {"time": None} and "다 찼" in all_text(dispatcher)
    assert any('"time":"13:00"' in p or '"time":"15:00"' in p for p in payloads(dispatcher))
    dispatcher = CollectingDispatcher()
    lunch = await form.validate_time("12시", dispatcher, tracker("12시", slots=slots), DOMAIN)
    assert lunch == {"time": None} and "상담 시간이 아니에요" in all_text(dispatcher)


async def test_date_and_time_questions_offer_only_free_choices(deps: ActionDeps) -> None:
    await deps.appointments.set_schedule("ec_seoul", Schedule(seats=1), deps.now())
    await deps.appointments.book(
        "ec_seoul", TUESDAY_2PM, "web:x", "다른분", "01000000000", deps.now()
    )
    _, dispatcher = await run(
        ActionAskDate(deps), tracker(slots={"center": "ec_seoul"}, loop="booking_form")
    )
    assert payloads(dispatcher)[0] == '/inform{"date":"2026-11-23"}'  # 11:00 today is still free
    _, dispatcher = await run(
        ActionAskTime(deps),
        tracker(slots={"center": "ec_seoul", "date": "2026-11-24"}, loop="booking_form"),
    )
    times = payloads(dispatcher)
    assert '/inform{"time":"14:00"}' not in times and '/inform{"time":"09:00"}' in times
    assert len(times) <= 6


@pytest.mark.parametrize("typed", ["홍길동", "홍길동입니다", "제 이름은 홍길동이에요"])
async def test_names(deps: ActionDeps, typed: str) -> None:
    got = await ValidateBookingForm(deps).validate_person_name(
        typed, CollectingDispatcher(), tracker(typed), DOMAIN
    )
    assert got == {"person_name": "홍길동"}


@pytest.mark.parametrize(
    "typed", ["010-1234-5678", "01012345678", "010 1234 5678", "번호는 010.1234.5678요"]
)
async def test_mobile_numbers_in_chat(deps: ActionDeps, typed: str) -> None:
    got = await ValidateBookingForm(deps).validate_phone(
        typed, CollectingDispatcher(), tracker(typed), DOMAIN
    )
    assert got == {"phone": "01012345678"}


async def test_bad_name_phone_and_yes_no_are_asked_again(deps: ActionDeps) -> None:
    form = ValidateBookingForm(deps)
    for method, typed, slot, response in [
        (form.validate_person_name, "예약 취소할래요", "person_name", "utter_bad_person_name"),
        (form.validate_phone, "02-123-4567", "phone", "utter_bad_phone"),
        (form.validate_consent, "글쎄", "consent", "utter_bad_yes_no"),
    ]:
        dispatcher = CollectingDispatcher()
        assert await method(typed, dispatcher, tracker(typed), DOMAIN) == {slot: None}
        assert dispatcher.messages[0]["response"] == response


async def test_form_asks_consent_before_name_and_stops_on_no(deps: ActionDeps) -> None:
    form = ValidateBookingForm(deps)
    slots = {"center": "ec_seoul", "date": "2026-11-24", "time": "14:00"}
    needed = await form.required_slots([], CollectingDispatcher(), tracker(slots=slots), DOMAIN)
    assert [name for name in needed if name not in slots] == [
        "consent",
        "person_name",
        "phone",
        "confirmed",
    ]
    refused = await form.required_slots(
        [], CollectingDispatcher(), tracker(slots=slots | {"consent": False}), DOMAIN
    )
    assert refused == []
    events, dispatcher = await run(
        ActionBookAppointment(deps), tracker(slots=slots | {"consent": False})
    )
    assert "동의 없이는" in all_text(dispatcher)
    assert all(value is None for value in events_by_slot(events).values())
    assert await deps.appointments.for_sender(SENDER, deps.now()) == []


async def test_form_run_validates_what_was_said(deps: ActionDeps) -> None:
    """The whole validation action, as the engine calls it, on "다음주 화요일 오후 2시"."""
    t = tracker(
        "다음주 화요일 오후 2시",
        slots={"center": "ec_seoul", "requested_slot": "date"},
        loop="booking_form",
    )
    t.events += [
        {"event": "slot", "name": "date", "value": "다음주 화요일"},
        {"event": "slot", "name": "time", "value": "오후 2시"},
    ]
    t.slots |= {"date": "다음주 화요일", "time": "오후 2시"}
    events, _ = await run(ValidateBookingForm(deps), t)
    slots = events_by_slot(events)
    assert slots["date"] == "2026-12-01" and slots["time"] == "14:00"


async def test_summary_then_booking_with_code_address_and_reminders(deps: ActionDeps) -> None:
    slots = {"center": "ec_seoul", "date": "2026-11-25", "time": "14:00", "consent": True,
             "person_name": "홍길동", "phone": "01012345678"}  # fmt: skip
    _, dispatcher = await run(
        ActionAskBookingSummary(deps), tracker(slots=slots, loop="booking_form")
    )
    text = all_text(dispatcher)
    assert "11월 25일(수) 오후 2시" in text and "010-1234-5678" in text and "홍길동" in text
    assert "/affirm" in payloads(dispatcher)

    events, dispatcher = await run(
        ActionBookAppointment(deps), tracker("네", "affirm", slots | {"confirmed": True})
    )
    (booking,) = await deps.appointments.for_sender(SENDER, deps.now())
    text = all_text(dispatcher)
    assert booking.code in text and "예약되었어요" in text and "알림" in text
    card = next(m["custom"]["card"] for m in dispatcher.messages if m.get("custom"))
    assert card.get("address") or card.get("phone")
    assert events_by_slot(events)["person_name"] is None and events_by_slot(events)["phone"] is None
    assert await deps.appointments.reminder_count(booking.code) == 2


async def test_taken_meanwhile_offers_other_times_and_returns_to_the_form(deps: ActionDeps) -> None:
    await deps.appointments.book(
        "ec_seoul", TUESDAY_2PM, "web:fast", "빠른분", "01000000000", deps.now()
    )
    slots = {"center": "ec_seoul", "date": "2026-11-24", "time": "14:00", "consent": True,
             "person_name": "홍길동", "phone": "01012345678", "confirmed": True}  # fmt: skip
    events, dispatcher = await run(ActionBookAppointment(deps), tracker("네", "affirm", slots))
    assert "마감" in all_text(dispatcher) and payloads(dispatcher)
    assert ("followup", "booking_form") in [(e["event"], e.get("name")) for e in events]
    assert events_by_slot(events) == {"time": None, "confirmed": None}


async def book_one(deps: ActionDeps, when: dt.datetime = TUESDAY_2PM) -> str:
    booking = await deps.appointments.book(
        "ec_seoul", when, SENDER, "홍길동", "01012345678", deps.now()
    )
    return booking.code


async def test_check_lists_my_bookings_only(deps: ActionDeps) -> None:
    _, dispatcher = await run(
        ActionCheckAppointments(deps), tracker("예약 확인", "check_appointment")
    )
    assert "예약이 없어요" in all_text(dispatcher)
    code = await book_one(deps)
    await deps.appointments.book(
        "ec_seoul",
        TUESDAY_2PM + dt.timedelta(hours=1),
        "web:other",
        "남",
        "01099999999",
        deps.now(),
    )
    _, dispatcher = await run(
        ActionCheckAppointments(deps), tracker("예약 확인", "check_appointment")
    )
    text = all_text(dispatcher)
    assert code in text and "1건" in text


async def test_cancel_flow_with_one_booking(deps: ActionDeps) -> None:
    code = await book_one(deps)
    events, _ = await run(
        ActionStartBookingChange(deps), tracker("예약 취소", "cancel_appointment")
    )
    assert events_by_slot(events)["booking_code"] == code
    form = ValidateCancelForm(deps)
    slots = {"booking_code": code}
    needed = await form.required_slots([], CollectingDispatcher(), tracker(slots=slots), DOMAIN)
    assert [name for name in needed if not slots.get(name)] == ["confirmed"]
    _, dispatcher = await run(
        ActionCancelAppointment(deps), tracker("아니요", "deny", slots | {"confirmed": False})
    )
    assert "그대로" in all_text(dispatcher)
    assert len(await deps.appointments.for_sender(SENDER, deps.now())) == 1
    events, dispatcher = await run(
        ActionCancelAppointment(deps), tracker("네", "affirm", slots | {"confirmed": True})
    )
    assert "취소했어요" in all_text(dispatcher)
    assert await deps.appointments.for_sender(SENDER, deps.now()) == []
    assert events_by_slot(events)["booking_code"] is None


async def test_cancel_with_several_bookings_asks_which(deps: ActionDeps) -> None:
    first = await book_one(deps)
    second = await book_one(deps, TUESDAY_2PM + dt.timedelta(days=1))
    events, _ = await run(
        ActionStartBookingChange(deps), tracker("예약 취소", "cancel_appointment")
    )
    assert events_by_slot(events)["booking_code"] is None
    _, dispatcher = await run(ActionAskBookingCode(deps), tracker(loop="cancel_form"))
    assert [p for p in payloads(dispatcher)] == [
        f'/inform{{"booking_code":"{first}"}}',
        f'/inform{{"booking_code":"{second}"}}',
    ]
    form = ValidateCancelForm(deps)
    got = await form.validate_booking_code(
        second.lower(), CollectingDispatcher(), tracker(second.lower()), DOMAIN
    )
    assert got == {"booking_code": second}
    got = await form.validate_booking_code(
        "아니요 됐어요", CollectingDispatcher(), tracker("아니요"), DOMAIN
    )
    assert got == {"booking_code": NO_CHOICE}
    assert await form.required_slots([], CollectingDispatcher(), tracker(slots=got), DOMAIN) == []


async def test_reschedule_moves_the_booking(deps: ActionDeps) -> None:
    code = await book_one(deps)
    form = ValidateRescheduleForm(deps)
    t = tracker(
        "목요일 오전 10시",
        slots={"booking_code": code, "date": "2026-11-26"},
        loop="reschedule_form",
    )
    assert await form.validate_time("오전 10시", CollectingDispatcher(), t, DOMAIN) == {
        "time": "10:00"
    }
    slots = {"booking_code": code, "date": "2026-11-26", "time": "10:00", "confirmed": True}
    _, dispatcher = await run(
        ActionRescheduleAppointment(deps), tracker("네", "affirm", slots, loop=None)
    )
    assert "11월 26일(목) 오전 10시" in all_text(dispatcher) and code in all_text(dispatcher)
    (moved,) = await deps.appointments.for_sender(SENDER, deps.now())
    assert moved.code == code and moved.starts_at.hour == 10


async def test_delete_my_data_erases_and_tells_the_app(deps: ActionDeps) -> None:
    await book_one(deps)
    _, dispatcher = await run(
        ActionDeleteMyData(deps), tracker("아니요", "deny", {"confirmed": False})
    )
    assert dispatcher.messages[0]["response"] == "utter_data_kept"
    assert len(await deps.appointments.for_sender(SENDER, deps.now())) == 1
    events, dispatcher = await run(
        ActionDeleteMyData(deps), tracker("네", "affirm", {"confirmed": True})
    )
    assert dispatcher.messages[0]["custom"]["ieum_control"] == "erase_conversation"
    assert [e["event"] for e in events] == ["reset_slots"]
    assert await deps.appointments.for_sender(SENDER, deps.now()) == []


@pytest.mark.parametrize("form_name", ["booking", "cancel", "reschedule", "delete", "alerts"])
async def test_slots_reset_before_a_form_starts_are_not_complained_about(
    deps: ActionDeps, form_name: str
) -> None:
    """Our start actions reset slots to None just before the form validates what it got."""
    from actions.job_fairs import ValidateAlertsForm
    from actions.my_data import ValidateDeleteDataForm

    form = {
        "booking": ValidateBookingForm(deps), "cancel": ValidateCancelForm(deps),
        "reschedule": ValidateRescheduleForm(deps), "delete": ValidateDeleteDataForm(),
        "alerts": ValidateAlertsForm(deps),
    }[form_name]  # fmt: skip
    await book_one(deps)
    t = tracker("상담 예약하고 싶어요", "book_appointment")
    for name in (
        "center",
        "date",
        "time",
        "consent",
        "person_name",
        "phone",
        "confirmed",
        "booking_code",
        "alert_regions",
    ):
        t.events.append({"event": "slot", "name": name, "value": None})
    events, dispatcher = await run(form, t)
    assert dispatcher.messages == []
    assert all(value is None for value in events_by_slot(events).values())


@pytest.mark.parametrize(
    "said, day, mismatch",
    [
        ("12월 11일 금요일 오후 4시로 해 주세요", "2026-12-11", False),
        ("12월 11일 목요일로요", "2026-12-11", True),
        ("담주 화욜", "2026-12-01", False),
        ("11일 금욜", "2026-12-11", False),
    ],
)
async def test_explicit_date_beats_the_weekday(
    deps: ActionDeps, said: str, day: str, mismatch: bool
) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker(said, slots={"center": "ec_seoul"}, loop="booking_form")
    entity_value = said.split(" 오후")[0]
    got = await ValidateBookingForm(deps).validate_date(entity_value, dispatcher, t, DOMAIN)
    assert got == {"date": day}
    if mismatch:
        assert "12월 11일은 목요일이 아니라 금요일이에요" in all_text(dispatcher)
    else:
        assert not dispatcher.messages


async def test_no_with_a_correction_at_the_summary_fixes_that_field_only(deps: ActionDeps) -> None:
    form = ValidateBookingForm(deps)
    slots = {
        "center": "ec_seoul", "date": "2026-11-24", "time": "14:00", "consent": True,
        "person_name": "홍길동", "phone": "01012345678", "confirmed": False,
        "requested_slot": "confirmed",
    }  # fmt: skip
    said = "아니요, 11일이에요"
    date = [{"entity": "date", "value": "11일", "start": 5, "end": 8}]
    t = tracker(said, "deny", slots, entities=date, loop="booking_form")
    assert await form.required_slots([], CollectingDispatcher(), t, DOMAIN) != []
    dispatcher = CollectingDispatcher()
    assert await form.validate_confirmed(False, dispatcher, t, DOMAIN) == {"confirmed": None}
    assert await form.validate_date("11일", dispatcher, t, DOMAIN) == {"date": "2026-12-11"}

    said = "아뇨 번호가 010-9876-5432예요"
    t = tracker(said, "deny", slots, loop="booking_form")
    got = await form.validate_confirmed(False, CollectingDispatcher(), t, DOMAIN)
    assert got == {"phone": "01098765432", "confirmed": None}

    said = "아니요 이름은 김영수예요"
    t = tracker(said, "deny", slots, loop="booking_form")
    got = await form.validate_confirmed(False, CollectingDispatcher(), t, DOMAIN)
    assert got == {"person_name": "김영수", "confirmed": None}

    untagged = tracker("아니요 14일이에요", "deny", slots, loop="booking_form")  # no entity
    assert await form.required_slots([], CollectingDispatcher(), untagged, DOMAIN) != []
    got = await form.validate_confirmed(False, CollectingDispatcher(), untagged, DOMAIN)
    assert got == {"date": "2026-12-14", "confirmed": None}

    plain_no = tracker("아니요", "deny", slots, loop="booking_form")
    assert await form.required_slots([], CollectingDispatcher(), plain_no, DOMAIN) == []
