"""A conversation that comes back after the session expired starts fresh.

Facts about the person (age, situation, place, what they told the benefit questions) carry over,
so nothing is asked twice; a half-finished form, its question and anything typed into it (a
name, a phone number) do not, so no form is resumed silently and personal data is not carried.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.benefit_questions import BENEFIT_SLOTS

REMEMBERED: tuple[str, ...] = (
    "age",
    "employment_status",
    "region",
    "district",
    *BENEFIT_SLOTS,
)


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        carried = [
            SlotSet(name, tracker.slots.get(name))
            for name in REMEMBERED
            if tracker.slots.get(name) is not None
        ]
        return [SessionStarted(), *carried, ActionExecuted("action_listen")]
