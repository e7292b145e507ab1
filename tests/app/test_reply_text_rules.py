"""Every reply reads as written by a careful person: scanned over every response template in the
domain and every KB rendering (each program × aspect, each eligibility verdict, each center,
booking and job-fair texts).

The rules (issue 12 item 4, issue 17 items 2-3): no "은(는)"-style particle pairs, no status tags
such as "(가능)", no research notes ("블로그 자료라…", "자료마다", "개소 당시"), no English words or
KB ids (allowed: URLs, names such as HRD-Net, and acronyms such as KTX), bubbles ≤ 300 characters,
and one 기준일 in one format per answer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.inform import ActionAcknowledgeFacts
from knowledge.answers import (
    ASPECT_TITLES,
    Message,
    ask_which_program,
    centers_answer,
    eligibility_answer,
    program_info,
    program_suggestions,
)
from knowledge.appointments import Booking, Slot
from knowledge.booking_answers import (
    alternatives,
    booked,
    bookings_list,
    cancelled,
    center_choices,
    choose_booking,
    closed_day_reason,
    confirm_cancel,
    confirm_reschedule,
    day_choices,
    no_consent,
    no_free_day,
    rescheduled,
    summary,
    time_choices,
)
from knowledge.center_search import find_centers
from knowledge.eligibility import Facts, evaluate, rank_programs
from knowledge.event_answers import job_fairs_answer
from knowledge.events import alert_body, reminder_body
from knowledge.josa import has_particle_pair
from knowledge.kb_files import DEFAULT_KB_DIR, KnowledgeBase, load_kb
from knowledge.schema import EMPLOYMENT_STATUSES, REGIONS
from knowledge.when import SEOUL
from tests.app.test_actions_knowledge import DOMAIN, tracker

DOMAIN_FILE = Path(__file__).parents[2] / "nlu" / "domain.yml"
BUBBLE_LIMIT = 300

STATUS_TAG = re.compile(r"\(\s*(가능|불가|확인 ?필요|미확인|해당 ?없음)\s*\)")
RESEARCH_NOTES = (
    "블로그",
    "자료마다",
    "자료가 엇갈",
    "개소 당시",
    "개관 당시",
    "확인 필요",
    "확인이 필요합니다",
    "제3자",
    "지정분",
    "당시)",
    "uncertain",
)
URL = re.compile(r"(?:https?://|www\.)[^\s)\],]+|\b[\w.-]+\.(?:kr|com|net|org)(?:/[^\s)\]]*)?")
ALLOWED_NAMES = ("HRD-Net", "Q-Net", "KTX", "aT센터")  # aT센터: the venue's own name
UNIT_AFTER_NUMBER = re.compile(r"(?<=\d)(?:km|m|kg|cm)\b")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*")
SLOT_THEN_PARTICLE = re.compile(
    r"\{\w+\}(은|는|이|가|을|를|과|와|으로|로|이에요|예요|이나|나|이라|라)(?![가-힣])"
)
AS_OF = re.compile(r"기준일")
AS_OF_FORMAT = re.compile(r"기준일: 20\d\d년(?: (?:[1-9]|1[0-2])월)?(?![\d-])")


def latin_problems(text: str) -> list[str]:
    """English words and ids: Latin tokens with a lowercase letter or an underscore.

    URLs and the allowed names are removed first; all-capital acronyms (KTX, AI, DDP) are names.
    """
    rest = UNIT_AFTER_NUMBER.sub(" ", URL.sub(" ", text))
    for name in ALLOWED_NAMES:
        rest = rest.replace(name, " ")
    return [
        word for word in LATIN_WORD.findall(rest) if "_" in word or any(ch.islower() for ch in word)
    ]


def text_problems(text: str, bubble: bool = True) -> list[str]:
    problems = []
    if has_particle_pair(text):
        problems.append("particle pair")
    if STATUS_TAG.search(text):
        problems.append(f"status tag {STATUS_TAG.search(text).group(0)}")  # type: ignore[union-attr]
    problems += [f"research note {note!r}" for note in RESEARCH_NOTES if note in text]
    problems += [f"English or id {word!r}" for word in latin_problems(text)]
    if bubble and len(text) > BUBBLE_LIMIT:
        problems.append(f"{len(text)} characters")
    if AS_OF.search(text) and len(AS_OF.findall(text)) != len(AS_OF_FORMAT.findall(text)):
        problems.append("기준일 not in the one format")
    return problems


def message_problems(message: Message) -> list[str]:
    problems = text_problems(message.text)
    for b in message.buttons:
        problems += [f"button {b['title']!r}: {p}" for p in text_problems(b["title"])]
    for key, value in (message.card or {}).items():
        if key not in ("url", "phone"):
            problems += [f"card {key}: {p}" for p in text_problems(value)]
    return problems


def answer_problems(messages: list[Message]) -> list[str]:
    """Each bubble's problems, plus at most one 기준일 per answer."""
    problems = [p for m in messages for p in message_problems(m)]
    as_of = sum(len(AS_OF.findall(m.text)) for m in messages)
    if as_of > 1:
        problems.append(f"{as_of} 기준일 in one answer")
    return problems


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{where}: {', '.join(problems)}" for where, problems in found.items())


