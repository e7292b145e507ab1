"""ask_programs and ask_program_info: which programs fit, and what a named program is.

A program the KB lacks is named back with where to ask (knowledge/referrals.py), never swapped
for another; several aspects in one message are answered in turn, and a short follow-up
("한도요", "그럼 신청은요?") refers to the program last discussed (slots `program`, `last_aspect`).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.benefits import asks_for_everything, profile_overview
from actions.centers import known_place
from actions.deps import ActionDeps, UsesDeps
from actions.facts import facts_from, latest_entity, program_in_text, resolve_program
from actions.send import send
from knowledge.answers import (
    ASPECT_TITLES,
    Message,
    ask_which_program,
    centers_answer,
    program_info,
    program_suggestions,
)
from knowledge.center_search import find_centers
from knowledge.eligibility import rank_programs
from knowledge.follow_up import aspects_in
from knowledge.referrals import (
    find_referral,
    referral_answer,
    referral_book,
    unknown_name,
    unknown_program_answer,
)
from knowledge.schema import Program

# A center asked for in the same message as a program ("…신청은 어디서 해요? 해운대 센터도요").
CENTER_WORDS = ("센터", "상담받을 곳", "상담 받을 곳", "가까운 곳", "근처에")


def aspects_asked(tracker: Tracker) -> list[str]:
    """The aspects of the latest message: the NLU's entities inside their clause, words elsewhere."""
    text = tracker.latest_message.get("text") or ""
    entities = [
        (e.get("start"), e.get("end"), str(e.get("value")))
        for e in tracker.latest_message.get("entities") or []
        if e.get("entity") == "aspect" and str(e.get("value")) in ASPECT_TITLES
    ]
    if text.startswith("/"):  # a button: its aspect entity only
        return [value for _, _, value in entities][:1]
    return aspects_in(text, entities)


def elsewhere_answer(text: str, programs: list[Program]) -> list[Message] | None:
    """The honest answer for a topic or program name we do not cover, or None."""
    if not text or text.startswith("/") or program_in_text(text, programs):
        return None
    referral = find_referral(text, referral_book().all())
    if referral is not None:
        return referral_answer(referral)
    name = unknown_name(text, programs)
    return unknown_program_answer(name) if name else None


async def center_answer_too(tracker: Tracker, deps: ActionDeps) -> list[Message]:
    """Centers, when the same message asked for one near a named place."""
    text = tracker.latest_message.get("text") or ""
    if text.startswith("/") or not any(word in text for word in CENTER_WORDS):
        return []
    place = known_place(tracker, deps)
    if place.district is None and place.region is None:
        return []
    search = find_centers(
        await deps.catalog.centers(), deps.districts, place.district, place.region
    )
    return centers_answer(search)


class ActionSuggestPrograms(UsesDeps, Action):
    def name(self) -> str:
        return "action_suggest_programs"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        programs = await self.deps.catalog.programs()
        text = tracker.latest_message.get("text") or ""
        referral = (
            None if program_in_text(text, programs) else find_referral(text, referral_book().all())
        )
        if referral is not None:  # "노인일자리 뭐 있어요?": the office that runs them
            send(dispatcher, referral_answer(referral))
            return []
        facts = facts_from(tracker, self.deps)
        if asks_for_everything(text) and (facts.age or facts.employment_status):
            # "제가 받을 수 있는 거 전부 알려 주세요": every program and benefit, best first
            send(dispatcher, await profile_overview(tracker, self.deps))
            return []
        send(dispatcher, program_suggestions(rank_programs(programs, facts), facts))
        return []


class ActionProgramInfo(UsesDeps, Action):
    def name(self) -> str:
        return "action_program_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        programs = await self.deps.catalog.programs()
        named = None if text.startswith("/") else program_in_text(text, programs)
        if named is None:
            elsewhere = elsewhere_answer(text, programs)
            if elsewhere is not None:
                send(dispatcher, elsewhere)
                return [SlotSet("program", None), SlotSet("last_aspect", None)]
        program = named or await resolve_program(latest_entity(tracker, "program"), "", self.deps)
        if program is None and tracker.get_slot("program"):
            program = await resolve_program(tracker.get_slot("program"), "", self.deps)
        if program is None:
            send(
                dispatcher,
                [
                    ask_which_program(
                        programs,
                        "어떤 프로그램이 궁금하세요? 이름을 적어 주시거나 골라 주세요.",
                        "ask_program_info",
                        facts_from(tracker, self.deps),
                    )
                ],
            )
            return []
        aspects = aspects_asked(tracker)
        send(dispatcher, program_info(program, aspects))
        send(dispatcher, await center_answer_too(tracker, self.deps))
        return [
            SlotSet("program", program.id),
            SlotSet("last_aspect", aspects[-1] if aspects else None),
        ]
