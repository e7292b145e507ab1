"""Which KB facts are old: a 기준일 or a source year before a given date, grouped by entry.

An operator runs `ieum kb stale` each January to see what to re-check. A date is "older" when its
whole period ends before the cut-off: "2025" counts as 2025-12-31, "2025-03" as 2025-03-31.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from knowledge.kb_files import KnowledgeBase
from knowledge.reference import ReferenceTables, RefSource, Sourced
from knowledge.schema import Source

KINDS: tuple[str, ...] = ("programs", "tables", "centers")


@dataclass(frozen=True)
class StaleFact:
    what: str  # 기준일 / 출처 / 사실 <key>
    dated: str  # as written: "2025", "2025-03", "2026-02-23"
    detail: str  # the URL, the note or the fact's text
    uncertain: bool = False


@dataclass(frozen=True)
class StaleGroup:
    kind: str  # programs | tables | centers
    key: str  # entry id or table name
    title: str
    facts: tuple[StaleFact, ...]


def period_end(as_of: str | int) -> dt.date:
    """Last day a 기준일 can mean: "2025" → 2025-12-31, "2025-03" → 2025-03-31."""
    parts = [int(p) for p in str(as_of).split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return dt.date(parts[0], parts[1], parts[2])


def _old(as_of: str | int | None, before: dt.date) -> bool:
    return as_of is not None and period_end(as_of) < before


def _sources(sources: Iterable[Source | RefSource], before: dt.date) -> list[StaleFact]:
    out = []
    for source in sources:
        if _old(source.year, before):
            detail = source.url or getattr(source, "note", None) or ""
            out.append(
                StaleFact("출처", str(source.year), detail, getattr(source, "uncertain", False))
            )
    return out


def _program_groups(kb: KnowledgeBase, before: dt.date) -> list[StaleGroup]:
    groups = []
    for program in kb.programs.values():
        facts: list[StaleFact] = []
        if _old(program.verified_on, before):
            facts.append(StaleFact("기준일", program.verified_on, program.name, program.uncertain))
        facts.extend(_sources(program.sources, before))
        for record in program.facts:
            old_sources = [s for s in record.sources if _old(s.year, before)]
            if _old(record.verified_on, before) or old_sources:
                dated = (
                    record.verified_on
                    if _old(record.verified_on, before)
                    else str(min(s.year for s in old_sources))
                )
                facts.append(StaleFact(f"사실 {record.key}", dated, record.text, record.uncertain))
        if facts:
            groups.append(StaleGroup("programs", program.id, program.name, tuple(facts)))
    return groups


def _table_rows(tables: ReferenceTables) -> list[tuple[str, str, Sourced]]:
    rows: list[tuple[str, str, Sourced]] = []
    rows += [
        (f"median_income.{r.year}", f"기준 중위소득 {r.year}년", r) for r in tables.median_income
    ]
    rows += [(f"minimum_wage.{r.year}", f"최저임금 {r.year}년", r) for r in tables.minimum_wage]
    rows += [
        (
            f"unemployment_daily_limits.{r.separated_from}",
            f"구직급여 상한 ({r.separated_from} 이후 이직)",
            r,
        )
        for r in tables.unemployment_daily_limits
    ]
    rows += [
        ("unemployment_rules", "구직급여 규칙", tables.unemployment_rules),
        ("benefit_days", "소정급여일수", tables.benefit_days),
    ]
    rows += [
        (f"job_seeking_allowance.{r.year}", f"구직촉진수당 {r.year}년", r)
        for r in tables.job_seeking_allowance
    ]
    rows += [
        (f"dependent_supplement.{r.year}", f"구직촉진수당 부양가족 가산 {r.year}년", r)
        for r in tables.dependent_supplement
    ]
    rows += [
        ("nes_type_1", "국민취업지원제도 Ⅰ유형 기준", tables.nes_type_1),
        ("nes_type_2", "국민취업지원제도 Ⅱ유형 기준", tables.nes_type_2),
        ("early_reemployment", "조기재취업수당 규칙", tables.early_reemployment),
    ]
    rows += [
        (f"early_reemployment_wage_exclusion.{r.valid_from}", "조기재취업수당 제외 임금액", r)
        for r in tables.early_reemployment_wage_exclusion
    ]
    return rows


def _table_groups(kb: KnowledgeBase, before: dt.date) -> list[StaleGroup]:
    if kb.reference is None:
        return []
    groups = []
    for key, title, row in _table_rows(kb.reference):
        facts: list[StaleFact] = []
        if _old(row.verified_on, before):
            facts.append(StaleFact("기준일", row.verified_on, title, row.uncertain))
        facts.extend(_sources(row.sources, before))
        if facts:
            groups.append(StaleGroup("tables", key, title, tuple(facts)))
    return groups


def _center_groups(kb: KnowledgeBase, before: dt.date) -> list[StaleGroup]:
    groups = []
    for center in kb.centers.values():
        facts: list[StaleFact] = []
        if _old(center.verified_on, before):
            facts.append(StaleFact("기준일", center.verified_on, center.name, center.uncertain))
        facts.extend(_sources(center.sources, before))
        if facts:
            groups.append(StaleGroup("centers", center.id, center.name, tuple(facts)))
    return groups


def stale_facts(
    kb: KnowledgeBase, before: dt.date, kinds: Iterable[str] = ("programs", "tables")
) -> list[StaleGroup]:
    """Every fact dated before `before`, one group per program / table row / center."""
    build = {"programs": _program_groups, "tables": _table_groups, "centers": _center_groups}
    groups: list[StaleGroup] = []
    for kind in KINDS:
        if kind in kinds:
            groups.extend(build[kind](kb, before))
    return groups


KIND_TITLES = {"programs": "프로그램", "tables": "기준표", "centers": "센터"}


def render(groups: list[StaleGroup], before: dt.date) -> list[str]:
    """Lines for the terminal: a heading per group, one line per fact, a count at the end."""
    lines: list[str] = []
    for group in groups:
        lines.append(f"[{KIND_TITLES[group.kind]}] {group.title} ({group.key})")
        for fact in group.facts:
            flag = " · 불확실" if fact.uncertain else ""
            lines.append(f"  - {fact.what} {fact.dated}{flag}: {fact.detail}")
    count = sum(len(g.facts) for g in groups)
    lines.append(f"{before.isoformat()} 이전 자료 {count}건, 항목 {len(groups)}개")
    return lines
