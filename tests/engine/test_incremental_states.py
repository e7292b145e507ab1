"""Incremental dialogue states equal Rasa's own, turn after turn, forms and restarts included."""

from __future__ import annotations

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from nlu.incremental_states import IncrementalStates

DOMAIN = Domain.from_dict(
    {
        "intents": ["greet", "ask_programs", "book_appointment", "inform", "affirm"],
        "entities": ["district", "program"],
        "slots": {
            "district": {
                "type": "text",
                "mappings": [{"type": "from_entity", "entity": "district"}],
            },
            "center": {
                "type": "text",
                "influence_conversation": True,
                "mappings": [{"type": "custom"}],
            },
        },
        "responses": {"utter_greet": [{"text": "안녕하세요"}]},
        "actions": ["action_list_programs", "action_book_appointment"],
        "forms": {"booking_form": {"required_slots": ["center"]}},
    }
)
RULE_ONLY = {"rule_only_slots": ["center"], "rule_only_loops": []}


def user(text: str, intent: str, entities: list[dict] | None = None) -> list[Event]:
    return [
        UserUttered(text, {"name": intent, "confidence": 1.0}, entities or []),
        ActionExecuted("action_list_programs"),
        ActionExecuted("action_listen"),
    ]


TURNS: list[list[Event]] = [
    [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")],
    user("안녕하세요", "greet"),
    user("중장년 지원 프로그램 뭐 있어요?", "ask_programs"),
    [
        *user(
            "관악구요", "inform", [{"entity": "district", "value": "관악구", "start": 0, "end": 3}]
        ),
        SlotSet("district", "관악구"),
    ],
    [
        UserUttered("상담 예약하고 싶어요", {"name": "book_appointment", "confidence": 1.0}),
        ActionExecuted("booking_form"),
        ActiveLoop("booking_form"),
        SlotSet("requested_slot", "center"),
        ActionExecuted("action_listen"),
    ],
    [
        UserUttered("관악센터요", {"name": "inform", "confidence": 1.0}),
        ActionExecuted("booking_form"),
        SlotSet("center", "seoul_gwanak"),
        ActiveLoop(None),
        ActionExecuted("action_book_appointment"),
        ActionExecuted("action_listen"),
    ],
    user("전직스쿨 신청은 어떻게 해요?", "ask_programs"),
    [Restarted(), ActionExecuted("action_listen")],
    user("다시 안녕하세요", "greet"),
]


@pytest.mark.parametrize("ignore_rule_only_turns", [False, True])
@pytest.mark.parametrize("omit_unset_slots", [False, True])
def test_same_states_as_rasa_each_turn(
    omit_unset_slots: bool, ignore_rule_only_turns: bool
) -> None:
    holder = IncrementalStates(Domain.states_for_tracker_history)
    fresh = holder._fresh
    rebuilt: list[int] = []
    holder._fresh = lambda t: rebuilt.append(1) or fresh(t)  # type: ignore[method-assign]
    tracker = DialogueStateTracker("web:states", DOMAIN.slots)
    rule_only = RULE_ONLY if ignore_rule_only_turns else None
    for events in TURNS:
        for event in events:
            tracker.update(event)
            # predictions happen mid-turn too: compare after every event, twice (memo hit)
            expected = DOMAIN.states_for_tracker_history(
                tracker, omit_unset_slots, ignore_rule_only_turns, rule_only
            )
            for _ in range(2):
                got = holder.states(
                    DOMAIN,
                    tracker,
                    (omit_unset_slots, ignore_rule_only_turns, dict(rule_only or {}) or None),
                )
                assert got == expected
    events = sum(len(t) for t in TURNS)
    assert len(rebuilt) <= 8 < events  # rebuilt only at session start, forms and restarts


def test_callers_may_edit_what_they_get() -> None:
    holder = IncrementalStates(Domain.states_for_tracker_history)
    tracker = DialogueStateTracker("web:edit", DOMAIN.slots)
    for events in TURNS[:4]:
        for event in events:
            tracker.update(event)
    first = holder.states(DOMAIN, tracker, (False, False, None))
    for state in first:
        state.get("user", {}).pop("intent", None)
    assert holder.states(
        DOMAIN, tracker, (False, False, None)
    ) == DOMAIN.states_for_tracker_history(tracker)
