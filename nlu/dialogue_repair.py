"""Conversation repair: a clear new request in the middle of a form pauses the form and is answered.

One table says which requests interrupt which form and how each request is handled; `rules()`
turns it into Rasa rules (written to nlu/data/generated/ by `ieum nlu generate`) and
`interrupting_intents()` gives the intents a form's typed answers must not swallow, so the
domain's `not_intent` lists and the rules never disagree (a test checks the domain).
Pure standard library: both runtimes import it.
"""

from __future__ import annotations

from dataclasses import dataclass

# How each request is handled outside any form: actions, then the form it starts (if any).
HANDLERS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "ask_programs": (("action_suggest_programs",), None),
    "ask_program_info": (("action_program_info",), None),
    "ask_job_fairs": (("action_list_job_fairs",), None),
    "check_appointment": (("action_check_appointments",), None),
    "unsubscribe_alerts": (("action_unsubscribe_alerts",), None),
    "check_eligibility": ((), "eligibility_form"),
    "find_center": ((), "center_form"),
    "book_appointment": (("action_start_booking",), "booking_form"),
    "subscribe_alerts": (("action_start_alerts",), "alerts_form"),
    "cancel_appointment": (("action_start_booking_change",), "cancel_form"),
    "reschedule_appointment": (("action_start_booking_change",), "reschedule_form"),
    "delete_my_data": ((), "delete_data_form"),
}


@dataclass(frozen=True)
class PausableForm:
    label: str  # said to the user: "{label}은 잠시 멈출게요"
    resume_payload: str
    # requests that are answers here, not interruptions (its own intent, a place named, …)
    answers: tuple[str, ...]


FORMS: dict[str, PausableForm] = {
    "eligibility_form": PausableForm("자격 확인", "/check_eligibility", ("check_eligibility",)),
    "center_form": PausableForm("센터 찾기", "/find_center", ("find_center",)),
    "booking_form": PausableForm(
        "상담 예약",
        "/book_appointment",
        ("book_appointment", "find_center", "reschedule_appointment"),
    ),
    "cancel_form": PausableForm("예약 취소", "/cancel_appointment", ("cancel_appointment",)),
    "reschedule_form": PausableForm(
        "예약 변경", "/reschedule_appointment", ("reschedule_appointment", "book_appointment")
    ),
    "delete_data_form": PausableForm("정보 삭제", "/delete_my_data", ("delete_my_data",)),
    "alerts_form": PausableForm(
        "알림 신청", "/subscribe_alerts", ("subscribe_alerts", "unsubscribe_alerts", "find_center")
    ),
}


# Questions answered inside any form without leaving it: the form asks its question again.
ANSWERED_IN_PLACE: dict[str, str] = {"ask_privacy": "utter_privacy_info"}


def interrupting_intents(form: str) -> list[str]:
    """Intents that pause `form`, in a stable order."""
    answers = set(FORMS[form].answers)
    return [intent for intent in [*HANDLERS, *ANSWERED_IN_PLACE] if intent not in answers]


def rules() -> list[dict[str, object]]:
    """One rule per (form, interrupting request): pause the form, then handle the request."""
    out: list[dict[str, object]] = []
    for form in FORMS:
        for intent in interrupting_intents(form):
            if intent in ANSWERED_IN_PLACE:
                out.append(
                    {
                        "rule": f"{intent} answered inside {form}",
                        "condition": [{"active_loop": form}],
                        "steps": [
                            {"intent": intent},
                            {"action": ANSWERED_IN_PLACE[intent]},
                            {"action": form},
                            {"active_loop": form},
                        ],
                    }
                )
                continue
            actions, starts = HANDLERS[intent]
            steps: list[dict[str, object]] = [
                {"intent": intent},
                {"action": "action_pause_form"},
                {"active_loop": None},
            ]
            steps += [{"action": action} for action in actions]
            if starts:
                steps += [{"action": starts}, {"active_loop": starts}]
            out.append(
                {
                    "rule": f"{intent} pauses {form}",
                    "condition": [{"active_loop": form}],
                    "steps": steps,
                }
            )
    return out
