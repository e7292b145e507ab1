"""`DialogueStateTracker.applied_events()` continued from where it stopped, not replayed.

Rasa 3.6 rebuilds the applied events (the history without reverted and restarted parts)
from the first event on every call, and calls it several times a turn (the session check
at the start of each message, `get_last_event_for`, the states): in one long conversation
about 15 % of the engine's CPU at turn 300, growing with every turn. The loop over events is
sequential and depends only on the events and the set of form names seen in the whole
history; so the result is kept per tracker and only new events are processed, unless a new
form name appears (then Rasa's way, from the start). `tests/engine/test_applied_events.py`
compares every step with Rasa's own method.
"""

from __future__ import annotations

import functools
import itertools
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

MEMO_SIZE = 600  # live trackers remembered (the tracker store keeps 500 per process)


@dataclass
class _Memo:
    tracker_ref: Any
    events_id: int  # the deque the events were read from (a replaced deque starts over)
    loop_names: frozenset[str]
    applied: list[Any] = field(default_factory=list)
    consumed: int = 0
    last_event: Any = None


class IncrementalAppliedEvents:
    def __init__(self) -> None:
        self.memos: OrderedDict[int, _Memo] = OrderedDict()

    def applied(self, tracker: Any) -> list[Any]:
        from rasa.shared.core.events import ActiveLoop

        events = tracker.events
        memo = self.memos.get(id(tracker))
        new: list[Any] = []
        if (
            memo is not None
            and memo.tracker_ref() is tracker
            and memo.events_id == id(events)
            and len(events) >= memo.consumed
            and (memo.consumed == 0 or events[memo.consumed - 1] is memo.last_event)
        ):
            new = list(itertools.islice(events, memo.consumed, None))
            if any(
                isinstance(e, ActiveLoop) and e.name and e.name not in memo.loop_names for e in new
            ):
                memo = None  # a new form name changes how earlier events count
        else:
            memo = None
        if memo is None:
            loop_names = frozenset(e.name for e in events if isinstance(e, ActiveLoop) and e.name)
            memo = _Memo(weakref.ref(tracker), id(events), loop_names)
            new = list(events)
        for event in new:
            _apply(tracker, event, memo.applied, memo.loop_names)
        memo.consumed = len(events)
        memo.last_event = events[-1] if len(events) else None
        self.memos[id(tracker)] = memo
        self.memos.move_to_end(id(tracker))
        while len(self.memos) > MEMO_SIZE:
            self.memos.popitem(last=False)
        if (
            len(self.memos) > MEMO_SIZE // 2
            and self.memos[next(iter(self.memos))].tracker_ref() is None
        ):
            for key in [k for k, m in self.memos.items() if m.tracker_ref() is None]:
                del self.memos[key]
        return list(memo.applied)  # callers may change the list they get


def _apply(tracker: Any, event: Any, applied: list[Any], loop_names: frozenset[str]) -> None:
    """One step of Rasa 3.6's `applied_events` loop (same order of checks)."""
    kinds = _event_classes()
    if isinstance(event, (kinds["Restarted"], kinds["SessionStarted"])):
        applied.clear()
    elif isinstance(event, kinds["ActionReverted"]):
        tracker._undo_till_previous(kinds["ActionExecuted"], applied)
    elif isinstance(event, kinds["UserUtteranceReverted"]):
        tracker._undo_till_previous(kinds["UserUttered"], applied)
        tracker._undo_till_previous(kinds["ActionExecuted"], applied)
    elif (
        isinstance(event, kinds["ActionExecuted"])
        and event.action_name in loop_names
        and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
    ):
        tracker._undo_till_previous_loop_execution(event.action_name, applied)
    else:
        applied.append(event)


@functools.cache
def _event_classes() -> dict[str, type]:
    """Rasa's event classes, imported once (this runs for every event of every turn)."""
    from rasa.shared.core import events

    names = ("ActionExecuted", "ActionReverted", "Restarted", "SessionStarted", "UserUttered",
             "UserUtteranceReverted")  # fmt: skip
    return {name: getattr(events, name) for name in names}


def install_incremental_applied_events() -> None:
    from rasa.shared.core.trackers import DialogueStateTracker

    if getattr(DialogueStateTracker.applied_events, "_ieum_incremental", False):
        return
    holder = IncrementalAppliedEvents()

    def applied_events(self: DialogueStateTracker) -> list[Any]:
        return holder.applied(self)

    applied_events._ieum_incremental = True  # type: ignore[attr-defined]
    DialogueStateTracker.applied_events = applied_events  # type: ignore[method-assign]
