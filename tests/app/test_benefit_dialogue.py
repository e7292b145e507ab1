"""Benefit checks as a dialogue: the eligibility form asks only what decides the verdict, reads
typed answers, reuses what was said and answers with days and amounts (issue 12)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import build_actions
from actions.benefit_questions import BENEFIT_SLOTS, QUESTIONS, parse_separation
from actions.deps import ActionDeps
from actions.eligibility import ActionAnswerEligibility, ValidateEligibilityForm
from knowledge.josa import has_particle_pair

DOMAIN: dict[str, Any] = yaml.safe_load(
    (Path(__file__).parents[2] / "nlu" / "domain.yml").read_text(encoding="utf-8")
)


class Conversation:
    """Slots carried from turn to turn, and one form turn at a time through the real action."""

    def __init__(self, deps: ActionDeps, **slots: Any) -> None:
        self.deps = deps
        self.slots: dict[str, Any] = {name: None for name in DOMAIN["slots"]} | slots
        self.said: list[str] = []

    def tracker(self, text: str, intent: str, filled: dict[str, Any]) -> Tracker:
        events: list[dict[str, Any]] = [{"event": "user", "text": text}]
        events += [{"event": "slot", "name": k, "value": v} for k, v in filled.items()]
        return Tracker(
            sender_id="web:benefit",
            slots=self.slots | filled,
            latest_message={
                "text": text,
                "intent": {"name": intent, "confidence": 0.99},
                "entities": [],
            },
            events=events,
            paused=False,
            followup_action=None,
            active_loop={"name": "eligibility_form"},
            latest_action_name="action_listen",
        )

    async def say(self, text: str, intent: str = "inform", **filled: Any) -> str | None:
        """One user turn inside the form; returns the slot asked next (None = answer now)."""
        requested = self.slots.get("requested_slot")
        if requested and requested not in filled and requested in BENEFIT_SLOTS:
            filled[requested] = text  # the from_text mapping
        dispatcher = CollectingDispatcher()
        tracker = self.tracker(text, intent, filled)
        events = await ValidateEligibilityForm(self.deps).run(dispatcher, tracker, DOMAIN)
        self.slots.update(filled)
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
        self.said += [m.get("text") or "" for m in dispatcher.messages]
        return self.slots.get("requested_slot")

    async def answer(self) -> str:
        dispatcher = CollectingDispatcher()
        tracker = self.tracker("", "inform", {})
        await ActionAnswerEligibility(self.deps).run(dispatcher, tracker, DOMAIN)
        bubbles = [m.get("text") or "" for m in dispatcher.messages if m.get("text")]
        for bubble in bubbles:
            assert len(bubble) <= 300 and not has_particle_pair(bubble), bubble
        return "\n".join(bubbles)


def test_every_question_has_an_ask_action_and_buttons(deps: ActionDeps) -> None:
    names = {a.name() for a in build_actions(deps)}
    for slot in BENEFIT_SLOTS:
        assert f"action_ask_{slot}" in names and f"action_ask_{slot}" in DOMAIN["actions"]
        assert slot in DOMAIN["forms"]["eligibility_form"]["required_slots"]
        message = QUESTIONS[slot].message()
        assert 2 <= len(message.buttons) <= 6 and len(message.text) <= 300
        assert any(b["title"] == "잘 모르겠어요" for b in message.buttons)


@pytest.mark.parametrize(
    "said, kind",
    [
        ("구조조정으로 나왔는데", "involuntary"),
        ("작년 12월에 회사에서 권고사직 당했어요", "involuntary"),
        ("계약이 끝났어요", "involuntary"),
        ("가게가 폐업해서요", "involuntary"),
        ("이직하려고 제 발로 나왔는데", "voluntary"),
        ("그냥 제 뜻으로 그만뒀어요", "voluntary"),
        ("월급이 석 달 밀려서 그만뒀어요", "voluntary_exception"),
        ("어머니 간병 때문에 그만뒀어요", "voluntary_exception"),
        ("회사가 이전해서 출퇴근이 3시간 걸려요", "voluntary_exception"),
        ("안녕하세요", None),
    ],
)
def test_separation_in_everyday_words(said: str, kind: str | None) -> None:
    assert parse_separation(said) == kind


async def test_laid_off_unemployment_benefit_asks_only_what_it_needs(deps: ActionDeps) -> None:
    talk = Conversation(deps, program="unemployment_benefit", employment_status="unemployed")
    asked = await talk.say(
        "구조조정으로 나왔는데 실업급여 신청할 수 있을까요?", "check_eligibility"
    )
    assert asked == "insured_months"  # the reason was said: not asked again
    assert talk.slots["separation"] == "involuntary"
    assert await talk.say("8년") == "age"
    assert talk.slots["insured_months"] == 96
    assert await talk.say("쉰다섯이요", age="쉰다섯이요") == "monthly_wage"
    assert await talk.say("350만원쯤") is None
    text = await talk.answer()
    assert text.startswith("구직급여(실업급여)를 받으실 수 있을 것으로 예상돼요")
    assert "240일" in text  # 50세 이상, 5~10년 가입: 240일 (소정급여일수 table)
    assert "예상" in text and "고용24" in text and "기준일" in text
    assert "12개월" in text  # the deadline to claim


async def test_voluntary_quit_hears_the_rule_and_the_exceptions(deps: ActionDeps) -> None:
    talk = Conversation(deps, program="unemployment_benefit", employment_status="unemployed")
    asked = await talk.say(
        "이직하려고 제 발로 나왔는데 실업급여 받을 수 있나요?", "check_eligibility"
    )
    assert asked is None
    text = await talk.answer()
    assert "받기 어려울" in text
    assert "임금 체불" in text and "간병" in text


async def test_couple_aged_62_national_employment_support(deps: ActionDeps) -> None:
    talk = Conversation(deps, program="national_employment_support", age=62)
    said = "부부 둘이 사는 62세예요. 가구 소득이 월 200만원인데 국취 받을 수 있어요?"
    asked = await talk.say(said, "check_eligibility")
    assert talk.slots["household_size"] == 2 and talk.slots["household_income"] == 2_000_000
    assert asked not in ("household_size", "household_income", "age")
    while asked is not None:
        asked = await talk.say({"received_benefit_6m": "아니요", "household_assets": "2억 원",
                                "months_worked_2y": "네", "dependents": "1명"}[asked])  # fmt: skip
    text = await talk.answer()
    assert "2인 가구" in text and "만 원 이하" in text  # the threshold for two people, in won
    assert "60만 원" in text  # the 2026 구직촉진수당
    assert "Ⅰ유형" in text or "1유형" in text


@pytest.mark.parametrize(
    "slot, typed",
    [("monthly_wage", "10억"), ("insured_months", "50년"), ("household_size", "0명"),
     ("monthly_wage", "꽤 많이 받았어요")],
)  # fmt: skip
async def test_implausible_or_unreadable_answers_are_asked_again(
    deps: ActionDeps, slot: str, typed: str
) -> None:
    talk = Conversation(deps, program="unemployment_benefit", requested_slot=slot)
    talk.slots.update(program="national_employment_support" if slot == "household_size" else
                      "unemployment_benefit")  # fmt: skip
    await talk.say(typed)
    assert talk.slots[slot] is None
    assert talk.said and talk.said[-1]  # a short re-ask line; the form then asks with buttons


async def test_dont_know_moves_on_and_the_verdict_says_what_decides(deps: ActionDeps) -> None:
    talk = Conversation(
        deps, program="unemployment_benefit", employment_status="unemployed", age=58,
        separation="involuntary", requested_slot="insured_months",
    )  # fmt: skip
    asked = await talk.say("잘 모르겠어요")
    assert asked != "insured_months" and "insured_months" in talk.slots["skipped_facts"]
    while asked is not None:
        asked = await talk.say("월 300만 원" if asked == "monthly_wage" else "잘 모르겠어요")
    text = await talk.answer()
    assert "확인" in text


@pytest.mark.parametrize(
    "said, everything",
    [("제가 받을 수 있는 거 전부 알려 주세요", True), ("받을 수 있는 거 다 알려줘요", True),
     ("해당되는 지원 모두 정리해 주세요", True), ("중장년 지원 프로그램 뭐 있어요?", False)],
)  # fmt: skip
def test_asks_for_everything(said: str, everything: bool) -> None:
    from actions.benefits import asks_for_everything

    assert asks_for_everything(said) is everything


async def test_profile_overview_lists_verdicts_best_first_as_buttons(deps: ActionDeps) -> None:
    from actions.programs import ActionSuggestPrograms

    talk = Conversation(deps, age=58, employment_status="unemployed", region="부산",
                        separation="involuntary", insured_months=96)  # fmt: skip
    tracker = talk.tracker("제가 받을 수 있는 거 전부 알려 주세요", "ask_programs", {})
    dispatcher = CollectingDispatcher()
    await ActionSuggestPrograms(deps).run(dispatcher, tracker, DOMAIN)
    text = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "받으실 수 있어 보여요" in text and "구직급여" in text
    buttons = [b for m in dispatcher.messages for b in m.get("buttons", [])]
    assert 1 <= len(buttons) <= 6
    for message in dispatcher.messages:
        assert len(message.get("text") or "") <= 300 and not has_particle_pair(message["text"])


@pytest.mark.parametrize(
    "said, program",
    [
        ("실업급여 받을 수 있나요? 작년 12월에 회사에서 권고사직 당했어요", "unemployment_benefit"),
        ("권고사직 당했는데 국취 되나요", "national_employment_support"),
        ("작년 12월에 회사에서 권고사직 당했어요", None),
        ("실업급여 받고 있어요", None),
    ],
)
async def test_a_question_read_as_facts_still_starts_the_check(
    deps: ActionDeps, said: str, program: str | None
) -> None:
    from actions.inform import ActionAcknowledgeFacts

    talk = Conversation(deps)
    tracker = talk.tracker(said, "inform", {})
    tracker.active_loop = {}
    events = await ActionAcknowledgeFacts(deps).run(CollectingDispatcher(), tracker, DOMAIN)
    followups = [e.get("name") for e in events if e.get("event") == "followup"]
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    if program is None:
        assert not followups
    else:
        assert followups == ["eligibility_form"] and slots["program"] == program


async def test_a_bare_follow_up_read_as_a_fact_goes_to_the_program(deps: ActionDeps) -> None:
    from actions.inform import ActionAcknowledgeFacts

    talk = Conversation(deps, program="national_employment_support")
    tracker = talk.tracker("한도요", "inform", {})
    tracker.active_loop = {}
    dispatcher = CollectingDispatcher()
    events = await ActionAcknowledgeFacts(deps).run(dispatcher, tracker, DOMAIN)
    assert not [e for e in events if e.get("event") == "followup"]
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "국민취업지원제도" in said and "기억해 둘게요" not in said
