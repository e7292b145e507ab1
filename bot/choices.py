"""'1번', '첫 번째', or a button's own words typed back act as that button.

Older users often answer a list of buttons by number or by retyping the label. The gateway
remembers the last buttons each conversation was shown (bounded, in memory) and maps such
answers to the button's payload before the engine sees them.
"""

from __future__ import annotations

import re
from collections import OrderedDict

from bot.replies import Button
from nlu.korean.text_guard import short_answer

_ORDINALS = {
    "첫": 1,
    "한": 1,
    "두": 2,
    "둘": 2,
    "세": 3,
    "셋": 3,
    "네": 4,
    "넷": 4,
    "다섯": 5,
    "여섯": 6,
}
# Matched only against a short answer with its spaces squeezed (text_guard.short_answer), and
# written so that no two quantifiers can take the same space: linear on any input.
_NUMBERED = re.compile(
    r"(\d{1,2}|첫|한|두|둘|세|셋|네|넷|다섯|여섯) ?(?:번째|번|째)? ?(?:이요|요|으로|로|거|것)? ?[.!]?"
)
_ORDINAL_WORD = re.compile(r"(첫|두|둘|세|셋|네|넷|다섯|여섯) ?(?:번째|째)")


def _squash(text: str) -> str:
    return "".join(text.split())


class ChoiceMemory:
    def __init__(self, capacity: int = 50_000) -> None:
        self._capacity = capacity
        self._last: OrderedDict[str, list[Button]] = OrderedDict()

    def remember(self, sender: str, buttons: list[Button]) -> None:
        if buttons:
            self._last[sender] = buttons
            self._last.move_to_end(sender)
            while len(self._last) > self._capacity:
                self._last.popitem(last=False)
        else:
            self._last.pop(sender, None)

    def forget(self, sender: str) -> None:
        self._last.pop(sender, None)

    def resolve(self, sender: str, text: str) -> str:
        """The payload the text picks, or the text unchanged."""
        buttons = self._last.get(sender)
        if not buttons or text.startswith("/"):
            return text
        short = short_answer(text)
        if short is None:  # a long message is never a button number or a retyped label
            return text
        match = _NUMBERED.fullmatch(short)
        if match and (match.group(1).isdigit() or _ORDINAL_WORD.match(short) or "번" in short):
            word = match.group(1)
            index = int(word) if word.isdigit() else _ORDINALS[word]
            if 1 <= index <= len(buttons):
                return buttons[index - 1].payload
            return text
        typed = _squash(short)
        for button in buttons:
            if _squash(button.title) == typed:
                return button.payload
        return text
