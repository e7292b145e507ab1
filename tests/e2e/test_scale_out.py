"""Scale-out mode, tested here: PostgreSQL for the app and the engine's tracker store, Redis lock
store, two engine workers and two app processes at once. Conversations and bookings go through
both apps: no lost or out-of-order turns, no double booking, each alert sent once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests
from sqlalchemy import text

from knowledge.db import make_engine, normalize_url
from tests.e2e.conftest import ROOT, ThreadedFakeTelegram, free_port, wait_healthy

ADMIN = {"Authorization": "Bearer scale-admin"}


@dataclass
class Cluster:
    apps: list[str]
    engine_url: str
    telegram: ThreadedFakeTelegram
    database_url: str


async def _create_databases(url: str, names: list[str]) -> None:
    admin = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        for name in names:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()


async def _drop_databases(url: str, names: list[str]) -> None:
    admin = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        for name in names:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    pg = os.environ.get("IEUM_TEST_POSTGRES_URL")
    redis_url = os.environ.get("IEUM_TEST_REDIS_URL")
    model = os.environ.get("IEUM_TEST_MODEL") or ""
    if not pg or not redis_url:
        pytest.skip(
            "IEUM_TEST_POSTGRES_URL / IEUM_TEST_REDIS_URL are not set: scale-out test skipped"
        )
    suffix = uuid.uuid4().hex[:8]
    names = [f"ieum_app_{suffix}", f"ieum_tracker_{suffix}"]
    asyncio.run(_create_databases(pg, names))
    base = normalize_url(pg).rsplit("/", 1)[0].replace("postgresql+asyncpg://", "postgresql://")
    telegram = ThreadedFakeTelegram()
    telegram.start()
    var = tmp_path_factory.mktemp("scale")
    ports = {
        "app1": free_port(),
        "app2": free_port(),
        "engine": free_port(),
        "actions": free_port(),
    }
    env = {
        **os.environ,
        "IEUM_VAR_DIR": str(var),
        "IEUM_DATABASE_URL": f"{base}/{names[0]}",
        "IEUM_TRACKER_URL": f"{base}/{names[1]}",
        "REDIS_URL": redis_url.rsplit("/", 1)[0] + "/7",
        "IEUM_ENGINE_WORKERS": "2",
        "RASA_URL": f"http://127.0.0.1:{ports['engine']}",
        "RASA_TOKEN": "scale-engine",
        "IEUM_ACTIONS_PORT": str(ports["actions"]),
        "IEUM_ACTIONS_TOKEN": "scale-actions",
        "ADMIN_TOKEN": "scale-admin",
        "IEUM_ENGINE_TIMEOUT": "30",
        "TELEGRAM_BOT_TOKEN": "123:TEST",
        "TELEGRAM_API_BASE": f"{telegram.url}/bot",
        "TELEGRAM_WEBHOOK_URL": "https://ieum.example.com/webhooks/telegram",  # replicas: webhook mode
        "TELEGRAM_SECRET_TOKEN": "scale-secret",
        "IEUM_QUIET_HOURS": "",
        "IEUM_NOTIFIER_IDLE_SECONDS": "0.3",
        "IEUM_RATE_LIMIT_USER": "0",
        "IEUM_RATE_LIMIT_IP": "0",
    }
    log = (var / "cluster.log").open("wb")
    stack = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--model", str(ROOT / model),
         "--rasa-bin", str(ROOT / ".venv-rasa" / "bin" / "rasa")],
        cwd=ROOT, env=env | {"IEUM_PORT": str(ports["app1"])}, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    # the replica starts while the first app is still migrating and loading: they must not collide
    time.sleep(3)
    second = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve"],
        cwd=ROOT, env=env | {"IEUM_PORT": str(ports["app2"])}, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    apps = [f"http://127.0.0.1:{ports['app1']}", f"http://127.0.0.1:{ports['app2']}"]
    try:
        for url in apps:
            if not wait_healthy(url, 300):
                pytest.fail(
                    "scale-out cluster did not start:\n" + (var / "cluster.log").read_text()[-4000:]
                )
        yield Cluster(apps, env["RASA_URL"], telegram, env["IEUM_DATABASE_URL"])
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


def say(app: str, user: str, message: str) -> list[dict]:
    resp = requests.post(f"{app}/api/messages", json={"user_id": user, "text": message}, timeout=60)
    assert resp.status_code == 200, resp.text
    return resp.json()["replies"]


def test_two_engine_workers_are_running(cluster: Cluster) -> None:
    status = requests.get(
        f"{cluster.engine_url}/status", params={"token": "scale-engine"}, timeout=10
    )
    assert status.status_code == 200


def test_turns_alternate_between_apps_without_loss_or_reordering(cluster: Cluster) -> None:
    users = [str(uuid.uuid4()) for _ in range(8)]
    script = [
        "안녕하세요",
        "뭐 할 수 있어요?",
        "쉰다섯이에요",
        "관악구요",
        "중장년 지원 프로그램 뭐 있어요?",
        "감사합니다",
    ]
    failures: list[str] = []

    def talk(user: str, offset: int) -> None:
        for i, message in enumerate(script):
            try:
                say(cluster.apps[(i + offset) % 2], user, message)
            except AssertionError as exc:
                failures.append(str(exc))

    threads = [threading.Thread(target=talk, args=(u, n)) for n, u in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert failures == []
    for user in users:
        tracker = requests.get(
            f"{cluster.engine_url}/conversations/web:{user}/tracker",
            params={"token": "scale-engine"},
            timeout=10,
        ).json()
        said = [e["text"] for e in tracker["events"] if e["event"] == "user"]
        assert said == script, said


def test_last_seat_is_booked_once_across_apps(cluster: Cluster) -> None:
    center = "ec_seoul"
    resp = requests.put(
        f"{cluster.apps[0]}/admin/centers/{center}/schedule",
        json={"seats": 1},
        headers=ADMIN,
        timeout=10,
    )
    assert resp.status_code == 200
    users = [str(uuid.uuid4()), str(uuid.uuid4())]
    for n, user in enumerate(users):
        app = cluster.apps[n]
        say(app, user, "상담 예약하고 싶어요")
        say(app, user, f'/inform{{"center":"{center}"}}')
        replies = say(app, user, "다음주 목요일 오후 3시")
        if "개인정보" not in "\n".join(
            r["text"] for r in replies
        ):  # a holiday: take the first offer
            offer = next(b for r in replies for b in r["buttons"] if '"time"' in b["payload"])
            replies = say(app, user, offer["payload"])
        say(app, user, "/affirm")
        say(app, user, "김하나")
        say(app, user, "010-2222-3333")
    results: dict[str, str] = {}

    def confirm(n: int) -> None:
        results[users[n]] = "\n".join(r["text"] for r in say(cluster.apps[n], users[n], "/affirm"))

    threads = [threading.Thread(target=confirm, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    booked = [u for u, text in results.items() if "예약되었어요" in text]
    offered = [u for u, text in results.items() if "마감" in text or "예약되었어요" not in text]
    assert len(booked) == 1 and len(offered) == 1, results


def test_each_alert_is_sent_once_by_two_senders(cluster: Cluster) -> None:
    chats = list(range(700_001, 700_041))

    async def subscribe() -> None:
        engine = make_engine(cluster.database_url)
        async with engine.begin() as conn:
            for chat in chats:
                await conn.execute(
                    text("INSERT INTO subscriptions (recipient, region, channel, created_at) "
                         "VALUES (:r, '부산', 'telegram', now())"),
                    {"r": f"telegram:{chat}"},
                )  # fmt: skip
        await engine.dispose()

    asyncio.run(subscribe())
    title = f"부산 박람회 {uuid.uuid4().hex[:6]}"
    body = {"title": title, "starts_at": "2027-03-03T10:00:00+09:00", "ends_at": "2027-03-03T16:00:00+09:00",
            "venue": "벡스코", "region": "부산", "organizer": "부산광역시"}  # fmt: skip
    resp = requests.post(f"{cluster.apps[1]}/admin/events", json=body, headers=ADMIN, timeout=10)
    assert resp.status_code == 201 and resp.json()["queued"] == len(chats)
    deadline = time.monotonic() + 60

    def delivered() -> list[int]:
        assert cluster.telegram.state is not None
        return [m["chat_id"] for m in list(cluster.telegram.state.sent) if title in m["text"]]

    while len(delivered()) < len(chats) and time.monotonic() < deadline:
        time.sleep(0.3)
    time.sleep(2)  # anything sent twice would show up now
    assert sorted(delivered()) == chats
