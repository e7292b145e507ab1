"""Eligibility as data: a program's declared conditions evaluated against what the user said.

The verdict is 가능 (every checkable condition met, nothing else to verify), 불가 (a condition is
not met) or 확인 필요 (a fact is still missing, or a condition can only be checked at a center).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from knowledge.districts import same_region
from knowledge.plain_text import public_text
from knowledge.schema import (
    EMPLOYMENT_STATUS_KO,
    AgeCondition,
    OtherCondition,
    Program,
    RegionCondition,
    StatusCondition,
)

Outcome = Literal["가능", "불가", "확인 필요"]
Status = Literal["met", "unmet", "unknown"]
Fact = Literal["age", "employment_status", "region"]
FACT_ORDER: tuple[Fact, ...] = ("age", "employment_status", "region")


@dataclass(frozen=True)
class Facts:
    age: int | None = None
    employment_status: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class ConditionResult:
    text: str
    status: Status
    reason: str
    fact: Fact | None
    uncertain: bool


@dataclass(frozen=True)
class Verdict:
    program: Program
    outcome: Outcome
    results: list[ConditionResult] = field(default_factory=list)
    missing: list[Fact] = field(default_factory=list)

    @property
    def met(self) -> list[ConditionResult]:
        return [r for r in self.results if r.status == "met"]

    @property
    def unmet(self) -> list[ConditionResult]:
        return [r for r in self.results if r.status == "unmet"]

    @property
    def unknown(self) -> list[ConditionResult]:
        return [r for r in self.results if r.status == "unknown"]


def _said(condition_text: str) -> str:
    """A condition as quoted in a reason: its research asides stay in the KB."""
    return public_text(condition_text) or condition_text


def _age(condition: AgeCondition, age: int | None) -> ConditionResult:
    if age is None:
        return ConditionResult(
            condition.text,
            "unknown",
            "나이를 알려 주시면 확인해 드릴게요.",
            "age",
            condition.uncertain,
        )
    low_ok = condition.min is None or age >= condition.min
    high_ok = condition.max is None or age <= condition.max
    if low_ok and high_ok:
        reason = f"만 {age}세로 '{_said(condition.text)}' 조건에 맞아요."
        return ConditionResult(condition.text, "met", reason, "age", condition.uncertain)
    reason = f"만 {age}세라 '{_said(condition.text)}' 조건에 맞지 않아요."
    return ConditionResult(condition.text, "unmet", reason, "age", condition.uncertain)


def _status(condition: StatusCondition, status: str | None) -> ConditionResult:
    if status is None:
        return ConditionResult(
            condition.text, "unknown", "지금 일하고 계신지 알려 주시면 확인해 드릴게요.", "employment_status",
            condition.uncertain,
        )  # fmt: skip
    said = EMPLOYMENT_STATUS_KO.get(status, status)
    if status in condition.any_of:
        reason = f"지금 상황({said})으로 보면 '{_said(condition.text)}' 조건에 맞아요."
        return ConditionResult(
            condition.text, "met", reason, "employment_status", condition.uncertain
        )
    reason = f"지금 상황({said})으로는 '{_said(condition.text)}' 조건에 맞지 않아요."
    return ConditionResult(
        condition.text, "unmet", reason, "employment_status", condition.uncertain
    )


def _region(condition: RegionCondition, region: str | None) -> ConditionResult:
    if region is None:
        return ConditionResult(
            condition.text,
            "unknown",
            "사시는 지역을 알려 주시면 확인해 드릴게요.",
            "region",
            condition.uncertain,
        )
    if any(same_region(region, allowed) for allowed in condition.any_of):
        reason = f"{region}에 사시니 '{_said(condition.text)}' 조건에 맞아요."
        return ConditionResult(condition.text, "met", reason, "region", condition.uncertain)
    where = "·".join(condition.any_of)
    reason = f"{where}에 사는 분만 신청할 수 있어 {region}에 사시면 '{_said(condition.text)}' 조건에 맞지 않아요."
    return ConditionResult(condition.text, "unmet", reason, "region", condition.uncertain)


def _other(condition: OtherCondition) -> ConditionResult:
    reason = f"'{_said(condition.text)}' 조건은 센터나 1350에서 확인할 수 있어요."
    return ConditionResult(condition.text, "unknown", reason, None, condition.uncertain)


def evaluate(program: Program, facts: Facts) -> Verdict:
    results: list[ConditionResult] = []
    for condition in program.conditions:
        if isinstance(condition, AgeCondition):
            results.append(_age(condition, facts.age))
        elif isinstance(condition, StatusCondition):
            results.append(_status(condition, facts.employment_status))
        elif isinstance(condition, RegionCondition):
            results.append(_region(condition, facts.region))
        else:
            results.append(_other(condition))
    needed = {r.fact for r in results if r.status == "unknown" and r.fact is not None}
    missing = [fact for fact in FACT_ORDER if fact in needed]
    if any(r.status == "unmet" for r in results):
        outcome: Outcome = "불가"
    elif any(r.status == "unknown" for r in results):
        outcome = "확인 필요"
    else:
        outcome = "가능"
    return Verdict(program, outcome, results, missing)


def facts_needed(program: Program, facts: Facts) -> list[Fact]:
    """The facts to ask for, in a fixed order — but none once a known fact already rules it out."""
    verdict = evaluate(program, facts)
    if verdict.unmet:
        return []
    return verdict.missing


def rank_programs(programs: list[Program], facts: Facts) -> list[Verdict]:
    """Programs that may fit, best first: 가능 before 확인 필요; 불가 left out."""
    order = {"가능": 0, "확인 필요": 1}
    verdicts = [evaluate(p, facts) for p in programs]
    fitting = [
        v
        for v in verdicts
        if v.outcome != "불가"
        # a regional program is only offered to people known to live there
        and (
            v.program.scope == "전국"
            or facts.region is None
            or same_region(v.program.scope, facts.region)
        )
    ]
    return sorted(
        fitting,
        key=lambda v: (
            order[v.outcome],
            len(v.missing),
            len(v.unknown),
            v.program.scope == "전국",
            v.program.id,
        ),
    )
