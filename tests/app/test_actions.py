"""Actions run with a real Tracker, CollectingDispatcher and the real domain."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionRequestHuman
from actions.help import ActionShowHelp

DOMAIN_PATH = Path(__file__).parents[2] / "nlu" / "domain.yml"


@pytest.fixture(scope="module")
def domain() -> dict[str, Any]:
    return yaml.safe_load(DOMAIN_PATH.read_text(encoding="utf-8"))


def tracker_for(intent: str, text: str) -> Tracker:
    return Tracker(
        sender_id="web:test",
        slots={},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.99},
            "entities": [],
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


async def test_help_shows_the_menu_response(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionShowHelp().run(dispatcher, tracker_for("help", "뭐 할 수 있어요?"), domain)
    assert events == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_help"]
    (variant,) = domain["responses"]["utter_help"]
    assert 1 <= len(variant["buttons"]) <= 6
    # every menu button triggers an intent the domain knows
    intents = set(domain["intents"])
    assert {b["payload"].lstrip("/") for b in variant["buttons"]} <= intents


async def test_handoff_gives_hotline_text_and_card(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionRequestHuman().run(
        dispatcher, tracker_for("request_human", "상담사 연결해 주세요"), domain
    )
    assert events == []
    assert dispatcher.messages[0]["response"] == "utter_human_handoff"
    assert "utter_human_handoff" in domain["responses"]
    card = dispatcher.messages[1]["custom"]["card"]
    assert card["phone"] == "1350"
    assert "기준일" in card["description"]


def test_every_custom_action_is_in_the_domain(domain: dict[str, Any]) -> None:
    assert {ActionShowHelp().name(), ActionRequestHuman().name()} <= set(domain["actions"])
