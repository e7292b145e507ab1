"""The engine appends what it understood to REST replies, from the tracker already in memory."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.slots import TextSlot
from rasa.shared.core.trackers import DialogueStateTracker

from nlu.turn_summary import TURN_KEY, install_turn_summary, summarize


def _user(text: str, intent: str, confidence: float, **extra: Any) -> UserUttered:
    parse = {"text": text, "intent": {"name": intent, "confidence": confidence}, **extra}
    return UserUttered(text, parse["intent"], extra.get("entities", []), parse_data=parse)


def _tracker(*events: Any) -> DialogueStateTracker:
    tracker = DialogueStateTracker(
        "web:abc", slots=[TextSlot("requested_slot", mappings=[], influence_conversation=False)]
    )
    for event in events:
        tracker.update(event)
    return tracker


@pytest.mark.parametrize(
    ("event", "intent", "confidence", "programs"),
    [
        (
            _user(
                "전직스쿨 신청은 어떻게 해요?",
                "ask_program_info",
                0.93,
                entities=[{"entity": "program", "value": "transition_school"}],
            ),
            "ask_program_info",
            0.93,
            ["transition_school"],
        ),
        (
            _user(
                "어제 뭐 먹었는지 맞혀 봐요",
                "nlu_fallback",
                0.45,
                intent_ranking=[
                    {"name": "nlu_fallback", "confidence": 0.45},
                    {"name": "out_of_scope", "confidence": 0.31},
                ],
            ),
            "nlu_fallback",
            0.31,  # the best real intent's confidence, not the threshold
            [],
        ),
    ],
)
def test_summary_names_intent_actions_and_programs(
    event: UserUttered, intent: str, confidence: float, programs: list[str]
) -> None:
    tracker = _tracker(ActionExecuted("action_listen"), event)
    start = len(tracker.events)
    tracker.update(ActionExecuted("action_program_info"))
    tracker.update(ActionExecuted("action_listen"))
    summary = summarize(tracker, start, None, None)
    assert summary["intent"] == intent
    assert summary["confidence"] == pytest.approx(confidence)
    assert summary["actions"] == ["action_program_info"]
    assert summary["programs"] == programs


async def test_installed_loop_appends_the_summary_to_rest_replies(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    async def fake_loop(self: Any, output_channel: Any, tracker: DialogueStateTracker) -> None:
        await output_channel.send_text_message(tracker.sender_id, "성함을 알려 주세요.")
        tracker.update(ActionExecuted("booking_form"))
        tracker.update(ActionExecuted("action_listen"))

    monkeypatch.setattr(MessageProcessor, "_run_prediction_loop", fake_loop)
    install_turn_summary()
    install_turn_summary()  # idempotent: wrapping twice would append two summaries
    tracker = _tracker(
        ActiveLoop("booking_form"),
        SlotSet("requested_slot", "person_name"),
        _user("홍길동", "inform", 0.52),
    )
    channel = CollectingOutputChannel()
    await MessageProcessor._run_prediction_loop(None, channel, tracker)  # type: ignore[arg-type]
    assert channel.messages[0]["text"] == "성함을 알려 주세요."
    summaries = [m["custom"][TURN_KEY] for m in channel.messages if "custom" in m]
    assert len(summaries) == 1
    assert summaries[0]["actions"] == ["booking_form"]
    assert summaries[0]["loop"] == "booking_form"
    assert summaries[0]["asked"] == "person_name"  # the app keeps no text for this turn
    assert summaries[0]["intent"] == "inform"
    assert "text" not in summaries[0]  # the user's words never leave the engine this way
