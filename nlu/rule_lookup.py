"""RulePolicy's rule matching with an index: same answers, a fraction of the work.

Rasa 3.6 finds the applicable rules (`RulePolicy._get_possible_keys`) by checking every
learned rule (374 here, with the generated repair rules) against the current state, reversing
each rule's state list again on every check, and then walks back through the whole
conversation even after every remaining rule is shorter than the steps already checked.
Profiling put RulePolicy at about 16 % of an engine worker's CPU.

Here each rule's reversed states are kept, the rules are indexed by what their last state
requires of the previous action (a rule whose previous action cannot match is never
checked: `_does_rule_match_state` would reject it), and the walk stops once every remaining
rule is shorter than the steps checked (Rasa's `_is_rule_applicable` accepts those
unconditionally). For the same reason the policy is given only the last states of the
conversation (one more than its longest rule), so its cost no longer grows with the
conversation. `tests/engine/test_engine_speedups.py` compares the results with Rasa's own
methods on the trained model's rules.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from nlu.incremental_states import STATE_WINDOW

State = dict[str, dict[str, Any]]


class RuleIndex:
    """The rules of one lookup table, by what their last state needs of the previous action."""

    def __init__(self, lookup: dict[str, Any], reversed_states: Any) -> None:
        from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET

        self.lookup = lookup
        self.all_keys = set(lookup)
        self.start_keys: set[str] = set()  # rules whose last state is a conversation start
        self.any_previous: set[str] = set()  # need a previous action, of no particular value
        self.by_previous: dict[tuple[str, Hashable], set[str]] = {}
        self.length: dict[str, int] = {}
        for key in lookup:
            states = reversed_states(key)
            self.length[key] = len(states)
            rule_previous = states[0].get(PREVIOUS_ACTION) if states else None
            if not rule_previous:
                self.start_keys.add(key)
                continue
            required = [
                (name, tuple(value) if isinstance(value, list) else value)
                for name, value in rule_previous.items()
                if value and value != SHOULD_NOT_BE_SET
            ]
            if required:
                self.by_previous.setdefault(required[0], set()).add(key)
            else:
                self.any_previous.add(key)

    def candidates(self, current: State) -> set[str]:
        """Every rule that can apply to the current state (a superset, checked afterwards)."""
        from rasa.shared.core.constants import PREVIOUS_ACTION

        previous = current.get(PREVIOUS_ACTION)
        if not previous:
            return set(self.start_keys)
        found = set(self.any_previous)
        for pair in previous.items():
            try:
                found |= self.by_previous.get(pair, set())
            except TypeError:  # an unhashable value: check every rule the plain way
                return set(self.all_keys)
        return found


def _window(policy: Any) -> int:
    """States RulePolicy needs: one more than its longest rule (the longest rule is checked
    state by state back from the end; a longer history changes nothing)."""
    window = policy.__dict__.get("_ieum_window")
    if window is None:
        from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH

        lengths = [
            len(policy._rule_key_to_state(key))
            for table in (RULES, RULES_FOR_LOOP_UNHAPPY_PATH)
            for key in policy.lookup.get(table, {})
        ]
        window = policy.__dict__["_ieum_window"] = max(lengths, default=0) + 1
    return window


def install_indexed_rule_lookup() -> None:
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.shared.core.constants import PREVIOUS_ACTION

    if getattr(RulePolicy._get_possible_keys, "_ieum_indexed", False):
        return

    def _reversed_states(self: RulePolicy, rule_key: str) -> list[State]:
        cache = self.__dict__.setdefault("_ieum_reversed", {})
        states = cache.get(rule_key)
        if states is None:
            states = cache[rule_key] = list(reversed(self._rule_key_to_state(rule_key)))
        return states

    def _is_rule_applicable(
        self: RulePolicy, rule_key: str, turn_index: int, conversation_state: State
    ) -> bool:
        """Rasa's method, with the rule's reversed states kept instead of rebuilt."""
        reversed_rule_states = _reversed_states(self, rule_key)
        if turn_index >= len(reversed_rule_states):
            return True
        current_previous_action = conversation_state.get(PREVIOUS_ACTION)
        rule_previous_action = reversed_rule_states[turn_index].get(PREVIOUS_ACTION)
        if not rule_previous_action and not current_previous_action:
            return True
        if not rule_previous_action or not current_previous_action:
            return False
        return self._does_rule_match_state(reversed_rule_states[turn_index], conversation_state)

    def _index(self: RulePolicy, lookup: dict[str, Any]) -> RuleIndex:
        indexes = self.__dict__.setdefault("_ieum_indexes", {})
        index = indexes.get(id(lookup))
        if index is None or index.lookup is not lookup or len(index.all_keys) != len(lookup):
            index = indexes[id(lookup)] = RuleIndex(lookup, lambda k: _reversed_states(self, k))
        return index

    def _get_possible_keys(
        self: RulePolicy, lookup: dict[str, Any], states: list[State]
    ) -> set[str]:
        if not states:
            return set(lookup.keys())
        index = _index(self, lookup)
        possible = index.candidates(states[-1])
        for i, state in enumerate(reversed(states)):
            if not possible or i >= max(index.length[key] for key in possible):
                break  # nothing left, or every rule left is shorter: all apply
            possible = {key for key in possible if _is_rule_applicable(self, key, i, state)}
        return possible

    rasa_prediction_states = RulePolicy._prediction_states

    def _prediction_states(
        self: RulePolicy,
        tracker: Any,
        domain: Any,
        use_text_for_last_user_input: bool = False,
        rule_only_data: dict[str, Any] | None = None,
    ) -> list[State]:
        """The last states only: no rule looks further back than its own length."""
        window = _window(self)
        token = STATE_WINDOW.set(window)
        try:
            states = rasa_prediction_states(
                self, tracker, domain, use_text_for_last_user_input, rule_only_data
            )
        finally:
            STATE_WINDOW.reset(token)
        return states[-window:]

    _get_possible_keys._ieum_indexed = True  # type: ignore[attr-defined]
    RulePolicy._prediction_states = _prediction_states  # type: ignore[method-assign]
    RulePolicy._is_rule_applicable = _is_rule_applicable  # type: ignore[method-assign]
    RulePolicy._get_possible_keys = _get_possible_keys  # type: ignore[method-assign]
