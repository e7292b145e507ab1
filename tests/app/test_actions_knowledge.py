"""Issue-3 actions with Tracker, CollectingDispatcher, the real domain and the real KB."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.centers import ActionFindCenter, ValidateCenterForm
from actions.deps import ActionDeps
from actions.eligibility import ActionAnswerEligibility, ValidateEligibilityForm
from actions.inform import ActionAcknowledgeFacts
from actions.programs import ActionProgramInfo, ActionSuggestPrograms

DOMAIN: dict[str, Any] = yaml.safe_load(
    (Path(__file__).parents[2] / "nlu" / "domain.yml").read_text(encoding="utf-8")
)


def tracker(
    text: str,
    intent: str = "ask_program_info",
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    requested_slot: str | None = None,
) -> Tracker:
    all_slots = {name: None for name in DOMAIN["slots"]}
    all_slots.update(slots or {})
    all_slots["requested_slot"] = requested_slot
    return Tracker(
        sender_id="web:test",
        slots=all_slots,
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.99},
            "entities": entities or [],
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def texts(dispatcher: CollectingDispatcher) -> list[str]:
    out = []
    for message in dispatcher.messages:
        out.append(message.get("text") or (message.get("custom") or {}).get("text") or "")
    return out


async def test_eligible_answer_leads_with_verdict(deps: ActionDeps) -> None:
    t = tracker(
        "만 45세 재직자인데 생애경력설계 받을 수 있나요?",
        "check_eligibility",
        slots={
            "program": "lifecycle_career_design",
            "age": "만 45세",
            "employment_status": "employed",
        },
    )
    form = ValidateEligibilityForm(deps)
    assert await form.required_slots([], CollectingDispatcher(), t, DOMAIN) == []
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerEligibility(deps).run(dispatcher, t, DOMAIN)
    assert {e["name"] for e in events} <= {"picker_asks", "last_aspect"}  # no facts changed
    first = texts(dispatcher)[0]
    assert first.split("\n")[0] == "네, 생애경력설계서비스는 받으실 수 있어요."
    assert "만 45세" in first
    assert any("기준일" in text for text in texts(dispatcher))


async def test_form_asks_only_for_what_is_missing(deps: ActionDeps) -> None:
    form = ValidateEligibilityForm(deps)
    t = tracker(
        "경력지원제 받을 수 있어요?",
        "check_eligibility",
        slots={"program": "career_support_program"},
    )
    needed = await form.required_slots([], CollectingDispatcher(), t, DOMAIN)
    assert needed and needed[0] == "age"
    assert "region" not in needed  # a nationwide program never asks where you live
    t = tracker(
        "쉰셋이요",
        "inform",
        slots={"program": "career_support_program", "age": "쉰셋"},
    )
    needed_after = await form.required_slots([], CollectingDispatcher(), t, DOMAIN)
    assert "age" not in needed_after


async def test_form_without_program_asks_for_it(deps: ActionDeps) -> None:
    form = ValidateEligibilityForm(deps)
    t = tracker("자격 되는지 알고 싶어요", "check_eligibility")
    assert await form.required_slots([], CollectingDispatcher(), t, DOMAIN) == ["program"]


@pytest.mark.parametrize(
    "said, age", [("쉰셋이에요", 53), ("72년생", 54), ("오십둘", 52), ("61살", 61)]
)
async def test_age_in_words_and_birth_years(deps: ActionDeps, said: str, age: int) -> None:
    form = ValidateEligibilityForm(deps)
    t = tracker(said, "inform", active_loop="eligibility_form", requested_slot="age")
    result = await form.validate_age(said, CollectingDispatcher(), t, DOMAIN)
    assert result == {"age": age}


async def test_bad_age_gets_a_clear_question(deps: ActionDeps) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker("모르겠어요", "inform", active_loop="eligibility_form", requested_slot="age")
    result = await ValidateEligibilityForm(deps).validate_age("모르겠어요", dispatcher, t, DOMAIN)
    assert result == {"age": None}
    assert dispatcher.messages[0]["response"] == "utter_bad_age"
    assert "utter_bad_age" in DOMAIN["responses"]


async def test_boram_jobs_outside_seoul_explains_residence(deps: ActionDeps) -> None:
    t = tracker(
        "61살인데 보람일자리 지원 가능할까요",
        "check_eligibility",
        slots={
            "program": "seoul_boram_jobs",
            "age": 61,
            "employment_status": "unemployed",
            "region": "부산",
        },
    )
    dispatcher = CollectingDispatcher()
    await ActionAnswerEligibility(deps).run(dispatcher, t, DOMAIN)
    first = texts(dispatcher)[0]
    assert first.split("\n")[0] == "아쉽지만 말씀하신 조건으로는 보람일자리를 받기 어려워요."
    assert "서울" in first


async def test_boram_jobs_asks_where_you_live(deps: ActionDeps) -> None:
    t = tracker(
        "61살인데 보람일자리 지원 가능할까요",
        "check_eligibility",
        slots={"program": "seoul_boram_jobs", "age": "61살", "employment_status": "unemployed"},
    )
    assert "region" in await ValidateEligibilityForm(deps).required_slots(
        [], CollectingDispatcher(), t, DOMAIN
    )


async def test_find_center_by_district_lists_phones(deps: ActionDeps) -> None:
    text = "관악구 근처에 상담 받을 곳 있나요"
    t = tracker(text, "find_center", entities=[{"entity": "district", "value": "관악구"}])
    assert (
        await ValidateCenterForm(deps).required_slots([], CollectingDispatcher(), t, DOMAIN) == []
    )
    dispatcher = CollectingDispatcher()
    events = await ActionFindCenter(deps).run(dispatcher, t, DOMAIN)
    cards = [m["custom"]["card"] for m in dispatcher.messages if m.get("custom", {}).get("card")]
    assert 1 <= len(cards) <= 3
    assert any(card.get("phone") for card in cards)
    assert "관악구" in texts(dispatcher)[0]
    assert {"event": "slot", "name": "district", "value": "관악구", "timestamp": None} in events


async def test_find_center_without_place_asks(deps: ActionDeps) -> None:
    t = tracker("상담센터 어디 있어요?", "find_center")
    assert await ValidateCenterForm(deps).required_slots([], CollectingDispatcher(), t, DOMAIN) == [
        "place"
    ]


async def test_find_center_region_only_and_unknown_place(deps: ActionDeps) -> None:
    dispatcher = CollectingDispatcher()
    await ActionFindCenter(deps).run(
        dispatcher, tracker("부산에 센터 있어요?", "find_center"), DOMAIN
    )
    assert "부산" in texts(dispatcher)[0]


async def test_program_info_with_aspect_says_as_of_date(deps: ActionDeps) -> None:
    t = tracker(
        "국취제 수당 얼마예요?",
        "ask_program_info",
        entities=[
            {"entity": "program", "value": "national_employment_support"},
            {"entity": "aspect", "value": "비용"},
        ],
    )
    dispatcher = CollectingDispatcher()
    events = await ActionProgramInfo(deps).run(dispatcher, t, DOMAIN)
    all_text = " ".join(texts(dispatcher))
    assert "비용·수당" in all_text
    assert "기준일" in all_text
    assert events == [
        {
            "event": "slot",
            "name": "program",
            "value": "national_employment_support",
            "timestamp": None,
        },
        {"event": "slot", "name": "last_aspect", "value": "비용", "timestamp": None},
    ]


async def test_program_info_finds_program_by_alias_in_text(deps: ActionDeps) -> None:
    dispatcher = CollectingDispatcher()
    await ActionProgramInfo(deps).run(
        dispatcher, tracker("전직스쿨 신청은 어떻게 해요?", "ask_program_info"), DOMAIN
    )
    assert "전직스쿨" in texts(dispatcher)[0]
    assert "신청 방법" in texts(dispatcher)[0]


async def test_program_info_unknown_program_offers_buttons(deps: ActionDeps) -> None:
    dispatcher = CollectingDispatcher()
    await ActionProgramInfo(deps).run(
        dispatcher, tracker("그거 뭐예요?", "ask_program_info"), DOMAIN
    )
    assert 1 <= len(dispatcher.messages[0]["buttons"]) <= 6


async def test_suggestions_fit_the_user(deps: ActionDeps) -> None:
    t = tracker("쉰셋인데 퇴직했어요 뭐 받을 수 있어요", "ask_programs",
                slots={"age": "쉰셋", "employment_status": "unemployed", "region": "부산"})  # fmt: skip
    dispatcher = CollectingDispatcher()
    await ActionSuggestPrograms(deps).run(dispatcher, t, DOMAIN)
    message = dispatcher.messages[0]
    assert "만 53세" in message["text"]
    assert 1 <= len(message["buttons"]) <= 6
    assert all("seoul_" not in b["payload"] for b in message["buttons"])  # Seoul-only left out


async def test_acknowledge_facts_remembers_place(deps: ActionDeps) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionAcknowledgeFacts(deps).run(
        dispatcher, tracker("관악구 살아요", "inform"), DOMAIN
    )
    assert {"event": "slot", "name": "district", "value": "관악구", "timestamp": None} in events
    assert "기억" in dispatcher.messages[0]["text"]
