"""Benefit verdicts and figures on the real 기준표 (boundaries at the table edges)."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge.benefits import (
    BenefitFacts,
    benefit_days,
    daily_amount,
    early_reemployment,
    nes_type_1,
    nes_type_2,
    overview,
    paid_days_from_months,
    unemployment_benefit,
)
from knowledge.kb_files import DEFAULT_KB_DIR, load_kb
from knowledge.reference import ReferenceTables

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def tables() -> ReferenceTables:
    tables = load_kb(DEFAULT_KB_DIR).reference
    assert tables is not None
    return tables


@pytest.fixture(scope="module")
def programs():  # type: ignore[no-untyped-def]
    return list(load_kb(DEFAULT_KB_DIR).programs.values())


# ── tables agree with the research's own derived figures ────────────────

RESEARCH_2026 = {
    60: {1: 1538542, 2: 2519575, 3: 3215421, 4: 3896842, 5: 4534031, 6: 5133571},
    100: {1: 2564238, 2: 4199292, 3: 5359036, 4: 6494738, 5: 7556719, 6: 8555952},
    120: {1: 3077085, 2: 5039150, 3: 6430843, 4: 7793685, 5: 9068062, 6: 10267142},
}


@pytest.mark.parametrize("pct", [60, 100, 120])
@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 6])
def test_thresholds_match_the_research(tables: ReferenceTables, pct: int, size: int) -> None:
    assert tables.threshold(2026, size, pct).value == RESEARCH_2026[pct][size]


def test_2025_thresholds_and_eight_person_household(tables: ReferenceTables) -> None:
    assert [tables.threshold(2025, s, 60).value for s in range(1, 7)] == [
        1435207, 2359594, 3015211, 3658663, 4264915, 4838883,
    ]  # fmt: skip
    assert tables.median(2026, 8).value == 9515150 + 959198


def test_a_year_without_its_own_row_is_flagged(tables: ReferenceTables) -> None:
    assert not tables.median(2026, 2).uncertain
    assert tables.median(2028, 2).uncertain and tables.median(2028, 2).year == 2027


# ── 소정급여일수 ─────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "age, months, days",
    [
        (49, 11, 120), (50, 11, 120),
        (49, 12, 150), (50, 12, 180),
        (49, 35, 150), (49, 36, 180), (50, 36, 210),
        (49, 59, 180), (49, 60, 210), (50, 60, 240),
        (49, 119, 210), (49, 120, 240), (50, 119, 240), (50, 120, 270),
        (64, 120, 270), (65, 120, 270),
    ],
)  # fmt: skip
def test_benefit_days_at_band_edges(
    tables: ReferenceTables, age: int, months: int, days: int
) -> None:
    assert benefit_days(tables, age, months).days == days


def test_disabled_people_use_the_50_plus_row(tables: ReferenceTables) -> None:
    assert benefit_days(tables, 45, 60, disabled=True).days == 240


# ── 구직급여일액 ─────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "wage, separated, daily, basis",
    [
        (3_000_000, dt.date(2026, 3, 1), 66_048, "floor"),  # 8시간 하한 2026
        (6_000_000, dt.date(2026, 3, 1), 68_100, "cap"),  # 2026 상한
        (6_000_000, dt.date(2025, 6, 1), 66_000, "cap"),  # 2025 상한
        (3_000_000, dt.date(2025, 6, 1), 64_192, "floor"),  # 2025 하한
        (3_380_000, dt.date(2026, 3, 1), 3_380_000 * 3 // 91 * 60 // 100, "rate"),
    ],
)
def test_daily_amount_is_clamped(
    tables: ReferenceTables, wage: int, separated: dt.date, daily: int, basis: str
) -> None:
    amount = daily_amount(tables, wage, separated)
    assert (amount.daily, amount.basis) == (daily, basis)


def test_2027_floor_wins_over_the_cap_and_is_an_estimate(tables: ReferenceTables) -> None:
    amount = daily_amount(tables, 6_000_000, dt.date(2027, 2, 1))
    assert amount.daily == 68_480 and amount.basis == "floor" and amount.uncertain


def test_part_time_floor_uses_the_hours(tables: ReferenceTables) -> None:
    assert daily_amount(tables, 1_000_000, dt.date(2026, 3, 1), daily_hours=4).floor == 33_024


# ── 구직급여 verdict ─────────────────────────────────────────────────────

LAID_OFF_50 = BenefitFacts(
    age=50, separation="involuntary", insured_months=96, monthly_wage=3_000_000,
    separation_date=dt.date(2026, 10, 31),
)  # fmt: skip


def test_laid_off_fifty_year_old_gets_days_amount_and_deadline(tables: ReferenceTables) -> None:
    verdict = unemployment_benefit(LAID_OFF_50, tables, TODAY)
    assert verdict.outcome == "가능" and verdict.missing == ()
    estimate = verdict.estimate
    assert estimate is not None and estimate.days is not None and estimate.daily is not None
    assert estimate.days.days == 240
    assert estimate.daily.daily == 66_048
    assert estimate.monthly == 66_048 * 30
    assert estimate.total == 66_048 * 240
    assert estimate.window_ends == dt.date(2027, 10, 31)
    assert verdict.as_of == "2026-11-30"


def test_voluntary_quit_is_ruled_out_and_asks_nothing_more(tables: ReferenceTables) -> None:
    verdict = unemployment_benefit(BenefitFacts(separation="voluntary"), tables, TODAY)
    assert verdict.outcome == "불가" and verdict.missing == () and verdict.estimate is None
    assert "정당한 사유" in verdict.unmet[0].reason


def test_recognised_exception_is_possible_but_said_with_care(tables: ReferenceTables) -> None:
    facts = BenefitFacts(age=55, separation="voluntary_exception", insured_months=30)
    verdict = unemployment_benefit(facts, tables, TODAY)
    assert verdict.outcome == "가능" and verdict.uncertain
    assert verdict.missing == ("monthly_wage",)


def test_questions_come_in_the_order_that_decides_fastest(tables: ReferenceTables) -> None:
    asked: list[str] = []
    facts = BenefitFacts()
    answers = {"separation": "involuntary", "insured_months": 8, "insured_days_18m": 200,
               "age": 52, "monthly_wage": 2_800_000}  # fmt: skip
    while (nxt := unemployment_benefit(facts, tables, TODAY).next_fact) is not None:
        asked.append(nxt)
        facts = BenefitFacts(**{**facts.__dict__, nxt: answers[nxt]})
    assert asked == ["separation", "insured_months", "insured_days_18m", "age", "monthly_wage"]
    assert unemployment_benefit(facts, tables, TODAY).outcome == "가능"


def test_a_year_at_the_company_settles_the_180_days(tables: ReferenceTables) -> None:
    facts = BenefitFacts(separation="involuntary", insured_months=12)
    assert "insured_days_18m" not in unemployment_benefit(facts, tables, TODAY).missing


@pytest.mark.parametrize("days, outcome", [(179, "불가"), (180, "가능")])
def test_insured_days_boundary(tables: ReferenceTables, days: int, outcome: str) -> None:
    facts = BenefitFacts(age=45, separation="involuntary", insured_months=7, insured_days_18m=days)
    assert unemployment_benefit(facts, tables, TODAY).outcome == outcome


def test_seven_months_full_time_is_180_paid_days() -> None:
    assert paid_days_from_months(6) < 180 <= paid_days_from_months(7)


@pytest.mark.parametrize(
    "age, hired_after_65, outcome",
    [(64, None, "가능"), (65, None, "확인 필요"), (65, True, "불가"), (65, False, "가능")],
)
def test_the_65_rule(
    tables: ReferenceTables, age: int, hired_after_65: bool | None, outcome: str
) -> None:
    facts = BenefitFacts(
        age=age, separation="involuntary", insured_months=24, hired_after_65=hired_after_65
    )
    verdict = unemployment_benefit(facts, tables, TODAY)
    assert verdict.outcome == outcome
    if outcome == "확인 필요":
        assert verdict.next_fact == "hired_after_65"


def test_past_the_twelve_months_is_too_late(tables: ReferenceTables) -> None:
    facts = BenefitFacts(**{**LAID_OFF_50.__dict__, "separation_date": dt.date(2025, 11, 1)})
    verdict = unemployment_benefit(facts, tables, TODAY)
    assert verdict.outcome == "불가" and "12개월" in verdict.unmet[0].reason


def test_someone_still_employed_cannot_receive_it(tables: ReferenceTables) -> None:
    facts = BenefitFacts(employment_status="employed", separation="involuntary")
    assert unemployment_benefit(facts, tables, TODAY).outcome == "불가"


def test_a_skipped_fact_is_not_asked_again_but_named(tables: ReferenceTables) -> None:
    facts = BenefitFacts(
        separation="involuntary", insured_months=5, skipped=frozenset({"insured_days_18m"})
    )
    verdict = unemployment_benefit(facts, tables, TODAY)
    assert "insured_days_18m" not in verdict.missing
    assert verdict.outcome == "확인 필요"
    assert any(c.key == "insured_days" for c in verdict.deciding)


# ── 국민취업지원제도 ─────────────────────────────────────────────────────

COUPLE_62 = BenefitFacts(
    age=62, household_size=2, household_income=2_000_000, received_benefit_6m=False,
    household_assets=150_000_000, months_worked_2y=10,
)  # fmt: skip


def test_couple_of_62_with_200_a_month_gets_type_one(tables: ReferenceTables) -> None:
    verdict = nes_type_1(COUPLE_62, tables, TODAY)
    assert verdict.outcome == "가능"
    estimate = verdict.estimate
    assert estimate is not None and estimate.threshold == 2_519_575
    assert estimate.allowance_monthly == 600_000 and estimate.total == 3_600_000


@pytest.mark.parametrize("size", [1, 2, 4])
@pytest.mark.parametrize("delta, outcome", [(0, "가능"), (1, "불가")])
def test_type_one_income_exactly_at_60_percent(
    tables: ReferenceTables, size: int, delta: int, outcome: str
) -> None:
    line = tables.threshold(TODAY.year, size, 60).value
    facts = BenefitFacts(
        **{**COUPLE_62.__dict__, "household_size": size, "household_income": line + delta}
    )
    assert nes_type_1(facts, tables, TODAY).outcome == outcome


@pytest.mark.parametrize("size", [1, 2, 4])
@pytest.mark.parametrize("delta, outcome", [(0, "가능"), (1, "불가")])
def test_type_two_income_exactly_at_100_percent(
    tables: ReferenceTables, size: int, delta: int, outcome: str
) -> None:
    line = tables.median(TODAY.year, size).value
    facts = BenefitFacts(age=55, household_size=size, household_income=line + delta)
    assert nes_type_2(facts, tables, TODAY).outcome == outcome


@pytest.mark.parametrize("age, outcome", [(34, "불가"), (35, "가능"), (69, "가능"), (70, "불가")])
def test_type_two_age_band(tables: ReferenceTables, age: int, outcome: str) -> None:
    facts = BenefitFacts(age=age, household_size=1, household_income=1_000_000)
    assert nes_type_2(facts, tables, TODAY).outcome == outcome


def test_ages_65_to_69_are_said_with_care(tables: ReferenceTables) -> None:
    for age, careful in ((64, False), (65, True)):
        verdict = nes_type_1(BenefitFacts(**{**COUPLE_62.__dict__, "age": age}), tables, TODAY)
        assert verdict.outcome == "가능" and verdict.checks[0].uncertain is careful


def test_recent_unemployment_benefit_blocks_the_allowance(tables: ReferenceTables) -> None:
    facts = BenefitFacts(**{**COUPLE_62.__dict__, "received_benefit_6m": True})
    assert nes_type_1(facts, tables, TODAY).outcome == "불가"
    assert nes_type_2(facts, tables, TODAY).outcome == "가능"


def test_assets_and_short_work_history(tables: ReferenceTables) -> None:
    rich = BenefitFacts(**{**COUPLE_62.__dict__, "household_assets": 400_000_001})
    assert nes_type_1(rich, tables, TODAY).outcome == "불가"
    at_line = BenefitFacts(**{**COUPLE_62.__dict__, "household_assets": 400_000_000})
    assert nes_type_1(at_line, tables, TODAY).outcome == "가능"
    short = BenefitFacts(**{**COUPLE_62.__dict__, "months_worked_2y": 3})
    verdict = nes_type_1(short, tables, TODAY)
    assert verdict.outcome == "확인 필요" and "선발형" in verdict.unknown[0].reason
    assert verdict.missing == ("dependents",)


def test_dependents_add_to_the_allowance_up_to_four(tables: ReferenceTables) -> None:
    facts = BenefitFacts(**{**COUPLE_62.__dict__, "dependents": 6})
    estimate = nes_type_1(facts, tables, TODAY).estimate
    assert estimate is not None and estimate.monthly_with_dependents == 1_000_000
    assert estimate.supplement_uncertain


def test_income_below_the_one_person_line_needs_no_household_size(tables: ReferenceTables) -> None:
    facts = BenefitFacts(age=55, household_income=1_000_000)
    verdict = nes_type_1(facts, tables, TODAY)
    assert "household_size" not in verdict.missing[:1]
    assert verdict.checks[1].status == "met"


def test_type_one_asks_household_first(tables: ReferenceTables) -> None:
    assert nes_type_1(BenefitFacts(age=55), tables, TODAY).next_fact == "household_size"


# ── 조기재취업수당 ────────────────────────────────────────────────────────

EARLY = BenefitFacts(
    age=52, insured_months=60, monthly_wage=3_000_000, benefit_days_used=60,
    days_claim_to_job=30, new_job_months=12, early_allowance_2y=False,
    rehired_by_former_employer=False,
)  # fmt: skip


def test_half_of_the_remaining_days_is_paid(tables: ReferenceTables) -> None:
    verdict = early_reemployment(EARLY, tables, TODAY)
    assert verdict.outcome == "가능"
    estimate = verdict.estimate
    assert estimate is not None and estimate.total_days == 240 and estimate.remaining_days == 180
    assert estimate.payable_days == 90 and estimate.amount == 66_048 * 90


@pytest.mark.parametrize("used, outcome", [(120, "가능"), (121, "불가")])
def test_at_least_half_must_be_left(tables: ReferenceTables, used: int, outcome: str) -> None:
    facts = BenefitFacts(**{**EARLY.__dict__, "benefit_days_used": used})
    assert early_reemployment(facts, tables, TODAY).outcome == outcome


@pytest.mark.parametrize("days, outcome", [(14, "불가"), (15, "가능")])
def test_fourteen_days_after_the_claim(tables: ReferenceTables, days: int, outcome: str) -> None:
    facts = BenefitFacts(**{**EARLY.__dict__, "days_claim_to_job": days})
    assert early_reemployment(facts, tables, TODAY).outcome == outcome


def test_six_months_suffice_from_65(tables: ReferenceTables) -> None:
    facts = BenefitFacts(**{**EARLY.__dict__, "age": 66, "new_job_months": 6})
    assert early_reemployment(facts, tables, TODAY).outcome == "가능"
    facts = BenefitFacts(**{**EARLY.__dict__, "new_job_months": 6})
    assert early_reemployment(facts, tables, TODAY).outcome == "불가"


# ── the whole profile ────────────────────────────────────────────────────


def test_overview_puts_possible_first_and_covers_every_program(
    tables: ReferenceTables, programs
) -> None:  # type: ignore[no-untyped-def]
    facts = BenefitFacts(
        **{**LAID_OFF_50.__dict__, "employment_status": "unemployed", "region": "서울",
           "household_size": 2, "household_income": 2_000_000, "received_benefit_6m": False,
           "household_assets": 100_000_000, "months_worked_2y": 20},
    )  # fmt: skip
    items = overview(facts, tables, programs, TODAY)
    assert {i.program.id for i in items} == {p.id for p in programs}
    ranks = [{"가능": 0, "확인 필요": 1, "불가": 2}[i.outcome] for i in items]
    assert ranks == sorted(ranks)
    first_ids = [i.program.id for i in items[:3]]
    assert "unemployment_benefit" in first_ids and "national_employment_support" in first_ids
    employer = [i for i in items if i.program.audience == "employer"]
    assert employer and all(items.index(e) > items.index(items[0]) for e in employer)
