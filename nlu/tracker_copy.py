"""`DialogueStateTracker.copy()` without replaying the conversation.

Rasa 3.6 copies the tracker before every action it runs (`MessageProcessor._run_action`, so a
rejected action's events can be dropped), and `copy()` is `travel_back_in_time(inf)`: a fresh
tracker with every event applied again — a cost that grows with the conversation (10 % of engine
CPU at turn ~150 in a py-spy profile). The live tracker already holds the result of applying
those events, so we copy its state instead: the same event objects (a replay shares them too),
copied slots, and the scalar fields replay would set. Trackers with a bounded event history keep
Rasa's replay (their state is not the replay of what is left). tests/engine/test_tracker_copy.py
checks the copy equals Rasa's after every event of a conversation with forms and restarts.
"""

from __future__ import annotations

import copy
from collections import deque
from typing import Any


def fast_copy(tracker: Any, replay: Any) -> Any:
    if tracker._max_event_history is not None:
        return replay(tracker)
    new = tracker.init_copy()  # same sender, slots definitions, rule flag; ids unset, as Rasa's
    new.events = deque(tracker.events)
    for name, slot in tracker.slots.items():
        new.slots[name] = copy.copy(slot)
    new._paused = tracker._paused
    new.followup_action = tracker.followup_action
    new.latest_action = dict(tracker.latest_action) if tracker.latest_action else {}
    new.latest_message = tracker.latest_message
    new.latest_bot_utterance = tracker.latest_bot_utterance
    new.active_loop = copy.copy(tracker.active_loop)
    return new


def install_fast_tracker_copy() -> None:
    from rasa.shared.core.trackers import DialogueStateTracker

    original = DialogueStateTracker.copy
    if getattr(original, "ieum_fast", False):
        return

    def _copy(self: Any) -> Any:
        return fast_copy(self, original)

    _copy.ieum_fast = True  # type: ignore[attr-defined]
    DialogueStateTracker.copy = _copy  # type: ignore[method-assign]
