"""Operator commands as a newcomer runs them: `ieum events publish` and `ieum notifier`."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import sys
from pathlib import Path

from aiohttp.test_utils import TestServer

from knowledge.db import make_engine, make_sessionmaker
from knowledge.migrate import upgrade_database
from knowledge.subscriptions import Subscriptions
from knowledge.when import SEOUL
from tests.fake_telegram import STATE, create_fake_telegram

ROOT = Path(__file__).parents[2]


async def ieum(env: dict[str, str], *args: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", *args, cwd=ROOT, env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await proc.communicate()
    return proc.returncode or 0, out.decode()


def fair(days: int) -> dict[str, str]:
    start = (dt.datetime.now(SEOUL) + dt.timedelta(days=days)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    return {"title": "CLI 채용박람회", "starts_at": start.isoformat(), "ends_at": (start + dt.timedelta(hours=6)).isoformat(),
            "venue": "대전컨벤션센터", "region": "대전", "organizer": "대전광역시"}  # fmt: skip


async def test_publish_then_the_notifier_delivers_once(tmp_path: Path, aiohttp_server) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "ieum.db"
    env = {
        "IEUM_VAR_DIR": str(tmp_path),
        "IEUM_DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        "IEUM_QUIET_HOURS": "",
    }
    engine = make_engine(env["IEUM_DATABASE_URL"])
    await upgrade_database(engine)
    now = dt.datetime.now(SEOUL)
    await Subscriptions(make_sessionmaker(engine)).add("telegram:5151", ["대전"], now)
    await engine.dispose()

    good = tmp_path / "fair.json"
    good.write_text(json.dumps(fair(7), ensure_ascii=False), encoding="utf-8")
    code, out = await ieum(env, "events", "publish", str(good))
    assert code == 0 and "새로 등록" in out and "알림 1건" in out, out
    code, out = await ieum(env, "events", "publish", str(good))
    assert code == 0 and "갱신" in out and "알림 0건" in out, out
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\nstarts_at: 내일\n", encoding="utf-8")
    code, out = await ieum(env, "events", "publish", str(bad))
    assert code == 1 and "starts_at" in out
    code, out = await ieum(env, "events", "publish", str(tmp_path / "missing.json"))
    assert code == 1 and "읽지 못했습니다" in out

    server: TestServer = await aiohttp_server(create_fake_telegram())
    state = server.app[STATE]
    sender = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "notifier", cwd=ROOT,
        env={**os.environ, **env, "TELEGRAM_BOT_TOKEN": state.token,
             "TELEGRAM_API_BASE": str(server.make_url("/bot")), "IEUM_NOTIFIER_IDLE_SECONDS": "0.2"},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        async with asyncio.timeout(30):
            while not state.sent:  # noqa: ASYNC110 - another process delivers
                await asyncio.sleep(0.1)
        await asyncio.sleep(1)
    finally:
        sender.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(sender.wait(), 20) == 0  # stops cleanly on SIGTERM
    assert [m["chat_id"] for m in state.sent] == [5151]
    assert "CLI 채용박람회" in state.sent[0]["text"]


async def test_notifier_without_a_bot_token_says_so(tmp_path: Path) -> None:
    code, out = await ieum({"IEUM_VAR_DIR": str(tmp_path), "TELEGRAM_BOT_TOKEN": ""}, "notifier")
    assert code == 1 and "TELEGRAM_BOT_TOKEN" in out
