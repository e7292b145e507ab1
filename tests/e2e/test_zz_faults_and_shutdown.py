"""The app survives the engine dying, recovers by itself, and Ctrl-C leaves no orphans.

Runs last in this package (file name order): it kills and restarts parts of the stack.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from bot.engine import worker_index
from tests.e2e.conftest import Stack, alive, descendants, wait_healthy


def test_no_personal_data_or_secrets_in_the_logs(stack: Stack) -> None:
    """Every line the stack wrote during the suite: no name, number or token given in chat."""
    log = stack.log()
    assert "예약되었어요" not in log  # (the log is not a transcript)
    for secret in ["홍길동", "01012345678", "010-1234-5678", "010 1234 5678", "1234-5678",
                   "bot123:TEST", "e2e-admin-token", "e2e-actions-token"]:  # fmt: skip
        assert secret not in log, f"{secret!r} appears in the stack log"


def test_action_server_killed_then_recovers(stack: Stack) -> None:
    os.kill(stack.child_pid("bot.cli actions"), signal.SIGKILL)
    time.sleep(0.3)
    resp = stack.say("fault-actions", "뭐 할 수 있어요?", timeout=30)
    assert resp.status_code in (200, 503)
    assert resp.json()["replies"][0]["text"]  # a Korean answer, never silence or a stack trace
    assert wait_healthy(stack.url, 120), stack.log()[-3000:]
    resp = stack.say("fault-actions", "뭐 할 수 있어요?")
    assert resp.status_code == 200 and "도와드려요" in resp.json()["replies"][0]["text"]


def _ppid(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def engine_workers(stack: Stack) -> tuple[int, list[int]]:
    """The engine's parent (the supervisor's child, which loaded the model) and its workers."""
    engines = []
    for pid in descendants(stack.process.pid):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"nlu.engine_main" in cmdline and alive(pid):
            engines.append(pid)
    parents = [pid for pid in engines if _ppid(pid) == stack.process.pid]
    assert len(parents) == 1, engines
    return parents[0], sorted(pid for pid in engines if pid != parents[0])


def users_of_worker(index: int, workers: int, count: int) -> list[str]:
    found = []
    for n in range(1000):
        if worker_index(f"web:fault-worker-{n}", workers) == index:
            found.append(f"fault-worker-{n}")
        if len(found) == count:
            return found
    raise AssertionError("no user id maps to that worker")


def test_engine_runs_two_workers_forked_from_one_model(stack: Stack) -> None:
    _parent, workers = engine_workers(stack)
    assert len(workers) == 2, workers
    for user in [*users_of_worker(0, 2, 2), *users_of_worker(1, 2, 2)]:
        resp = stack.say(user, "뭐 할 수 있어요?")
        assert resp.status_code == 200 and "도와드려요" in resp.json()["replies"][0]["text"]


def test_a_killed_worker_is_forked_again_and_its_users_are_answered(stack: Stack) -> None:
    parent, workers = engine_workers(stack)
    os.kill(workers[1], signal.SIGKILL)
    survivor = workers[0]
    # the parent forks a new worker from the loaded model (no reload); the other keeps serving
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        current = engine_workers(stack)[1]
        if len(current) == 2 and workers[1] not in current:
            break
        time.sleep(0.5)
    assert len(current) == 2 and survivor in current and workers[1] not in current
    assert engine_workers(stack)[0] == parent
    assert wait_healthy(stack.url, 60), stack.log()[-3000:]
    for user in [*users_of_worker(0, 2, 2), *users_of_worker(1, 2, 2)]:
        resp = stack.say(user, "안녕하세요")
        assert resp.status_code == 200 and "이음" in resp.json()["replies"][0]["text"]


def test_engine_killed_users_get_apology_then_recovery(stack: Stack) -> None:
    engine_pid, workers = engine_workers(stack)
    os.kill(engine_pid, signal.SIGKILL)  # its workers follow it (parent-death signal)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(pid) for pid in workers):
        time.sleep(0.2)
    assert not any(alive(pid) for pid in workers), "engine workers outlived their parent"
    started = time.monotonic()
    resp = stack.say("fault-user", "안녕하세요", timeout=10)
    assert time.monotonic() - started < 2.0
    assert resp.status_code == 503
    assert "1350" in resp.json()["replies"][0]["text"]
    # the supervisor restarts the engine; the app reconnects without help
    assert wait_healthy(stack.url, 240), stack.log()[-3000:]
    resp = stack.say("fault-user", "안녕하세요")
    assert resp.status_code == 200
    assert "이음" in resp.json()["replies"][0]["text"]


def test_ctrl_c_stops_every_child(stack: Stack) -> None:
    children = descendants(stack.process.pid)
    assert len(children) >= 3
    os.killpg(stack.process.pid, signal.SIGINT)
    stack.process.wait(60)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(alive(pid) for pid in children):
        time.sleep(0.5)
    assert [pid for pid in children if alive(pid)] == []
    assert "모든 프로세스를 종료합니다" in stack.log()