# ── the rules themselves, on known good and bad text ───────────────────────────


@pytest.mark.parametrize(
    "text",
    [
        "네, 국민취업지원제도은(는) 받으실 수 있어요.",
        "네, 생애경력설계서비스는 받으실 수 있어요(가능).",
        "말씀하신 조건으로는 받기 어렵습니다(불가).",
        "전화: 확인 필요(1350 문의)",
        "수당 금액은 블로그 자료라 확인이 필요합니다.",
        "2026년 참여 고용센터 수는 자료마다 달라요.",
        "대구 중구, 국채보상운동기념공원 옆 (2015-03 이전 개소 당시)",
        "national_employment_support 프로그램이에요.",
        "employed 상태로 기억해 둘게요.",
        "Re-Bounce 과정이에요.",
        "기준일 2026-02 · 금액은 해마다 바뀌어요.",
        "기준일: 2026-02-23",
        "가" * 301,
    ],
)
def test_the_rules_catch_what_the_issues_quote(text: str) -> None:
    assert text_problems(text)


@pytest.mark.parametrize(
    "text",
    [
        "네, 국민취업지원제도(국취)는 받으실 수 있어요.",
        "훈련과정은 HRD-Net(www.hrd.go.kr)이나 고용24에서 찾을 수 있어요.",
        "50플러스포털 https://www.50plus.or.kr 에서 신청하세요. KTX 역에서 가까워요.",
        "AI 영상면접 체험이 있었어요. 동대문디자인플라자(DDP)에서 열려요.",
        "창동역 1번 출구 약 300m, aT센터 제1전시장",
        "지원 내용과 요건은 해마다 바뀔 수 있어요.\n기준일: 2026년 2월",
        "기준일: 2025년",
        "가" * 300,
    ],
)
def test_the_rules_let_finished_text_through(text: str) -> None:
    assert text_problems(text) == []


# ── the domain's response templates ───────────────────────────────────────────


def domain_texts() -> Iterator[tuple[str, str, bool]]:
    domain: dict[str, Any] = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))
    for name, variants in (domain.get("responses") or {}).items():
        for index, variant in enumerate(variants):
            if variant.get("text"):
                yield f"{name}[{index}]", variant["text"], True
            for b in variant.get("buttons") or []:
                yield f"{name}[{index}] button", b["title"], False


def test_every_response_template_reads_as_finished_korean() -> None:
    found: dict[str, list[str]] = {}
    for where, text, bubble in domain_texts():
        problems = text_problems(text, bubble)
        if SLOT_THEN_PARTICLE.search(text):
            problems.append("a particle right after a slot: send the finished text from the action")
        if problems:
            found[where] = problems
    assert not found, report(found)


# ── every KB rendering ─────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb(DEFAULT_KB_DIR)


PROFILES = [
    Facts(),
    Facts(age=55),
    Facts(age=38),
    Facts(age=72, employment_status="unemployed", region="부산"),
    *[
        Facts(age=age, employment_status=status, region=region)
        for age in (45, 62)
        for status in EMPLOYMENT_STATUSES
        for region in ("서울", "대구")
    ],
]


def test_every_program_answer_for_every_aspect(kb: KnowledgeBase) -> None:
    found: dict[str, list[str]] = {}
    for program in kb.programs.values():
        for aspect in (None, *ASPECT_TITLES):
            problems = answer_problems(program_info(program, aspect))
            if problems:
                found[f"{program.id} {aspect or '요약'}"] = problems
    assert not found, report(found)


def test_every_eligibility_verdict(kb: KnowledgeBase) -> None:
    found: dict[str, list[str]] = {}
    outcomes: set[str] = set()
    for program in kb.programs.values():
        for facts in PROFILES:
            verdict = evaluate(program, facts)
            outcomes.add(verdict.outcome)
            problems = answer_problems(eligibility_answer(verdict))
            if problems:
                found[f"{program.id} {facts}"] = problems
    assert outcomes == {"가능", "불가", "확인 필요"}
    assert not found, report(found)


