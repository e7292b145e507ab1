"""Facts said outside a question ("쉰다섯이에요", "관악구 살아요") are remembered and confirmed."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.deps import UsesDeps
from actions.facts import facts_from, program_in_text
from actions.programs import ActionProgramInfo
from knowledge.answers import button, describe_facts
from knowledge.follow_up import is_follow_up
from knowledge.josa import attach
from knowledge.places import find_place


class ActionAcknowledgeFacts(UsesDeps, Action):
    def name(self) -> str:
        return "action_acknowledge_facts"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        asked = await self._eligibility_question(text)
        if asked is not None:
            # "실업급여 받을 수 있나요? 작년에 권고사직 당했어요" read as facts only: the question
            # in it decides, so the eligibility check starts with what was just said (once the
            # form has asked, RulePolicy's loop handling predicts listening)
            return [SlotSet("program", asked), FollowupAction("eligibility_form")]
        if is_follow_up(text) and tracker.get_slot("program"):
            # "한도요", "신청은요?" read as a fact: a follow-up on the program just discussed,
            # answered here (a follow-up action after this one would leave the rules' path)
            return await ActionProgramInfo(self.deps).run(dispatcher, tracker, domain)
        events: list[dict[str, Any]] = []
        facts = facts_from(tracker, self.deps)
        place = find_place(tracker.latest_message.get("text") or "", self.deps.districts)
        if place.district is not None:
            events += [
                SlotSet("district", place.district.name),
                SlotSet("region", place.district.region),
            ]
        elif place.region is not None and facts.region is None:
            events.append(SlotSet("region", place.region))
        known = describe_facts(facts) or (place.district.full if place.district else "")
        if known:
            text = f"네, {attach(known, '으로')} 기억해 둘게요. 무엇을 도와드릴까요?"
        else:
            text = "말씀 감사합니다. 무엇을 도와드릴까요?"
        dispatcher.utter_message(
            text=text,
            buttons=[
                button("맞는 프로그램 보기", "ask_programs"),
                button("신청 자격 확인", "check_eligibility"),
                button("가까운 센터 찾기", "find_center"),
            ],
        )
        return events

    async def _eligibility_question(self, text: str) -> str | None:
        """The program a yes/no eligibility question in the message names, else None."""
        if not _ELIGIBILITY_QUESTION.search(text[:300]):
            return None
        program = program_in_text(text, await self.deps.catalog.programs())
        return program.id if program is not None else None


_ELIGIBILITY_QUESTION = re.compile(
    r"(?:받을|탈|들을|신청할|할)\s{0,2}수\s{0,2}있(?:나요|을까요|어요\?|습니까|는지)"
    r"|(?:되나요|될까요|돼요\?|되는지|나오나요|나와요\?|대상인가요|대상이에요\?|해당(?:되나요|될까요|돼요))"
)
