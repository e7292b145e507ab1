"""ask_programs and ask_program_info: which programs fit, and what a named program is."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.deps import UsesDeps
from actions.facts import facts_from, latest_entity, resolve_program
from actions.send import send
from knowledge.answers import ASPECT_TITLES, ask_which_program, program_info, program_suggestions
from knowledge.eligibility import rank_programs

ASPECT_WORDS = {
    "대상": ("대상", "누가", "자격", "조건"),
    "신청방법": ("신청", "어떻게", "접수", "방법"),
    "내용": ("내용", "뭐 하는", "무엇을 하", "뭘 하", "어떤 거", "무슨"),
    "기간": ("기간", "언제", "일정", "몇 달", "몇달", "얼마 동안", "얼마동안"),
    "비용": ("비용", "수당", "돈", "얼마", "무료", "지원금", "금액"),
    "연락처": ("연락처", "전화", "번호", "문의"),
    "위치": ("위치", "어디서", "장소"),
    "운영시간": ("운영시간", "몇 시", "몇시"),
}


def aspect_in(text: str) -> str | None:
    for aspect, words in ASPECT_WORDS.items():
        if any(word in text for word in words):
            return aspect
    return None


class ActionSuggestPrograms(UsesDeps, Action):
    def name(self) -> str:
        return "action_suggest_programs"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        facts = facts_from(tracker, self.deps)
        verdicts = rank_programs(await self.deps.catalog.programs(), facts)
        send(dispatcher, program_suggestions(verdicts, facts))
        return []


class ActionProgramInfo(UsesDeps, Action):
    def name(self) -> str:
        return "action_program_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        program = await resolve_program(latest_entity(tracker, "program"), text, self.deps)
        if program is None and tracker.get_slot("program"):
            program = await resolve_program(tracker.get_slot("program"), "", self.deps)
        if program is None:
            programs = await self.deps.catalog.programs()
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
        aspect = latest_entity(tracker, "aspect")
        if aspect not in ASPECT_TITLES:
            aspect = aspect_in(text) if not text.startswith("/") else None
        send(dispatcher, program_info(program, aspect))
        return [SlotSet("program", program.id)]
