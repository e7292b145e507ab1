"""Out of scope, the fallback and a yes/no with nothing to answer: before the plain answer,
check what the message may still mean.

A topic we do not cover gets its office ("새일센터는 아직 제가 안내하지 못해요 … 1544-1199"), a
program the NLU missed gets its answer, and a short follow-up ("한도요", "된다는 거예요?")
refers to the program last discussed (issue 17). Only what is left gets the plain apology.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.deps import UsesDeps
from actions.facts import facts_from, program_in_text, resolve_program
from actions.programs import elsewhere_answer
from actions.send import send
from knowledge.answers import program_info, verdict_in_one_sentence
from knowledge.eligibility import evaluate
from knowledge.follow_up import asks_for_verdict_again, aspects_in, is_follow_up

# What is left gets the plain answer for what the NLU heard.
PLAIN_ANSWERS = {
    "nlu_fallback": "utter_default",
    "affirm": "utter_affirm_no_context",
    "deny": "utter_deny_no_context",
}


class ActionOutOfScope(UsesDeps, Action):
    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        in_form = bool(tracker.active_loop_name)
        programs = await self.deps.catalog.programs()
        elsewhere = elsewhere_answer(text, programs)
        if elsewhere is not None:
            send(dispatcher, elsewhere)
            return [] if in_form else [SlotSet("program", None), SlotSet("last_aspect", None)]
        named = None if text.startswith("/") else program_in_text(text, programs)
        if named is not None and not in_form:  # the NLU missed a program we do know
            aspects = aspects_in(text)
            send(dispatcher, program_info(named, aspects))
            return [
                SlotSet("program", named.id),
                SlotSet("last_aspect", aspects[-1] if aspects else None),
            ]
        last = tracker.get_slot("program")
        program = await resolve_program(last, "", self.deps) if last else None
        if program is not None and asks_for_verdict_again(text):
            facts = facts_from(tracker, self.deps)
            send(dispatcher, [verdict_in_one_sentence(evaluate(program, facts), facts)])
            return []
        if program is not None and is_follow_up(text):
            aspects = aspects_in(text)
            send(dispatcher, program_info(program, aspects))
            return [SlotSet("last_aspect", aspects[-1])]
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        dispatcher.utter_message(response=PLAIN_ANSWERS.get(intent, "utter_out_of_scope"))
        return []
