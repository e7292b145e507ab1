"""check_eligibility: a form that asks only for the facts the program's conditions still need.

A new question names its program afresh (an older `program` slot never answers it), a topic we
do not cover is named back instead of a picker, and the program picker lets go: the second time
it asks for the name in words, the third time it offers a person or the start instead (issue 17).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.benefit_questions import BenefitFactValidation
from actions.benefits import (
    BENEFIT_PROGRAMS,
    benefit_answer,
    benefit_facts_from,
    form_slots,
    verdict_label,
    verdicts,
)
from actions.checks import skip_unset
from actions.deps import UsesDeps
from actions.facts import age_from, facts_from, program_in_text, region_from, resolve_program
from actions.programs import elsewhere_answer
from actions.send import send
from knowledge.answers import (
    Message,
    ask_which_program,
    button,
    eligibility_answer,
    verdict_in_one_sentence,
)
from knowledge.eligibility import evaluate, facts_needed
from knowledge.follow_up import asks_for_verdict_again
from knowledge.places import find_place
from nlu.korean.vocab import parse_employment_status

PICKER_SLOT = "picker_asks"


class ValidateEligibilityForm(UsesDeps, BenefitFactValidation, FormValidationAction):
    def name(self) -> str:
        return "validate_eligibility_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """A new question ("실업급여는요?", "새일센터 되나요?") replaces the program remembered from
        before: the one it names, or none when it names one we do not cover."""
        fresh = await self._program_named_now(tracker)
        if fresh is None:
            return await super().run(dispatcher, tracker, domain)
        correction = SlotSet("program", fresh or None)
        tracker.add_slots([correction])
        return [correction, *await super().run(dispatcher, tracker, domain)]

    async def _program_named_now(self, tracker: Tracker) -> str | None:
        """The program id a new eligibility question names, "" for a topic we lack, else None."""
        message = tracker.latest_message
        text = message.get("text") or ""
        intent = (message.get("intent") or {}).get("name")
        if intent != "check_eligibility" or not text or text.startswith("/"):
            return None
        programs = await self.deps.catalog.programs()
        named = program_in_text(text, programs)
        if named is not None:
            return named.id if named.id != tracker.get_slot("program") else None
        if tracker.get_slot("program") and elsewhere_answer(text, programs) is not None:
            return ""
        return None

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
        if program.id in BENEFIT_PROGRAMS:  # computed rules: ask what decides the verdict
            return ["program", *await form_slots(program.id, tracker, self.deps)]
        return list(facts_needed(program, facts_from(tracker, self.deps)))

    @skip_unset
    async def validate_program(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        program = await resolve_program(value, tracker.latest_message.get("text") or "", self.deps)
        if program is None:  # the picker asks again and says what to do (ActionAskProgram)
            return {"program": None}
        return {"program": program.id, PICKER_SLOT: None}

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


def picker_let_go() -> Message:
    return Message(
        "버튼으로 찾기 어려우시면 상담사와 바로 이야기해 보세요. 처음부터 다시 하셔도 돼요.",
        buttons=[
            button("상담사 연결", "request_human"),
            button("처음으로", "restart"),
            button("지원 프로그램 안내", "ask_programs"),
        ],
    )


def leave_form(asks: float | None = None) -> list[dict[str, Any]]:
    return [SlotSet(PICKER_SLOT, asks), SlotSet("requested_slot", None), ActiveLoop(None)]


class ActionAskProgram(UsesDeps, Action):
    """Asks which program, with the common ones as buttons (names come from the KB).

    A topic we do not cover is named back instead; asked twice without a choice, it asks for
    the name in words; a third time it offers a person or the start and leaves the form.
    """

    def name(self) -> str:
        return "action_ask_program"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        programs = await self.deps.catalog.programs()
        elsewhere = elsewhere_answer(tracker.latest_message.get("text") or "", programs)
        if elsewhere is not None:
            send(dispatcher, elsewhere)
            return leave_form()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        earlier = 0 if intent == "check_eligibility" else int(tracker.get_slot(PICKER_SLOT) or 0)
        asks = earlier + 1  # a new eligibility question starts counting again
        if asks >= 3:
            send(dispatcher, [picker_let_go()])
            return leave_form()
        facts = facts_from(tracker, self.deps)
        if asks == 1:
            prompt = (
                "어떤 프로그램을 받을 수 있는지 확인해 드릴까요? 이름을 적어 주시거나 골라 주세요."
            )
            picker = ask_which_program(programs, prompt, facts=facts)
        else:
            prompt = (
                "죄송해요, 어떤 프로그램인지 찾지 못했어요. 프로그램 이름을 글로 적어 주셔도 돼요. "
                "(예: 국민취업지원제도, 내일배움카드) 잘 모르시면 '지원 프로그램 안내'를 눌러 보세요."
            )
            picker = ask_which_program(programs, prompt, facts=facts)
            picker.buttons = [*picker.buttons[:4], button("지원 프로그램 안내", "ask_programs")]
            picker.buttons.append(button("상담사 연결", "request_human"))
        send(dispatcher, [picker])
        return [SlotSet(PICKER_SLOT, float(asks))]


class ActionAnswerEligibility(UsesDeps, Action):
    def name(self) -> str:
        return "action_answer_eligibility"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        program = await resolve_program(tracker.get_slot("program"), "", self.deps)
        if program is None:
            # the form let go without a program (a topic we lack, or the picker gave up):
            # ActionAskProgram has already said what to do
            return [SlotSet(PICKER_SLOT, None)]
        if program.id in BENEFIT_PROGRAMS:  # computed from the 기준표: days and amounts
            found = await verdicts(program.id, benefit_facts_from(tracker, self.deps), self.deps)
            send(dispatcher, await benefit_answer(program.id, tracker, self.deps))
            dispatcher.utter_message(
                json_message={
                    "ieum_usage": {"program": program.id, "verdict": verdict_label(found)}
                }
            )
            return [SlotSet(PICKER_SLOT, None), SlotSet("last_aspect", "대상")]
        facts = facts_from(tracker, self.deps)
        verdict = evaluate(program, facts)
        if asks_for_verdict_again(tracker.latest_message.get("text") or ""):
            send(dispatcher, [verdict_in_one_sentence(verdict, facts)])
        else:
            send(dispatcher, eligibility_answer(verdict))
        # for the operator console's "verdicts by program" (bot/usage.py); never shown
        dispatcher.utter_message(
            json_message={"ieum_usage": {"program": program.id, "verdict": verdict.outcome}}
        )
        return [SlotSet(PICKER_SLOT, None), SlotSet("last_aspect", "대상")]
