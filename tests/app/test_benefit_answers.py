"""Benefit replies: verdict first, figures said naturally as estimates, short bubbles, clean particles."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from knowledge.answers import Message
from knowledge.benefit_answers import early_answer, nes_answer, overview_answer, unemployment_answer
from knowledge.benefits import (
    BenefitFacts,
    early_reemployment,
    nes_type_1,
    nes_type_2,
    overview,
    unemployment_benefit,
)
from knowledge.josa import has_particle_pair
from knowledge.kb_files import DEFAULT_KB_DIR, load_kb

TODAY = dt.date(2026, 11, 23)
KB = load_kb(DEFAULT_KB_DIR)
TABLES = KB.reference
assert TABLES is not None


def text_of(messages: list[Message]) -> str:
    return "\n".join(m.text for m in messages)


def assert_well_formed(messages: list[Message]) -> None:
    assert messages
    for message in messages:
        assert 0 < len(message.text) <= 300, message.text
        assert not has_particle_pair(message.text), message.text
        assert not re.search(r"[A-Za-z_]{4,}", message.text.replace("www.work24.go.kr", "")), (
            message.text
        )
        assert len(message.buttons) <= 6
    assert sum("기준일" in m.text for m in messages) == 1


def test_laid_off_answer_leads_with_verdict_and_says_days_amount_and_how_to_apply() -> None:
    facts = BenefitFacts(age=50, separation="involuntary", insured_months=96,
                         monthly_wage=3_000_000, separation_date=dt.date(2026, 10, 31))  # fmt: skip
    messages = unemployment_answer(unemployment_benefit(facts, TABLES, TODAY), facts)
    assert_well_formed(messages)
    text = text_of(messages)
    assert text.startswith("구직급여(실업급여)를 받으실 수 있을 것으로 예상돼요")
    assert "240일" in text and "하루" in text and "6만 6,048원" in text
    assert "월 약 198만 원" in text
    for step in ("고용24", "구직 신청", "온라인 교육", "고용센터", "2027년 10월 31일까지"):
        assert step in text
    assert "1350" in text and "예상" in text


def test_voluntary_quit_explains_the_rule_and_the_exceptions() -> None:
    facts = BenefitFacts(separation="voluntary")
    messages = unemployment_answer(unemployment_benefit(facts, TABLES, TODAY), facts)
    assert_well_formed_no_date(messages)
    text = text_of(messages)
    assert text.startswith("구직급여(실업급여)는 받기 어려울")
    for exception in ("임금 체불", "왕복 3시간", "질병", "간병", "괴롭힘"):
        assert exception in text
    assert text.count("원칙적으로") == 1


def assert_well_formed_no_date(messages: list[Message]) -> None:
    for message in messages:
        assert 0 < len(message.text) <= 300 and not has_particle_pair(message.text)


def test_open_questions_are_named_in_the_answer() -> None:
    facts = BenefitFacts(separation="involuntary", age=55)
    messages = unemployment_answer(unemployment_benefit(facts, TABLES, TODAY), facts)
    assert_well_formed(messages)
    assert "확인이 필요" in messages[0].text and "고용보험" in messages[0].text


def test_couple_of_62_hears_type_one_with_the_two_person_line_and_the_2026_allowance() -> None:
    facts = BenefitFacts(age=62, household_size=2, household_income=2_000_000,
                         received_benefit_6m=False, household_assets=100_000_000,
                         months_worked_2y=12)  # fmt: skip
    messages = nes_answer(nes_type_1(facts, TABLES, TODAY), nes_type_2(facts, TABLES, TODAY))
    assert_well_formed(messages)
    text = text_of(messages)
    assert text.startswith("국민취업지원제도 Ⅰ유형을 받으실 수 있을")
    assert "2인 가구 기준 월 251만 원 이하" in text
    assert "월 60만 원" in text and "360만 원" in text


def test_income_above_sixty_percent_offers_type_two() -> None:
    facts = BenefitFacts(age=58, household_size=4, household_income=5_000_000)
    messages = nes_answer(nes_type_1(facts, TABLES, TODAY), nes_type_2(facts, TABLES, TODAY))
    assert_well_formed(messages)
    text = text_of(messages)
    assert "Ⅰ유형은 어려울" in text and "Ⅱ유형은 가능" in text
    assert "4인 가구 기준 월 649만 원 이하" in text


def test_dependents_are_added_to_the_allowance() -> None:
    facts = BenefitFacts(age=50, household_size=4, household_income=3_000_000,
                         received_benefit_6m=False, household_assets=0, months_worked_2y=24,
                         dependents=2)  # fmt: skip
    text = text_of(nes_answer(nes_type_1(facts, TABLES, TODAY), nes_type_2(facts, TABLES, TODAY)))
    assert "부양가족 2명을 더하면 월 80만 원" in text


def test_early_reemployment_answer_says_half_of_the_remaining_days() -> None:
    facts = BenefitFacts(age=52, insured_months=60, monthly_wage=3_000_000, benefit_days_used=60,
                         days_claim_to_job=30, new_job_months=12, early_allowance_2y=False,
                         rehired_by_former_employer=False)  # fmt: skip
    messages = early_answer(early_reemployment(facts, TABLES, TODAY))
    assert_well_formed(messages)
    text = text_of(messages)
    assert "180일이 남아" in text and "90일분" in text and "약 594만 원" in text


def test_overview_answer_groups_best_first_with_buttons() -> None:
    facts = BenefitFacts(age=61, employment_status="unemployed", region="서울",
                         separation="involuntary", insured_months=100, household_size=2,
                         household_income=2_000_000)  # fmt: skip
    items = overview(facts, TABLES, list(KB.programs.values()), TODAY)
    messages = overview_answer(items, "2026-11-30")
    assert_well_formed(messages)
    assert messages[-1].buttons and len(messages[-1].buttons) <= 6
    assert "회사가 신청하는 지원금" in text_of(messages)
    assert text_of(messages).index("받으실 수 있어 보여요") < text_of(messages).index(
        "확인이 더 필요해요"
    )


AGES = [45, 50, 64, 65]
SEPARATIONS = [None, "involuntary", "voluntary", "voluntary_exception"]
WAGES = [None, 2_000_000, 4_000_000, 9_000_000]


@pytest.mark.parametrize("age, separation, wage", list(itertools.product(AGES, SEPARATIONS, WAGES)))
def test_every_unemployment_reply_is_clean(
    age: int, separation: str | None, wage: int | None
) -> None:
    facts = BenefitFacts(age=age, separation=separation, insured_months=40, monthly_wage=wage,  # type: ignore[arg-type]
                         hired_after_65=False)  # fmt: skip
    for message in unemployment_answer(unemployment_benefit(facts, TABLES, TODAY), facts):
        assert len(message.text) <= 300 and not has_particle_pair(message.text)


@pytest.mark.parametrize(
    "size, income",
    list(itertools.product([None, 1, 2, 5, 8], [None, 0, 1_500_000, 4_000_000, 9_000_000])),
)
def test_every_nes_reply_is_clean(size: int | None, income: int | None) -> None:
    facts = BenefitFacts(age=57, household_size=size, household_income=income)
    for message in nes_answer(nes_type_1(facts, TABLES, TODAY), nes_type_2(facts, TABLES, TODAY)):
        assert len(message.text) <= 300 and not has_particle_pair(message.text)
