"""Pausing a form when the user clearly asks for something else (issue 13: conversation repair).

The rules in nlu/data/generated/rules_repair.yml call this first, then answer the new request.
The form's answers stay in their slots and `paused_form` remembers which form it was, so the
"계속하기" button picks it up where it stopped instead of starting over.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.send import send
from knowledge.answers import Message
from knowledge.josa import attach
from nlu.dialogue_repair import FORMS


def pause_message(form: str) -> Message:
    paused = FORMS[form]
    return Message(
        f"{attach(paused.label, '은')} 잠시 멈출게요. 이어서 하시려면 아래 버튼을 눌러 주세요.",
        [{"title": f"{paused.label} 계속하기", "payload": paused.resume_payload}],
    )


class ActionPauseForm(Action):
    def name(self) -> str:
        return "action_pause_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        form = tracker.active_loop_name
        events: list[dict[str, Any]] = [ActiveLoop(None), SlotSet("requested_slot", None)]
        if form in FORMS:
            send(dispatcher, [pause_message(form)])
            events.append(SlotSet("paused_form", form))
        return events
