"""`ieum run`: starts engine, action server and app, prefixes their logs, stops them together."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import secrets
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import aiohttp

from bot.settings import Settings

PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class ProcessSpec:
    name: str
    argv: list[str]


def _die_with_parent() -> None:
    """Linux: children get SIGTERM if the supervisor dies, so nothing is orphaned."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def stack_environment(settings: Settings, root: Path) -> tuple[dict[str, str], list[str]]:
    """The children's environment, with generated tokens for whatever was not set."""
    env = dict(os.environ)
    generated: list[str] = []
    for var in ("RASA_TOKEN", "IEUM_ACTIONS_TOKEN", "ADMIN_TOKEN"):
        if not env.get(var):
            env[var] = secrets.token_urlsafe(24)
            generated.append(var)
    var_dir = (root / settings.ieum_var_dir).resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    env.setdefault("IEUM_ACTIONS_URL", settings.actions_url)
    env.setdefault("IEUM_TRACKER_DB", str(var_dir / "rasa_tracker.db"))
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env, generated


def stack_processes(settings: Settings, root: Path, model: Path, rasa_bin: Path) -> list[ProcessSpec]:
    engine = urlparse(settings.rasa_url)
    return [
        ProcessSpec(
            "engine",
            [
                str(rasa_bin), "run", "--enable-api",
                "--auth-token", "${RASA_TOKEN}",
                "-i", engine.hostname or "127.0.0.1",
                "-p", str(engine.port or 5005),
                "--model", str(model),
                "--endpoints", str(root / "endpoints.yml"),
                "--credentials", str(root / "credentials.yml"),
            ],
        ),
        ProcessSpec("actions", [sys.executable, "-m", "bot.cli", "actions"]),
        ProcessSpec("app", [sys.executable, "-m", "bot.cli", "serve"]),
    ]


async def _pump(name: str, stream: asyncio.StreamReader) -> None:
    prefix = f"[{name}] "
    while line := await stream.readline():
        sys.stdout.write(prefix + line.decode("utf-8", "replace"))
        sys.stdout.flush()


async def _wait_healthy(url: str, timeout: float, procs: list[asyncio.subprocess.Process]) -> bool:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if any(p.returncode is not None for p in procs):
                return False
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with session.get(url, timeout=aiohttp.ClientTimeout(total=3)) as resp:
                    if resp.status == 200:
                        return True
            await asyncio.sleep(1.0)
    return False


async def _stop(procs: list[asyncio.subprocess.Process], grace: float = 10.0) -> None:
    for proc in procs:
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(asyncio.gather(*(p.wait() for p in procs)), grace)
    except TimeoutError:
        for proc in procs:
            if proc.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
        await asyncio.gather(*(p.wait() for p in procs))


async def run_stack(settings: Settings, root: Path, model: Path, rasa_bin: Path) -> int:
    env, generated = stack_environment(settings, root)
    specs = stack_processes(settings, root, model, rasa_bin)
    procs: list[asyncio.subprocess.Process] = []
    pumps: list[asyncio.Task[None]] = []
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        for spec in specs:
            argv = [env["RASA_TOKEN"] if a == "${RASA_TOKEN}" else a for a in spec.argv]
            proc = await asyncio.create_subprocess_exec(
                *argv,
                cwd=root,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
            procs.append(proc)
            assert proc.stdout is not None
            pumps.append(asyncio.create_task(_pump(spec.name, proc.stdout)))
        url = f"http://{settings.ieum_host}:{settings.ieum_port}"
        print(f"[ieum] 엔진을 불러오는 중입니다 (처음에는 30초~1분 걸릴 수 있어요)...", flush=True)
        health = asyncio.create_task(_wait_healthy(f"{url}/healthz", 300, procs))
        stopped = asyncio.create_task(stop.wait())
        exited = [asyncio.create_task(p.wait()) for p in procs]
        done, _ = await asyncio.wait([health, stopped, *exited], return_when=asyncio.FIRST_COMPLETED)
        if health in done and health.result():
            print(f"[ieum] 준비되었습니다. 웹 채팅: {url}/", flush=True)
            if "ADMIN_TOKEN" in generated:
                print(f"[ieum] 이번 실행의 관리자 토큰(ADMIN_TOKEN): {env['ADMIN_TOKEN']}", flush=True)
            print("[ieum] 끝내려면 Ctrl-C를 누르세요.", flush=True)
            done, _ = await asyncio.wait([stopped, *exited], return_when=asyncio.FIRST_COMPLETED)
        elif health in done:
            print("[ieum] 서비스가 제때 준비되지 않았습니다. 위의 로그를 확인해 주세요.", flush=True)
        for task in (health, stopped, *exited):
            task.cancel()
        failed = [p for p in procs if p.returncode not in (None, 0)]
        return 0 if stop.is_set() and not failed else 1
    finally:
        print("[ieum] 모든 프로세스를 종료합니다...", flush=True)
        await _stop(procs)
        for pump in pumps:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(pump, 2)
