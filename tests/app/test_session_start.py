"""Coming back after the session expired: facts carried, half-finished forms and typed personal
data not (issue 13: a half-finished form is never resumed silently)."""

from __future__ import annotations

from pathlib import Path

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.session import ActionSessionStart

DOMAIN = yaml.safe_load((Path(__file__).parents[2] / "nlu" / "domain.yml").read_text("utf-8"))


async def test_new_session_keeps_facts_and_drops_the_form() -> None:
    slots = {name: None for name in DOMAIN["slots"]} | {
        "age": 55, "employment_status": "unemployed", "district": "관악구", "region": "서울",
        "insured_months": 96, "requested_slot": "phone", "center": "ec_seoul",
        "date": "2026-12-11", "person_name": "홍길동", "phone": "01012345678",
        "paused_form": "booking_form",
    }  # fmt: skip
    tracker = Tracker("web:back", slots, {}, [], False, None, {"name": "booking_form"}, "x")
    events = await ActionSessionStart().run(CollectingDispatcher(), tracker, DOMAIN)
    assert events[0]["event"] == "session_started"
    assert events[-1] == {**events[-1], "event": "action", "name": "action_listen"}
    carried = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert carried == {"age": 55, "employment_status": "unemployed", "district": "관악구",
                       "region": "서울", "insured_months": 96}  # fmt: skip
    assert "action_session_start" in DOMAIN["actions"]
