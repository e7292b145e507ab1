"""`make bench-api`: the whole stack, the same model on Rasa's REST channel, and Rasa's own
`rasa init` starter bot, side by side in one run on this machine (one server at a time).

Each server gets closed-loop conversations of typed questions (bench/typed_load.py): 20 at once
(throughput: replies/s; latency is mostly queueing there) and 5 at once (latency). The stack also
gets the Kakao skill at 5 and 20, one long conversation (turn 5 against turn 100, three times),
NLU parse latency on the held-out sentences (POST /model/parse), and proportional memory (PSS,
/proc/<pid>/smaps_rollup) per process after the load. Training time comes from the last
`make train` log (var/train.log) and from training the starter bot once (cached under
~/.cache/ieum/starter, with the seconds it took). Writes bench-results/side_by_side.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp

from bench.stack import ROOT, full_stack, memory, plain_rasa
from bench.typed_load import closed_loop, long_conversation, percentile

RESULTS = ROOT / "bench-results"
CACHE = Path(os.environ.get("IEUM_CACHE_DIR", Path.home() / ".cache" / "ieum")) / "starter"
STAMP = re.compile(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)")
DONE = re.compile(r"학습 완료.*\((\d+)초\)")


def starter_project() -> tuple[Path, Path, float | None]:
    """`rasa init --no-prompt` (which also trains) once; (project, model, seconds it took)."""
    project = CACHE / "project"
    models = sorted((project / "models").glob("*.tar.gz")) if project.exists() else []
    if not models:
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir(parents=True)
        print("[bench] Rasa 시작 봇(rasa init)을 만들고 학습합니다 (한 번만)...", flush=True)
        started = time.monotonic()
        subprocess.run(
            [str(ROOT / ".venv-rasa" / "bin" / "rasa"), "init", "--no-prompt", "--init-dir",
             str(project)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=project,
            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"},
        )  # fmt: skip
        (CACHE / "train_seconds").write_text(f"{time.monotonic() - started:.0f}")
        models = sorted((project / "models").glob("*.tar.gz"))
    seconds_file = CACHE / "train_seconds"
    seconds = float(seconds_file.read_text()) if seconds_file.exists() else None
    return project, models[-1], seconds


def training_seconds(log: Path = ROOT / "var" / "train.log") -> float | None:
    """The last `make train`: its own total when it wrote one, else first to last timestamp."""
    if not log.exists():
        return None
    text = log.read_text(encoding="utf-8", errors="replace")
    if done := DONE.findall(text):
        return float(done[-1])
    stamps = STAMP.findall(text)
    if len(stamps) < 2:
        return None
    first, last = (datetime.fromisoformat(s) for s in (stamps[0], stamps[-1]))
    return (last - first).total_seconds()


def heldout_sentences(limit: int = 200) -> list[str]:
    path = ROOT / "tests" / "nlu" / "heldout.yml"
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("- ") and not stripped.startswith("- intent"):
            out.append(
                re.sub(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}", r"\1\2", stripped[2:])
            )
    return out[:limit]


async def parse_latency(engine: str, token: str) -> dict[str, float]:
    latencies: list[float] = []
    async with aiohttp.ClientSession() as session:
        for text in heldout_sentences():
            started = time.perf_counter()
            async with session.post(
                f"{engine}/model/parse", params={"token": token}, json={"text": text}
            ) as resp:
                await resp.read()
            latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return {
        "sentences": len(latencies),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
    }


def long_turns(url: str, runs: int = 3, turns: int = 102) -> dict[str, Any]:
    """Turns 3–7 against 98–102 (the same five questions) of one conversation, median of runs."""
    early, late = [], []
    for _ in range(runs):
        lat = asyncio.run(long_conversation("app", url, turns))
        early.append(statistics.mean(lat[2:7]))
        late.append(statistics.mean(lat[97:102]))
    turn5, turn100 = statistics.median(early), statistics.median(late)
    return {"turn5_ms": round(turn5, 1), "turn100_ms": round(turn100, 1),
            "ratio": round(turn100 / turn5, 2), "runs": runs}  # fmt: skip


def bench_starter(turns: int) -> dict[str, Any]:
    project, model, seconds = starter_project()
    with tempfile.TemporaryDirectory(prefix="ieum-starter-") as tmp:
        with plain_rasa(project, model, Path(tmp)) as server:
            url = server.urls["engine"]
            load = [asyncio.run(closed_loop("starter", url, n, turns)) for n in (20, 5)]
            pss = memory(server)
    return {"load": load, "pss_mb": pss, "train_seconds": seconds}


def bench_stack(model: str, turns: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ieum-bench-") as tmp:
        with full_stack(Path(tmp), model) as server:
            app, engine, token = server.urls["app"], server.urls["engine"], server.token
            load = []
            for target, url in (("app", app), ("rasa", engine)):
                for users in (20, 5):
                    load.append(asyncio.run(closed_loop(target, url, users, turns, token)))
            for users in (5, 20):
                load.append(asyncio.run(closed_loop("kakao", app, users, turns)))
            long = long_turns(app)
            parse = asyncio.run(parse_latency(engine, token))
            pss = memory(server)
    return {"load": load, "long_conversation": long, "nlu_parse": parse, "pss_mb": pss,
            "train_seconds": training_seconds()}  # fmt: skip


def summary(stack: dict[str, Any], starter: dict[str, Any]) -> dict[str, Any]:
    by = {(r["target"], r["users"]): r for r in stack["load"] + starter["load"]}
    ratio = by[("app", 20)]["replies_per_s"] / by[("starter", 20)]["replies_per_s"]
    return {
        "ratio_vs_starter_20": round(ratio, 2),
        "ratio_rasa_rest_vs_starter_20": round(
            by[("rasa", 20)]["replies_per_s"] / by[("starter", 20)]["replies_per_s"], 2
        ),
        "app_p95_ms_5": by[("app", 5)]["p95_ms"],
        "kakao_p99_ms_5": by[("kakao", 5)]["p99_ms"],
        "kakao_p99_ms_20": by[("kakao", 20)]["p99_ms"],
        "stack_pss_mb": round(sum(stack["pss_mb"].values()), 0),
        "starter_pss_mb": round(sum(starter["pss_mb"].values()), 0),
        "turn100_over_turn5": stack["long_conversation"]["ratio"],
        "errors": sum(r["errors"] for r in stack["load"] + starter["load"]),
    }


def print_report(report: dict[str, Any]) -> None:
    rows = report["stack"]["load"] + report["starter"]["load"]
    print(f"{'server':>8}{'users':>6}{'requests':>9}{'errors':>7}{'replies/s':>10}"
          f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")  # fmt: skip
    for r in rows:
        print(f"{r['target']:>8}{r['users']:>6}{r['requests']:>9}{r['errors']:>7}"
              f"{r['replies_per_s']:>10.1f}{r['p50_ms']:>8.0f}{r['p95_ms']:>8.0f}{r['p99_ms']:>8.0f}")  # fmt: skip
    s = report["summary"]
    long = report["stack"]["long_conversation"]
    parse = report["stack"]["nlu_parse"]
    print(f"full stack / starter bot (20 concurrent): {s['ratio_vs_starter_20']}×  "
          f"(Rasa REST, same model: {s['ratio_rasa_rest_vs_starter_20']}×)")  # fmt: skip
    print(f"turn 100 / turn 5: {long['turn100_ms']} / {long['turn5_ms']} ms = {long['ratio']}×")
    print(f"NLU parse: p50 {parse['p50_ms']} ms, p95 {parse['p95_ms']} ms ({parse['sentences']} held-out)")  # fmt: skip
    print(f"PSS: stack {s['stack_pss_mb']:.0f} MB {report['stack']['pss_mb']}, "
          f"starter {s['starter_pss_mb']:.0f} MB")  # fmt: skip
    print(f"training: ours {report['stack']['train_seconds']} s, starter {report['starter']['train_seconds']} s")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--model", default=str(ROOT / (ROOT / "models" / "CURRENT").read_text().strip())
    )
    parser.add_argument("--turns", type=int, default=24, help="messages per conversation")
    parser.add_argument("--out", default=str(RESULTS / "side_by_side.json"))
    args = parser.parse_args()
    starter = bench_starter(args.turns)
    stack = bench_stack(args.model, args.turns)
    report = {"stack": stack, "starter": starter, "summary": summary(stack, starter),
              "measured_at": datetime.now().isoformat(timespec="seconds")}  # fmt: skip
    print_report(report)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 1 if report["summary"]["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
