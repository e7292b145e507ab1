"""`make train`'s console: stages and DIET epochs with time left, each said once; the rest in the log."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "scripts" / "train_progress.py"


def run(raw: bytes, log: Path) -> tuple[int, list[str]]:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--log", str(log)],
        input=raw,
        capture_output=True,
        check=False,
    )
    return done.returncode, done.stdout.decode("utf-8").splitlines()


def test_epochs_count_down_and_the_last_one_is_said_once(tmp_path: Path) -> None:
    bars = b"".join(
        f"Epochs: {n * 100 // 60:3d}%|#| {n}/60 [00:{n:02d}<00:{60 - n:02d},  1.0s/it]\r".encode()
        for n in range(0, 61)
    )
    warning = b"/x/site-packages/sqlalchemy/a.py:1: MovedIn20Warning: Deprecated API features\n"
    code, lines = run(warning + bars + bars[-60:] * 3 + b"\n", tmp_path / "train.log")
    assert code == 0
    assert lines[0] == "[train]   학습 0/60회, 남은 시간 약 1분"
    assert "[train]   학습 30/60회, 남은 시간 약 30초" in lines
    assert [line for line in lines if "60/60" in line] == [
        "[train]   학습 60/60회를 마쳤습니다. 마무리하는 중입니다 (1분쯤 걸릴 수 있어요)…"
    ]
    assert not any("Warning" in line for line in lines)  # warnings stay in the log file
    assert b"MovedIn20Warning" in (tmp_path / "train.log").read_bytes()
