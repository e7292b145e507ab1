"""Answering buttons by number ("1번", "첫 번째") or by retyping the label."""

from __future__ import annotations

import pytest

from bot.choices import ChoiceMemory
from bot.replies import Button

BUTTONS = [
    Button("회사에 다니고 있어요", '/inform{"employment_status": "employed"}'),
    Button("곧 퇴직할 예정이에요", '/inform{"employment_status": "retiring"}'),
    Button("퇴직했거나 일자리를 찾고 있어요", '/inform{"employment_status": "unemployed"}'),
]


@pytest.fixture
def memory() -> ChoiceMemory:
    memory = ChoiceMemory()
    memory.remember("web:a", BUTTONS)
    return memory


@pytest.mark.parametrize(
    "typed, index",
    [("1번", 0), ("1", 0), ("2번이요", 1), ("3번요", 2), ("첫 번째", 0), ("두번째요", 1), ("세 번째", 2),
     ("곧 퇴직할 예정이에요", 1), ("곧퇴직할예정이에요", 1)],
)  # fmt: skip
def test_number_or_label_picks_the_button(memory: ChoiceMemory, typed: str, index: int) -> None:
    assert memory.resolve("web:a", typed) == BUTTONS[index].payload


@pytest.mark.parametrize(
    "typed", ["4번", "쉰셋", "세 시", "네", "두 달 전에 퇴직했어요", "/restart"]
)
def test_other_text_is_untouched(memory: ChoiceMemory, typed: str) -> None:
    assert memory.resolve("web:a", typed) == typed


def test_choices_belong_to_one_conversation(memory: ChoiceMemory) -> None:
    assert memory.resolve("web:b", "1번") == "1번"
    memory.remember("web:a", [])
    assert memory.resolve("web:a", "1번") == "1번"


def test_memory_is_bounded() -> None:
    memory = ChoiceMemory(capacity=2)
    for sender in ("a", "b", "c"):
        memory.remember(sender, BUTTONS)
    assert memory.resolve("a", "1번") == "1번"
    assert memory.resolve("c", "1번") == BUTTONS[0].payload
