"""What the engine understood in a turn, handed to the app with the REST channel's messages.

Rasa's REST channel returns only the bot's messages, but the operator console needs the intent,
its confidence, the actions that answered and the program asked about. The tracker is already in
memory at the end of the prediction loop, so summarising it there costs no extra tracker-store
read (the store is the engine's biggest CPU cost). The summary is one extra message with only a
`custom` payload — `{"ieum_turn": {...}}` — which the app strips before replying (a message
without text is never shown) and records off the reply path. It is not stored in the tracker.
"""

from __future__ import annotations

import itertools
from typing import Any

TURN_KEY = "ieum_turn"
FALLBACK_INTENT = "nlu_fallback"


def summarize(tracker: Any, first_new_event: int, asked: str | None, loop: str | None) -> dict:
    """Intent (best real intent's confidence when NLU fell back), actions run, programs named."""
    latest = tracker.latest_message
    parse = latest.parse_data if latest is not None else {}
    intent = parse.get("intent") or {}
    name = intent.get("name")
    confidence = intent.get("confidence")
    if name == FALLBACK_INTENT:
        real = [i for i in parse.get("intent_ranking") or [] if i.get("name") != FALLBACK_INTENT]
        confidence = real[0].get("confidence") if real else confidence
    actions = [
        event.action_name
        for event in itertools.islice(tracker.events, first_new_event, None)
        if getattr(event, "type_name", "") == "action"
        and event.action_name
        and event.action_name != "action_listen"
    ]
    programs = [
        str(entity.get("value"))
        for entity in parse.get("entities") or []
        if entity.get("entity") == "program" and entity.get("value")
    ]
    return {
        "intent": name,
        "confidence": float(confidence) if confidence is not None else None,
        "actions": actions,
        "programs": programs,
        "asked": asked,
        "loop": loop,
    }


def install_turn_summary() -> None:
    """Wraps the prediction loop: after it, a REST reply gets the turn summary appended."""
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.processor import MessageProcessor

    original = MessageProcessor._run_prediction_loop
    if getattr(original, "ieum_turn_summary", False):
        return

    async def _run_prediction_loop(self: Any, output_channel: Any, tracker: Any) -> None:
        loop = tracker.active_loop_name
        asked = tracker.get_slot("requested_slot") if loop else None
        first_new_event = len(tracker.events)
        await original(self, output_channel, tracker)
        if isinstance(output_channel, CollectingOutputChannel):
            summary = summarize(tracker, first_new_event, asked, loop)
            output_channel.messages.append(
                {"recipient_id": tracker.sender_id, "custom": {TURN_KEY: summary}}
            )

    _run_prediction_loop.ieum_turn_summary = True  # type: ignore[attr-defined]
    MessageProcessor._run_prediction_loop = _run_prediction_loop  # type: ignore[method-assign]
