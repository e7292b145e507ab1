"""Every pattern applied to user text finishes fast on crafted input (issue 16: ReDoS).

The shapes in tests/adversarial.py are the classic triggers (long runs of spaces between a digit
and a late failure, repeated endings, numerals); hypothesis combines them further.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.choices import ChoiceMemory
from bot.gateway import clean_text
from bot.privacy import mask_phone_numbers
from bot.replies import Button
from knowledge.person import find_mobile, parse_person_name
from knowledge.text import alias_key
from knowledge.yes_no import parse_yes_no
from nlu.korean.dates import parse_date, parse_time
from nlu.korean.numbers import parse_age
from nlu.korean.text_guard import cap_repeats, short_answer, squeeze_spaces
from nlu.korean.vocab import parse_employment_status
from tests.adversarial import SHAPES, best_time, build, cases

BUDGET_SECONDS = 0.05
NOW = dt.datetime(2026, 12, 1, 10, 0)


def _choices() -> Callable[[str], object]:
    memory = ChoiceMemory()
    memory.remember("web:u", [Button("회사에 다니고 있어요", "/a"), Button("처음으로", "/b")])
    return lambda text: memory.resolve("web:u", text)


FUNCTIONS: dict[str, Callable[[str], object]] = {
    "parse_age": lambda text: parse_age(text, NOW.date()),
    "parse_date": lambda text: parse_date(text, NOW),
    "parse_time": parse_time,
    "parse_employment_status": parse_employment_status,
    "find_mobile": find_mobile,
    "parse_person_name": parse_person_name,
    "parse_yes_no": parse_yes_no,
    "alias_key": alias_key,
    "mask_phone_numbers": mask_phone_numbers,
    "clean_text": clean_text,
    "choices": _choices(),
    "squeeze_spaces": squeeze_spaces,
    "cap_repeats": cap_repeats,
    "short_answer": short_answer,
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@pytest.mark.parametrize(("shape", "length"), cases())
def test_pattern_is_fast_on_crafted_input(name: str, shape: str, length: int) -> None:
    text = build(shape, length)
    assert best_time(FUNCTIONS[name], text) < BUDGET_SECONDS, (name, shape, length)


def test_the_message_that_froze_the_app_is_fast_and_still_understood() -> None:
    frozen = "1" + " " * 1990 + "x"
    assert best_time(FUNCTIONS["choices"], frozen) < BUDGET_SECONDS
    assert clean_text(frozen) == "1 x"
    assert parse_age(clean_text("53" + " " * 1000 + "살"), NOW.date()) == 53


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1번", "/a"),
        ("  2   번이요 ", "/b"),
        ("첫 번째", "/a"),
        ("두번째요", "/b"),
        ("회사에   다니고 있어요", "/a"),
        ("1" + " " * 500 + "번", "1" + " " * 500 + "번"),  # too long to be a button number
    ],
)
def test_choices_still_work_after_the_guard(text: str, expected: str) -> None:
    assert FUNCTIONS["choices"](text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("53", 53),
        ("만 53", 53),
        ("53이요", 53),
        ("  53   이요 . ", 53),
        ("쉰셋", 53),
        ("15년차", None),
    ],
)
def test_ages_still_read_after_the_guard(text: str, expected: int | None) -> None:
    assert parse_age(text, NOW.date()) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a   b", "a b"),
        ("a\t\u3000b", "a b"),
        ("첫 줄\n\n\n  둘째 줄", "첫 줄\n둘째 줄"),
        ("ㅋㅋㅋㅋㅋㅋㅋㅋㅋㅋㅋㅋ", "ㅋ" * 8),
        ("010-0000-1234", "010-0000-1234"),
    ],
)
def test_guard_keeps_the_meaning(text: str, expected: str) -> None:
    assert cap_repeats(squeeze_spaces(text)) == expected


_units = st.sampled_from(
    [unit for _, unit, _ in SHAPES.values()] + ["번", "살", "세", "년생", "시"]
)
_heads = st.sampled_from(["", "1", "53", "72", "오십", "쉰", "다음주", "010", "성함은", "네"])
_tails = st.sampled_from(["", "x", "살", "번", "요", "일", "월", "?", "😀"])


@st.composite
def crafted_messages(draw: st.DrawFn) -> str:
    """A head, one or two units repeated to thousands of characters, and a late-failing tail."""
    units = draw(st.lists(_units, min_size=1, max_size=2))
    repeat = draw(st.integers(min_value=200, max_value=2000))
    body = "".join(units) * repeat
    return (draw(_heads) + body)[:4095] + draw(_tails)


@settings(max_examples=60, deadline=None)
@given(text=crafted_messages())
def test_hypothesis_crafted_messages_are_fast(text: str) -> None:
    for name, func in FUNCTIONS.items():
        assert best_time(func, text, repeat=1) < BUDGET_SECONDS * 2, name
