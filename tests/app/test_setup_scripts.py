"""The setup scripts keep pip's output in var/setup.log and show its end only when pip fails."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).parents[2]


def quiet(command: str, log: Path) -> subprocess.CompletedProcess[str]:
    script = f'export SETUP_LOG="{log}"; source scripts/quiet_pip.sh && quiet_pip {command} && echo "next step"'
    return subprocess.run(
        ["bash", "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_success_prints_nothing_of_the_tool_and_keeps_it_in_the_log(tmp_path: Path) -> None:
    log = tmp_path / "setup.log"
    done = quiet("echo WARNING: Location ignored", log)
    assert done.returncode == 0
    assert done.stdout == "next step\n" and done.stderr == ""
    assert "Location ignored" in log.read_text()


def test_failure_stops_with_the_end_of_the_log(tmp_path: Path) -> None:
    log = tmp_path / "setup.log"
    done = quiet("bash -c 'echo ERROR: No matching distribution for rasa; exit 1'", log)
    assert done.returncode == 1
    assert "next step" not in done.stdout
    assert "설치에 실패했습니다" in done.stderr
    assert "No matching distribution for rasa" in done.stderr
