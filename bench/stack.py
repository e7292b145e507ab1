"""Bench helpers: start one server (the whole stack or a plain `rasa run`) and stop it with its
process group, and read proportional memory (PSS) per process from /proc/<pid>/smaps_rollup.

Only one server runs at a time: every starter returns a `Server` whose `stop()` signals the
group and waits; callers use it as a context manager."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bot.ports import free_port, free_port_block

ROOT = Path(__file__).parents[1]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    log_path: Path
    urls: dict[str, str] = field(default_factory=dict)
    token: str = ""

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def pids(self) -> dict[int, str]:
        """The server's processes (itself and descendants): pid → short command."""
        return {pid: _command(pid) for pid in [self.process.pid, *descendants(self.process.pid)]}

    def pid_of(self, marker: str) -> int:
        for pid, cmd in self.pids().items():
            if marker in cmd:
                return pid
        raise LookupError(marker)


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _command(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "?"
    for marker, name in (
        ("nlu.engine_main", "engine"),
        ("bot.cli actions", "actions"),
        ("bot.cli serve", "app"),
        ("bot.cli run", "supervisor"),
        ("ieum run", "supervisor"),
        ("rasa run", "rasa"),
    ):
        if marker in raw:
            return name
    return raw[:40]


def pss_mb(pid: int) -> float:
    """Proportional set size: shared pages divided among the processes sharing them."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


def memory(server: Server) -> dict[str, float]:
    """PSS per process of a running server, named by role (engine, actions, app, …)."""
    out: dict[str, float] = {}
    for pid, name in server.pids().items():
        key = name if name not in out else f"{name} {pid}"
        out[key] = round(pss_mb(pid), 1)
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait(url: str, limit_s: float, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if requests.get(url, timeout=3).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
    raise RuntimeError(f"server did not come up ({url}):\n{tail}")


@contextmanager
def full_stack(var: Path, model: str, extra_env: dict[str, str] | None = None) -> Iterator[Server]:
    """`ieum run` on spare ports with rate limits off (a load bench is one client)."""
    ports = {"app": free_port(), "engine": free_port_block(4), "actions": free_port()}
    token = secrets.token_urlsafe(18)
    env = {
        **os.environ,
        "IEUM_VAR_DIR": str(var),
        "IEUM_PORT": str(ports["app"]),
        "RASA_URL": f"http://127.0.0.1:{ports['engine']}",
        "RASA_TOKEN": token,
        "IEUM_ACTIONS_PORT": str(ports["actions"]),
        "IEUM_RATE_LIMIT_USER": "0",
        "IEUM_RATE_LIMIT_IP": "0",
        "IEUM_RATE_LIMIT_KAKAO_IP": "0",
        "IEUM_QUIET_HOURS": "",
        **(extra_env or {}),
    }
    log = var / "stack.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run", "--model", model,
             "--rasa-bin", str(ROOT / ".venv-rasa" / "bin" / "rasa")],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    server = Server(
        process,
        log,
        {
            "app": f"http://127.0.0.1:{ports['app']}",
            "engine": env["RASA_URL"],
            "actions_port": str(ports["actions"]),
        },
        token,
    )
    try:
        _wait(f"{server.urls['app']}/healthz", 300, process, log)
        yield server
    finally:
        server.stop()


@contextmanager
def plain_rasa(project: Path, model: Path, var: Path) -> Iterator[Server]:
    """Rasa's own server for a project made by `rasa init` (REST channel, in-memory trackers)."""
    port = free_port()
    log = var / "rasa.log"
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(ROOT / ".venv-rasa" / "bin" / "rasa"), "run", "--enable-api", "-i", "127.0.0.1",
             "-p", str(port), "--model", str(model), "--credentials",
             str(project / "credentials.yml")],
            cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    server = Server(process, log, {"engine": f"http://127.0.0.1:{port}"})
    try:
        _wait(f"{server.urls['engine']}/status", 300, process, log)
        yield server
    finally:
        server.stop()
