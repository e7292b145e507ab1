"""Per-turn cost table: CPU ms per turn of each stage, measured on the real stack under load.

Starts the whole stack (one at a time) with a counting proxy in front of the action server,
drives 5 concurrent conversations of typed questions, and meanwhile samples every process with
py-spy (`--nonblocking`, raw stacks). Each sample goes to the innermost stage its stack shows
(tokenizer, each featurizer, DIET, the entity normalizer, RulePolicy, the tracker store, the
engine's action calls, the engine HTTP layer; the action itself and the action server's
protocol; the app). Process CPU comes from /proc (user+system) over the same window: the part
py-spy cannot see (TensorFlow's native threads) is reported as "native (TensorFlow threads)".
The proxy counts action-server calls per turn with their request/response sizes.

Writes bench-results/turn_cost.json and prints the table. Usage:
    .venv/bin/python -m bench.turn_cost [--model PATH] [--users 5] [--turns 12]
(`.venv/bin/pip install py-spy` first.)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bench.stack import ROOT, cpu_seconds, free_port, full_stack
from bench.typed_load import closed_loop

RESULTS = ROOT / "bench-results"
RATE = 200  # samples per second and thread
# (stage, substrings of a frame "function (file:line)"), innermost match wins
ENGINE_STAGES = [
    ("tokenizer (Kiwi)", ("nlu/components/kiwi_tokenizer.py", "kiwipiepy")),
    ("featurizer: regex (lookup tables)", ("regex_featurizer.py",)),
    ("featurizer: lexical-syntactic", ("lexical_syntactic_featurizer.py",)),
    ("featurizer: count vectors", ("count_vectors_featurizer.py",)),
    ("entity normalizer", ("nlu/components/entity_normalizer.py", "nlu/korean/")),
    ("DIET (Python side)", ("diet_classifier.py", "nlu/diet_loading.py", "tensorflow", "keras")),
    (
        "RulePolicy",
        (
            "rule_policy.py",
            "nlu/rule_lookup.py",
            "nlu/incremental_states.py",
            "tracker_featurizers.py",
        ),
    ),
    ("tracker store", ("tracker_store.py", "sqlalchemy")),
    (
        "action calls (engine side: JSON, HTTP)",
        ("rasa/core/actions/action.py", "endpoints.py", "nlu/action_transport.py"),
    ),
    ("NLU pipeline, other", ("rasa/nlu/", "rasa/core/processor.py:7", "_parse_message")),
    (
        "dialogue: processor, graph, trackers",
        (
            "rasa/core/",
            "rasa/engine/",
            "nlu/graph_runner.py",
            "nlu/applied_events.py",
            "rasa/shared/",
        ),
    ),
    ("engine HTTP (sanic, REST channel)", ("sanic/", "rasa/core/channels/", "secure_rest.py")),
]
ACTION_STAGES = [
    ("the actions themselves (actions/, knowledge/)", ("actions/", "knowledge/")),
    ("action server protocol (aiohttp, rasa-sdk, JSON)", ("",)),
]
APP_STAGES = [("app (aiohttp, channels, gateway)", ("",))]


def stage_of(frames: list[str], stages: list[tuple[str, tuple[str, ...]]]) -> str | None:
    for frame in reversed(frames):  # innermost first
        for name, needles in stages:
            if any(n and n in frame for n in needles):
                return name
    return next((name for name, needles in stages if needles == ("",)), None)


# leaf frames of threads that wait (py-spy can count a waiting thread as active)
IDLE_LEAVES = ("(concurrent/futures/thread.py:81)", "select (selectors.py", "wait (threading.py",
               "get (queue.py", "_worker_loop", "poll (", "serve (sanic/server/runners.py",
               "run_forever (asyncio")  # fmt: skip


def attribute(raw: Path, stages: list[tuple[str, tuple[str, ...]]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    if not raw.exists():
        return counts
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        frames = stack.strip().split(";")
        if not n.isdigit() or any(idle in frames[-1] for idle in IDLE_LEAVES):
            continue
        counts[stage_of(frames, stages) or "engine: other Python"] += int(n)
    return counts


class ActionProxy:
    """Forwards the engine's action calls to the action server and counts them."""

    def __init__(self, target_port: int) -> None:
        self.target = f"http://127.0.0.1:{target_port}"
        self.port = free_port()
        self.calls: list[dict[str, Any]] = []
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._ready = threading.Event()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._forward)
        runner = web.AppRunner(app, access_log=None)
        self.loop.run_until_complete(runner.setup())
        self.loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
        self.session = self.loop.run_until_complete(self._session())
        self._ready.set()
        self.loop.run_forever()

    @staticmethod
    async def _session() -> aiohttp.ClientSession:
        return aiohttp.ClientSession()

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(10)

    async def _forward(self, request: web.Request) -> web.Response:
        body = await request.read()
        started = time.perf_counter()
        async with self.session.request(
            request.method, f"{self.target}{request.rel_url}", data=body,
            headers={"Content-Type": request.headers.get("Content-Type", "application/json")},
        ) as resp:  # fmt: skip
            answer = await resp.read()
            status = resp.status
        try:
            action = json.loads(body).get("next_action", "?") if body else "?"
        except ValueError:
            action = "?"
        self.calls.append(
            {
                "action": action,
                "request_bytes": len(body),
                "response_bytes": len(answer),
                "ms": (time.perf_counter() - started) * 1000,
            }
        )
        return web.Response(body=answer, status=status, content_type="application/json")


