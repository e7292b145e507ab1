"""`make bench-alerts`: job-fair fan-out against DESIGN's targets.

1. Match and queue: 100,000 subscribers, one published event → seconds (target ≤ 10 s), on
   SQLite and, when IEUM_BENCH_POSTGRES_URL / IEUM_TEST_POSTGRES_URL is set, PostgreSQL.
2. Sender throughput: `ieum notifier` (real python-telegram-bot) against a local fake Bot API
   that answers every Nth message with 429 → messages/s as a fraction of Telegram's 30/s.
3. Crash and restart: the sender is SIGKILLed mid-run and started again → duplicates and losses.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from aiohttp import web
from sqlalchemy import text

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

from knowledge import outbox  # noqa: E402
from knowledge.db import make_engine, make_sessionmaker, normalize_url  # noqa: E402
from knowledge.events import EventDesk, parse_event  # noqa: E402
from knowledge.migrate import upgrade_database  # noqa: E402
from knowledge.models import SubscriptionRow  # noqa: E402
from knowledge.outbox import Notice, Outbox  # noqa: E402
from knowledge.when import SEOUL, QuietHours  # noqa: E402
from tests.fake_telegram import FakeTelegramState, create_fake_telegram  # noqa: E402

REGIONS = ["서울", "경기", "부산", "인천", "대구", "전국"]


def fair(title: str) -> dict[str, str]:
    start = dt.datetime.now(SEOUL).replace(microsecond=0) + dt.timedelta(days=7)
    return {"title": title, "starts_at": start.isoformat(), "ends_at": (start + dt.timedelta(hours=6)).isoformat(),
            "venue": "코엑스", "region": "서울", "organizer": "고용노동부"}  # fmt: skip


async def fan_out(url: str, subscribers: int) -> dict[str, float | int | str]:
    engine = make_engine(url)
    await upgrade_database(engine)
    sessions = make_sessionmaker(engine)
    now = dt.datetime.now(SEOUL)
    async with engine.begin() as conn:
        await conn.execute(text("DELETE FROM notifications"))
        await conn.execute(text("DELETE FROM subscriptions"))
    rows = [
        {
            "recipient": f"telegram:{i}",
            "region": REGIONS[i % len(REGIONS)],
            "channel": "telegram",
            "created_at": now,
        }
        for i in range(subscribers)
    ]
    async with sessions() as session, session.begin():
        for start in range(0, len(rows), 5000):
            await session.execute(SubscriptionRow.__table__.insert(), rows[start : start + 5000])
    matching = sum(1 for i in range(subscribers) if REGIONS[i % len(REGIONS)] in ("서울", "전국"))
    desk = EventDesk(sessions, QuietHours(None, None))
    started = time.perf_counter()
    published = await desk.publish(parse_event(fair(f"벤치 박람회 {uuid.uuid4().hex[:6]}")), now)
    seconds = time.perf_counter() - started
    again_started = time.perf_counter()
    same = fair("벤치 박람회 중복")
    again = await desk.publish(parse_event(same), now)
    again2 = await desk.publish(parse_event(dict(same)), now)
    republish_seconds = time.perf_counter() - again_started
    await engine.dispose()
    assert published.queued == matching, (published.queued, matching)
    assert again2.queued == 0 and again.queued == matching
    return {"subscribers": subscribers, "matching": matching, "queued": published.queued,
            "seconds": round(seconds, 2), "republish_queued_again": again2.queued,
            "two_publishes_seconds": round(republish_seconds, 2)}  # fmt: skip


async def start_fake(state: FakeTelegramState, port: int) -> web.AppRunner:
    runner = web.AppRunner(create_fake_telegram(state))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sender_process(db_url: str, api: str, var: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "IEUM_DATABASE_URL": db_url, "TELEGRAM_BOT_TOKEN": "123:TEST",
           "TELEGRAM_API_BASE": api, "IEUM_QUIET_HOURS": "", "IEUM_VAR_DIR": str(var),
           "IEUM_NOTIFIER_IDLE_SECONDS": "0.2", "IEUM_OUTBOX_LEASE_SECONDS": "4"}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "notifier"], cwd=ROOT, env=env,
        stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip


async def queue_messages(db_url: str, count: int) -> None:
    engine = make_engine(db_url)
    await upgrade_database(engine)
    sessions = make_sessionmaker(engine)
    now = dt.datetime.now(SEOUL)
    async with engine.begin() as conn:
        await conn.execute(text("DELETE FROM notifications"))
    notices = [
        Notice(f"telegram:{i}", "event", "bench", {"text": f"벤치 알림 {i}"}, now)
        for i in range(1, count + 1)
    ]
    async with sessions() as session, session.begin():
        await outbox.queue(session, notices, now)
    await engine.dispose()


async def pending(db_url: str) -> int:
    engine = make_engine(db_url)
    counts = await Outbox(make_sessionmaker(engine)).status_counts()
    await engine.dispose()
    return counts.get("pending", 0) + counts.get("sending", 0)


async def sender_run(
    db_url: str, count: int, throttle_every: int, kill_after: float | None
) -> dict[str, float | int]:
    var = Path(tempfile.mkdtemp())
    state = FakeTelegramState(throttle_every=throttle_every, retry_after=1)
    port = free_port()
    runner = await start_fake(state, port)
    api = f"http://127.0.0.1:{port}/bot"
    await queue_messages(db_url, count)
    log = var / "notifier.log"
    started = time.perf_counter()
    process = sender_process(db_url, api, var, log)
    restarts = 0
    if kill_after is not None:
        await asyncio.sleep(kill_after)
        process.send_signal(signal.SIGKILL)
        process.wait()
        restarts = 1
        process = sender_process(db_url, api, var, log)
    deadline = time.perf_counter() + count / 10 + 120
    while await pending(db_url) and time.perf_counter() < deadline:  # noqa: ASYNC110 - another process drains it
        await asyncio.sleep(0.2)
    elapsed = time.perf_counter() - started
    process.send_signal(signal.SIGTERM)
    process.wait(30)
    await runner.cleanup()
    delivered = [m["chat_id"] for m in state.sent]
    unique = set(delivered)
    times = state.send_times
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    overall = (len(times) - 1) / span if span else 0.0
    # the time Telegram told us to wait (429 retry_after) is not ours to use
    told = state.throttled * state.retry_after
    steady = (len(times) - 1) / (span - told) if span > told else overall
    return {"messages": count, "delivered": len(delivered), "unique": len(unique),
            "duplicates": len(delivered) - len(unique), "lost": count - len(unique & set(range(1, count + 1))),
            "throttled_429": state.throttled, "restarts": restarts, "seconds": round(elapsed, 1),
            "rate_per_s": round(steady, 2), "fraction_of_30": round(steady / 30, 3),
            "rate_including_retry_after_waits": round(overall, 2)}  # fmt: skip


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=600)
    parser.add_argument("--out", default="bench-results/alerts.json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp())
    results: dict[str, object] = {"machine_cores": os.cpu_count()}
    results["fan_out_sqlite"] = await fan_out(sqlite_url(work / "fan.db"), args.subscribers)
    pg = os.environ.get("IEUM_BENCH_POSTGRES_URL") or os.environ.get("IEUM_TEST_POSTGRES_URL")
    pg_db = None
    if pg:
        admin = make_engine(pg).execution_options(isolation_level="AUTOCOMMIT")
        pg_db = f"ieum_bench_{uuid.uuid4().hex[:8]}"
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{pg_db}"'))
        results["fan_out_postgres"] = await fan_out(
            f"{normalize_url(pg).rsplit('/', 1)[0]}/{pg_db}", args.subscribers
        )
    results["sender"] = await sender_run(
        sqlite_url(work / "send.db"), args.messages, throttle_every=100, kill_after=None
    )
    results["sender_killed_and_restarted"] = await sender_run(
        sqlite_url(work / "crash.db"), args.messages // 2, throttle_every=0, kill_after=4.0
    )
    if pg and pg_db:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{pg_db}" WITH (FORCE)'))
        await admin.dispose()
    out = ROOT / args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print("| 항목 | 값 | 목표 |")
    print("|---|---|---|")
    for key in ("fan_out_sqlite", "fan_out_postgres"):
        if key in results:
            r = results[key]
            print(
                f"| {key}: {r['subscribers']:,}명 중 {r['queued']:,}명 매칭·큐 | {r['seconds']} s | ≤ 10 s |"
            )  # type: ignore[index]
    s = results["sender"]
    print(
        f"| 발송 속도 ({s['messages']}건, 429 {s['throttled_429']}회) | {s['rate_per_s']}/s = {s['fraction_of_30']:.0%} | ≥ 95 % of 30/s |"
    )  # type: ignore[index]
    c = results["sender_killed_and_restarted"]
    print(
        f"| 발송 중 강제 종료 후 재시작 ({c['messages']}건) | 중복 {c['duplicates']}, 누락 {c['lost']} | 0, 0 |"
    )  # type: ignore[index]
    print(f"(JSON: {args.out})")


if __name__ == "__main__":
    asyncio.run(main())
