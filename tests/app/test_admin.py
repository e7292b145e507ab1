"""`/admin/*`: token, rate limit on guesses, listings (JSON/CSV, masked phones), schedule, page."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.keys import APPOINTMENTS_KEY
from knowledge.catalog_store import load_into_db
from knowledge.db import make_engine, make_sessionmaker
from knowledge.migrate import upgrade_database
from tests.app.conftest import FIXED_NOW, make_settings

TOKEN = "admin-secret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TOMORROW_2PM = dt.datetime(2026, 11, 24, 14, 0, tzinfo=FIXED_NOW.tzinfo)


@pytest.fixture
async def admin(
    aiohttp_client, fake_engine: TestServer, tmp_path: Path, kb
) -> AsyncIterator[TestClient]:  # type: ignore[no-untyped-def]
    settings = make_settings(
        tmp_path, admin_token=TOKEN, rasa_url=str(fake_engine.make_url("")).rstrip("/")
    )
    engine = make_engine(settings.database_url)
    await upgrade_database(engine)
    await load_into_db(make_sessionmaker(engine), kb)
    await engine.dispose()
    client = await aiohttp_client(create_app(settings, now=lambda: FIXED_NOW))
    appointments = client.server.app[APPOINTMENTS_KEY]
    await appointments.book("ec_seoul", TOMORROW_2PM, "web:a", "홍길동", "010-1234-5678", FIXED_NOW)
    await appointments.book(
        "ec_seoul", TOMORROW_2PM.replace(hour=9), "telegram:7", "김영희", "01099998888", FIXED_NOW
    )
    yield client


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}]
)
async def test_401_without_the_token(admin: TestClient, headers: dict[str, str]) -> None:
    resp = await admin.get("/admin/appointments?center=ec_seoul&date=2026-11-24", headers=headers)
    assert resp.status == 401
    assert "토큰" in (await resp.json())["error"]


async def test_guessing_the_token_is_rate_limited(admin: TestClient) -> None:
    for _ in range(10):
        assert (
            await admin.get("/admin/appointments", headers={"Authorization": "Bearer x"})
        ).status == 401
    resp = await admin.get("/admin/appointments?center=ec_seoul", headers=AUTH)
    assert resp.status == 429 and int(resp.headers["Retry-After"]) > 0


async def test_json_listing_masks_phones(admin: TestClient) -> None:
    resp = await admin.get("/admin/appointments?center=ec_seoul&date=2026-11-24", headers=AUTH)
    assert resp.status == 200
    body = await resp.json()
    assert body["center"] == "ec_seoul" and body["date"] == "2026-11-24"
    assert [(a["time"], a["name"], a["phone"]) for a in body["appointments"]] == [
        ("09:00", "김영희", "010-****-8888"),
        ("14:00", "홍길동", "010-****-5678"),
    ]
    full = await (
        await admin.get(
            "/admin/appointments?center=ec_seoul&date=2026-11-24&phone=full", headers=AUTH
        )
    ).json()
    assert full["appointments"][1]["phone"] == "010-1234-5678"


async def test_csv_on_accept_header(admin: TestClient) -> None:
    resp = await admin.get(
        "/admin/appointments?center=ec_seoul&date=2026-11-24", headers=AUTH | {"Accept": "text/csv"}
    )
    assert resp.status == 200 and resp.content_type == "text/csv"
    text = (await resp.read()).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "code,starts_at,time,name,phone,status"
    assert len(lines) == 3 and "홍길동" in text and "010-****-5678" in text


@pytest.mark.parametrize(
    "query, field",
    [("", "center"), ("center=nope", "center"), ("center=ec_seoul&date=24-11-2026", "date")],
)
async def test_bad_listing_queries_name_the_field(
    admin: TestClient, query: str, field: str
) -> None:
    resp = await admin.get(f"/admin/appointments?{query}", headers=AUTH)
    assert resp.status == 400
    assert (await resp.json())["field"] == field


async def test_schedule_and_closed_day_change_free_slots(admin: TestClient) -> None:
    resp = await admin.put(
        "/admin/centers/ec_seoul/schedule",
        json={
            "weekdays": [1, 3],
            "opens": "10:00",
            "closes": "16:00",
            "lunch": None,
            "slot_minutes": 30,
            "seats": 2,
        },
        headers=AUTH,
    )
    assert resp.status == 200
    assert (await resp.json())["schedule"]["weekdays"] == [1, 3]
    appointments = admin.server.app[APPOINTMENTS_KEY]
    slots = await appointments.free_slots("ec_seoul", dt.date(2026, 11, 24), FIXED_NOW)
    assert slots[0].starts_at.hour == 10 and len(slots) == 12
    assert (
        await appointments.free_slots("ec_seoul", dt.date(2026, 11, 25), FIXED_NOW) == []
    )  # Wednesday
    resp = await admin.post(
        "/admin/centers/ec_seoul/closed-days",
        json={"date": "2026-11-24", "reason": "내부 교육"},
        headers=AUTH,
    )
    assert resp.status == 201
    assert (await resp.json())["existing_bookings"] == 2  # counselors see who to call
    assert await appointments.free_slots("ec_seoul", dt.date(2026, 11, 24), FIXED_NOW) == []


@pytest.mark.parametrize(
    "body, field",
    [({"weekdays": [7]}, "weekdays"), ({"weekdays": "월"}, "weekdays"), ({"opens": "9시"}, "opens"),
     ({"opens": "18:00", "closes": "09:00"}, "closes"), ({"lunch": ["13:00"]}, "lunch"),
     ({"slot_minutes": 0}, "slot_minutes"), ({"seats": True}, "seats")],
)  # fmt: skip
async def test_bad_schedules_name_the_field(admin: TestClient, body: dict, field: str) -> None:
    resp = await admin.put("/admin/centers/ec_seoul/schedule", json=body, headers=AUTH)
    assert resp.status == 400 and (await resp.json())["field"] == field


async def test_bad_bodies_never_5xx(admin: TestClient) -> None:
    for data in [b"{", b"[]", b"\xff\xfe", b'{"date": 5}']:
        resp = await admin.post("/admin/centers/ec_seoul/closed-days", data=data, headers=AUTH)
        assert resp.status == 400
    resp = await admin.put("/admin/centers/nope/schedule", json={}, headers=AUTH)
    assert resp.status == 400 and (await resp.json())["field"] == "center"


async def test_counselor_page_shows_tomorrow_after_login(admin: TestClient) -> None:
    resp = await admin.get("/admin/day", allow_redirects=False)
    assert resp.status == 401 and 'action="/admin/login"' in await resp.text()
    resp = await admin.post("/admin/login", data={"token": "wrong"}, allow_redirects=False)
    assert resp.status == 401 and "맞지 않아요" in await resp.text()
    resp = await admin.post("/admin/login", data={"token": TOKEN}, allow_redirects=False)
    assert resp.status == 302 and resp.headers["Location"] == "/admin/day"
    assert TOKEN not in resp.headers["Set-Cookie"]  # the browser never keeps the token itself
    page = await (await admin.get("/admin/day?center=ec_seoul")).text()
    assert 'value="2026-11-24"' in page  # tomorrow by default
    assert "예약 2건" in page and "홍길동" in page
    assert 'href="tel:01012345678"' in page and "010-1234-5678" in page  # the counselor's own view
    assert "<script" not in page
