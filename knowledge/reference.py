"""Reference tables the benefit calculations read: 기준 중위소득, 최저임금, 구직급여 상·하한,
소정급여일수, 구직촉진수당, 조기재취업수당 rules — data with a source and year, never code constants.

Next year's figures are a YAML edit (`knowledge/data/reference_tables.yaml`) plus `ieum kb load`.
Lookups pick the row for a year or a separation date and say when they had to fall back to an
older row, so answers can call the figure uncertain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from pydantic import Field, field_validator, model_validator

from knowledge.schema import AsOf, Strict, Text

Won = Annotated[int, Field(ge=0)]
Percent = Annotated[int, Field(ge=1, le=200)]


class RefSource(Strict):
    """A source: a URL, or (when the research found none) a note saying what it rests on."""

    url: str | None = None
    year: int = Field(ge=2000, le=2100)
    note: str | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @model_validator(mode="after")
    def _url_or_note(self) -> RefSource:
        if self.url is None and not self.note:
            raise ValueError("a source needs a url or a note")
        return self


class Sourced(Strict):
    """Common provenance of every table row."""

    sources: list[RefSource] = Field(min_length=1)
    verified_on: AsOf
    uncertain: bool = False
    uncertain_reason: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _reason(self) -> Sourced:
        if self.uncertain and not self.uncertain_reason:
            raise ValueError("an uncertain row needs uncertain_reason")
        return self


class MedianIncomeRow(Sourced):
    """기준 중위소득 (월, 원) by household size for one year."""

    year: int = Field(ge=2000, le=2100)
    monthly: dict[int, Won] = Field(min_length=1)
    extra_per_person: Won | None = None  # added per person beyond the largest listed size

    @field_validator("monthly")
    @classmethod
    def _sizes(cls, value: dict[int, int]) -> dict[int, int]:
        sizes = sorted(value)
        if sizes != list(range(1, len(sizes) + 1)):
            raise ValueError("household sizes must run 1, 2, 3 … without gaps")
        amounts = [value[s] for s in sizes]
        if amounts != sorted(amounts):
            raise ValueError("amounts must grow with household size")
        return value


class MinimumWageRow(Sourced):
    year: int = Field(ge=2000, le=2100)
    hourly: Won


class DailyLimitRow(Sourced):
    """구직급여 1일 상한 for people who left on or after `separated_from`."""

    separated_from: dt.date
    daily_cap: Won
    base_daily_wage_cap: Won


class UnemploymentRules(Sourced):
    benefit_rate_pct: Percent  # 구직급여일액 = 기초일액 × 60 %
    floor_rate_pct: Percent  # 하한 = 최저임금 × 1일 소정근로시간 × 80 %
    floor_max_hours: int = Field(ge=1, le=24)
    min_insured_days: int = Field(ge=1)  # 피보험 단위기간
    lookback_months: int = Field(ge=1)
    claim_window_months: int = Field(ge=1)  # 이직 다음 날부터 12개월 안에
    waiting_days: int = Field(ge=0)
    excluded_if_hired_from_age: int = Field(ge=1, le=120)
    wage_days_in_3_months: int = Field(ge=89, le=92)  # 평균임금 = 3개월 임금 ÷ 그 기간 일수
    days_per_month: int = Field(ge=28, le=31)  # "월 약 …" figures


class InsuredBand(Strict):
    key: Text
    label: Text
    min_months: int = Field(ge=0)


class BenefitDaysRow(Strict):
    key: Text
    label: Text
    age_min: int = Field(ge=0, le=120)
    includes_disabled: bool = False
    days: list[int] = Field(min_length=1)


class BenefitDaysTable(Sourced):
    """소정급여일수 (고용보험법 별표 1): age band × insured-period band."""

    separated_from: dt.date
    insured_bands: list[InsuredBand] = Field(min_length=1)
    rows: list[BenefitDaysRow] = Field(min_length=1)

    @model_validator(mode="after")
    def _shape(self) -> BenefitDaysTable:
        starts = [b.min_months for b in self.insured_bands]
        if starts[0] != 0 or starts != sorted(set(starts)):
            raise ValueError("insured_bands must start at 0 months and grow")
        for row in self.rows:
            if len(row.days) != len(self.insured_bands):
                raise ValueError(f"row {row.key} needs one figure per insured band")
        ages = [r.age_min for r in self.rows]
        if ages[0] != 0 or ages != sorted(set(ages)):
            raise ValueError("rows must start at age 0 and grow")
        return self


class AllowanceRow(Sourced):
    """국민취업지원제도 Ⅰ유형 구직촉진수당 for one year."""

    year: int = Field(ge=2000, le=2100)
    monthly: Won
    months: int = Field(ge=1, le=24)


class DependentSupplementRow(Sourced):
    """구직촉진수당 부양가족 가산 for one year."""

    year: int = Field(ge=2000, le=2100)
    per_dependent_monthly: Won
    max_dependents: int = Field(ge=0, le=10)


class NesTypeOne(Sourced):
    age_min: int
    age_max: int
    age_max_statutory: int
    income_pct: Percent
    assets_max: Won
    work_days_min: int
    work_hours_min: int
    work_lookback_years: int
    recent_benefit_block_months: int


class NesTypeTwo(Sourced):
    age_min: int
    age_max: int
    income_pct: Percent


class EarlyReemploymentRules(Sourced):
    min_days_after_claim: int = Field(ge=0)
    remaining_pct_min: Percent
    payout_pct: Percent
    employment_months: int = Field(ge=1)
    employment_months_from_age_65: int = Field(ge=1)
    no_prior_receipt_years: int = Field(ge=0)


class WageExclusionRow(Sourced):
    """조기재취업수당 제외: 재취업 후 월 임금이 고시 금액 이상."""

    valid_from: dt.date
    valid_to: dt.date
    monthly_wage: Won


class ReferenceTables(Strict):
    median_income: list[MedianIncomeRow] = Field(min_length=1)
    minimum_wage: list[MinimumWageRow] = Field(min_length=1)
    unemployment_daily_limits: list[DailyLimitRow] = Field(min_length=1)
    unemployment_rules: UnemploymentRules
    benefit_days: BenefitDaysTable
    job_seeking_allowance: list[AllowanceRow] = Field(min_length=1)
    dependent_supplement: list[DependentSupplementRow] = Field(min_length=1)
    nes_type_1: NesTypeOne
    nes_type_2: NesTypeTwo
    early_reemployment: EarlyReemploymentRules
    early_reemployment_wage_exclusion: list[WageExclusionRow] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_years(self) -> ReferenceTables:
        for name in ("median_income", "minimum_wage", "job_seeking_allowance",
                     "dependent_supplement"):  # fmt: skip
            years = [row.year for row in getattr(self, name)]
            if len(years) != len(set(years)):
                raise ValueError(f"{name}: a year is listed twice")
        return self

    # ── lookups ─────────────────────────────────────────────────────────

    def median(self, year: int, household_size: int) -> Looked[int]:
        """기준 중위소득 for a household, from the year's row (or the newest older one)."""
        row, fallback = _by_year(self.median_income, year)
        largest = max(row.monthly)
        if household_size <= largest:
            amount = row.monthly[max(1, household_size)]
        else:
            step = row.extra_per_person or (row.monthly[largest] - row.monthly[largest - 1])
            amount = row.monthly[largest] + step * (household_size - largest)
        return Looked(amount, row.year, fallback or row.uncertain, row)

    def threshold(self, year: int, household_size: int, pct: int) -> Looked[int]:
        """`pct` % of the median, 원 미만 버림 (exact integer arithmetic)."""
        median = self.median(year, household_size)
        return Looked(median.value * pct // 100, median.year, median.uncertain, median.row)

    def min_wage(self, year: int) -> Looked[int]:
        row, fallback = _by_year(self.minimum_wage, year)
        return Looked(row.hourly, row.year, fallback or row.uncertain, row)

    def daily_cap(self, separated_on: dt.date) -> Looked[int]:
        rows = sorted(self.unemployment_daily_limits, key=lambda r: r.separated_from)
        fitting = [r for r in rows if r.separated_from <= separated_on]
        row = fitting[-1] if fitting else rows[0]
        # the newest row stands for its own year only: a later year's cap is not decided yet
        guess = not fitting or (row is rows[-1] and separated_on.year > row.separated_from.year)
        return Looked(row.daily_cap, row.separated_from.year, guess or row.uncertain, row)

    def allowance(self, year: int) -> Looked[AllowanceRow]:
        row, fallback = _by_year(self.job_seeking_allowance, year)
        return Looked(row, row.year, fallback or row.uncertain, row)

    def dependents(self, year: int) -> Looked[DependentSupplementRow]:
        row, fallback = _by_year(self.dependent_supplement, year)
        return Looked(row, row.year, fallback or row.uncertain, row)

    def wage_exclusion(self, on: dt.date) -> WageExclusionRow | None:
        return next(
            (r for r in self.early_reemployment_wage_exclusion if r.valid_from <= on <= r.valid_to),
            None,
        )


T = TypeVar("T")
R = TypeVar("R", MedianIncomeRow, MinimumWageRow, AllowanceRow, DependentSupplementRow)


@dataclass(frozen=True)
class Looked(Generic[T]):
    """A looked-up value, the year of the row it came from, and whether it is only an estimate."""

    value: T
    year: int
    uncertain: bool
    row: Sourced


def _by_year(rows: list[R], year: int) -> tuple[R, bool]:
    """The row for `year`, else the newest older row (a fallback), else the oldest row."""
    ordered = sorted(rows, key=lambda r: r.year)
    exact = [r for r in ordered if r.year == year]
    if exact:
        return exact[0], False
    older = [r for r in ordered if r.year < year]
    return (older[-1] if older else ordered[0]), True
