"""Per-address limits behind a load balancer: X-Forwarded-For only from trusted proxies."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.client_address import resolve_client
from bot.settings import Settings
from bot.trusted_proxies import parse_trusted
from tests.app.conftest import make_settings

LB = parse_trusted("10.0.0.0/8, 192.168.1.5, 2001:db8::/32")


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("203.0.113.7", [], "203.0.113.7"),  # no proxy
        ("203.0.113.7", ["1.2.3.4"], "203.0.113.7"),  # a client's own header is ignored
        ("10.0.0.2", ["203.0.113.7"], "203.0.113.7"),  # via the balancer
        ("10.0.0.2", ["1.2.3.4, 203.0.113.7"], "203.0.113.7"),  # forged left part ignored
        ("10.0.0.2", ["1.2.3.4, 203.0.113.7, 192.168.1.5"], "203.0.113.7"),  # two proxies
        ("10.0.0.2", ["1.2.3.4", "203.0.113.7"], "203.0.113.7"),  # repeated headers, in order
        ("10.0.0.2", [" 203.0.113.7:51234 "], "203.0.113.7"),  # with a port
        ("10.0.0.2", ["[2001:db9::1]:443"], "2001:db9::1"),
        ("::ffff:10.0.0.2", ["203.0.113.7"], "203.0.113.7"),  # IPv4-mapped peer
        ("10.0.0.2", ["10.0.0.3, 10.0.0.4"], "10.0.0.3"),  # only proxies: the leftmost
        ("10.0.0.2", ["203.0.113.7, 관악구\n"], "10.0.0.2"),  # garbage from a proxy: stop there
        ("10.0.0.2", [], "10.0.0.2"),
        (None, ["203.0.113.7"], "unknown"),
    ],
)
def test_rightmost_untrusted_hop_is_the_client(
    peer: str | None, forwarded: list[str], client: str
) -> None:
    assert resolve_client(peer, forwarded, LB) == client


def test_without_trusted_proxies_the_header_is_never_read() -> None:
    assert resolve_client("10.0.0.2", ["203.0.113.7"], parse_trusted("")) == "10.0.0.2"


@pytest.mark.parametrize("bad", ["10.0.0.0/33", "프록시", "10.0.0.1, nonsense"])
def test_bad_trusted_proxies_stop_the_start(bad: str) -> None:
    with pytest.raises(ValueError, match="IEUM_TRUSTED_PROXIES"):
        Settings(ieum_trusted_proxies=bad)


async def _client(
    aiohttp_client, fake_engine: TestServer, tmp_path: Path, **overrides
) -> TestClient:  # type: ignore[no-untyped-def]
    settings = make_settings(
        tmp_path,
        rasa_url=str(fake_engine.make_url("")).rstrip("/"),
        ieum_rate_limit_ip="2/60",
        **overrides,
    )
    return await aiohttp_client(create_app(settings))


async def _send(client: TestClient, user: str, forwarded: str) -> int:
    resp = await client.post(
        "/api/messages",
        json={"user_id": user, "text": "안녕하세요"},
        headers={"X-Forwarded-For": forwarded},
    )
    return resp.status


async def test_web_limit_per_real_client_behind_a_trusted_proxy(
    aiohttp_client, fake_engine: TestServer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    client = await _client(aiohttp_client, fake_engine, tmp_path, ieum_trusted_proxies="127.0.0.1")
    assert [await _send(client, f"a{i}", "203.0.113.1") for i in range(3)] == [200, 200, 429]
    assert await _send(client, "b", "203.0.113.2") == 200  # another user behind the balancer
    # a client cannot get a fresh budget by prepending addresses of its own
    assert await _send(client, "c", "9.9.9.9, 203.0.113.1") == 429


async def test_spoofed_header_from_an_untrusted_peer_gains_nothing(
    aiohttp_client, fake_engine: TestServer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    client = await _client(aiohttp_client, fake_engine, tmp_path)  # no trusted proxies
    statuses = [await _send(client, f"u{i}", f"203.0.113.{i}") for i in range(3)]
    assert statuses == [200, 200, 429]  # all counted against the real peer, 127.0.0.1
