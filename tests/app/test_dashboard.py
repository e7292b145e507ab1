"""The operator dashboard: numbers from a scripted mix of conversations on all three channels,
the same numbers as JSON, HTML tables and CSV; bookings per center and week; alert outcomes."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import update

from bot.app import create_app
from bot.keys import APPOINTMENTS_KEY, ENGINE_KEY, GATEWAY_KEY, USAGE_KEY
from knowledge.catalog_store import load_into_db
from knowledge.db import make_engine, make_sessionmaker
from knowledge.migrate import upgrade_database
from knowledge.models import NotificationRow
from knowledge.outbox import Notice, queue
from tests.app.conftest import make_settings
from tests.app.console_traffic import ScriptedEngine

TOKEN = "console-admin-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
START = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))

# (days after START, channel, user, message): 3 days, 3 channels
TRAFFIC = [
    (0, "web", "w1", "안녕하세요"),
    (0, "web", "w1", "전직스쿨 신청은 어떻게 해요?"),
    (0, "web", "w2", "어제 뭐 먹었는지 맞혀 봐요"),
    (0, "kakao", "k1", "52세 재직자도 생애경력설계 받을 수 있나요?"),
    (0, "telegram", "t1", "70살인데 생애경력설계 돼요?"),
    (1, "telegram", "t1", "상담 예약하고 싶어요"),
    (1, "telegram", "t1", "홍길동"),
    (1, "telegram", "t1", "010-1234-5678"),
    (1, "kakao", "k2", "어제 뭐 먹었는지  맞혀 봐요!!"),
    (1, "kakao", "k2", "52세 재직자도 생애경력설계 받을 수 있나요?"),
    (2, "web", "w3", "노후 연금 얼마 나와요"),
    (2, "web", "w3", "엔진이 멈춘 순간"),
    (2, "kakao", "k1", "전직스쿨 신청은 어떻게 해요?"),
]


@pytest.fixture
async def console(aiohttp_client, tmp_path: Path, kb) -> AsyncIterator[TestClient]:  # type: ignore[no-untyped-def]
    settings = make_settings(
        tmp_path,
        admin_token=TOKEN,
        ieum_reviewed_nlu_file=tmp_path / "nlu" / "reviewed.yml",
        ieum_rate_limit_user="0",
    )
    engine = make_engine(settings.database_url)
    await upgrade_database(engine)
    await load_into_db(make_sessionmaker(engine), kb)
    await engine.dispose()
    clock = [START]
    app = create_app(settings, now=lambda: clock[0])
    app[ENGINE_KEY] = ScriptedEngine(clock)  # type: ignore[assignment]
    client = await aiohttp_client(app)
    for days, channel, user, said in TRAFFIC:
        clock[0] = START + dt.timedelta(days=days, minutes=len(said))
        if channel == "web":
            resp = await client.post("/api/messages", json={"user_id": user, "text": said})
            assert resp.status in (200, 503)
        else:
            await app[GATEWAY_KEY].handle(channel, user, said)
    await app[USAGE_KEY].flush()
    # bookings: two at one center in one week, one elsewhere the next week
    appointments = app[APPOINTMENTS_KEY]
    slot = dt.datetime(2026, 12, 1, 10, 0, tzinfo=START.tzinfo)
    await appointments.book("ec_seoul", slot, "web:a", "가", "010-1111-2222", START)
    await appointments.book("ec_seoul", slot.replace(hour=11), "web:b", "나", "01011112223", START)
    nxt = START + dt.timedelta(days=3)
    await appointments.book("ec_busan", slot, "web:c", "다", "010-1111-2224", nxt)
    # alerts: 3 sent, 1 failed, 1 blocked, 1 waiting
    outcome = ["sent", "sent", "sent", "failed", "failed", "pending"]
    errors = [None, None, None, "HTTP 500", "unreachable: Forbidden", None]
    db = make_engine(settings.database_url)
    async with make_sessionmaker(db)() as session:
        notices = [
            Notice(f"telegram:{i}", "event", "evt_x", {"text": "박람회"}, START) for i in range(6)
        ]
        await queue(session, notices, START)
        for i, (status, error) in enumerate(zip(outcome, errors, strict=True)):
            await session.execute(
                update(NotificationRow)
                .where(NotificationRow.recipient == f"telegram:{i}")
                .values(status=status, last_error=error)
            )
        await session.commit()
    await db.dispose()
    clock[0] = START + dt.timedelta(days=3, hours=5)
    yield client


async def test_numbers_match_the_seeded_traffic(console: TestClient) -> None:
    resp = await console.get("/admin/dashboard/data?days=7", headers=AUTH)
    assert resp.status == 200
    data = await resp.json()
    days = data["days"]
    assert len(days) == 7 and days[-1] == "2026-11-23"
    i = days.index("2026-11-20")
    expected_messages = {"web": [3, 0, 2], "kakao": [1, 2, 1], "telegram": [1, 3, 0]}
    expected_people = {"web": [2, 0, 1], "kakao": [1, 1, 1], "telegram": [1, 1, 0]}
    for channel, counts in expected_messages.items():
        assert data["messages"][channel][i : i + 3] == counts
        assert data["conversations"][channel][i : i + 3] == expected_people[channel]
    assert sum(sum(v) for v in data["messages"].values()) == len(TRAFFIC)
    assert data["fallbacks"][i : i + 3] == [1, 1, 0]
    assert data["fallback_rate"][i : i + 3] == [0.2, 0.2, 0.0]
    intents = {x["intent"]: x["count"] for x in data["top_intents"]}
    assert intents["check_eligibility"] == 3 and intents["ask_program_info"] == 2
    assert intents["nlu_fallback"] == 2 and intents["inform"] == 2
    assert data["top_intents"][0]["intent"] == "check_eligibility"
    programs = {x["program"]: (x["name"], x["count"]) for x in data["top_programs"]}
    assert programs["lifecycle_career_design"][1] == 3
    assert programs["transition_school"][1] == 2
    assert programs["transition_school"][0] == "전직스쿨"
    verdicts = {v["program"]: v for v in data["verdicts"]}
    assert verdicts["lifecycle_career_design"]["가능"] == 2
    assert verdicts["lifecycle_career_design"]["불가"] == 1
    assert data["bookings"] == [
        {
            "center": "ec_seoul",
            "name": data["bookings"][0]["name"],
            "week": "2026-11-16",
            "count": 2,
        },
        {
            "center": "ec_busan",
            "name": data["bookings"][1]["name"],
            "week": "2026-11-23",
            "count": 1,
        },
    ]
    assert data["alerts"] == {"sent": 3, "failed": 1, "blocked": 1, "waiting": 1, "cancelled": 0}
    # the engine-down turn is an apology and is left out of the latency figures
    assert data["latency"]["p50"][i + 2] is not None
    assert all(v is None for v in data["latency"]["p95"][:i])


async def test_period_changes_the_window(console: TestClient) -> None:
    for days in (7, 30, 90):
        data = await (await console.get(f"/admin/dashboard/data?days={days}", headers=AUTH)).json()
        assert len(data["days"]) == days and data["period_days"] == days
    odd = await (await console.get("/admin/dashboard/data?days=13", headers=AUTH)).json()
    assert odd["period_days"] == 7


@pytest.mark.parametrize(
    "chart", ["messages", "fallback", "intents", "verdicts", "alerts", "bookings"]
)
async def test_each_csv_matches_the_json(console: TestClient, chart: str) -> None:
    data = await (await console.get("/admin/dashboard/data?days=7", headers=AUTH)).json()
    spec = next(c for c in data["charts"] if c["id"] == chart)
    resp = await console.get(f"/admin/dashboard/{chart}.csv?days=7", headers=AUTH)
    assert resp.status == 200 and resp.content_type == "text/csv"
    raw = (await resp.read()).decode("utf-8")
    assert raw.startswith("\ufeff")  # Excel reads the Korean right
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff"))))
    assert rows[0][1:] == [s["name"] for s in spec["series"]]
    assert [r[0] for r in rows[1:]] == spec["labels"]
    for col, series in enumerate(spec["series"], start=1):
        assert [r[col] for r in rows[1:]] == [
            str(v) if v is not None else "" for v in series["values"]
        ]


async def test_page_has_a_table_per_chart_and_works_offline(console: TestClient) -> None:
    resp = await console.get("/admin/dashboard?days=30", headers=AUTH)
    assert resp.status == 200
    page = await resp.text()
    assert page.count("<canvas") == 9 and page.count('<table class="numbers">') == 9
    assert page.count(".csv?days=30") == 9
    assert "/static/vendor/chartjs/chart.umd.min.js" in page and "cdn" not in page.lower()
    assert "하루 메시지 수" in page and "카카오톡" in page
    vendored = await console.get("/static/vendor/chartjs/chart.umd.min.js")
    assert vendored.status == 200 and "Chart" in (await vendored.text())[:2000]
    licence = await console.get("/static/vendor/chartjs/LICENSE.md")
    assert "MIT" in await licence.text()


@pytest.mark.parametrize(
    "path", ["/admin/dashboard/data", "/admin/dashboard/messages.csv", "/admin/review"]
)
async def test_needs_the_admin_sign_in(console: TestClient, path: str) -> None:
    assert (await console.get(path)).status == 401
    assert (await console.get(path, headers={"Authorization": "Bearer wrong"})).status == 401


async def test_unknown_chart_is_404(console: TestClient) -> None:
    assert (await console.get("/admin/dashboard/nope.csv", headers=AUTH)).status == 404
