"""Benefit verdicts with computed figures: 구직급여, 국민취업지원제도 Ⅰ·Ⅱ유형, 조기재취업수당.

Pure functions over what the user said (`BenefitFacts`) and the 기준표 (`ReferenceTables`), so the
dialogue only collects facts and the rules stay data. Each verdict is 가능 / 불가 / 확인 필요 with a
reason per condition, the facts still worth asking in the order that settles it fastest, and the
figures as estimates — the 고용센터 decides finally.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Literal

from knowledge import eligibility
from knowledge.josa import attach
from knowledge.money import won
from knowledge.reference import ReferenceTables
from knowledge.schema import Program

Outcome = Literal["가능", "불가", "확인 필요"]
Status = Literal["met", "unmet", "unknown"]
Separation = Literal["involuntary", "voluntary", "voluntary_exception"]
FactName = Literal[
    "age", "employment_status", "region", "separation", "separation_date", "insured_months",
    "insured_days_18m", "hired_after_65", "disabled", "monthly_wage", "daily_hours",
    "household_size", "household_income", "household_assets", "months_worked_2y",
    "received_benefit_6m", "dependents", "benefit_days_total", "benefit_days_used",
    "days_claim_to_job", "new_job_months", "new_job_monthly_wage", "early_allowance_2y",
    "rehired_by_former_employer",
]  # fmt: skip

UNEMPLOYMENT = "unemployment_benefit"
NES = "national_employment_support"
NES_TYPE_1 = "national_employment_support_type_1"
NES_TYPE_2 = "national_employment_support_type_2"
EARLY = "early_reemployment_allowance"

# 정당한 이직 사유 (고용보험법 시행규칙 별표 2, 요약): said to voluntary quitters.
RECOGNISED_EXCEPTIONS: tuple[str, ...] = (
    "임금 체불이나 최저임금 미달, 채용 때보다 낮아진 근로조건(이직 전 1년 안에 2개월 이상)",
    "직장 내 괴롭힘, 성희롱, 불합리한 차별",
    "회사 이전·전근 등으로 출퇴근 왕복 3시간 이상",
    "본인 질병·부상으로 일하기 어려운데 휴직이 허용되지 않음",
    "부모·동거 가족을 30일 이상 간병해야 하는데 휴가·휴직이 허용되지 않음",
    "경영 악화로 인한 권고사직·희망퇴직, 폐업·도산 예정",
    "임신·출산·육아(만 8세 이하 자녀)로 일하기 어려운데 휴직이 허용되지 않음",
)


@dataclass(frozen=True)
class BenefitFacts:
    """What the user has said so far; None = not known yet. Money in won, periods in months.

    `skipped` holds facts the user could not answer ("잘 모르겠어요"): they are not asked again,
    and the verdict names them as what decides it.
    """

    age: int | None = None
    employment_status: str | None = None  # employed | retiring | unemployed
    region: str | None = None
    separation: Separation | None = None  # 이직 사유
    separation_date: dt.date | None = None  # 이직일 (퇴사일)
    insured_months: int | None = None  # 고용보험 가입 기간 (이직 당시 회사)
    insured_days_18m: int | None = None  # 이직 전 18개월 안의 피보험 단위기간(일)
    hired_after_65: bool | None = None  # 65세 이후에 새로 고용됐는지
    disabled: bool | None = None
    monthly_wage: int | None = None  # 퇴직 전 월 평균 임금(세전)
    daily_hours: int | None = None  # 1일 소정근로시간 (모르면 8시간으로 계산)
    household_size: int | None = None
    household_income: int | None = None  # 가구 월 소득
    household_assets: int | None = None  # 가구 재산 합계
    months_worked_2y: int | None = None  # 최근 2년간 일한 기간
    received_benefit_6m: bool | None = None  # 실업급여를 받는 중이거나 끝난 지 6개월 안
    dependents: int | None = None  # 부양가족 수 (구직촉진수당 가산)
    benefit_days_total: int | None = None  # 수급자격 인정 때 받은 소정급여일수 (알면)
    benefit_days_used: int | None = None  # 구직급여를 이미 받은 일수
    days_claim_to_job: int | None = None  # 실업 신고일부터 재취업까지 일수
    new_job_months: int | None = None  # 새 직장에서 계속 일할 (일한) 개월 수
    new_job_monthly_wage: int | None = None
    early_allowance_2y: bool | None = None  # 최근 2년 안에 조기재취업수당을 받았는지
    rehired_by_former_employer: bool | None = None
    skipped: frozenset[FactName] = frozenset()

    def base(self) -> eligibility.Facts:
        """The facts the generic program engine understands."""
        return eligibility.Facts(self.age, self.employment_status, self.region)

    def known(self) -> set[str]:
        return {
            f.name
            for f in fields(self)
            if f.name != "skipped" and getattr(self, f.name) is not None
        }


@dataclass(frozen=True)
class Check:
    """One condition: what it is, met / unmet / unknown, and why in plain Korean."""

    key: str
    text: str
    status: Status
    reason: str
    fact: FactName | None = None
    uncertain: bool = False


@dataclass(frozen=True)
class BenefitDays:
    days: int
    age_label: str
    insured_label: str


@dataclass(frozen=True)
class DailyAmount:
    daily: int
    basis: Literal["rate", "floor", "cap"]  # 60 % of the wage, the 하한, or the 상한
    floor: int
    cap: int
    year: int  # the year of the separation the limits belong to
    hours: int
    uncertain: bool


@dataclass(frozen=True)
class UnemploymentEstimate:
    days: BenefitDays | None
    daily: DailyAmount | None
    days_per_month: int
    window_ends: dt.date | None  # last day benefits can be paid (이직 다음 날부터 12개월)
    claim_window_months: int
    waiting_days: int

    @property
    def monthly(self) -> int | None:
        return self.daily.daily * self.days_per_month if self.daily else None

    @property
    def total(self) -> int | None:
        return self.daily.daily * self.days.days if self.daily and self.days else None


@dataclass(frozen=True)
class NesEstimate:
    household_size: int | None
    income_pct: int
    threshold: int | None  # 원, for household_size
    year: int
    allowance_monthly: int | None = None  # Ⅰ유형 구직촉진수당
    allowance_months: int | None = None
    dependents_counted: int = 0
    per_dependent: int = 0
    supplement_uncertain: bool = False
    allowance_year: int | None = None

    @property
    def monthly_with_dependents(self) -> int | None:
        if self.allowance_monthly is None:
            return None
        return self.allowance_monthly + self.dependents_counted * self.per_dependent

    @property
    def total(self) -> int | None:
        monthly = self.monthly_with_dependents
        return (
            monthly * self.allowance_months
            if monthly is not None and self.allowance_months
            else None
        )


@dataclass(frozen=True)
class EarlyEstimate:
    total_days: int | None
    used_days: int | None
    payout_pct: int
    daily: DailyAmount | None
    employment_months_required: int
    claim_after_months: int

    @property
    def remaining_days(self) -> int | None:
        if self.total_days is None or self.used_days is None:
            return None
        return max(0, self.total_days - self.used_days)

    @property
    def payable_days(self) -> float | None:
        remaining = self.remaining_days
        return remaining * self.payout_pct / 100 if remaining is not None else None

    @property
    def amount(self) -> int | None:
        remaining = self.remaining_days
        if remaining is None or self.daily is None:
            return None
        return self.daily.daily * remaining * self.payout_pct // 100


Estimate = UnemploymentEstimate | NesEstimate | EarlyEstimate


@dataclass(frozen=True)
class BenefitVerdict:
    """A benefit's verdict. `missing` lists the facts still worth asking: first those that can
    change the verdict (fastest-deciding first), then those that complete the figures; facts
    the user skipped are left out. `as_of` is the 기준일 of the tables used."""

    benefit: str
    name: str
    outcome: Outcome
    checks: tuple[Check, ...]
    missing: tuple[FactName, ...]
    estimate: Estimate | None
    as_of: str
    uncertain: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def next_fact(self) -> FactName | None:
        return self.missing[0] if self.missing else None

    @property
    def met(self) -> list[Check]:
        return [c for c in self.checks if c.status == "met"]

    @property
    def unmet(self) -> list[Check]:
        return [c for c in self.checks if c.status == "unmet"]

    @property
    def unknown(self) -> list[Check]:
        return [c for c in self.checks if c.status == "unknown"]

    @property
    def deciding(self) -> list[Check]:
        """Unknown conditions that decide the verdict, including facts the user skipped."""
        return self.unknown if self.outcome == "확인 필요" else []


# ── small helpers ─────────────────────────────────────────────────────────


def paid_days_from_months(months: float) -> int:
    """피보험 단위기간 for months of full-time work: 주 5일 + 유급 주휴일 ≈ 6 days in 7."""
    return int(months * 365 / 12 * 6 / 7)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _outcome(checks: list[Check]) -> Outcome:
    if any(c.status == "unmet" for c in checks):
        return "불가"
    if any(c.status == "unknown" for c in checks):
        return "확인 필요"
    return "가능"


def _missing(
    checks: list[Check], figures: list[FactName], facts: BenefitFacts, order: tuple[FactName, ...]
) -> tuple[FactName, ...]:
    if _outcome(checks) == "불가":
        return ()
    deciding = {c.fact for c in checks if c.status == "unknown" and c.fact is not None}
    first = [f for f in order if f in deciding and f not in facts.skipped]
    rest = [f for f in figures if f not in first and f not in facts.skipped]
    return tuple(first + rest)


def _as_of(*rows: object) -> str:
    dates = [getattr(r, "verified_on", None) for r in rows]
    return max((d for d in dates if d), default="")


# ── 구직급여 ────────────────────────────────────────────────────────────────


def benefit_days(
    tables: ReferenceTables, age: int, insured_months: int, disabled: bool = False
) -> BenefitDays:
    """소정급여일수 from 별표 1: the row for the age (장애인 → the 50+ row), the column for the
    insured period (band lower bounds inclusive: exactly 12 months is '1년 이상 3년 미만')."""
    table = tables.benefit_days
    band_index = max(i for i, b in enumerate(table.insured_bands) if insured_months >= b.min_months)
    rows = [r for r in table.rows if age >= r.age_min or (disabled and r.includes_disabled)]
    row = max(rows, key=lambda r: r.age_min)
    return BenefitDays(row.days[band_index], row.label, table.insured_bands[band_index].label)


def daily_amount(
    tables: ReferenceTables,
    monthly_wage: int,
    separated_on: dt.date,
    daily_hours: int | None = None,
) -> DailyAmount:
    """구직급여일액: 60 % of the average daily wage (3 months' wage ÷ their days), at most the
    year's 상한, at least the 하한 (최저임금 × hours ≤ 8 × 80 %) — the 하한 wins over the 상한."""
    rules = tables.unemployment_rules
    hours = min(daily_hours or rules.floor_max_hours, rules.floor_max_hours)
    wage = tables.min_wage(separated_on.year)
    floor = wage.value * hours * rules.floor_rate_pct // 100
    cap = tables.daily_cap(separated_on)
    average = monthly_wage * 3 // rules.wage_days_in_3_months
    amount = average * rules.benefit_rate_pct // 100
    basis: Literal["rate", "floor", "cap"] = "rate"
    if amount > cap.value:
        amount, basis = cap.value, "cap"
    if amount < floor:
        amount, basis = floor, "floor"
    return DailyAmount(
        amount, basis, floor, cap.value, separated_on.year, hours, wage.uncertain or cap.uncertain
    )


UNEMPLOYMENT_ORDER: tuple[FactName, ...] = (
    "employment_status", "separation", "insured_months", "insured_days_18m", "age",
    "hired_after_65",
)  # fmt: skip


def _separation_check(facts: BenefitFacts) -> Check:
    text = "본인 뜻과 달리 그만둠(해고·권고사직·계약 만료·정년·폐업 등)"
    if facts.separation is None:
        return Check(
            "separation",
            text,
            "unknown",
            "회사를 그만두신 이유를 알려 주시면 확인해 드릴게요.",
            "separation",
        )
    if facts.separation == "involuntary":
        return Check(
            "separation",
            text,
            "met",
            "본인 뜻과 달리 그만두셨으니 이 조건에 맞습니다.",
            "separation",
        )
    if facts.separation == "voluntary_exception":
        reason = "스스로 그만두셨어도 정당한 사유로 인정되면 받을 수 있어요. 고용센터가 증빙 서류를 보고 판단합니다."
        return Check("separation", text, "met", reason, "separation", uncertain=True)
    reason = "이직·개인 사정처럼 스스로 그만두면 원칙적으로 받을 수 없어요. 다만 정당한 사유가 있었다면 받을 수 있어요."
    return Check("separation", text, "unmet", reason, "separation")


def _insured_days_check(facts: BenefitFacts, tables: ReferenceTables) -> Check:
    rules = tables.unemployment_rules
    text = f"그만두기 전 {rules.lookback_months}개월 동안 고용보험 가입 기간(유급 일수) {rules.min_insured_days}일 이상"
    days = facts.insured_days_18m
    if days is not None:
        if days >= rules.min_insured_days:
            return Check(
                "insured_days",
                text,
                "met",
                f"{days}일이라 기준({rules.min_insured_days}일)을 넘습니다.",
                "insured_days_18m",
            )
        reason = f"{days}일이라 기준 {rules.min_insured_days}일에 모자라요. 최근 {rules.lookback_months}개월 안의 다른 직장 기간은 합칠 수 있어요."
        return Check("insured_days", text, "unmet", reason, "insured_days_18m")
    if facts.insured_months is not None and facts.insured_months >= 12:
        reason = "1년 넘게 계속 다니셨으니 주 4일 이상 일하셨다면 보통 채워져요."
        return Check("insured_days", text, "met", reason, "insured_days_18m")
    # the time at the last company often settles it (a year or more), so that is asked first
    ask: FactName = "insured_months" if facts.insured_months is None else "insured_days_18m"
    return Check(
        "insured_days", text, "unknown",
        f"최근 {rules.lookback_months}개월 동안 고용보험에 가입해 일한 기간을 알려 주시면 확인해 드릴게요.",
        ask,
    )  # fmt: skip


def _age_65_check(facts: BenefitFacts, tables: ReferenceTables) -> Check:
    limit = tables.unemployment_rules.excluded_if_hired_from_age
    text = f"{limit}세 이후 새로 고용된 경우가 아닐 것"
    if facts.age is None:
        return Check(
            "age_65",
            text,
            "unknown",
            "나이를 알려 주시면 받을 수 있는 날수까지 계산해 드릴게요.",
            "age",
        )
    if facts.age < limit:
        return Check("age_65", text, "met", f"만 {facts.age}세라 이 제한과 관계없습니다.", "age")
    if facts.hired_after_65 is None:
        reason = f"{limit}세 전부터 같은 회사에 계속 다니셨는지에 따라 달라져요."
        return Check("age_65", text, "unknown", reason, "hired_after_65")
    if facts.hired_after_65:
        reason = f"{limit}세 이후에 새로 고용되셨다면 실업급여를 받을 수 없어요(고용보험법 제10조)."
        return Check("age_65", text, "unmet", reason, "hired_after_65")
    reason = f"{limit}세 전부터 계속 고용돼 있었으니 받을 수 있어요."
    return Check("age_65", text, "met", reason, "hired_after_65")


def unemployment_benefit(
    facts: BenefitFacts, tables: ReferenceTables, today: dt.date
) -> BenefitVerdict:
    """구직급여(실업급여): verdict, 소정급여일수, expected daily amount, monthly and total."""
    rules = tables.unemployment_rules
    checks: list[Check] = []
    if facts.employment_status == "employed":
        checks.append(Check(
            "unemployed", "지금 일하지 않고 일자리를 찾는 중", "unmet",
            "지금 회사에 다니고 계시면 받을 수 없어요. 그만두신 뒤에 신청합니다.", "employment_status",
        ))  # fmt: skip
    checks.append(_separation_check(facts))
    checks.append(_insured_days_check(facts, tables))
    checks.append(_age_65_check(facts, tables))
    window_ends = None
    if facts.separation_date is not None:
        window_ends = add_months(facts.separation_date, rules.claim_window_months)
        text = f"그만둔 다음 날부터 {rules.claim_window_months}개월 안"
        if today > window_ends:
            reason = f"그만둔 다음 날부터 {rules.claim_window_months}개월이 지나 받을 수 없어요."
            checks.append(Check("claim_window", text, "unmet", reason, "separation_date"))
        else:
            reason = f"{window_ends.year}년 {window_ends.month}월 {window_ends.day}일까지만 받을 수 있으니 서둘러 신청하세요."
            checks.append(Check("claim_window", text, "met", reason, "separation_date"))

    separated_on = facts.separation_date or today
    days = None
    if facts.age is not None and facts.insured_months is not None:
        days = benefit_days(tables, facts.age, facts.insured_months, bool(facts.disabled))
    daily = None
    if facts.monthly_wage is not None:
        daily = daily_amount(tables, facts.monthly_wage, separated_on, facts.daily_hours)
    estimate = UnemploymentEstimate(
        days,
        daily,
        rules.days_per_month,
        window_ends,
        rules.claim_window_months,
        rules.waiting_days,
    )
    figures: list[FactName] = [
        f for f in ("age", "insured_months", "monthly_wage") if getattr(facts, f) is None
    ]  # type: ignore[misc]
    outcome = _outcome(checks)
    uncertain = any(c.uncertain for c in checks if c.status != "unknown") or bool(
        daily and daily.uncertain
    )
    return BenefitVerdict(
        UNEMPLOYMENT, "구직급여(실업급여)", outcome, tuple(checks),
        _missing(checks, figures, facts, UNEMPLOYMENT_ORDER),
        estimate if outcome != "불가" else None,
        _as_of(rules, tables.benefit_days, tables.daily_cap(separated_on).row),
        uncertain,
    )  # fmt: skip


# ── 국민취업지원제도 ───────────────────────────────────────────────────────

NES_ORDER: tuple[FactName, ...] = (
    "age", "household_size", "household_income", "received_benefit_6m", "household_assets",
    "months_worked_2y",
)  # fmt: skip


def _nes_age(facts: BenefitFacts, low: int, high: int, statutory_high: int) -> Check:
    text = f"만 {low}~{high}세"
    if facts.age is None:
        return Check("age", text, "unknown", "나이를 알려 주시면 확인해 드릴게요.", "age")
    if not low <= facts.age <= high:
        return Check(
            "age", text, "unmet", f"만 {facts.age}세라 나이 조건({text})에 맞지 않아요.", "age"
        )
    if facts.age > statutory_high:
        reason = f"만 {facts.age}세는 운영 안내상 신청할 수 있지만, 법에는 {statutory_high}세까지로 적혀 있어 고용센터 확인이 필요해요."
        return Check("age", text, "met", reason, "age", uncertain=True)
    return Check("age", text, "met", f"만 {facts.age}세라 나이 조건에 맞습니다.", "age")


def _nes_income(
    facts: BenefitFacts, tables: ReferenceTables, year: int, pct: int
) -> tuple[Check, int | None]:
    text = f"가구 월 소득이 기준 중위소득 {pct}% 이하"
    size = facts.household_size
    income = facts.household_income
    if size is not None:
        threshold = tables.threshold(year, size, pct)
        careful = threshold.uncertain
        if income is None:
            reason = f"{size}인 가구 기준 월 {won(threshold.value)} 이하여야 해요. 가구 월 소득을 알려 주세요."
            return Check(
                "income", text, "unknown", reason, "household_income", careful
            ), threshold.value
        if income <= threshold.value:
            reason = f"가구 소득 월 {attach(won(income), '이')} {size}인 가구 기준 월 {won(threshold.value)} 이하라 맞습니다."
            return Check(
                "income", text, "met", reason, "household_income", careful
            ), threshold.value
        reason = f"가구 소득 월 {attach(won(income), '이')} {size}인 가구 기준 월 {won(threshold.value)}보다 많아요."
        return Check("income", text, "unmet", reason, "household_income", careful), threshold.value
    if income is not None:
        single = tables.threshold(year, 1, pct)
        if income <= single.value:  # below the 1-person line: under every household's line
            reason = f"가구 소득 월 {attach(won(income), '은')} 1인 가구 기준(월 {won(single.value)})보다도 적어 가구원 수와 관계없이 맞습니다."
            return Check("income", text, "met", reason, "household_income", single.uncertain), None
    return Check(
        "income",
        text,
        "unknown",
        "함께 사는 가구원 수를 알려 주시면 기준 금액을 알려 드릴게요.",
        "household_size",
    ), None


def nes_type_1(facts: BenefitFacts, tables: ReferenceTables, today: dt.date) -> BenefitVerdict:
    """국민취업지원제도 Ⅰ유형 (요건심사형): age, recent 구직급여, income ≤ 60 %, assets, work history;
    with the year's 구직촉진수당 and 부양가족 가산."""
    rules = tables.nes_type_1
    year = today.year
    checks = [_nes_age(facts, rules.age_min, rules.age_max, rules.age_max_statutory)]
    income_check, threshold = _nes_income(facts, tables, year, rules.income_pct)
    checks.append(income_check)
    months = rules.recent_benefit_block_months
    text = f"실업급여를 받는 중이거나 끝난 지 {months}개월이 안 된 경우가 아닐 것"
    if facts.received_benefit_6m is None:
        checks.append(
            Check(
                "recent_benefit",
                text,
                "unknown",
                f"최근 {months}개월 안에 실업급여를 받으셨는지 알려 주세요.",
                "received_benefit_6m",
            )
        )
    elif facts.received_benefit_6m:
        reason = f"실업급여를 받는 중이거나 끝난 지 {months}개월이 안 되면 구직촉진수당을 받을 수 없어요. 끝난 뒤 {months}개월이 지나면 신청할 수 있어요."
        checks.append(Check("recent_benefit", text, "unmet", reason, "received_benefit_6m"))
    else:
        checks.append(
            Check(
                "recent_benefit",
                text,
                "met",
                "최근 실업급여를 받지 않으셨으니 맞습니다.",
                "received_benefit_6m",
            )
        )
    text = f"가구 재산 합계 {won(rules.assets_max)} 이하"
    if facts.household_assets is None:
        checks.append(
            Check(
                "assets",
                text,
                "unknown",
                "집·땅·전월세 보증금·자동차를 합친 가구 재산을 알려 주세요.",
                "household_assets",
            )
        )
    elif facts.household_assets <= rules.assets_max:
        checks.append(
            Check(
                "assets",
                text,
                "met",
                f"가구 재산이 {won(rules.assets_max)} 이하라 맞습니다.",
                "household_assets",
            )
        )
    else:
        checks.append(
            Check(
                "assets",
                text,
                "unmet",
                f"가구 재산이 {attach(won(rules.assets_max), '을')} 넘어요.",
                "household_assets",
            )
        )
    text = f"최근 {rules.work_lookback_years}년 안에 {rules.work_days_min}일(또는 {rules.work_hours_min}시간) 이상 일한 경험"
    if facts.months_worked_2y is None:
        checks.append(
            Check(
                "work_history",
                text,
                "unknown",
                f"최근 {rules.work_lookback_years}년 동안 일하신 기간을 알려 주세요.",
                "months_worked_2y",
            )
        )
    elif facts.months_worked_2y * 365 / 12 >= rules.work_days_min:
        checks.append(
            Check(
                "work_history",
                text,
                "met",
                f"최근 {rules.work_lookback_years}년 안에 {facts.months_worked_2y}개월 일하셨으니 맞습니다.",
                "months_worked_2y",
            )
        )
    else:
        reason = "일한 경험이 기준보다 짧으면 '선발형'으로 예산 범위에서 점수로 뽑혀야 해요. 고용센터에서 확인해 주세요."
        checks.append(Check("work_history", text, "unknown", reason, None))

    allowance = tables.allowance(year)
    supplement = tables.dependents(year)
    counted = min(facts.dependents or 0, supplement.value.max_dependents)
    estimate = NesEstimate(
        facts.household_size, rules.income_pct, threshold, year,
        allowance.value.monthly, allowance.value.months, counted,
        supplement.value.per_dependent_monthly, supplement.uncertain, allowance.year,
    )  # fmt: skip
    outcome = _outcome(checks)
    figures: list[FactName] = ["dependents"] if facts.dependents is None else []
    return BenefitVerdict(
        NES_TYPE_1, "국민취업지원제도 Ⅰ유형", outcome, tuple(checks),
        _missing(checks, figures, facts, NES_ORDER),
        estimate if outcome != "불가" else None,
        _as_of(rules, allowance.row, tables.median(year, 1).row),
        any(c.uncertain for c in checks if c.status != "unknown") or allowance.uncertain,
    )  # fmt: skip


def nes_type_2(facts: BenefitFacts, tables: ReferenceTables, today: dt.date) -> BenefitVerdict:
    """국민취업지원제도 Ⅱ유형 (중장년): age 35~69 and household income ≤ 100 % of the median."""
    rules = tables.nes_type_2
    year = today.year
    checks = [_nes_age(facts, rules.age_min, rules.age_max, tables.nes_type_1.age_max_statutory)]
    income_check, threshold = _nes_income(facts, tables, year, rules.income_pct)
    checks.append(income_check)
    outcome = _outcome(checks)
    estimate = NesEstimate(facts.household_size, rules.income_pct, threshold, year)
    return BenefitVerdict(
        NES_TYPE_2, "국민취업지원제도 Ⅱ유형", outcome, tuple(checks),
        _missing(checks, [], facts, NES_ORDER),
        estimate if outcome != "불가" else None,
        _as_of(rules, tables.median(year, 1).row),
        any(c.uncertain for c in checks if c.status != "unknown"),
    )  # fmt: skip


# ── 조기재취업수당 ──────────────────────────────────────────────────────────

EARLY_ORDER: tuple[FactName, ...] = (
    "early_allowance_2y", "rehired_by_former_employer", "benefit_days_used", "age",
    "insured_months", "days_claim_to_job", "new_job_months",
)  # fmt: skip


def early_reemployment(
    facts: BenefitFacts, tables: ReferenceTables, today: dt.date
) -> BenefitVerdict:
    """조기재취업수당: half or more of the 소정급여일수 left at reemployment after 14 days, 12 months
    in the new job (6 from age 65), none in the last 2 years → half of the remaining days paid."""
    rules = tables.early_reemployment
    checks: list[Check] = []
    total = facts.benefit_days_total
    if total is None and facts.age is not None and facts.insured_months is not None:
        total = benefit_days(tables, facts.age, facts.insured_months, bool(facts.disabled)).days
    text = f"재취업 전날까지 받을 날(소정급여일수)을 {rules.remaining_pct_min}% 이상 남김"
    if facts.benefit_days_used is None:
        checks.append(
            Check(
                "remaining",
                text,
                "unknown",
                "지금까지 구직급여를 며칠 받으셨는지 알려 주세요.",
                "benefit_days_used",
            )
        )
    elif total is None:
        fact: FactName = "age" if facts.age is None else "insured_months"
        checks.append(
            Check(
                "remaining",
                text,
                "unknown",
                "받을 수 있는 전체 날수를 계산하려면 나이와 가입 기간이 필요해요.",
                fact,
            )
        )
    else:
        remaining = max(0, total - facts.benefit_days_used)
        if remaining * 100 >= total * rules.remaining_pct_min:
            checks.append(
                Check(
                    "remaining",
                    text,
                    "met",
                    f"{total}일 중 {remaining}일이 남아 절반 이상이에요.",
                    "benefit_days_used",
                )
            )
        else:
            checks.append(
                Check(
                    "remaining",
                    text,
                    "unmet",
                    f"{total}일 중 {remaining}일만 남아 절반이 안 돼요.",
                    "benefit_days_used",
                )
            )
    text = f"실업 신고일부터 {rules.min_days_after_claim}일이 지난 뒤 재취업"
    if facts.days_claim_to_job is None:
        checks.append(
            Check(
                "after_claim",
                text,
                "unknown",
                "실업 신고 후 며칠 만에 취업하셨는지(하실지) 알려 주세요.",
                "days_claim_to_job",
            )
        )
    elif facts.days_claim_to_job > rules.min_days_after_claim:
        checks.append(
            Check(
                "after_claim",
                text,
                "met",
                f"신고 후 {facts.days_claim_to_job}일이 지나 취업하셨으니 맞습니다.",
                "days_claim_to_job",
            )
        )
    else:
        checks.append(
            Check(
                "after_claim",
                text,
                "unmet",
                f"신고 후 {rules.min_days_after_claim}일이 지나기 전에 취업하면 받을 수 없어요.",
                "days_claim_to_job",
            )
        )
    required = (
        rules.employment_months_from_age_65 if (facts.age or 0) >= 65 else rules.employment_months
    )
    text = f"새 직장에서 {required}개월 이상 계속 일함"
    if facts.new_job_months is None:
        checks.append(
            Check(
                "stay",
                text,
                "unknown",
                f"새 직장에서 {required}개월 이상 계속 일하실 수 있는지 알려 주세요.",
                "new_job_months",
            )
        )
    elif facts.new_job_months >= required:
        checks.append(
            Check("stay", text, "met", f"{required}개월 이상 일하시면 맞습니다.", "new_job_months")
        )
    else:
        checks.append(
            Check(
                "stay",
                text,
                "unmet",
                f"{required}개월을 채우지 못하면 받을 수 없어요.",
                "new_job_months",
            )
        )
    text = f"최근 {rules.no_prior_receipt_years}년 안에 조기재취업수당을 받은 적 없음"
    if facts.early_allowance_2y is None:
        checks.append(
            Check(
                "prior",
                text,
                "unknown",
                f"최근 {rules.no_prior_receipt_years}년 안에 조기재취업수당을 받으셨는지 알려 주세요.",
                "early_allowance_2y",
            )
        )
    elif facts.early_allowance_2y:
        checks.append(
            Check(
                "prior",
                text,
                "unmet",
                f"최근 {rules.no_prior_receipt_years}년 안에 받으셨으면 다시 받을 수 없어요.",
                "early_allowance_2y",
            )
        )
    else:
        checks.append(
            Check("prior", text, "met", "최근에 받은 적이 없으니 맞습니다.", "early_allowance_2y")
        )
    text = "그만둔 회사(관련 회사 포함)에 다시 고용된 경우가 아닐 것"
    if facts.rehired_by_former_employer is None:
        checks.append(
            Check(
                "former_employer",
                text,
                "unknown",
                "새 직장이 전에 그만둔 회사나 그 관련 회사인지 알려 주세요.",
                "rehired_by_former_employer",
            )
        )
    elif facts.rehired_by_former_employer:
        checks.append(
            Check(
                "former_employer",
                text,
                "unmet",
                "전에 다니던 회사나 관련 회사에 다시 들어가면 받을 수 없어요.",
                "rehired_by_former_employer",
            )
        )
    else:
        checks.append(
            Check(
                "former_employer",
                text,
                "met",
                "다른 회사에 취업하셨으니 맞습니다.",
                "rehired_by_former_employer",
            )
        )
    exclusion = tables.wage_exclusion(today)
    if exclusion is not None and facts.new_job_monthly_wage is not None:
        text = f"새 직장 월 임금이 {won(exclusion.monthly_wage)} 미만"
        if facts.new_job_monthly_wage >= exclusion.monthly_wage:
            checks.append(
                Check(
                    "wage_cap",
                    text,
                    "unmet",
                    f"새 직장 월 임금이 {won(exclusion.monthly_wage)} 이상이면 받을 수 없다고 안내돼요.",
                    "new_job_monthly_wage",
                    True,
                )
            )
        else:
            checks.append(
                Check(
                    "wage_cap",
                    text,
                    "met",
                    "새 직장 임금이 제외 기준보다 낮아요.",
                    "new_job_monthly_wage",
                    True,
                )
            )

    separated_on = facts.separation_date or today
    daily = (
        daily_amount(tables, facts.monthly_wage, separated_on, facts.daily_hours)
        if facts.monthly_wage is not None
        else None
    )
    claim_after = 0 if (facts.age or 0) >= 65 else rules.employment_months
    estimate = EarlyEstimate(
        total, facts.benefit_days_used, rules.payout_pct, daily, required, claim_after
    )
    outcome = _outcome(checks)
    figures: list[FactName] = ["monthly_wage"] if facts.monthly_wage is None else []
    return BenefitVerdict(
        EARLY, "조기재취업수당", outcome, tuple(checks),
        _missing(checks, figures, facts, EARLY_ORDER),
        estimate if outcome != "불가" else None,
        _as_of(rules, tables.benefit_days),
        any(c.uncertain for c in checks if c.status != "unknown") or bool(daily and daily.uncertain),
    )  # fmt: skip


# ── the whole profile ──────────────────────────────────────────────────────

_RANK = {"가능": 0, "확인 필요": 1, "불가": 2}


@dataclass(frozen=True)
class OverviewItem:
    program: Program
    outcome: Outcome
    reason: str  # the deciding reason in one sentence
    benefit: BenefitVerdict | None  # set for programs with a computed verdict
    verdict: eligibility.Verdict | None  # set for the other programs


def _best_nes(facts: BenefitFacts, tables: ReferenceTables, today: dt.date) -> BenefitVerdict:
    one, two = nes_type_1(facts, tables, today), nes_type_2(facts, tables, today)
    return one if _RANK[one.outcome] <= _RANK[two.outcome] else two


def _benefit_reason(verdict: BenefitVerdict) -> str:
    if verdict.unmet:
        return verdict.unmet[0].reason
    if verdict.unknown:
        return verdict.unknown[0].reason
    return verdict.checks[0].reason if verdict.checks else ""


def _program_reason(verdict: eligibility.Verdict) -> str:
    for group in (verdict.unmet, verdict.unknown, verdict.met):
        if group:
            return group[0].reason
    return verdict.program.summary


def overview(
    facts: BenefitFacts, tables: ReferenceTables, programs: list[Program], today: dt.date
) -> list[OverviewItem]:
    """Every program and benefit with its verdict for this profile, best first: 가능, then
    확인 필요, then 불가; within each, what the person applies for before employer subsidies,
    computed money benefits first, fewer open questions, nationwide before regional."""
    computed = {
        UNEMPLOYMENT: lambda: unemployment_benefit(facts, tables, today),
        NES: lambda: _best_nes(facts, tables, today),
        EARLY: lambda: early_reemployment(facts, tables, today),
    }
    items: list[OverviewItem] = []
    for program in programs:
        if program.id in computed:
            verdict = computed[program.id]()
            items.append(
                OverviewItem(program, verdict.outcome, _benefit_reason(verdict), verdict, None)
            )
        else:
            generic = eligibility.evaluate(program, facts.base())
            items.append(
                OverviewItem(program, generic.outcome, _program_reason(generic), None, generic)
            )

    def key(item: OverviewItem) -> tuple[int, bool, bool, int, bool, str]:
        open_questions = len(item.benefit.unknown) if item.benefit else len(item.verdict.unknown)  # type: ignore[union-attr]
        return (
            _RANK[item.outcome],
            item.program.audience == "employer",
            item.benefit is None,
            open_questions,
            item.program.scope != "전국",
            item.program.id,
        )

    return sorted(items, key=key)