def action_table(calls: list[dict[str, Any]], turns: int) -> dict[str, Any]:
    by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for call in calls:
        by[call["action"]].append(call)

    def summary(group: list[dict[str, Any]]) -> dict[str, float]:
        return {
            "calls_per_turn": round(len(group) / turns, 2),
            "request_kb": round(sum(c["request_bytes"] for c in group) / len(group) / 1024, 1),
            "response_kb": round(sum(c["response_bytes"] for c in group) / len(group) / 1024, 1),
            "round_trip_ms": round(sum(c["ms"] for c in group) / len(group), 1),
        }

    return {
        "all": summary(calls) if calls else {},
        "by_action": {
            name: summary(g) for name, g in sorted(by.items(), key=lambda kv: -len(kv[1]))
        },
    }


def measure(model: str, users: int, turns: int, keep: str = "") -> dict[str, Any]:
    if not shutil.which("py-spy", path=str(ROOT / ".venv" / "bin")):
        raise SystemExit("py-spy가 없습니다: .venv/bin/pip install py-spy")
    py_spy = str(ROOT / ".venv" / "bin" / "py-spy")
    actions_port = free_port()
    proxy = ActionProxy(actions_port)
    proxy.start()
    with tempfile.TemporaryDirectory(prefix="ieum-turn-cost-") as tmp:
        var = Path(tmp)
        extra = {
            # one engine process takes every turn, so one profiler sees them all (the forked
            # workers of `make run` run the same code per turn)
            "IEUM_ENGINE_WORKERS": "1",
            "IEUM_ACTIONS_PORT": str(actions_port),
            "IEUM_ACTIONS_URL": f"http://127.0.0.1:{proxy.port}",
        }
        with full_stack(var, model, extra) as server:
            url = server.urls["app"]
            asyncio.run(closed_loop("app", url, users, 3))  # warm up every process
            roles = {"engine": server.pid_of("engine"), "actions": server.pid_of("actions"),
                     "app": server.pid_of("app")}  # fmt: skip
            proxy.calls.clear()
            before = {role: cpu_seconds(pid) for role, pid in roles.items()}
            spies = {
                role: subprocess.Popen(
                    [
                        py_spy,
                        "record",
                        "--pid",
                        str(pid),
                        "--rate",
                        str(RATE),
                        "--format",
                        "raw",
                        "--nonblocking",
                        "-o",
                        str(var / f"{role}.txt"),
                        "--duration",
                        "600",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                for role, pid in roles.items()
            }
            time.sleep(1.0)
            started = time.perf_counter()
            load = asyncio.run(closed_loop("app", url, users, turns))
            window = time.perf_counter() - started
            after = {role: cpu_seconds(pid) for role, pid in roles.items()}
            for spy in spies.values():
                spy.send_signal(signal.SIGINT)
            for spy in spies.values():
                spy.wait(60)
            if keep:
                for role in roles:
                    shutil.copy(var / f"{role}.txt", Path(keep) / f"turn_cost_{role}.txt")
            done = load["requests"]
            counts = {
                "engine": attribute(var / "engine.txt", ENGINE_STAGES),
                "actions": attribute(var / "actions.txt", ACTION_STAGES),
                "app": attribute(var / "app.txt", APP_STAGES),
            }
    asyncio.run_coroutine_threadsafe(proxy.session.close(), proxy.loop).result(10)
    proxy.loop.call_soon_threadsafe(proxy.loop.stop)
    rows: list[dict[str, Any]] = []
    cpu_ms = {role: (after[role] - before[role]) * 1000 / done for role in roles}
    for role, counter in counts.items():
        # py-spy's samples split the process's measured CPU; what it cannot see (native
        # threads: TensorFlow's, SQLite's) is the rest
        sampled = {stage: n * 1000 / RATE / done for stage, n in counter.items()}
        total = sum(sampled.values())
        scale = min(1.0, cpu_ms[role] / total) if total else 1.0
        for stage, ms in sorted(sampled.items(), key=lambda kv: -kv[1]):
            rows.append({"process": role, "stage": stage, "cpu_ms_per_turn": round(ms * scale, 2)})
        if cpu_ms[role] > total:
            rows.append({"process": role, "stage": "native threads (TensorFlow, unsampled)",
                         "cpu_ms_per_turn": round(cpu_ms[role] - total, 2)})  # fmt: skip
    return {
        "turns": done,
        "users": users,
        "window_s": round(window, 1),
        "replies_per_s": load["replies_per_s"],
        "process_cpu_ms_per_turn": {k: round(v, 1) for k, v in cpu_ms.items()},
        "total_cpu_ms_per_turn": round(sum(cpu_ms.values()), 1),
        "stages": rows,
        "action_server": action_table(proxy.calls, done),
    }


def print_table(result: dict[str, Any]) -> None:
    print(f"turn cost: {result['turns']} turns, {result['users']} concurrent, "
          f"{result['total_cpu_ms_per_turn']} CPU ms per turn in all")  # fmt: skip
    for role, ms in result["process_cpu_ms_per_turn"].items():
        print(f"  {role:8} {ms:7.1f} ms")
    print(f"{'process':9}{'stage':52}{'CPU ms/turn':>12}")
    for row in result["stages"]:
        print(f"{row['process']:9}{row['stage']:52}{row['cpu_ms_per_turn']:>12.2f}")
    calls = result["action_server"]
    if calls.get("all"):
        a = calls["all"]
        print(f"action server: {a['calls_per_turn']} calls/turn, request {a['request_kb']} KB, "
              f"response {a['response_kb']} KB, round trip {a['round_trip_ms']} ms")  # fmt: skip
        for name, s in calls["by_action"].items():
            print(f"  {name:40} {s['calls_per_turn']:5}/turn  {s['request_kb']:6} KB  {s['round_trip_ms']:6} ms")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--model", default=str(ROOT / (ROOT / "models" / "CURRENT").read_text().strip())
    )
    parser.add_argument("--users", type=int, default=5)
    parser.add_argument("--turns", type=int, default=12)
    parser.add_argument("--out", default=str(RESULTS / "turn_cost.json"))
    parser.add_argument("--keep", default="", help="a folder to keep py-spy's raw stacks in")
    args = parser.parse_args()
    result = measure(args.model, args.users, args.turns, args.keep)
    print_table(result)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
