"""Secret headers whose bytes are not UTF-8 are wrong secrets (401/403), never a 500.

aiohttp's client would refuse to send such headers, so these requests are written byte by byte
on a socket to the running test server.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.secret_check import bearer_token, header_bytes, same_secret
from tests.app.conftest import make_settings

SECRET = "카카오-비밀"  # non-ASCII on purpose: compared as UTF-8 bytes
ADMIN = "관리자-토큰"
TELEGRAM = "telegram-secret"

# latin-1 bytes, a lone continuation byte, an encoded surrogate, an overlong form, CP949 Hangul
BAD_BYTES = [b"\xff\xfe", b"caf\xe9", b"\x80", b"\xed\xa0\x80", b"\xc0\xaf", "비밀".encode("cp949")]


@pytest.fixture
async def app_client(aiohttp_client, fake_engine, tmp_path) -> TestClient:  # type: ignore[no-untyped-def]
    settings = make_settings(
        tmp_path,
        rasa_url=str(fake_engine.make_url("")).rstrip("/"),
        kakao_skill_secret=SECRET,
        admin_token=ADMIN,
        telegram_bot_token="123:TEST",
        telegram_api_base=f"http://127.0.0.1:{fake_engine.port}/nobot",  # never reached here
        telegram_webhook_url="https://ieum.example.kr/webhooks/telegram",
        telegram_secret_token=TELEGRAM,
    )
    return await aiohttp_client(create_app(settings))


async def raw_request(
    client: TestClient,
    method: str,
    path: str,
    headers: list[tuple[bytes, bytes]],
    body: bytes = b"",
) -> tuple[int, bytes]:
    """Sends one HTTP/1.1 request exactly as given; returns (status, body)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", client.server.port)
    lines = [f"{method} {path} HTTP/1.1".encode(), b"Host: 127.0.0.1"]
    lines += [name + b": " + value for name, value in headers]
    lines += [b"Content-Length: " + str(len(body)).encode(), b"Connection: close"]
    writer.write(b"\r\n".join(lines) + b"\r\n\r\n" + body)
    await writer.drain()
    response = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    head, _, payload = response.partition(b"\r\n\r\n")
    return int(head.split()[1]), payload


KAKAO_BODY = json.dumps(
    {"userRequest": {"utterance": "안녕하세요", "user": {"id": "u1"}}}, ensure_ascii=False
).encode()


@pytest.mark.parametrize("raw", BAD_BYTES)
async def test_kakao_secret_not_utf8(app_client: TestClient, raw: bytes) -> None:
    status, _ = await raw_request(
        app_client, "POST", "/webhooks/kakao",
        [(b"Content-Type", b"application/json"), (b"X-Skill-Secret", raw)], KAKAO_BODY,
    )  # fmt: skip
    assert status == 403


async def test_kakao_secret_as_utf8_bytes_is_accepted(app_client: TestClient) -> None:
    status, body = await raw_request(
        app_client, "POST", "/webhooks/kakao",
        [(b"Content-Type", b"application/json"), (b"X-Skill-Secret", SECRET.encode())], KAKAO_BODY,
    )  # fmt: skip
    assert status == 200 and json.loads(body)["version"] == "2.0"
    latin = SECRET.encode("utf-8").decode("latin-1").encode("utf-8")  # double-encoded: wrong
    status, _ = await raw_request(
        app_client, "POST", "/webhooks/kakao",
        [(b"Content-Type", b"application/json"), (b"X-Skill-Secret", latin)], KAKAO_BODY,
    )  # fmt: skip
    assert status == 403


@pytest.mark.parametrize("raw", BAD_BYTES)
async def test_telegram_secret_not_utf8(app_client: TestClient, raw: bytes) -> None:
    status, _ = await raw_request(
        app_client, "POST", "/webhooks/telegram",
        [(b"Content-Type", b"application/json"), (b"X-Telegram-Bot-Api-Secret-Token", raw)],
        b'{"update_id": 1}',
    )  # fmt: skip
    assert status == 403


@pytest.mark.parametrize("raw", BAD_BYTES)
@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/admin/appointments?center=ec_seoul", 401),
        ("POST", "/admin/events", 401),
        ("GET", "/admin/day", 401),
    ],
)
async def test_admin_authorization_not_utf8(
    app_client: TestClient, raw: bytes, method: str, path: str, expected: int
) -> None:
    status, _ = await raw_request(
        app_client, method, path,
        [(b"Authorization", b"Bearer " + raw), (b"Content-Type", b"application/json")], b"{}",
    )  # fmt: skip
    assert status == expected


async def test_admin_token_as_utf8_bytes_is_accepted(app_client: TestClient) -> None:
    status, _ = await raw_request(
        app_client, "GET", "/admin/day", [(b"Authorization", b"Bearer " + ADMIN.encode())]
    )
    assert status == 200


@pytest.mark.parametrize(
    ("given", "expected", "same"),
    [
        ("\udcff\udcfe", "x", False),
        ("\ud800", "\ud800", True),  # never raises, even for text that cannot be UTF-8
        ("비밀", "비밀", True),
        ("비밀", "비밀 ", False),
        ("", "", False),  # an unset secret matches nothing
        ("x", "", False),
    ],
)
def test_same_secret(given: str, expected: str, same: bool) -> None:
    assert same_secret(given, expected) is same


def test_header_bytes_gives_back_what_was_sent() -> None:
    for raw in BAD_BYTES:
        assert header_bytes(raw.decode("utf-8", "surrogateescape")) == raw


@pytest.mark.parametrize(
    ("header", "token"),
    [("Bearer abc", "abc"), ("bearer  abc ", "abc"), ("abc", ""), ("Basic abc", ""), ("", "")],
)
async def test_bearer_token(aiohttp_client, header: str, token: str) -> None:  # type: ignore[no-untyped-def]
    from aiohttp.test_utils import make_mocked_request

    request = make_mocked_request("GET", "/", headers={"Authorization": header} if header else {})
    assert bearer_token(request) == token
