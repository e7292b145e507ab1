"""Hostile input, property-based: thousands of generated requests to /api/messages, the Kakao
and Telegram webhooks and the admin API — malformed JSON, wrong types, huge and deeply nested
bodies, control characters, invalid UTF-8, SQL and script text, forged secrets. Zero 5xx, zero
unhandled exceptions in the logs."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import create_app
from tests.app.conftest import make_settings
from tests.app.fake_engine import create_fake_engine
from tests.fake_telegram import FakeTelegramState, create_fake_telegram

KAKAO = json.loads(
    (Path(__file__).parents[3] / "shared" / "fixtures" / "kakao" / "request_text.json").read_text(
        "utf-8"
    )
)
ADMIN_TOKEN = "fuzz-admin-token"
KAKAO_SECRET = "fuzz-kakao"
TELEGRAM_SECRET = "fuzz-telegram"
EXAMPLES = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    loop = asyncio.new_event_loop()
    ports = {"engine": free_port(), "telegram": free_port(), "app": free_port()}
    runners: list[web.AppRunner] = []
    ready = threading.Event()

    async def start() -> None:
        for app, port in (
            (create_fake_engine(), ports["engine"]),
            (create_fake_telegram(FakeTelegramState()), ports["telegram"]),
        ):
            runner = web.AppRunner(app)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", port).start()
            runners.append(runner)
        app_settings = make_settings(
            tmp_path_factory.mktemp("fuzz"),
            rasa_url=f"http://127.0.0.1:{ports['engine']}",
            admin_token=ADMIN_TOKEN,
            kakao_skill_secret=KAKAO_SECRET,
            telegram_bot_token="123:TEST",
            telegram_api_base=f"http://127.0.0.1:{ports['telegram']}/bot",
            telegram_webhook_url="https://ieum.example.com/webhooks/telegram",
            telegram_secret_token=TELEGRAM_SECRET,
            ieum_rate_limit_user="0",
            ieum_rate_limit_ip="0",
        )
        runner = web.AppRunner(create_app(app_settings))
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", ports["app"]).start()
        runners.append(runner)

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(20)
    yield f"http://127.0.0.1:{ports['app']}"

    async def stop() -> None:
        for runner in reversed(runners):
            await runner.cleanup()

    asyncio.run_coroutine_threadsafe(stop(), loop).result(30)
    loop.call_soon_threadsafe(loop.stop)


@pytest.fixture(scope="module")
def errors() -> Iterator[ErrorLog]:
    handler = ErrorLog()
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=20,
)
hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["'; DROP TABLE appointments; --", "<script>alert(1)</script>", "\x00\x01\x02", "😀" * 50,
                     "가" * 2001, "/inform{\"center\": 5}", "/restart{", "{{7*7}}", "%00", "\u202e"]),
)  # fmt: skip
raw_bodies = st.one_of(
    st.binary(max_size=300),
    st.just(b"[" * 5000),
    st.just(b'{"a":' * 3000),
    st.just(b"x" * 20000),
    st.just(b"\xff\xfe\xfd"),
    json_values.map(lambda v: json.dumps(v).encode()),
)


def send(method: str, url: str, **kwargs: Any) -> requests.Response:
    resp = requests.request(method, url, timeout=15, **kwargs)
    assert resp.status_code < 500, (url, resp.status_code, resp.text[:300])
    return resp


@EXAMPLES
@given(
    user_id=st.one_of(st.text(max_size=80), json_values), text=st.one_of(hostile_text, json_values)
)
def test_messages_fields(base_url: str, errors: ErrorLog, user_id: Any, text: Any) -> None:
    send("POST", f"{base_url}/api/messages", json={"user_id": user_id, "text": text})


@EXAMPLES
@given(
    body=raw_bodies,
    content_type=st.sampled_from(
        ["application/json", "text/plain", "", "application/x-www-form-urlencoded"]
    ),
)
def test_messages_raw(base_url: str, errors: ErrorLog, body: bytes, content_type: str) -> None:
    send("POST", f"{base_url}/api/messages", data=body, headers={"Content-Type": content_type})


def mutate(payload: Any, path: list[Any], value: Any) -> Any:
    if not path or not isinstance(payload, dict):
        return value
    key = path[0] if path[0] in payload else next(iter(payload), path[0])
    return {**payload, key: mutate(payload.get(key), path[1:], value)}


kakao_paths = st.lists(st.sampled_from(["userRequest", "user", "id", "utterance", "action", "clientExtra",
                                        "payload", "callbackUrl", "properties"]), max_size=4)  # fmt: skip


@EXAMPLES
@given(
    path=kakao_paths,
    value=st.one_of(json_values, hostile_text),
    secret=st.sampled_from([KAKAO_SECRET, "", "wrong"]),
)
def test_kakao_payloads(
    base_url: str, errors: ErrorLog, path: list[str], value: Any, secret: str
) -> None:
    body = mutate(KAKAO, path, value)
    resp = send("POST", f"{base_url}/webhooks/kakao", json=body, headers={"X-Skill-Secret": secret})
    if secret != KAKAO_SECRET:
        assert resp.status_code == 403


@EXAMPLES
@given(body=raw_bodies, secret=st.sampled_from([KAKAO_SECRET, "wrong"]))
def test_kakao_raw(base_url: str, errors: ErrorLog, body: bytes, secret: str) -> None:
    send(
        "POST",
        f"{base_url}/webhooks/kakao",
        data=body,
        headers={"X-Skill-Secret": secret, "Content-Type": "application/json"},
    )


telegram_updates = st.fixed_dictionaries(
    {"update_id": st.one_of(st.integers(min_value=1, max_value=2**31), json_values)},
    optional={
        "message": st.fixed_dictionaries(
            {"message_id": st.one_of(st.integers(1, 10**6), json_values), "date": st.integers(0, 2**31),
             "chat": st.one_of(st.fixed_dictionaries({"id": st.integers(1, 10**9), "type": st.just("private")}), json_values),
             "text": hostile_text},
        ),
        "callback_query": st.fixed_dictionaries(
            {"id": st.text(max_size=10), "from": st.fixed_dictionaries({"id": st.integers(1, 10**9), "is_bot": st.just(False), "first_name": st.text(max_size=5)}),
             "chat_instance": st.just("c"), "data": hostile_text},
        ),
    },
)  # fmt: skip


@EXAMPLES
@given(
    update=st.one_of(telegram_updates, json_values),
    secret=st.sampled_from([TELEGRAM_SECRET, "", "nope"]),
)
def test_telegram_webhook(base_url: str, errors: ErrorLog, update: Any, secret: str) -> None:
    resp = send(
        "POST",
        f"{base_url}/webhooks/telegram",
        json=update,
        headers={"X-Telegram-Bot-Api-Secret-Token": secret},
    )
    if secret != TELEGRAM_SECRET:
        assert resp.status_code == 403


admin_paths = st.sampled_from(["/admin/appointments", "/admin/events", "/admin/centers/ec_seoul/schedule",
                               "/admin/centers/nope/closed-days", "/admin/day", "/admin/login", "/admin/x"])  # fmt: skip


@EXAMPLES
@given(
    path=admin_paths,
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
    body=st.one_of(json_values, hostile_text),
    token=st.sampled_from([ADMIN_TOKEN, "", "guess", ADMIN_TOKEN + "x"]),
    query=st.dictionaries(st.sampled_from(["center", "date", "phone"]), hostile_text, max_size=3),
)
def test_admin_api(
    base_url: str, errors: ErrorLog, path: str, method: str, body: Any, token: str, query: dict
) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    send(
        method, f"{base_url}{path}", json=body, headers=headers, params=query, allow_redirects=False
    )


def test_no_unhandled_exception_was_logged(base_url: str, errors: ErrorLog) -> None:
    unhandled = [
        f"{r.getMessage()} {r.exc_info[1]!r}" if r.exc_info else r.getMessage()
        for r in errors.records
        if "unhandled" in r.getMessage() or r.exc_info
    ]
    assert unhandled == []
