"""`ieum kb validate`: precise `file: entry: field: problem` lines, broken YAML included."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from knowledge.kb_files import DEFAULT_KB_DIR, read_kb

ROOT = Path(__file__).parents[2]


def test_shipped_kb_is_valid() -> None:
    kb, problems = read_kb(DEFAULT_KB_DIR)
    assert [str(p) for p in problems] == []
    assert len(kb.programs) >= 16
    assert len(kb.centers) >= 100


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_KB_DIR, target)
    return target


def run_validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "kb", "validate", str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_broken_yaml_names_file_and_line(kb_copy: Path) -> None:
    programs = kb_copy / "programs.yaml"
    lines = programs.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5] + ' : "unclosed'
    programs.write_text("\n".join(lines), encoding="utf-8")
    result = run_validate(kb_copy)
    assert result.returncode == 1
    assert "data/programs.yaml: -: yaml: line " in result.stdout


def test_bad_field_names_entry_and_field(kb_copy: Path) -> None:
    programs = kb_copy / "programs.yaml"
    data = yaml.safe_load(programs.read_text(encoding="utf-8"))
    first = data["programs"][0]
    first["conditions"] = [{"kind": "age", "min": 70, "max": 20, "text": "만 70~20세"}]
    first["sources"][0]["url"] = "ftp://nowhere"
    programs.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _, problems = read_kb(kb_copy)
    lines = [str(p) for p in problems]
    assert (
        f"data/programs.yaml: {first['id']}: conditions.0.age: Value error, min is greater than max"
        in lines
    )
    assert any(
        line.startswith(f"data/programs.yaml: {first['id']}: sources.0.url: ") for line in lines
    )


def test_unknown_region_and_missing_required_program(kb_copy: Path) -> None:
    programs = kb_copy / "programs.yaml"
    text = programs.read_text(encoding="utf-8").replace(
        "id: seoul_boram_jobs", "id: boram_renamed", 1
    )
    programs.write_text(text, encoding="utf-8")
    centers = kb_copy / "centers.yaml"
    centers.write_text(
        centers.read_text(encoding="utf-8").replace("region: 서울", "region: 서울특별시", 1),
        encoding="utf-8",
    )
    result = run_validate(kb_copy)
    assert result.returncode == 1
    assert "programs: seoul_boram_jobs: id: required program is missing" in result.stdout
    assert "data/centers.yaml: " in result.stdout and ": region: " in result.stdout


def test_valid_kb_exits_zero() -> None:
    result = run_validate(DEFAULT_KB_DIR)
    assert result.returncode == 0, result.stdout
    assert "올바릅니다" in result.stdout