def test_every_suggestion_list_and_picker(kb: KnowledgeBase) -> None:
    programs = list(kb.programs.values())
    found: dict[str, list[str]] = {}
    for facts in PROFILES:
        messages = program_suggestions(rank_programs(programs, facts), facts)
        messages.append(ask_which_program(programs, "어떤 프로그램이 궁금하세요?", facts=facts))
        problems = answer_problems(messages)
        if problems:
            found[str(facts)] = problems
    assert not found, report(found)


def test_every_center_card_and_center_answer(kb: KnowledgeBase) -> None:
    assert kb.districts is not None
    centers = list(kb.centers.values())
    found: dict[str, list[str]] = {}
    for center in centers:
        problems = answer_problems(booked(BOOKING, center, reminders=2))
        if problems:
            found[center.id] = problems
    searches = [find_centers(centers, kb.districts, None, region) for region in REGIONS]
    searches += [
        find_centers(centers, kb.districts, district, None) for district in kb.districts.districts
    ]
    searches.append(find_centers(centers, kb.districts, None, None))
    for search in searches:
        problems = answer_problems(centers_answer(search))
        if problems:
            found[f"{search.level} {search.place}"] = problems
    assert not found, report(found)


BOOKING = Booking(
    code="KPX593",
    center_id="",
    starts_at=dt.datetime(2026, 12, 3, 14, 30, tzinfo=SEOUL),
    name="홍길동",
    phone="01012345678",
    status="booked",
)


def test_booking_texts(kb: KnowledgeBase) -> None:
    centers = [c for c in kb.centers.values() if c.kind != "전국 상담전화"]
    center = next(c for c in centers if c.phone)
    by_id = {c.id: c for c in centers}
    booking = dataclasses.replace(BOOKING, center_id=center.id)
    new_start = dt.datetime(2026, 12, 11, 16, 0, tzinfo=SEOUL)
    slots = [Slot(new_start + dt.timedelta(hours=h), 2) for h in range(3)]
    day = new_start.date()
    messages: dict[str, list[Message]] = {
        "center_choices": [center_choices(centers, "관악구")],
        "day_choices": [day_choices([day, day + dt.timedelta(days=1)], center)],
        "time_choices": [time_choices(day, slots)],
        "no_free_day": [no_free_day(center)],
        "alternatives": [
            alternatives(closed_day_reason(dt.date(2026, 12, 25), True), slots),
            alternatives(closed_day_reason(dt.date(2026, 12, 12), False), []),
        ],
        "summary": [summary(center, new_start, "홍길동", "01012345678")],
        "booked": booked(booking, center, reminders=2),
        "booked_no_center": booked(booking, None, reminders=0),
        "bookings_list": bookings_list([booking, booking], by_id),
        "choose_booking": [choose_booking([booking], by_id, "바꿀까요")],
        "confirm_cancel": [confirm_cancel(booking, center)],
        "cancelled": [cancelled(booking, center)],
        "confirm_reschedule": [confirm_reschedule(booking, center, new_start)],
        "rescheduled": [rescheduled(booking, center)],
        "no_consent": [no_consent(center)],
    }
    found = {name: answer_problems(m) for name, m in messages.items() if answer_problems(m)}
    assert not found, report(found)
    assert "12월 11일(금) 오후 4시로 바꿀까요?" in messages["confirm_reschedule"][0].text
    assert "예약번호는 그대로 KPX593이에요." in messages["rescheduled"][0].text


def test_job_fair_texts(kb: KnowledgeBase) -> None:
    events = sorted(kb.events.values(), key=lambda e: e.starts_at)
    found: dict[str, list[str]] = {}
    for where in ("", "서울", "부산"):
        problems = answer_problems(job_fairs_answer(events, where, "이번 달"))
        if problems:
            found[f"list {where}"] = problems
    for event in events:
        for body in (alert_body(event), reminder_body(event)):
            problems = text_problems(body["text"])
            if problems:
                found[event.id] = problems
    assert not found, report(found)


# ── facts said in passing are confirmed with the particle their last word needs ──────


@pytest.mark.parametrize(
    "slots, expected",
    [
        ({"age": 55, "employment_status": "unemployed"}, "네, 만 55세, 퇴직·구직 중으로 기억해"),
        ({"age": 61, "region": "서울"}, "네, 만 61세, 서울 거주로 기억해"),
        ({"employment_status": "retiring"}, "네, 퇴직 예정으로 기억해"),
    ],
)
async def test_acknowledged_facts_take_the_right_particle(
    deps: Any, slots: dict[str, Any], expected: str
) -> None:
    dispatcher = CollectingDispatcher()
    await ActionAcknowledgeFacts(deps).run(dispatcher, tracker("네", "inform", slots=slots), DOMAIN)
    (message,) = dispatcher.messages
    assert message["text"].startswith(expected)
    assert text_problems(message["text"]) == []
