"""One admin check for every admin request: failures counted per address (the day page too),
sessions on the server with an expiry, Secure over HTTPS, logout, same-origin for changes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.admin_auth import COOKIE, SESSION_SECONDS, AdminSessions
from bot.app import create_app
from knowledge.catalog_store import load_into_db
from knowledge.db import make_engine, make_sessionmaker
from knowledge.migrate import upgrade_database
from tests.app.conftest import FIXED_NOW, make_settings

TOKEN = "admin-secret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CLOSED_DAY = {"date": "2026-12-24", "reason": "성탄 전야"}


@pytest.fixture
async def admin(
    aiohttp_client, fake_engine: TestServer, tmp_path: Path, kb
) -> AsyncIterator[TestClient]:  # type: ignore[no-untyped-def]
    settings = make_settings(
        tmp_path,
        admin_token=TOKEN,
        rasa_url=str(fake_engine.make_url("")).rstrip("/"),
        ieum_trusted_proxies="127.0.0.1/32",  # the test client plays the load balancer
    )
    engine = make_engine(settings.database_url)
    await upgrade_database(engine)
    await load_into_db(make_sessionmaker(engine), kb)
    await engine.dispose()
    yield await aiohttp_client(create_app(settings, now=lambda: FIXED_NOW))


def from_client(address: str, **headers: str) -> dict[str, str]:
    return {"X-Forwarded-For": address, **headers}


async def sign_in(admin: TestClient, address: str = "198.51.100.7", **headers: str) -> str:
    """Logs in through the form; returns the session id the browser got."""
    resp = await admin.post(
        "/admin/login",
        data={"token": TOKEN},
        headers=from_client(address, **headers),
        allow_redirects=False,
    )
    assert resp.status == 302, await resp.text()
    admin.session.cookie_jar.clear()  # each request below says itself what it carries
    return SimpleCookie(resp.headers["Set-Cookie"])[COOKIE].value


def with_session(sid: str, address: str = "198.51.100.7", **headers: str) -> dict[str, str]:
    return from_client(address, Cookie=f"{COOKIE}={sid}", **headers)


# ── failures are counted on every path, per address ────────────────────────────────────


async def test_wrong_bearer_on_the_day_page_counts_too(admin: TestClient) -> None:
    bad = from_client("203.0.113.5", Authorization="Bearer guess")
    for _ in range(10):
        assert (await admin.get("/admin/day", headers=bad)).status == 401
    resp = await admin.get("/admin/day", headers=from_client("203.0.113.5", **AUTH))
    assert resp.status == 429 and int(resp.headers["Retry-After"]) > 0
    resp = await admin.get("/admin/appointments?center=ec_seoul", headers=from_client("203.0.113.5", **AUTH))  # fmt: skip
    assert resp.status == 429


async def test_wrong_login_form_tokens_lock_the_bearer_api_of_that_address(
    admin: TestClient,
) -> None:
    for _ in range(10):
        resp = await admin.post(
            "/admin/login", data={"token": "guess"}, headers=from_client("203.0.113.6")
        )
        assert resp.status == 401
    resp = await admin.get("/admin/appointments?center=ec_seoul", headers=from_client("203.0.113.6", **AUTH))  # fmt: skip
    assert resp.status == 429


async def test_others_failures_never_lock_out_a_correct_token(admin: TestClient) -> None:
    for _ in range(30):
        await admin.get("/admin/day", headers=from_client("203.0.113.5", Authorization="Bearer x"))
    for address in ("198.51.100.7", "2001:db8::7"):
        resp = await admin.get(
            "/admin/appointments?center=ec_seoul", headers=from_client(address, **AUTH)
        )
        assert resp.status == 200
    assert (
        await admin.get("/admin/day", headers=from_client("198.51.100.8", **AUTH))
    ).status == 200


async def test_a_signed_in_browser_keeps_working_while_its_address_is_locked(
    admin: TestClient,
) -> None:
    sid = await sign_in(admin, "198.51.100.7")
    for _ in range(10):  # someone in the same office guesses
        await admin.get("/admin/day", headers=from_client("198.51.100.7", Authorization="Bearer x"))
    assert (await admin.get("/admin/day", headers=with_session(sid))).status == 200
    resp = await admin.get("/admin/day", headers=from_client("198.51.100.7", **AUTH))
    assert resp.status == 429  # the token itself cannot be tried from there for a while


async def test_forged_session_cookies_count_as_failures(admin: TestClient) -> None:
    for n in range(10):
        resp = await admin.get("/admin/day", headers=with_session(f"guess{n}", "203.0.113.9"))
        assert resp.status == 401 and 'action="/admin/login"' in await resp.text()
    resp = await admin.get("/admin/day", headers=from_client("203.0.113.9", **AUTH))
    assert resp.status == 429


async def test_requests_without_credentials_are_401_but_not_counted(admin: TestClient) -> None:
    for _ in range(15):
        assert (await admin.get("/admin/day", headers=from_client("203.0.113.10"))).status == 401
    assert (
        await admin.get("/admin/day", headers=from_client("203.0.113.10", **AUTH))
    ).status == 200


# ── the session cookie ─────────────────────────────────────────────────────────────────


async def test_cookie_is_a_server_side_session_with_an_expiry(admin: TestClient) -> None:
    resp = await admin.post(
        "/admin/login", data={"token": TOKEN}, headers=from_client("198.51.100.7"),
        allow_redirects=False,
    )  # fmt: skip
    morsel = SimpleCookie(resp.headers["Set-Cookie"])[COOKIE]
    assert morsel["httponly"] and morsel["samesite"] == "Strict" and morsel["path"] == "/admin"
    assert int(morsel["max-age"]) == SESSION_SECONDS and morsel["expires"]
    assert not morsel["secure"]  # plain HTTP here: a Secure cookie would never come back
    assert TOKEN not in morsel.value
    assert morsel.value != await sign_in(admin)  # a fresh random id per sign-in


@pytest.mark.parametrize(
    ("headers", "secure"),
    [
        ({"X-Forwarded-Proto": "https"}, True),
        ({"X-Forwarded-Proto": "http"}, False),
        ({}, False),
    ],
)
async def test_cookie_is_secure_when_the_trusted_proxy_says_https(
    admin: TestClient, headers: dict[str, str], secure: bool
) -> None:
    resp = await admin.post(
        "/admin/login", data={"token": TOKEN}, headers=from_client("198.51.100.7", **headers),
        allow_redirects=False,
    )  # fmt: skip
    assert bool(SimpleCookie(resp.headers["Set-Cookie"])[COOKIE]["secure"]) is secure


async def test_forwarded_proto_from_an_untrusted_peer_is_ignored(
    aiohttp_client, fake_engine: TestServer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(
        tmp_path, admin_token=TOKEN, rasa_url=str(fake_engine.make_url("")).rstrip("/")
    )
    client = await aiohttp_client(create_app(settings, now=lambda: FIXED_NOW))
    resp = await client.post(
        "/admin/login", data={"token": TOKEN}, headers={"X-Forwarded-Proto": "https"},
        allow_redirects=False,
    )  # fmt: skip
    assert not SimpleCookie(resp.headers["Set-Cookie"])[COOKIE]["secure"]


async def test_logout_ends_the_session_on_the_server(admin: TestClient) -> None:
    sid = await sign_in(admin)
    assert (await admin.get("/admin/day", headers=with_session(sid))).status == 200
    resp = await admin.post(
        "/admin/logout",
        headers=with_session(sid, Origin=str(admin.make_url("")).rstrip("/")),
        allow_redirects=False,
    )
    assert resp.status == 302
    assert SimpleCookie(resp.headers["Set-Cookie"])[COOKIE].value == ""  # cleared
    resp = await admin.get("/admin/day", headers=with_session(sid))  # the old cookie, replayed
    assert resp.status == 401 and 'action="/admin/login"' in await resp.text()


async def test_logout_from_another_site_is_refused(admin: TestClient) -> None:
    sid = await sign_in(admin)
    resp = await admin.post(
        "/admin/logout", headers=with_session(sid, Origin="https://evil.example"),
        allow_redirects=False,
    )  # fmt: skip
    assert resp.status == 403
    assert (await admin.get("/admin/day", headers=with_session(sid))).status == 200


def test_sessions_expire() -> None:
    now = [1000.0]
    sessions = AdminSessions(ttl=60, clock=lambda: now[0])
    sid = sessions.create()
    assert sessions.valid(sid)
    now[0] += 59
    assert sessions.valid(sid)
    now[0] += 2
    assert not sessions.valid(sid)
    assert not sessions.valid("made-up")
    other = sessions.create()
    assert sessions.end(other) and not sessions.valid(other)


def test_session_store_is_bounded() -> None:
    sessions = AdminSessions(ttl=60, max_sessions=3)
    ids = [sessions.create() for _ in range(5)]
    assert [sessions.valid(s) for s in ids] == [False, False, True, True, True]


# ── state changes signed in by cookie must come from our own pages ─────────────────────


async def test_cookie_signed_changes_need_a_same_origin_request(admin: TestClient) -> None:
    sid = await sign_in(admin)
    path = "/admin/centers/ec_seoul/closed-days"
    own = str(admin.make_url("")).rstrip("/")
    for headers in (
        with_session(sid),  # no Origin, no Referer
        with_session(sid, Origin="https://evil.example"),
        with_session(sid, Origin="null"),
        with_session(sid, Referer="https://evil.example/admin/day"),
    ):
        resp = await admin.post(path, json=CLOSED_DAY, headers=headers)
        assert resp.status == 403, headers
    resp = await admin.post(path, json=CLOSED_DAY, headers=with_session(sid, Origin=own))
    assert resp.status == 201
    resp = await admin.post(
        path, json=CLOSED_DAY, headers=with_session(sid, Referer=f"{own}/admin/day")
    )
    assert resp.status == 201
    resp = await admin.put("/admin/centers/ec_seoul/schedule", json={}, headers=with_session(sid))
    assert resp.status == 403


async def test_bearer_signed_changes_need_no_origin(admin: TestClient) -> None:
    resp = await admin.post(
        "/admin/centers/ec_seoul/closed-days", json=CLOSED_DAY, headers=from_client("198.51.100.7", **AUTH)
    )  # fmt: skip
    assert resp.status == 201


async def test_cookie_reads_need_no_origin(admin: TestClient) -> None:
    sid = await sign_in(admin)
    resp = await admin.get("/admin/appointments?center=ec_seoul", headers=with_session(sid))
    assert resp.status == 200


async def test_login_posted_from_another_site_is_refused(admin: TestClient) -> None:
    resp = await admin.post(
        "/admin/login", data={"token": TOKEN}, headers={"Origin": "https://evil.example"},
        allow_redirects=False,
    )  # fmt: skip
    assert resp.status == 403 and "Set-Cookie" not in resp.headers


async def test_day_page_offers_logout(admin: TestClient) -> None:
    sid = await sign_in(admin)
    text = await (await admin.get("/admin/day", headers=with_session(sid))).text()
    assert 'action="/admin/logout"' in text
