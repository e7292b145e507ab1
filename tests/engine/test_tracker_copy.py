"""The fast tracker copy equals Rasa's replayed copy and is independent of the original."""

from __future__ import annotations

from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from nlu.tracker_copy import fast_copy
from tests.engine.test_incremental_states import DOMAIN, TURNS


def state(tracker: DialogueStateTracker) -> dict:
    return {
        **tracker.current_state(EventVerbosity.ALL),
        "slot_values": {n: (s.value, s.has_been_set) for n, s in tracker.slots.items()},
        "followup": tracker.followup_action,
        "loop": tracker.active_loop,
    }


def test_same_as_rasa_after_every_event() -> None:
    tracker = DialogueStateTracker("web:copy", DOMAIN.slots)
    for events in TURNS:
        for event in events:
            tracker.update(event)
            ours = fast_copy(tracker, DialogueStateTracker.copy)
            assert state(ours) == state(DialogueStateTracker.copy(tracker))


def test_changing_the_copy_leaves_the_original() -> None:
    tracker = DialogueStateTracker("web:copy2", DOMAIN.slots)
    for events in TURNS[:6]:
        for event in events:
            tracker.update(event)
    before = state(tracker)
    ours = fast_copy(tracker, DialogueStateTracker.copy)
    ours.update(SlotSet("district", "부평구"))
    ours.update(UserUttered("예약 취소할래요", {"name": "inform", "confidence": 1.0}))
    assert state(tracker) == before
    assert ours.get_slot("district") == "부평구"
