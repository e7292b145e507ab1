"""The app survives the engine dying, recovers by itself, and Ctrl-C leaves no orphans.

Runs last in this package (file name order): it kills and restarts parts of the stack.
"""

from __future__ import annotations

import os
import signal
import time

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


def test_engine_killed_users_get_apology_then_recovery(stack: Stack) -> None:
    engine_pid = stack.child_pid("nlu.engine_main")
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
