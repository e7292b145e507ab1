"""The 기준표 (reference_tables.yaml): validated like the rest, served by the catalog, reloaded by `kb load`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from knowledge.catalog_store import Catalog, load_into_db
from knowledge.db import make_engine, make_sessionmaker
from knowledge.kb_files import DEFAULT_KB_DIR, REFERENCE_FILE, load_kb, read_kb
from knowledge.migrate import upgrade_database


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_KB_DIR, target)
    return target


def _edit(root: Path, change) -> None:  # type: ignore[no-untyped-def]
    path = root / REFERENCE_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data["reference_tables"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_every_row_has_a_source_and_year() -> None:
    tables = load_kb(DEFAULT_KB_DIR).reference
    assert tables is not None
    rows = [*tables.median_income, *tables.minimum_wage, *tables.unemployment_daily_limits,
            *tables.job_seeking_allowance, *tables.dependent_supplement,
            tables.unemployment_rules, tables.benefit_days, tables.nes_type_1, tables.nes_type_2,
            tables.early_reemployment]  # fmt: skip
    for row in rows:
        assert row.sources and all(s.year >= 2019 for s in row.sources)
        assert all(s.url or s.note for s in row.sources)


def test_bad_values_are_named_by_file_table_and_field(kb_copy: Path) -> None:
    def shrink(tables: dict) -> None:  # type: ignore[type-arg]
        tables["median_income"][1]["monthly"][3] = 1  # smaller than 2 people
        tables["unemployment_rules"]["benefit_rate_pct"] = "sixty"

    _edit(kb_copy, shrink)
    _, problems = read_kb(kb_copy)
    lines = [str(p) for p in problems]
    assert any(
        line.startswith("data/reference_tables.yaml: median_income: 1.monthly: ") for line in lines
    ), lines
    assert any(
        line.startswith("data/reference_tables.yaml: unemployment_rules: benefit_rate_pct: ")
        for line in lines
    ), lines


def test_a_missing_table_file_is_a_problem(kb_copy: Path) -> None:
    (kb_copy / REFERENCE_FILE).unlink()
    _, problems = read_kb(kb_copy)
    assert "data/reference_tables.yaml: -: -: file is missing" in [str(p) for p in problems]


def test_a_benefit_days_row_must_cover_every_band(kb_copy: Path) -> None:
    _edit(kb_copy, lambda t: t["benefit_days"]["rows"][0]["days"].pop())
    _, problems = read_kb(kb_copy)
    assert any(p.entry == "benefit_days" for p in problems)


async def test_catalog_serves_tables_and_sees_a_reload(kb_copy: Path, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'ref.db'}")
    await upgrade_database(engine)
    sessions = make_sessionmaker(engine)
    try:
        await load_into_db(sessions, load_kb(kb_copy))
        catalog = Catalog(sessions, kb_copy)
        first = await catalog.reference_tables()
        assert first.min_wage(2026).value == 10320
        assert await catalog.reference_tables() is first  # kept in memory between calls

        def raise_2026(tables: dict) -> None:  # type: ignore[type-arg]
            next(r for r in tables["minimum_wage"] if r["year"] == 2026)["hourly"] = 10400

        _edit(kb_copy, raise_2026)
        assert (await catalog.reference_tables()).min_wage(2026).value == 10320  # not yet loaded
        await load_into_db(sessions, load_kb(kb_copy))
        assert (await catalog.reference_tables()).min_wage(2026).value == 10400
    finally:
        await engine.dispose()
