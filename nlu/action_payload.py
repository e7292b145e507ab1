"""Action-server calls carry the current turn, not the whole conversation.

Rasa 3.6 sends every custom-action call the tracker with *all* events of the session
(`EventVerbosity.ALL`): at turn 100 that is ~750 events and ~400 KB of JSON, serialised by the
engine and parsed by the action server on every call, several calls a turn — a cost that grows
with the conversation (bench/turn_cost.py measured it). What the actions read is the state
(slots, latest message, active loop, latest action — sent whole, as before) and the events of
the current turn: rasa-sdk's `slots_to_validate()` scans back from the end to the first non-slot
event and `get_latest_input_channel()` to the latest user message; our actions read no other
event. So the call carries the events from the last `action_listen` before the latest user
message on. The domain is still sent on every call (DESIGN: `enable_selective_domain` stays off),
built and serialised once per loaded model.
"""

from __future__ import annotations

from typing import Any

from nlu.action_transport import domain_json


def turn_events(events: Any) -> list[Any]:
    """The tail of `events` from the `action_listen` before the latest user message on."""
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import ActionExecuted, UserUttered

    items = list(events)
    start = 0
    for i in range(len(items) - 1, -1, -1):
        if isinstance(items[i], UserUttered):
            start = i
            if (
                i > 0
                and isinstance(items[i - 1], ActionExecuted)
                and items[i - 1].action_name == ACTION_LISTEN_NAME
            ):
                start = i - 1
            break
    return items[start:]


def install_turn_only_action_payload() -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.trackers import EventVerbosity

    if getattr(RemoteAction._action_call_format, "ieum_turn_only", False):
        return
    domain_cache: dict[int, tuple[Any, dict[str, Any]]] = {}

    def _domain_dict(domain: Any) -> dict[str, Any]:
        """`Domain.as_dict()` once per loaded domain (it rebuilds ~20 KB of dicts per call)."""
        cached = domain_cache.get(id(domain))
        if cached is None or cached[0] is not domain:
            domain_cache.clear()
            cached = domain_cache[id(domain)] = (domain, domain.as_dict())
            domain_json(cached[1])  # serialised once (nlu/action_transport.py)
        return cached[1]

    def _action_call_format(self: RemoteAction, tracker: Any, domain: Any) -> dict[str, Any]:
        """Rasa's request body (same keys), with only the current turn's events."""
        state = tracker.current_state(EventVerbosity.NONE)
        state["events"] = [event.as_dict() for event in turn_events(tracker.events)]
        result = {
            "next_action": self._name,
            "sender_id": tracker.sender_id,
            "tracker": state,
            "version": _rasa_version(),
        }
        if not self._is_selective_domain_enabled() or (
            domain.does_custom_action_explicitly_need_domain(self.name())
        ):
            result["domain"] = _domain_dict(domain)
        return result

    _action_call_format.ieum_turn_only = True  # type: ignore[attr-defined]
    RemoteAction._action_call_format = _action_call_format  # type: ignore[method-assign]


def _rasa_version() -> str:
    import rasa

    return rasa.__version__
