"""One way to check a typed answer: parse it, or say which response asks again."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
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


Validator = Callable[[Any, Any, CollectingDispatcher, Any, Any], Awaitable[dict[str, Any]]]


def skip_unset(method: Validator) -> Validator:
    """Slots our own actions reset to None (e.g. before a form starts) are not user answers:
    rasa-sdk still hands them to `validate_<slot>`, which must not complain about them."""

    @functools.wraps(method)
    async def wrapper(
        self: Any, value: Any, dispatcher: CollectingDispatcher, tracker: Any, domain: Any
    ) -> dict[str, Any]:
        if value is None:
            return {}
        return await method(self, value, dispatcher, tracker, domain)

    return wrapper
