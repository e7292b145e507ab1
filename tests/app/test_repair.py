"""Conversation repair: the interruption table, the domain and the pause action agree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.repair import ActionPauseForm
from knowledge.josa import has_particle_pair
from nlu.dialogue_repair import FORMS, HANDLERS, interrupting_intents, rules

DOMAIN = yaml.safe_load((Path(__file__).parents[2] / "nlu" / "domain.yml").read_text("utf-8"))


def from_text_mappings(form: str) -> list[dict[str, Any]]:
    found = []
    for slot in DOMAIN["slots"].values():
        for mapping in slot.get("mappings", []):
            loops = {c.get("active_loop") for c in mapping.get("conditions", [])}
            if mapping["type"] == "from_text" and form in loops:
                found.append(mapping)
    return found


@pytest.mark.parametrize("form", sorted(FORMS))
def test_typed_answers_never_swallow_an_interrupting_request(form: str) -> None:
    mappings = from_text_mappings(form)
    assert mappings and form in DOMAIN["forms"]
    for mapping in mappings:
        assert len(mapping["conditions"]) == 1  # one form per mapping: its own exclusions
        missing = set(interrupting_intents(form)) - set(mapping.get("not_intent", []))
        assert not missing, (form, missing)


def test_rules_use_only_what_the_domain_has() -> None:
    intents = set(DOMAIN["intents"])
    actions = set(DOMAIN["actions"]) | set(DOMAIN["responses"]) | set(DOMAIN["forms"])
    for rule in rules():
        for step in rule["steps"]:
            assert step.get("intent", "greet") in intents, rule["rule"]
            assert step.get("action", "action_pause_form") in actions, rule["rule"]
    assert set(HANDLERS) <= intents


def test_a_form_is_never_interrupted_by_its_own_request() -> None:
    assert "book_appointment" not in interrupting_intents("booking_form")
    assert "find_center" not in interrupting_intents("booking_form")  # "관악구요" is an answer
    assert "ask_program_info" in interrupting_intents("booking_form")
    assert "book_appointment" in interrupting_intents("alerts_form")
    assert "subscribe_alerts" not in interrupting_intents("alerts_form")


@pytest.mark.parametrize("form", sorted(FORMS))
async def test_pause_action_leaves_the_form_and_offers_to_continue(form: str) -> None:
    tracker = Tracker(
        sender_id="web:x",
        slots={"center": "ec_seoul", "requested_slot": "date"},
        latest_message={"text": "전직스쿨 신청은 어떻게 해요?", "intent": {"name": "x"}},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": form},
        latest_action_name="action_listen",
    )
    dispatcher = CollectingDispatcher()
    events = await ActionPauseForm().run(dispatcher, tracker, DOMAIN)
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in events if e["event"] == "active_loop"
    ]
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots == {"requested_slot": None, "paused_form": form}
    (message,) = dispatcher.messages
    assert "잠시 멈출게요" in message["text"] and not has_particle_pair(message["text"])
    assert message["buttons"][0]["payload"] == FORMS[form].resume_payload
