"""One way to check a typed answer: parse it, or say which response asks again."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from knowledge.yes_no import parse_yes_no


def checked(
    slot: str,
    parsed: Any,
    dispatcher: CollectingDispatcher,
    bad_response: str,
) -> dict[str, Any]:
    """{slot: parsed}, after telling the user what was not understood when parsing failed."""
    if parsed is None:
        dispatcher.utter_message(response=bad_response)
    return {slot: parsed}


def yes_no(slot: str, value: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
    return checked(slot, parse_yes_no(value), dispatcher, "utter_bad_yes_no")
