"""check_eligibility: a form that asks only for the facts the program's conditions still need."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.checks import skip_unset
from actions.deps import UsesDeps
from actions.facts import age_from, facts_from, region_from, resolve_program
from actions.send import send
from knowledge.answers import ask_which_program, eligibility_answer
from knowledge.eligibility import evaluate, facts_needed
from knowledge.places import find_place
from nlu.korean.vocab import parse_employment_status


class ValidateEligibilityForm(UsesDeps, FormValidationAction):
    def name(self) -> str:
        return "validate_eligibility_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        program_id = tracker.get_slot("program")
        program = await resolve_program(program_id, "", self.deps) if program_id else None
        if program is None:
            return ["program"]
        return list(facts_needed(program, facts_from(tracker, self.deps)))

    @skip_unset
    async def validate_program(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        program = await resolve_program(value, tracker.latest_message.get("text") or "", self.deps)
        if program is None:
            dispatcher.utter_message(response="utter_bad_program")
            return {"program": None}
        return {"program": program.id}

    @skip_unset
    async def validate_age(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        age = age_from(value, self.deps)
        if age is None:
            age = age_from(tracker.latest_message.get("text"), self.deps)
        if age is None:
            dispatcher.utter_message(response="utter_bad_age")
            return {"age": None}
        return {"age": age}

    @skip_unset
    async def validate_employment_status(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        status = parse_employment_status(str(value)) if value else None
        if status is None:
            status = parse_employment_status(tracker.latest_message.get("text") or "")
        if status is None:
            dispatcher.utter_message(response="utter_bad_employment_status")
            return {"employment_status": None}
        return {"employment_status": status}

    @skip_unset
    async def validate_region(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        region = region_from(value, self.deps)
        if region is None:
            region = find_place(
                tracker.latest_message.get("text") or "", self.deps.districts
            ).region
        if region is None:
            dispatcher.utter_message(response="utter_bad_region")
            return {"region": None}
        return {"region": region}


class ActionAskProgram(UsesDeps, Action):
    """Asks which program, with the common ones as buttons (names come from the KB)."""

    def name(self) -> str:
        return "action_ask_program"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        programs = await self.deps.catalog.programs()
        prompt = "어떤 프로그램을 받을 수 있는지 확인해 드릴까요? 이름을 적어 주시거나 골라 주세요."
        send(
            dispatcher, [ask_which_program(programs, prompt, facts=facts_from(tracker, self.deps))]
        )
        return []


class ActionAnswerEligibility(UsesDeps, Action):
    def name(self) -> str:
        return "action_answer_eligibility"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        program = await resolve_program(tracker.get_slot("program"), "", self.deps)
        if program is None:
            dispatcher.utter_message(response="utter_bad_program")
            return []
        verdict = evaluate(program, facts_from(tracker, self.deps))
        send(dispatcher, eligibility_answer(verdict))
        # for the operator console's "verdicts by program" (bot/usage.py); never shown
        dispatcher.utter_message(
            json_message={"ieum_usage": {"program": program.id, "verdict": verdict.outcome}}
        )
        return []
