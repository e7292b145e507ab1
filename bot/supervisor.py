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
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

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


def scale_out_environment(settings: Settings) -> dict[str, str]:
    """endpoints.scale.yml's variables from REDIS_URL and IEUM_TRACKER_URL."""
    redis = urlparse(settings.redis_url)
    tracker = urlparse(settings.ieum_tracker_url or "")
    if not tracker.scheme:
        raise ValueError(
            "REDIS_URL을 쓰면 IEUM_TRACKER_URL(엔진 대화 저장소, 예: postgresql://…)도 필요합니다."
        )
    dialect = tracker.scheme.split("+", 1)[0]
    return {
        "SANIC_WORKERS": str(settings.ieum_engine_workers),
        "IEUM_REDIS_HOST": redis.hostname or "127.0.0.1",
        "IEUM_REDIS_PORT": str(redis.port or 6379),
        "IEUM_REDIS_DB": (redis.path or "/0").lstrip("/") or "0",
        "IEUM_REDIS_PASSWORD": redis.password or "",
        "IEUM_TRACKER_DIALECT": "postgresql" if dialect in ("postgres", "postgresql") else dialect,
        "IEUM_TRACKER_HOST": tracker.hostname or "127.0.0.1",
        "IEUM_TRACKER_PORT": str(tracker.port or 5432),
        "IEUM_TRACKER_NAME": tracker.path.lstrip("/"),
        "IEUM_TRACKER_USER": tracker.username or "",
        "IEUM_TRACKER_PASSWORD": tracker.password or "",
    }


def stack_environment(settings: Settings, root: Path) -> tuple[dict[str, str], list[str]]:
    """The children's environment, with generated tokens for whatever was not set."""
    env = dict(os.environ)
    generated: list[str] = []
    for var in ("RASA_TOKEN", "IEUM_ACTIONS_TOKEN", "ADMIN_TOKEN", "IEUM_LOG_KEY"):
        if not env.get(var):
            env[var] = secrets.token_urlsafe(24)
            generated.append(var)
    var_dir = (root / settings.ieum_var_dir).resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    env.setdefault("IEUM_ACTIONS_URL", settings.actions_url)
    env.setdefault("IEUM_TRACKER_DB", str((root / settings.tracker_db_path).resolve()))
    env["IEUM_CONVERSATION_RETENTION_DAYS"] = str(settings.ieum_conversation_retention_days)
    if settings.scale_out:
        env.update(scale_out_environment(settings))
    else:  # one machine: workers forked from one loaded model, on consecutive ports
        env["IEUM_ENGINE_PREFORK"] = str(settings.ieum_engine_workers)
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # One TensorFlow thread per kind: on 2 cores the engine serves one message at a time anyway,
    # and extra intra-op threads only fight the app and the action server for the CPU.
    env.setdefault("TF_INTRA_OP_PARALLELISM_THREADS", "1")
    env.setdefault("TF_INTER_OP_PARALLELISM_THREADS", "1")
    # Library deprecation warnings mean nothing to the person reading `make run`'s console.
    env.setdefault("PYTHONWARNINGS", "ignore")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env, generated


def stack_processes(
    settings: Settings, root: Path, model: Path, rasa_bin: Path
) -> list[ProcessSpec]:
    engine = urlparse(settings.rasa_url)
    return [
        ProcessSpec(
            "engine",
            [
                # `rasa run` through our launcher (nlu/engine_main.py: one measured speed fix)
                str(rasa_bin.parent / "python"),
                "-m",
                "nlu.engine_main",
                "run",
                "--enable-api",
                "--auth-token",
                "${RASA_TOKEN}",
                "-i",
                engine.hostname or "127.0.0.1",
                "-p",
                str(engine.port or 5005),
                "--model",
                str(model),
                "--endpoints",
                str(root / ("endpoints.scale.yml" if settings.scale_out else "endpoints.yml")),
                "--credentials",
                str(root / "credentials.yml"),
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


def _answers_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as resp:
            return resp.status == 200
    except (OSError, ValueError):  # URLError, HTTPError (503 while starting), timeouts
        return False


async def _wait_healthy(url: str, limit_s: float, stopping: asyncio.Event) -> bool:
    """Polls the app's /healthz (urllib in a thread: the supervisor stays a small process)."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if stopping.is_set():
            return False
        if await asyncio.to_thread(_answers_ok, url):
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


class Child:
    """One supervised process: restarted with a pause when it dies unexpectedly."""

    def __init__(self, spec: ProcessSpec, argv: list[str], root: Path, env: dict[str, str]) -> None:
        self.spec = spec
        self.argv = argv
        self.root = root
        self.env = env
        self.proc: asyncio.subprocess.Process | None = None
        self.restarts = 0

    async def start(self) -> asyncio.subprocess.Process:
        self.proc = await asyncio.create_subprocess_exec(
            *self.argv,
            cwd=self.root,
            env=self.env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
        return self.proc

    async def supervise(self, stopping: asyncio.Event, max_restarts: int = 20) -> None:
        while True:
            proc = await self.start()
            assert proc.stdout is not None
            pump = asyncio.create_task(_pump(self.spec.name, proc.stdout))
            code = await proc.wait()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(pump, 2)
            if stopping.is_set():
                return
            self.restarts += 1
            if self.restarts > max_restarts:
                print(
                    f"[ieum] {self.spec.name} 프로세스가 계속 멈춥니다. 재시작을 멈춥니다.",
                    flush=True,
                )
                stopping.set()
                return
            delay = min(30.0, 2.0 * self.restarts)
            print(
                f"[ieum] {self.spec.name} 프로세스가 종료되었습니다(코드 {code}). "
                f"{delay:.0f}초 뒤 다시 시작합니다.",
                flush=True,
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), delay)
            if stopping.is_set():
                return


async def run_stack(settings: Settings, root: Path, model: Path, rasa_bin: Path) -> int:
    env, generated = stack_environment(settings, root)
    children = [
        Child(
            spec, [env["RASA_TOKEN"] if a == "${RASA_TOKEN}" else a for a in spec.argv], root, env
        )
        for spec in stack_processes(settings, root, model, rasa_bin)
    ]
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    tasks = [asyncio.create_task(child.supervise(stopping)) for child in children]
    url = f"http://{settings.ieum_host}:{settings.ieum_port}"
    print("[ieum] 엔진을 불러오는 중입니다 (처음에는 30초~1분 걸릴 수 있어요)...", flush=True)
    health = asyncio.create_task(_wait_healthy(f"{url}/healthz", 300, stopping))
    try:
        done, _ = await asyncio.wait(
            [health, asyncio.create_task(stopping.wait())], return_when=asyncio.FIRST_COMPLETED
        )
        if health in done and health.result():
            print(f"[ieum] 준비되었습니다. 웹 채팅: {url}/", flush=True)
            if "ADMIN_TOKEN" in generated:
                print(
                    f"[ieum] 이번 실행의 관리자 토큰(ADMIN_TOKEN): {env['ADMIN_TOKEN']}", flush=True
                )
            print("[ieum] 끝내려면 Ctrl-C를 누르세요.", flush=True)
        elif not stopping.is_set():
            print(
                "[ieum] 서비스가 제때 준비되지 않았습니다. 위의 로그를 확인해 주세요.", flush=True
            )
            stopping.set()
        await stopping.wait()
        return 0
    finally:
        stopping.set()
        health.cancel()
        print("[ieum] 모든 프로세스를 종료합니다...", flush=True)
        await _stop([c.proc for c in children if c.proc is not None])
        await asyncio.gather(*tasks, return_exceptions=True)
