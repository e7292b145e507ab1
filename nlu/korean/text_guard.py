"""Bounds on user text before any pattern sees it: one crafted message must never stall a turn.

Whitespace runs carry no meaning, so they are squeezed; a pattern that only makes sense on a short
answer ("1번", "53이요") is only tried on short text. Every step here is a single linear pass.
Python 3.10-compatible and standard library only: both runtimes use it.
"""

from __future__ import annotations

import re

_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_NEWLINES = re.compile(r"\s*\n\s*")

# Longest reply that can still be a short answer (a button number, an age, a yes).
SHORT_ANSWER_CHARS = 40
# The same character repeated more than this says nothing more ("ㅋㅋㅋㅋ…", "요요요요…").
MAX_REPEAT = 8


def squeeze_spaces(text: str) -> str:
    """Runs of spaces and tabs become one space and blank lines one line break; ends trimmed."""
    return _NEWLINES.sub("\n", _HORIZONTAL_SPACE.sub(" ", text)).strip()


def cap_repeats(text: str, limit: int = MAX_REPEAT) -> str:
    """Cuts runs of one character longer than `limit` down to `limit`."""
    if len(text) <= limit:
        return text
    out: list[str] = []
    run_char, run = "", 0
    for char in text:
        if char == run_char:
            run += 1
            if run > limit:
                continue
        else:
            run_char, run = char, 1
        out.append(char)
    return "".join(out)


def short_answer(text: str, limit: int = SHORT_ANSWER_CHARS) -> str | None:
    """The squeezed text when it is short enough to be a one-word answer, else None."""
    if len(text) > limit * 8:  # cheap early exit before squeezing a long message
        return None
    squeezed = squeeze_spaces(text)
    return squeezed if len(squeezed) <= limit else None
