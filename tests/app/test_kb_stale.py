"""`ieum kb stale`: facts whose 기준일 or source year is before a date, grouped by entry."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.freshness import period_end, render, stale_facts
from knowledge.kb_files import DEFAULT_KB_DIR, load_kb

ROOT = Path(__file__).parents[2]
KB = load_kb(DEFAULT_KB_DIR)


@pytest.mark.parametrize(
    "as_of, end",
    [("2025", dt.date(2025, 12, 31)), ("2024-02", dt.date(2024, 2, 29)),
     ("2026-02-23", dt.date(2026, 2, 23)), (2023, dt.date(2023, 12, 31))],
)  # fmt: skip
def test_a_date_means_the_end_of_its_period(as_of: str | int, end: dt.date) -> None:
    assert period_end(as_of) == end


def test_old_verified_dates_and_sources_are_grouped_by_program() -> None:
    groups = stale_facts(KB, dt.date(2026, 1, 1))
    by_key = {g.key: g for g in groups}
    lifecycle = by_key["lifecycle_career_design"]
    assert lifecycle.title == "생애경력설계서비스"
    assert ("기준일", "2025-03") in {(f.what, f.dated) for f in lifecycle.facts}
    assert {f.dated for f in lifecycle.facts if f.what == "출처"} == {
        "2025",
        "2019",
        "2016",
        "2015",
    }
    # checked in 2026 with 2026 sources: only its 2025 source is old
    unemployment = by_key["unemployment_benefit"]
    assert all(f.what != "기준일" for f in unemployment.facts)
    nes = by_key["national_employment_support"]
    assert any(f.what == "사실 type_2_activity_cost" and f.uncertain for f in nes.facts)
    assert any(g.kind == "tables" and g.key == "median_income.2025" for g in groups)
    assert not any(g.kind == "centers" for g in groups)


def test_the_date_moves_the_line() -> None:
    assert stale_facts(KB, dt.date(2000, 1, 1)) == []
    keys = {g.key for g in stale_facts(KB, dt.date(2026, 12, 1))}
    assert "minimum_wage.2027" in keys  # verified 2026-11-30
    assert "minimum_wage.2027" not in {g.key for g in stale_facts(KB, dt.date(2026, 11, 30))}


def test_centers_on_request() -> None:
    groups = stale_facts(KB, dt.date(2030, 1, 1), kinds=("centers",))
    assert len(groups) == len(KB.centers)


def test_render_counts_what_it_lists() -> None:
    groups = stale_facts(KB, dt.date(2026, 1, 1))
    lines = render(groups, dt.date(2026, 1, 1))
    assert (
        lines[-1]
        == f"2026-01-01 이전 자료 {sum(len(g.facts) for g in groups)}건, 항목 {len(groups)}개"
    )


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "kb", "stale", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_command_lists_stale_facts() -> None:
    result = run("--before", "2026-01-01")
    assert result.returncode == 0, result.stderr
    assert "[프로그램] 생애경력설계서비스 (lifecycle_career_design)" in result.stdout
    assert "  - 기준일 2025-03: 생애경력설계서비스" in result.stdout
    assert "[기준표] 기준 중위소득 2025년 (median_income.2025)" in result.stdout


def test_command_rejects_a_bad_date() -> None:
    result = run("--before", "2026-13-01")
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr
