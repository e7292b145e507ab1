"""Starts the real stack (`ieum run`: Rasa engine + action server + app) once per test session."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from aiohttp import web

from bot.ports import free_port, free_port_block
from tests.fake_telegram import FakeTelegramState, create_fake_telegram

ROOT = Path(__file__).parents[2]


def descendants(pid: int) -> set[int]:
    """All live descendant pids of `pid` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@dataclass
class Stack:
    url: str
    rasa_url: str
    rasa_token: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def say(self, user_id: str, text: str, timeout: float = 30) -> requests.Response:
        return requests.post(
            f"{self.url}/api/messages", json={"user_id": user_id, "text": text}, timeout=timeout
        )

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def child_pid(self, marker: str) -> int:
        for pid in descendants(self.process.pid):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if marker in cmdline:
                return pid
        raise LookupError(marker)


def wait_healthy(url: str, limit_s: float) -> bool:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/healthz", timeout=3).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(1)
    return False


class ThreadedFakeTelegram:
    """The fake Bot API (tests/fake_telegram.py) on its own loop in a thread, for the stack."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.loop = asyncio.new_event_loop()
        self.state: FakeTelegramState | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.state = FakeTelegramState()
        runner = web.AppRunner(create_fake_telegram(self.state))
        self.loop.run_until_complete(runner.setup())
        self.loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
        self._ready.set()
        self.loop.run_forever()

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(10)

    def send_text(self, chat_id: int, text: str) -> None:
        assert self.state is not None
        update = self.state.text_update(chat_id, text)
        asyncio.run_coroutine_threadsafe(self.state.updates.put(update), self.loop).result(5)

    def press(self, chat_id: int, data: str) -> None:
        assert self.state is not None
        update = self.state.callback_update(chat_id, data)
        asyncio.run_coroutine_threadsafe(self.state.updates.put(update), self.loop).result(5)

    def sent_to(self, chat_id: int) -> list[dict]:
        assert self.state is not None
        return [m for m in list(self.state.sent) if m["chat_id"] == chat_id]

    def wait_text(
        self, chat_id: int, needle: str, after: int = 0, limit_s: float = 30
    ) -> list[dict]:
        """Messages to the chat from index `after`, once one of them contains `needle`."""
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            fresh = self.sent_to(chat_id)[after:]
            if any(needle in m["text"] for m in fresh):
                time.sleep(0.3)  # the rest of the turn's bubbles
                return self.sent_to(chat_id)[after:]
            time.sleep(0.1)
        raise AssertionError(
            f"chat {chat_id}: no message with {needle!r}: {self.sent_to(chat_id)[after:]}"
        )

    def wait_sent(self, chat_id: int, count: int, limit_s: float = 30) -> list[dict]:
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            sent = self.sent_to(chat_id)
            if len(sent) >= count:
                return sent
            time.sleep(0.1)
        raise AssertionError(f"chat {chat_id}: {len(self.sent_to(chat_id))} of {count} messages")


@pytest.fixture(scope="session")
def telegram() -> ThreadedFakeTelegram:
    fake = ThreadedFakeTelegram()
    fake.start()
    return fake


@pytest.fixture(scope="session")
def stack(
    tmp_path_factory: pytest.TempPathFactory, telegram: ThreadedFakeTelegram
) -> Iterator[Stack]:
    model = os.environ.get("IEUM_TEST_MODEL") or ""
    if not model or not (ROOT / model).exists():
        pytest.fail(
            "학습된 모델이 없습니다: 'make test'로 실행하거나 IEUM_TEST_MODEL을 지정하세요."
        )
    var_dir = tmp_path_factory.mktemp("var")
    ports = {"app": free_port(), "engine": free_port_block(2), "actions": free_port()}
    env = {
        **os.environ,
        "IEUM_VAR_DIR": str(var_dir),
        "IEUM_HOST": "127.0.0.1",
        "IEUM_PORT": str(ports["app"]),
        "RASA_URL": f"http://127.0.0.1:{ports['engine']}",
        "RASA_TOKEN": "e2e-engine-token",
        "IEUM_ACTIONS_PORT": str(ports["actions"]),
        "IEUM_ACTIONS_TOKEN": "e2e-actions-token",
        "ADMIN_TOKEN": "e2e-admin-token",
        "IEUM_ENGINE_TIMEOUT": "20",
        "TELEGRAM_BOT_TOKEN": "123:TEST",
        "TELEGRAM_API_BASE": f"{telegram.url}/bot",
        "IEUM_QUIET_HOURS": "",  # the suite may run at night: deliver at once
        "IEUM_NOTIFIER_IDLE_SECONDS": "0.3",
    }
    log_path = var_dir / "stack.log"
    log_file = log_path.open("wb")
    process = subprocess.Popen(
        [
            sys.executable, "-m", "bot.cli", "run",
            "--model", str(ROOT / model),
            "--rasa-bin", str(ROOT / ".venv-rasa" / "bin" / "rasa"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    stack = Stack(
        f"http://127.0.0.1:{ports['app']}",
        f"http://127.0.0.1:{ports['engine']}",
        "e2e-engine-token",
        process,
        log_path,
    )
    try:
        if not wait_healthy(stack.url, 240):
            pytest.fail("스택이 240초 안에 준비되지 않았습니다:\n" + stack.log()[-4000:])
        yield stack
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log_file.close()
