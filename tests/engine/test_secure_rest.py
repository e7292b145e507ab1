"""The engine's chat channel answers only the app: token required, user text kept out of logs.

A real Sanic server (Rasa's own `register`, as `rasa run` does) on a free local port, spoken to
with aiohttp and with raw bytes; the agent is a stand-in that echoes, so no model is needed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from rasa.core.channels.channel import UserMessage, register
from sanic import Sanic

from nlu.channels.secure_rest import SecureRestInput
from nlu.engine_main import MASK, MaskUserText, install_user_text_masking

ROOT = Path(__file__).parents[2]
TOKEN = "engine-token-비밀"
PATH = "/webhooks/ieum_rest/webhook"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class EchoAgent:
    """What `app.ctx.agent` does for the channel: handle a message, reply through its channel."""

    seen: list[tuple[str, str]] = field(default_factory=list)
    hang: bool = False

    async def handle_message(self, message: UserMessage) -> None:
        self.seen.append((message.sender_id, message.text))
        if self.hang:  # what Rasa's timeout looks like to the channel
            raise asyncio.CancelledError()
        await message.output_channel.send_text_message(message.sender_id, f"받음: {message.text}")


@dataclass
class Engine:
    url: str
    port: int
    agent: EchoAgent


async def _serve(channel: SecureRestInput) -> AsyncIterator[Engine]:
    Sanic.test_mode = True
    app = Sanic(f"secure_rest_{uuid.uuid4().hex[:8]}")
    agent = EchoAgent()
    app.ctx.agent = agent
    register([channel], app, route="/webhooks/")
    port = free_port()
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    assert server is not None
    await server.startup()
    await server.start_serving()
    try:
        yield Engine(f"http://127.0.0.1:{port}", port, agent)
    finally:
        server.close()
        await server.wait_closed()


@pytest.fixture
async def engine() -> AsyncIterator[Engine]:
    async for running in _serve(SecureRestInput(TOKEN)):
        yield running


async def _post(
    url: str, body: dict[str, Any], headers: dict[str, str] | None = None, params: Any = None
) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=body, headers=headers, params=params) as resp,
    ):
        return resp.status, await resp.json(content_type=None)


BODY = {"sender": "telegram:7", "message": "제 예약 확인해 주세요"}


@pytest.mark.parametrize(
    ("headers", "params"),
    [
        ({}, None),
        ({"Authorization": "Bearer wrong"}, None),
        ({"Authorization": TOKEN}, None),  # no Bearer scheme
        ({}, {"token": "wrong"}),
        ({"Authorization": "Basic " + TOKEN}, None),
    ],
)
async def test_requests_without_the_token_are_refused(
    engine: Engine, headers: dict[str, str], params: Any
) -> None:
    status, body = await _post(engine.url + PATH, BODY, headers, params)
    assert status == 401 and body["reason"] == "NotAuthenticated"
    assert engine.agent.seen == []  # the message never reached the agent


async def test_bearer_header_or_query_token_is_answered(engine: Engine) -> None:
    bearer = {"Authorization": "Bearer " + TOKEN}
    status, body = await _post(engine.url + PATH, BODY, bearer)
    assert status == 200
    assert body == [{"recipient_id": "telegram:7", "text": "받음: 제 예약 확인해 주세요"}]
    status, body = await _post(engine.url + PATH, BODY, params={"token": TOKEN})
    assert status == 200 and body[0]["text"] == "받음: 제 예약 확인해 주세요"
    assert engine.agent.seen == [("telegram:7", "제 예약 확인해 주세요")] * 2


async def test_rasa_plain_rest_route_is_not_served(engine: Engine) -> None:
    status, _ = await _post(engine.url + "/webhooks/rest/webhook", BODY)
    assert status == 404


@pytest.mark.parametrize("raw", [b"Bearer \xff\xfe", b"Bearer \xe9ngine", b"Bearer \xed\xa0\x80"])
async def test_token_bytes_that_are_not_utf8_get_401_not_500(engine: Engine, raw: bytes) -> None:
    payload = json.dumps(BODY).encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", engine.port)
    writer.write(
        b"POST " + PATH.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nAuthorization: " + raw + b"\r\n"
        b"Content-Length: "
        + str(len(payload)).encode()
        + b"\r\nConnection: close\r\n\r\n"
        + payload
    )
    await writer.drain()
    status_line = await asyncio.wait_for(reader.readline(), 5)
    writer.close()
    assert status_line.split()[1] in (b"400", b"401")  # never a 5xx
    assert engine.agent.seen == []


async def test_without_a_configured_token_everything_is_refused() -> None:
    async for engine in _serve(SecureRestInput("")):
        for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Bearer x"}):
            status, _ = await _post(engine.url + PATH, BODY, headers)
            assert status == 401
        status, _ = await _post(engine.url + PATH, BODY, params={"token": ""})
        assert status == 401
        assert engine.agent.seen == []


def test_credentials_file_registers_only_the_secure_channel(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rasa.core.run import create_http_input_channels

    monkeypatch.setenv("RASA_TOKEN", "from-the-environment")
    channels = create_http_input_channels(None, str(ROOT / "credentials.yml"))
    assert [type(c) for c in channels] == [SecureRestInput]
    assert channels[0].token == "from-the-environment"
    assert channels[0].url_prefix() == "ieum_rest"


# ── user text stays out of the engine's logs ────────────────────────────────────────────


async def test_a_timed_out_turn_logs_no_user_text(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.INFO)  # what `rasa run` does
    install_user_text_masking()  # what nlu/engine_main.py does before it
    engine.agent.hang = True
    secret_text = "제 번호는 010-1234-5678, 이름은 홍길동이에요"
    with caplog.at_level(logging.INFO):
        status, body = await _post(
            engine.url + PATH,
            {"sender": "web:x", "message": secret_text},
            {"Authorization": "Bearer " + TOKEN},
        )
    assert status == 200 and body == []
    rest_records = [r for r in caplog.records if r.name == "rasa.core.channels.rest"]
    assert rest_records, "Rasa's REST channel logged nothing: the test no longer covers its log"
    for record in rest_records:
        message = record.getMessage()
        assert "010-1234-5678" not in message and "홍길동" not in message
        assert "rest.message.received.timeout" in message


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        (
            json.dumps(
                {
                    "text": "홍길동 010-1234-5678",
                    "event": "rest.message.received.timeout",
                    "log_level": "error",
                },
                ensure_ascii=False,
            ),
            "rest.message.received.timeout",
        ),
        (
            "2026-12-01 10:00:00 [error    ] rest.message.received.failure text='홍길동 010-1234-5678'",
            "rest.message.received.failure",
        ),
    ],
)
def test_mask_filter_on_rendered_json_and_console_lines(line: str, kept: str) -> None:
    record = logging.LogRecord(
        "rasa.core.channels.rest", logging.ERROR, __file__, 1, line, None, None
    )
    assert MaskUserText().filter(record) is True
    message = record.getMessage()
    assert "홍길동" not in message and "010-1234-5678" not in message
    assert kept in message and MASK in message
