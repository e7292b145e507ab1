"""Issue 17: topics we lack named back with where to ask, several questions in one message,
follow-ups on the last program, a picker that lets go, and the way back on every channel."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp.test_utils import TestClient, TestServer
from rasa_sdk.executor import CollectingDispatcher

from actions.centers import ActionAskPlace, ActionFindCenter
from actions.deps import ActionDeps
from actions.eligibility import ActionAnswerEligibility, ActionAskProgram, ValidateEligibilityForm
from actions.out_of_scope import ActionOutOfScope
from actions.programs import ActionProgramInfo, ActionSuggestPrograms
from bot.app import create_app
from bot.kakao import skill_response
from bot.keys import TELEGRAM_KEY
from bot.replies import Button, Reply
from knowledge.follow_up import asks_for_verdict_again, aspects_in, is_follow_up
from knowledge.josa import has_particle_pair
from knowledge.kb_files import DEFAULT_KB_DIR, read_kb
from knowledge.referrals import find_referral, referral_book, unknown_name
from tests.app.fake_engine import SENDERS
from tests.app.test_actions_knowledge import tracker
from tests.app.test_telegram_channel import telegram_settings, wait_for
from tests.fake_telegram import STATE, create_fake_telegram

DOMAIN: dict[str, Any] = yaml.safe_load(
    (Path(__file__).parents[2] / "nlu" / "domain.yml").read_text(encoding="utf-8")
)
PROGRAM_NAMES = ("생애경력설계", "국민취업지원제도", "내일배움카드", "전직지원", "경력지원제")


def said(dispatcher: CollectingDispatcher) -> list[str]:
    return [m.get("text") or (m.get("custom") or {}).get("text") or "" for m in dispatcher.messages]


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


# ── the referrals file ─────────────────────────────────────────────────────────


def test_referrals_file_is_valid_with_sources() -> None:
    kb, problems = read_kb()
    assert problems == []
    assert len(kb.referrals) >= 10
    for referral in kb.referrals.values():
        assert referral.sources and all(s.url.startswith("http") for s in referral.sources)
        assert referral.phone or referral.web  # always somewhere to ask


def test_a_referral_alias_may_not_be_a_program_name(tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(DEFAULT_KB_DIR, root)
    path = root / "referrals.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["referrals"][0]["aliases"].append("희망리턴패키지")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _, problems = read_kb(root)
    assert any(p.field == "aliases" and "hope_return_package" in p.problem for p in problems)


@pytest.mark.parametrize(
    "text, referral, phone",
    [
        ("새일센터는 어디 있어요?", "saeil_center", "1544-1199"),
        ("여성새로일하기센터 알려주세요", "saeil_center", "1544-1199"),
        ("노인일자리 하고 싶은데요", "senior_jobs", "1544-3388"),
        ("국민연금 언제부터 나와요", "national_pension", "1355"),
        ("기초연금 받을 수 있나요", "basic_pension", "129"),
        ("건보료가 너무 많이 나와요", "health_insurance", "1577-1000"),
        ("종합소득세 신고 어떻게 해요", "income_tax", "126"),
        ("산재 신청하려면요", "industrial_accident", "1588-0075"),
        ("월급을 못 받았어요 어디 신고해요", "unpaid_wages", "1350"),
    ],
)
def test_topics_we_lack_find_their_office(text: str, referral: str, phone: str) -> None:
    found = find_referral(text, referral_book().all())
    assert found is not None and found.id == referral and found.phone == phone


@pytest.mark.parametrize(
    "text, name",
    [
        ("희망드림패키지 알려주세요", "희망드림패키지"),
        ("중장년행복수당 받을 수 있어요?", "중장년행복수당"),
        ("지원 프로그램 뭐 있어요", None),
        ("희망리턴패키지 알려주세요", None),  # in the KB
        ("생애경력설게서비스 뭐예요", None),  # a typo of a program we know
        ("/ask_program_info", None),
    ],
)
def test_unknown_program_names(text: str, name: str | None) -> None:
    kb, _ = read_kb()
    assert unknown_name(text, list(kb.programs.values())) == name


# ── reading the question ───────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "text, aspects",
    [
        ("돈은 얼마나 줘요? 그리고 신청은 어디서 해요", ["비용", "신청방법"]),
        ("한도요", ["비용"]),
        ("그럼 신청은요?", ["신청방법"]),
        ("신청 기간 알려주세요", ["기간"]),
        ("자격이 어떻게 되고 얼마 받아요", ["대상", "비용"]),
        ("희망리턴패키지 알려주세요", []),
    ],
)
def test_aspects_in_order(text: str, aspects: list[str]) -> None:
    assert aspects_in(text) == aspects


def test_nlu_aspect_wins_inside_its_clause() -> None:
    text = "신청 기간이랑 수당 알려주세요"
    assert aspects_in(text, [(0, 5, "기간")]) == ["기간", "비용"]


@pytest.mark.parametrize(
    "text, restate, follow_up",
    [
        ("된다는 거예요 안 된다는 거예요?", True, False),
        ("그래서 받을 수 있다는 거죠?", True, False),
        ("한도요", False, True),
        ("그럼 신청은요?", False, True),
        ("오늘 날씨 어때요", False, False),
    ],
)
def test_follow_ups(text: str, restate: bool, follow_up: bool) -> None:
    assert asks_for_verdict_again(text) is restate
    assert is_follow_up(text) is follow_up


# ── actions ────────────────────────────────────────────────────────────────────


async def test_hope_return_package_gets_its_own_answer(deps: ActionDeps) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionProgramInfo(deps).run(
        dispatcher, tracker("희망리턴패키지 알려주세요", slots={"program": "national_employment_support"}), DOMAIN
    )  # fmt: skip
    assert "희망리턴패키지" in said(dispatcher)[0]
    assert "국민취업지원제도" not in " ".join(said(dispatcher))
    assert slot_events(events)["program"] == "hope_return_package"


@pytest.mark.parametrize("intent", ["ask_program_info", "out_of_scope", "nlu_fallback"])
async def test_an_unknown_program_is_named_back(deps: ActionDeps, intent: str) -> None:
    dispatcher = CollectingDispatcher()
    action = ActionProgramInfo(deps) if intent == "ask_program_info" else ActionOutOfScope(deps)
    t = tracker("희망드림패키지 알려주세요", intent, slots={"program": "lifecycle_career_design"})
    events = await action.run(dispatcher, t, DOMAIN)
    text = " ".join(said(dispatcher))
    assert "희망드림패키지는 아직 제가 안내하지 못해요" in text and "1350" in text
    assert not any(name in text for name in PROGRAM_NAMES)  # never another program instead
    assert slot_events(events)["program"] is None
    assert not has_particle_pair(text)


@pytest.mark.parametrize(
    "action, intent",
    [
        (ActionProgramInfo, "ask_program_info"),
        (ActionSuggestPrograms, "ask_programs"),
        (ActionOutOfScope, "out_of_scope"),
        (ActionFindCenter, "find_center"),
    ],
)
async def test_saeil_center_gets_its_hotline(deps: ActionDeps, action: type, intent: str) -> None:
    dispatcher = CollectingDispatcher()
    await action(deps).run(dispatcher, tracker("새일센터 알려주세요", intent), DOMAIN)
    text = " ".join(said(dispatcher))
    assert "새일센터는 아직 제가 안내하지 못해요" in text and "1544-1199" in text
    assert not any(name in text for name in PROGRAM_NAMES)
    card = dispatcher.messages[0]["custom"]["card"]
    assert card["phone"] == "1544-1199" and "기준일: 2025년" in card["description"]


async def test_two_questions_in_one_message_get_two_answers(deps: ActionDeps) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker(
        "돈은 얼마나 줘요? 그리고 신청은 어디서 해요",
        slots={"program": "national_employment_support"},
    )
    events = await ActionProgramInfo(deps).run(dispatcher, t, DOMAIN)
    text = "\n".join(said(dispatcher))
    assert text.index("비용·수당") < text.index("신청 방법")
    assert slot_events(events)["last_aspect"] == "신청방법"
    assert all(len(m) <= 300 for m in said(dispatcher))


async def test_a_program_and_a_center_in_one_message(deps: ActionDeps) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker("전직스쿨 신청은 어떻게 해요? 부산 해운대구 센터도 알려주세요")
    await ActionProgramInfo(deps).run(dispatcher, t, DOMAIN)
    text = "\n".join(said(dispatcher))
    assert "[전직스쿨] 신청 방법" in text
    assert "해운대구 가까이에서 상담받을 수 있는 곳" in text


@pytest.mark.parametrize("text, title", [("한도요", "비용·수당"), ("그럼 신청은요?", "신청 방법")])
async def test_follow_up_refers_to_the_last_program(
    deps: ActionDeps, text: str, title: str
) -> None:
    for intent, action in (
        ("ask_program_info", ActionProgramInfo),
        ("nlu_fallback", ActionOutOfScope),
    ):
        dispatcher = CollectingDispatcher()
        t = tracker(text, intent, slots={"program": "naeil_baeum_card"})
        await action(deps).run(dispatcher, t, DOMAIN)
        assert f"[국민내일배움카드] {title}" in said(dispatcher)[0], intent


@pytest.mark.parametrize("intent", ["check_eligibility", "out_of_scope", "deny", "affirm"])
async def test_verdict_restated_in_one_sentence(deps: ActionDeps, intent: str) -> None:
    slots = {"program": "lifecycle_career_design", "age": 55, "employment_status": "employed"}
    dispatcher = CollectingDispatcher()
    action = (
        ActionAnswerEligibility(deps) if intent == "check_eligibility" else ActionOutOfScope(deps)
    )
    await action.run(dispatcher, tracker("된다는 거예요 안 된다는 거예요?", intent, slots), DOMAIN)
    shown = [m for m in said(dispatcher) if m]
    assert shown == [
        "네, 말씀하신 조건(만 55세, 재직 중)이면 생애경력설계서비스를 받으실 수 있어요."
    ]
    assert dispatcher.messages[0]["buttons"]


@pytest.mark.parametrize(
    "intent, response",
    [
        ("out_of_scope", "utter_out_of_scope"),
        ("nlu_fallback", "utter_default"),
        ("affirm", "utter_affirm_no_context"),
        ("deny", "utter_deny_no_context"),
    ],
)
async def test_anything_else_gets_the_plain_answer(
    deps: ActionDeps, intent: str, response: str
) -> None:
    dispatcher = CollectingDispatcher()
    await ActionOutOfScope(deps).run(dispatcher, tracker("오늘 날씨 어때요", intent), DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == [response]


async def test_a_new_question_replaces_the_remembered_program(deps: ActionDeps) -> None:
    t = tracker(
        "실업급여 받을 수 있어요?",
        "check_eligibility",
        slots={"program": "busan_shinjungnyeon_jobs", "region": "부산"},
        active_loop="eligibility_form",
    )
    events = await ValidateEligibilityForm(deps).run(CollectingDispatcher(), t, DOMAIN)
    assert slot_events(events)["program"] == "unemployment_benefit"


async def test_the_picker_lets_go(deps: ActionDeps) -> None:
    texts, asks = [], None
    for turn in range(3):
        dispatcher = CollectingDispatcher()
        t = tracker("음", "inform", {"picker_asks": asks}, active_loop="eligibility_form")
        events = await ActionAskProgram(deps).run(dispatcher, t, DOMAIN)
        asks = slot_events(events).get("picker_asks")
        message = dispatcher.messages[0]
        texts.append(message["text"])
        assert 1 <= len(message["buttons"]) <= 6, turn
    assert len(set(texts)) == 3  # never the same picker twice
    assert "글로 적어" in texts[1]
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert {"상담사 연결", "처음으로"} <= set(titles)
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    # a new eligibility question starts counting again
    dispatcher = CollectingDispatcher()
    fresh = tracker(
        "자격 확인할래요", "check_eligibility", {"picker_asks": 2.0}, "eligibility_form"
    )
    events = await ActionAskProgram(deps).run(dispatcher, fresh, DOMAIN)
    assert slot_events(events) == {"picker_asks": 1.0}
    assert dispatcher.messages[0]["text"] == texts[0]


async def test_eligibility_for_a_topic_we_lack_leaves_the_form(deps: ActionDeps) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker("기초연금 받을 수 있어요?", "check_eligibility", active_loop="eligibility_form")
    events = await ActionAskProgram(deps).run(dispatcher, t, DOMAIN)
    assert "기초연금은 아직 제가 안내하지 못해요" in said(dispatcher)[0]
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    dispatcher = CollectingDispatcher()
    await ActionAnswerEligibility(deps).run(dispatcher, t, DOMAIN)
    assert dispatcher.messages == []  # nothing more after the honest answer


async def test_center_form_lets_a_center_we_lack_through(deps: ActionDeps) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker("새일센터는 어디 있어요?", "find_center", active_loop="center_form")
    events = await ActionAskPlace(deps).run(dispatcher, t, DOMAIN)
    assert dispatcher.messages == []  # no place question: action_find_center answers
    assert {"event": "active_loop", "name": None, "timestamp": None} in events


# ── the way back on every channel ──────────────────────────────────────────────


def test_kakao_adds_the_way_back_when_there_is_room() -> None:
    body = skill_response([Reply("안내예요", [Button("신청 방법", "/ask_program_info")])])
    quick = body["template"]["quickReplies"]
    assert [q["extra"]["payload"] for q in quick] == [
        "/ask_program_info",
        "/restart",
        "/request_human",
    ]
    full = [Button(f"선택 {n}", f'/inform{{"n":"{n}"}}') for n in range(10)]
    assert len(skill_response([Reply("많아요", full)])["template"]["quickReplies"]) == 10
    plain = skill_response([Reply("버튼 없는 답")])["template"]["quickReplies"]
    assert [q["messageText"] for q in plain] == ["처음으로", "상담사 연결"]


def test_web_header_has_both_buttons() -> None:
    static = Path(__file__).parents[2] / "bot" / "static"
    page = (static / "index.html").read_text(encoding="utf-8")
    script = (static / "app.js").read_text(encoding="utf-8")
    assert 'id="restart"' in page and 'id="human"' in page
    assert '"/restart"' in script and '"/request_human"' in script
    assert "position: sticky" in (static / "style.css").read_text(encoding="utf-8")


async def test_telegram_sets_the_command_menu_and_human_works(
    aiohttp_client, aiohttp_server, fake_engine: TestServer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    fake_tg = await aiohttp_server(create_fake_telegram())
    client: TestClient = await aiohttp_client(
        create_app(telegram_settings(tmp_path, fake_engine, fake_tg))
    )
    await asyncio.wait_for(client.server.app[TELEGRAM_KEY].ready.wait(), 10)
    state = fake_tg.app[STATE]
    assert {c["command"]: c["description"] for c in state.commands} == {
        "menu": "처음으로",
        "human": "상담사 연결",
        "help": "도움말",
    }
    await state.updates.put(state.text_update(601, "/human"))
    await wait_for(lambda: len(state.sent) >= 1)
    assert state.sent[0]["text"] == "받은 말: /request_human"
    await state.updates.put(state.text_update(601, "/menu"))
    await wait_for(lambda: len(state.sent) >= 3)
    assert state.sent[2]["text"] == "받은 말: /restart"
    assert fake_engine.app[SENDERS][-1] == "telegram:601"
