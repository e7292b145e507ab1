"""One crafted message must never take the service down (issue 16).

On each channel, an attacker sends the messages that froze the app and the engine before (a digit,
thousands of spaces and a late failure; long runs of endings, numerals and particles) while a
bystander asks a normal question at the same time: both get an answer within 2 seconds, and no
request fails with a 5xx. The engine's own /model/parse is also given the raw text, without the
app's clean-up, since any local client could send it.
"""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from tests.adversarial import build
from tests.e2e.conftest import Stack, ThreadedFakeTelegram
from tests.e2e.test_channels import kakao_payload

LIMIT_S = 2.0
CRAFTED_SHAPES = (
    "digit_then_spaces",
    "age_then_spaces_then_unit",
    "mixed_whitespace",
    "repeated_yo",
    "repeated_iyo",
    "repeated_particles",
    "sino_numerals",
    "month_days",
    "man_prefix",
    "ordinal_words",
)
BYSTANDER = "전직스쿨이 뭐예요?"


def crafted(shape: str, length: int) -> str:
    if shape == "digit_then_spaces":  # exactly the message from the report
        return ("1" + " " * (length - 2) + "x")[:length]
    return build(shape, length)


def timed(call: Any) -> tuple[float, Any]:
    started = time.monotonic()
    result = call()
    return time.monotonic() - started, result


@pytest.mark.parametrize("shape", CRAFTED_SHAPES)
def test_web_crafted_message_and_bystander(stack: Stack, shape: str) -> None:
    attacker, bystander = str(uuid.uuid4()), str(uuid.uuid4())
    stack.say(bystander, "안녕하세요")
    with ThreadPoolExecutor(2) as pool:
        bad = pool.submit(timed, lambda: stack.say(attacker, crafted(shape, 2000), timeout=30))
        time.sleep(0.3)  # the report: the bystander wrote 0.3 s later
        good = pool.submit(timed, lambda: stack.say(bystander, BYSTANDER, timeout=30))
        bad_s, bad_resp = bad.result()
        good_s, good_resp = good.result()
    assert bad_resp.status_code == 200 and bad_resp.json()["replies"], shape
    assert good_resp.status_code == 200
    assert "전직스쿨" in "\n".join(r["text"] for r in good_resp.json()["replies"])
    assert bad_s < LIMIT_S and good_s < LIMIT_S, (shape, bad_s, good_s)


@pytest.mark.parametrize("shape", CRAFTED_SHAPES)
def test_engine_parse_of_raw_crafted_text_is_fast(stack: Stack, shape: str) -> None:
    seconds, resp = timed(
        lambda: requests.post(
            f"{stack.rasa_url}/model/parse",
            params={"token": stack.rasa_token},
            json={"text": crafted(shape, 4096)},
            timeout=30,
        )
    )
    assert resp.status_code == 200
    assert seconds < LIMIT_S, (shape, seconds)


def test_telegram_crafted_message_and_bystander(
    stack: Stack, telegram: ThreadedFakeTelegram
) -> None:
    base = 700_000 + int(uuid.uuid4().int % 10_000) * 20
    for offset, shape in enumerate(CRAFTED_SHAPES):
        attacker, bystander = base + 2 * offset, base + 2 * offset + 1
        telegram.send_text(attacker, crafted(shape, 4096))  # Telegram's longest message
        time.sleep(0.3)
        started = time.monotonic()
        telegram.send_text(bystander, BYSTANDER)
        telegram.wait_text(bystander, "전직스쿨", limit_s=LIMIT_S)
        bystander_s = time.monotonic() - started
        telegram.wait_sent(attacker, 1, limit_s=LIMIT_S)
        assert bystander_s < LIMIT_S, (shape, bystander_s)


def _kakao(stack: Stack, user: str, text: str) -> requests.Response:
    return requests.post(f"{stack.url}/webhooks/kakao", json=kakao_payload(user, text), timeout=30)


@pytest.mark.parametrize("shape", CRAFTED_SHAPES)
def test_kakao_crafted_message_and_bystander(stack: Stack, shape: str) -> None:
    attacker, bystander = uuid.uuid4().hex, uuid.uuid4().hex
    with ThreadPoolExecutor(2) as pool:
        bad = pool.submit(timed, lambda: _kakao(stack, attacker, crafted(shape, 1000)))
        time.sleep(0.3)
        good = pool.submit(timed, lambda: _kakao(stack, bystander, BYSTANDER))
        bad_s, bad_resp = bad.result()
        good_s, good_resp = good.result()
    assert bad_resp.status_code == 200 and bad_resp.json()["version"] == "2.0", shape
    assert good_resp.status_code == 200
    assert "전직스쿨" in str(good_resp.json()["template"]), shape
    assert bad_s < LIMIT_S and good_s < LIMIT_S, (shape, bad_s, good_s)
