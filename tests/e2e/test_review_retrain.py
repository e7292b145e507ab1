"""The review inbox feeds training (issue 15): a labelled message becomes a valid example in
nlu/data/nlu/reviewed.yml, `rasa data validate` accepts it, and a model trained on the data
with it classifies that message as labelled. Trained NLU-only, in a copy of the data, so the
repository's own data and model are untouched."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.review_export import Example, export

ROOT = Path(__file__).parents[2]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
MESSAGE = "박람회 달력 같은 거 한 장으로 뽑아 주실 수 있어요"
LABEL = "ask_job_fairs"
PARSE = """
import asyncio, json, sys
from rasa.core.agent import load_agent
async def main():
    agent = await load_agent(model_path=sys.argv[1])
    result = await agent.parse_message(sys.argv[2])
    print(json.dumps(result["intent"], ensure_ascii=False))
asyncio.run(main())
"""


def engine(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3",
           "PYTHONWARNINGS": "ignore"}  # fmt: skip
    return subprocess.run(
        [str(RASA_PYTHON), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )


@pytest.mark.skipif(not RASA_PYTHON.exists(), reason="엔진 런타임(.venv-rasa)이 없습니다")
def test_labelled_message_trains_and_is_understood(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "nlu" / "data", data)
    reviewed = data / "nlu" / "reviewed.yml"
    reviewed.unlink(missing_ok=True)
    result = export(reviewed, [Example(MESSAGE, LABEL)], data)
    assert result.written and result.added == [MESSAGE]

    validate = engine(
        "-m", "rasa", "data", "validate", "--domain", str(ROOT / "nlu" / "domain.yml"),
        "--data", str(data), "--config", str(ROOT / "config.yml"), cwd=ROOT,
    )  # fmt: skip
    assert validate.returncode == 0, validate.stdout[-2000:] + validate.stderr[-2000:]

    models = tmp_path / "models"
    train = engine(
        "-m", "rasa", "train", "nlu", "--config", str(ROOT / "config.yml"),
        "--nlu", str(data), "--domain", str(ROOT / "nlu" / "domain.yml"),
        "--out", str(models), "--fixed-model-name", "reviewed", "--quiet", cwd=ROOT,
    )  # fmt: skip
    assert train.returncode == 0, train.stderr[-3000:]

    parsed = engine("-c", PARSE, str(models / "reviewed.tar.gz"), MESSAGE, cwd=ROOT)
    assert parsed.returncode == 0, parsed.stderr[-3000:]
    intent = json.loads(parsed.stdout.strip().splitlines()[-1])
    assert intent["name"] == LABEL, intent


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
