"""RulePolicy's dialogue states computed once per event, not once per event per prediction.

Rasa 3.6's `Domain.states_for_tracker_history` replays the whole session into a fresh tracker and
builds one state per action on every prediction (several a turn), so its cost grows with the
conversation (a py-spy profile at turn ~150 put it at 17 % of engine CPU). The states of earlier
points in a conversation never change when events are only appended, so we keep, per live tracker
(nlu/tracker_store.py hands out the same object each turn), the replay tracker and the states
so far, and process only the new events. Anything that could rewrite earlier history —
restarts, session starts, reverts, a loop (form) action, or a new loop name, which change what
`applied_events()` keeps — falls back to Rasa's own computation, which then refreshes the memo.
Results are equal to Rasa's (tests/engine/test_incremental_states.py); callers get a fresh list
of fresh state dicts, as from Rasa.
"""

from __future__ import annotations

import itertools
import weakref
from collections import OrderedDict
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

# set by a caller that needs only the last N states (the states are computed as before)
STATE_WINDOW: ContextVar[int | None] = ContextVar("ieum_state_window", default=None)
MEMO_SIZE = 512


@dataclass
class _Memo:
    tracker_ref: Any  # weakref to the tracker the memo belongs to
    last_event: Any  # the last event consumed (identity)
    consumed: int
    loop_names: frozenset[str]
    replay: Any  # a tracker with every consumed event applied
    states: list[Any] = field(default_factory=list)  # all states but the final one
    last_ml: Any = None
    hidden: bool = False


def _continue(domain: Any, memo: _Memo, events: list[Any], args: tuple) -> list[Any]:
    """Rasa's loop body over `events` (appended, plain), then the final state; returns states."""
    from rasa.shared.core.events import ActionExecuted

    for event in events:
        if isinstance(event, ActionExecuted):
            _step(domain, memo, memo.replay, event.hide_rule_turn, args, memo.states)
        memo.replay.update(event)
    final_states = list(memo.states)
    saved = (memo.last_ml, memo.hidden)
    _step(domain, memo, memo.replay, False, args, final_states)
    memo.last_ml, memo.hidden = saved  # the final state is recomputed next time
    return final_states


def _step(domain: Any, memo: _Memo, tr: Any, hide: bool, args: tuple, states: list) -> None:
    """One iteration of `Domain.states_for_tracker_history` (rasa 3.6.21), unchanged."""
    from rasa.shared.core.constants import PREVIOUS_ACTION

    omit_unset_slots, ignore_rule_only_turns, rule_only_data = args
    if ignore_rule_only_turns:
        if not memo.hidden:
            memo.last_ml = domain._get_prev_action_sub_state(tr)
        if not tr.followup_action and not tr.latest_action_name == tr.active_loop_name:
            memo.hidden = hide
        if memo.hidden:
            return
    state = domain.get_active_state(tr, omit_unset_slots=omit_unset_slots)
    if ignore_rule_only_turns:
        domain._remove_rule_only_features(state, rule_only_data)
        if states:
            domain._substitute_rule_only_user_input(state, states[-1])
        if memo.last_ml:
            state[PREVIOUS_ACTION] = memo.last_ml
    states.append(domain._clean_state(state))


def _rewrites_history(event: Any, loop_names: frozenset[str]) -> bool:
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionReverted,
        ActiveLoop,
        Restarted,
        SessionStarted,
        UserUtteranceReverted,
    )

    if isinstance(event, (Restarted, SessionStarted, ActionReverted, UserUtteranceReverted)):
        return True
    if isinstance(event, ActiveLoop) and event.name and event.name not in loop_names:
        return True
    return isinstance(event, ActionExecuted) and event.action_name in loop_names


def _frozen(data: Any) -> Any:
    """RulePolicy builds its rule-only data anew per call: key the memo on its content."""
    if not data:
        return None
    return tuple(sorted((k, tuple(v)) for k, v in data.items()))


class IncrementalStates:
    """Holds the memos (bounded, by tracker identity) and computes states with them."""

    def __init__(self, original: Any) -> None:
        self.original = original
        self.memos: OrderedDict[tuple, _Memo] = OrderedDict()

    def states(self, domain: Any, tracker: Any, args: tuple) -> list[Any]:
        events = tracker.events
        key = (id(tracker), id(domain), args[0], args[1], _frozen(args[2]))
        memo = self.memos.get(key)
        new: list[Any] = []
        if not (
            memo is not None
            and memo.tracker_ref() is tracker
            and len(events) >= memo.consumed
            and events[memo.consumed - 1] is memo.last_event
        ):
            memo = None
        else:
            new = list(itertools.islice(events, memo.consumed, None))
            if any(_rewrites_history(e, memo.loop_names) for e in new):
                memo = None
        if memo is None:
            if not len(events) or tracker._max_event_history is not None:
                return self.original(domain, tracker, *args)
            memo, new = self._fresh(tracker), list(tracker.applied_events())
            self.memos[key] = memo
            while len(self.memos) > MEMO_SIZE:
                self.memos.popitem(last=False)
        states = _continue(domain, memo, new, args)
        memo.consumed, memo.last_event = len(events), events[-1]
        self.memos.move_to_end(key)
        # callers edit the states they get (user text/intent removal): two levels, like new;
        # a caller that reads only the last few (RulePolicy, nlu/rule_lookup.py) gets those
        limit = STATE_WINDOW.get()
        tail = states[-limit:] if limit else states
        return [{k: dict(v) for k, v in state.items()} for state in tail]

    @staticmethod
    def _fresh(tracker: Any) -> _Memo:
        from rasa.shared.core.events import ActiveLoop

        loop_names = frozenset(
            e.name for e in tracker.events if isinstance(e, ActiveLoop) and e.name
        )
        return _Memo(weakref.ref(tracker), None, 0, loop_names, tracker.init_copy())


def install_incremental_states() -> None:
    from rasa.shared.core.domain import Domain

    original = Domain.states_for_tracker_history
    if getattr(original, "ieum_incremental", False):
        return
    holder = IncrementalStates(original)

    def states_for_tracker_history(
        self: Any,
        tracker: Any,
        omit_unset_slots: bool = False,
        ignore_rule_only_turns: bool = False,
        rule_only_data: Any = None,
    ) -> list[Any]:
        if getattr(tracker, "is_rule_tracker", False):  # training data: Rasa's path
            return original(self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        return holder.states(
            self, tracker, (omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        )

    states_for_tracker_history.ieum_incremental = True  # type: ignore[attr-defined]
    Domain.states_for_tracker_history = states_for_tracker_history  # type: ignore[method-assign]
