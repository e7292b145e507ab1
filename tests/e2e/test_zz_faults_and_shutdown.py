"""The app survives the engine dying, recovers by itself, and Ctrl-C leaves no orphans.

Runs last in this package (file name order): it kills and restarts parts of the stack.
"""

from __future__ import annotations

import os
import signal
import time

from tests.e2e.conftest import Stack, alive, descendants, wait_healthy


def test_engine_killed_users_get_apology_then_recovery(stack: Stack) -> None:
    engine_pid = stack.child_pid("rasa run")
    os.kill(engine_pid, signal.SIGKILL)
    time.sleep(0.5)
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
