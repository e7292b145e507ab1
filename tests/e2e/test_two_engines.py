"""Scale-out with the cached tracker store: one user's turns go to two separate engine processes
alternately (PostgreSQL tracker store, Redis lock store). Each engine holds a cached tracker that
the other one makes stale; nothing may be lost or reordered, and the dialogue state (a booking
form) carries across. Needs IEUM_TEST_POSTGRES_URL and IEUM_TEST_REDIS_URL."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

import pytest
import requests
from sqlalchemy import text

from bot.settings import Settings
from bot.supervisor import scale_out_environment
from knowledge.db import make_engine, normalize_url
from tests.e2e.conftest import ROOT, free_port, wait_healthy
from tests.e2e.test_scale_out import _create_databases, _drop_databases

TOKEN = "two-engines"


def _wait_engine(url: str, limit_s: float = 300) -> bool:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/status", params={"token": TOKEN}, timeout=3).ok:
                return True
        except requests.RequestException:
            pass
        time.sleep(1)
    return False


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[str], str]]:
    pg = os.environ.get("IEUM_TEST_POSTGRES_URL")
    redis_url = os.environ.get("IEUM_TEST_REDIS_URL")
    model = os.environ.get("IEUM_TEST_MODEL") or ""
    if not pg or not redis_url:
        pytest.skip("IEUM_TEST_POSTGRES_URL / IEUM_TEST_REDIS_URL are not set: skipped")
    suffix = uuid.uuid4().hex[:8]
    names = [f"ieum_app_{suffix}", f"ieum_tracker_{suffix}"]
    asyncio.run(_create_databases(pg, names))
    base = normalize_url(pg).rsplit("/", 1)[0].replace("postgresql+asyncpg://", "postgresql://")
    var = tmp_path_factory.mktemp("two_engines")
    ports = {
        "app": free_port(),
        "engine": free_port(),
        "engine2": free_port(),
        "actions": free_port(),
    }
    env = {
        **os.environ,
        "IEUM_VAR_DIR": str(var),
        "IEUM_DATABASE_URL": f"{base}/{names[0]}",
        "IEUM_TRACKER_URL": f"{base}/{names[1]}",
        "REDIS_URL": redis_url.rsplit("/", 1)[0] + "/8",
        "IEUM_ENGINE_WORKERS": "1",
        "IEUM_PORT": str(ports["app"]),
        "RASA_URL": f"http://127.0.0.1:{ports['engine']}",
        "RASA_TOKEN": TOKEN,
        "IEUM_ACTIONS_PORT": str(ports["actions"]),
        "IEUM_ACTIONS_TOKEN": "two-engines-actions",
        "ADMIN_TOKEN": "two-engines-admin",
        "IEUM_QUIET_HOURS": "",
        "IEUM_RATE_LIMIT_USER": "0",
        "IEUM_RATE_LIMIT_IP": "0",
    }
    log = (var / "stack.log").open("wb")
    stack = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--model", str(ROOT / model),
         "--rasa-bin", str(ROOT / ".venv-rasa" / "bin" / "rasa")],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    settings = Settings(
        redis_url=env["REDIS_URL"], ieum_tracker_url=env["IEUM_TRACKER_URL"], ieum_engine_workers=1
    )
    second_env = (
        env
        | scale_out_environment(settings)
        | {
            "IEUM_ACTIONS_URL": f"http://127.0.0.1:{ports['actions']}",
            "IEUM_CONVERSATION_RETENTION_DAYS": "30",
            "RASA_TELEMETRY_ENABLED": "false",
        }
    )
    second = subprocess.Popen(
        [str(ROOT / ".venv-rasa" / "bin" / "python"), "-m", "nlu.engine_main", "run",
         "--enable-api", "--auth-token", TOKEN, "-i", "127.0.0.1", "-p", str(ports["engine2"]),
         "--model", str(ROOT / model), "--endpoints", str(ROOT / "endpoints.scale.yml"),
         "--credentials", str(ROOT / "credentials.yml")],
        cwd=ROOT, env=second_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    urls = [env["RASA_URL"], f"http://127.0.0.1:{ports['engine2']}"]
    try:
        ready = wait_healthy(f"http://127.0.0.1:{ports['app']}", 300)
        if not (ready and all(_wait_engine(u) for u in urls)):
            pytest.fail("engines did not start:\n" + (var / "stack.log").read_text()[-4000:])
        yield urls, env["IEUM_TRACKER_URL"]
    finally:
        for proc in (second, stack):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGINT)
        for proc in (second, stack):
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        log.close()
        asyncio.run(_drop_databases(pg, names))


def send(engine: str, sender: str, message: str) -> list[dict]:
    resp = requests.post(
        f"{engine}/webhooks/ieum_rest/webhook",
        json={"sender": sender, "message": message},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=60,
    )
    assert resp.status_code == 200, resp.text
    return [m for m in resp.json() if m.get("text") or m.get("buttons")]


def said(replies: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in replies)


async def _stored(url: str, sender: str) -> list:
    engine = make_engine(url)
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
            )
        ).all()
    await engine.dispose()
    return rows


def test_one_users_turns_alternate_between_two_engines(engines: tuple[list[str], str]) -> None:
    urls, tracker_url = engines
    sender = f"web:two-{uuid.uuid4().hex[:8]}"
    sent: list[str] = []

    def turn(n: int, message: str) -> str:
        sent.append(message)
        return said(send(urls[n % 2], sender, message))

    assert "프로그램" in turn(0, "중장년 지원 프로그램 뭐 있어요?")
    turn(1, "전직스쿨 신청은 어떻게 해요?")
    # a form started on one engine goes on on the other: its state came through the store
    assert "시·군·구" in turn(2, "상담 예약하고 싶어요")
    replies = send(urls[1], sender, "관악구요")
    sent.append("관악구요")
    center = next(
        b["payload"] for m in replies for b in m.get("buttons", []) if '"center"' in b["payload"]
    )
    assert "언제" in turn(0, center)
    turn(1, "처음으로")
    for n in range(2, 14):
        turn(n, f"{n}번째: 관악구 근처 중장년센터 어디예요?")
    rows = asyncio.run(_stored(tracker_url, sender))
    stored = [json.loads(r[0])["text"] for r in rows if json.loads(r[0])["event"] == "user"]
    assert stored == sent
