"""Logs cannot be forged through a path, and user ids in logs are keyed fingerprints."""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot import privacy
from bot.app import create_app
from bot.log_filters import EscapeControlCharacters, escape_on_handlers, printable
from bot.privacy import configure_log_key, mask_id
from bot.supervisor import stack_environment
from tests.app.conftest import make_settings

FORGED = "2026-12-01 09:00:00 ERROR bot.admin: admin signed in"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("/admin/x\n" + FORGED, "/admin/x\\n" + FORGED),
        ("a\r\nb", "a\\r\\nb"),
        ("\x1b[31m빨강\x1b[0m", "\\x1b[31m빨강\\x1b[0m"),
        ("줄\u2028바꿈", "줄\\u2028바꿈"),
        ("bytes \udcff", "bytes \\udcff"),
        ("관악구 상담 예약", "관악구 상담 예약"),
    ],
)
def test_printable(text: str, shown: str) -> None:
    assert printable(text) == shown


async def test_a_newline_in_the_path_does_not_forge_a_log_line(
    aiohttp_client, fake_engine: TestServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(
        tmp_path, admin_token="t", rasa_url=str(fake_engine.make_url("")).rstrip("/")
    )
    client: TestClient = await aiohttp_client(create_app(settings))
    center = "x%0A" + FORGED.replace(" ", "%20") + "%0D%1B[2J"
    with caplog.at_level(logging.INFO):
        resp = await client.put(
            f"/admin/centers/{center}/schedule", headers={"Authorization": "Bearer wrong"}
        )
    assert resp.status == 401
    messages = [r.getMessage() for r in caplog.records]
    assert any("\\n2026-12-01" in m for m in messages), messages  # logged, escaped
    assert not any(c in m for m in messages for c in "\n\r\x1b")


def test_handler_filter_keeps_one_record_on_one_line() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("tests.security.escape")
    logger.propagate = False
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    try:
        escape_on_handlers(logger)
        escape_on_handlers(logger)  # installing twice adds one filter
        assert sum(isinstance(f, EscapeControlCharacters) for f in handler.filters) == 1
        logger.warning("request for %s", "/x\n" + FORGED)
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue().count("\n") == 1  # only the handler's own line end
    assert "\\n2026-12-01" in stream.getvalue()


def test_aiohttp_access_log_is_escaped(
    aiohttp_client, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    create_app(make_settings(tmp_path))  # installs the filters
    with caplog.at_level(logging.INFO, logger="aiohttp.access"):
        logging.getLogger("aiohttp.access").info('"GET %s HTTP/1.1" 404', "/a\nforged")
    assert caplog.records[-1].getMessage() == '"GET /a\\nforged HTTP/1.1" 404'


# ── mask_id is an HMAC ─────────────────────────────────────────────────────────────────


@pytest.fixture
def log_key():  # type: ignore[no-untyped-def]
    saved = privacy._log_key
    yield
    privacy._log_key = saved


@pytest.mark.parametrize("sender", ["telegram:12345", "kakao:a1b2c3", "web:웹사용자"])
def test_mask_id_is_keyed(log_key: None, sender: str) -> None:
    configure_log_key("first-key")
    first = mask_id(sender)
    expected = hmac.new(b"first-key", sender.encode(), hashlib.sha256).hexdigest()[:12]
    assert first == f"u#{expected}"
    assert first == mask_id(sender)  # stable within a run: a log can be followed
    unsalted = hashlib.sha256(sender.encode()).hexdigest()
    assert first[2:] not in unsalted  # the old, reversible fingerprint is gone
    configure_log_key("second-key")
    assert mask_id(sender) != first


def test_small_chat_ids_cannot_be_recovered_without_the_key(log_key: None) -> None:
    configure_log_key("server-side-secret")
    target = mask_id("telegram:4242")
    guesses = {
        f"u#{hashlib.sha256(f'telegram:{n}'.encode()).hexdigest()[:12]}" for n in range(10_000)
    }
    assert target not in guesses


def test_without_a_key_each_process_makes_its_own(
    log_key: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IEUM_LOG_KEY", raising=False)
    privacy._log_key = None
    configure_log_key("")  # empty keeps whatever the process has
    one = mask_id("telegram:1")
    assert privacy._log_key is not None and len(privacy._log_key) >= 32
    privacy._log_key = None
    assert mask_id("telegram:1") != one  # a new random key


def test_mask_id_reads_the_key_from_the_environment(
    log_key: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IEUM_LOG_KEY", "from-ieum-run")
    privacy._log_key = None
    expected = hmac.new(b"from-ieum-run", b"web:x", hashlib.sha256).hexdigest()[:12]
    assert mask_id("web:x") == f"u#{expected}"


def test_ieum_run_generates_one_log_key_for_all_its_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IEUM_LOG_KEY", raising=False)
    env, generated = stack_environment(make_settings(tmp_path), tmp_path)
    assert "IEUM_LOG_KEY" in generated and len(env["IEUM_LOG_KEY"]) >= 24
    monkeypatch.setenv("IEUM_LOG_KEY", "operator-chosen")
    env, generated = stack_environment(make_settings(tmp_path), tmp_path)
    assert env["IEUM_LOG_KEY"] == "operator-chosen" and "IEUM_LOG_KEY" not in generated
