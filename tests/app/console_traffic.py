"""Scripted engine and traffic for the operator-console tests: what the engine 'understood' for
each Korean message, as the engine's turn summary (nlu/turn_summary.py) carries it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bot.engine import EngineUnavailable


@dataclass(frozen=True)
class Understood:
    intent: str
    confidence: float
    actions: tuple[str, ...]
    programs: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)  # an action's ieum_usage payload
    asked: str | None = None
    loop: str | None = None
    down: bool = False  # the engine does not answer


SCRIPT: dict[str, Understood] = {
    "안녕하세요": Understood("greet", 0.99, ("utter_greet",)),
    "전직스쿨 신청은 어떻게 해요?": Understood(
        "ask_program_info", 0.95, ("action_program_info",), ("transition_school",)
    ),
    "52세 재직자도 생애경력설계 받을 수 있나요?": Understood(
        "check_eligibility", 0.91, ("eligibility_form", "action_answer_eligibility"),
        ("lifecycle_career_design",),
        {"program": "lifecycle_career_design", "verdict": "가능"},
    ),
    "70살인데 생애경력설계 돼요?": Understood(
        "check_eligibility", 0.88, ("eligibility_form", "action_answer_eligibility"),
        ("lifecycle_career_design",),
        {"program": "lifecycle_career_design", "verdict": "불가"},
    ),
    "상담 예약하고 싶어요": Understood("book_appointment", 0.97, ("booking_form",)),
    "홍길동": Understood("inform", 0.41, ("booking_form",), asked="person_name", loop="booking_form"),
    "010-1234-5678": Understood("inform", 0.38, ("booking_form",), asked="phone", loop="booking_form"),
    "제 이름은 홍길동이고 번호는 010-1234-5678인데 뭐 해줄 수 있어요": Understood(
        "nlu_fallback", 0.32, ("utter_default",)
    ),
    "어제 뭐 먹었는지 맞혀 봐요": Understood("nlu_fallback", 0.30, ("utter_default",)),
    "어제 뭐 먹었는지  맞혀 봐요!!": Understood("nlu_fallback", 0.28, ("utter_default",)),
    "노후 연금 얼마 나와요": Understood("ask_programs", 0.52, ("action_suggest_programs",)),
    "엔진이 멈춘 순간": Understood("", 0, (), down=True),
}  # fmt: skip


_BY_WORDS = {" ".join(k.split()): v for k, v in SCRIPT.items()}


class ScriptedEngine:
    """Stands in for `EngineClient`: replies and the turn summary the real engine appends."""

    def __init__(self, clock: list[dt.datetime]) -> None:
        self.clock = clock

    async def send(self, sender: str, text: str) -> list[dict[str, Any]]:
        said = _BY_WORDS[" ".join(text.split())]  # the gateway squeezes spaces
        if said.down:
            raise EngineUnavailable("scripted")
        messages: list[dict[str, Any]] = [{"recipient_id": sender, "text": f"답: {said.intent}"}]
        if said.extra:
            messages.append({"recipient_id": sender, "custom": {"ieum_usage": said.extra}})
        messages.append(
            {
                "recipient_id": sender,
                "custom": {
                    "ieum_turn": {
                        "intent": said.intent,
                        "confidence": said.confidence,
                        "actions": list(said.actions),
                        "programs": list(said.programs),
                        "asked": said.asked,
                        "loop": said.loop,
                    }
                },
            }
        )
        return messages

    async def status(self) -> dict[str, Any]:
        return {"model_id": "scripted"}
