"""Crafted messages that make backtracking regexes slow, shared by the app and engine timing tests.

Each shape is built to the length asked, ending in the character that makes a pattern fail late
(the classic catastrophic-backtracking trigger). 4,096 is Telegram's longest message.
"""

from __future__ import annotations

from collections.abc import Callable

LENGTHS = (300, 2000, 4096)

# name → (head, repeated unit, tail)
SHAPES: dict[str, tuple[str, str, str]] = {
    "digit_then_spaces": ("1", " ", "x"),
    "word_then_spaces": ("홍길동", " ", "x"),
    "name_then_spaces": ("이름은 ", " ", "입니다x"),
    "age_then_spaces_then_unit": ("53", " ", "살"),
    "tabs": ("1", "\t", "x"),
    "newlines": ("1", "\n", "x"),
    "mixed_whitespace": ("1", " \t\u3000", "x"),
    "repeated_yo": ("", "요", "x"),
    "repeated_iyo": ("3시", "이요", "x"),
    "repeated_particles": ("내일", "에는에도에서까지부터", "x"),
    "digits": ("", "1", "x"),
    "digits_spaced": ("", "1 ", "x"),
    "sino_numerals": ("", "오십삼", "x"),
    "sino_spaced": ("", "오 십 삼 ", "x"),
    "native_numerals": ("", "쉰 셋 ", "x"),
    "man_prefix": ("", "만 ", "53x"),
    "year_words": ("72", "년 ", "x"),
    "month_days": ("", "일이삼", "월"),
    "day_words": ("", "일 ", "x"),
    "weekday_words": ("다음주 ", "금욜 ", "x"),
    "pm_words": ("", "오후 ", "x"),
    "won_words": ("", "만원 ", "x"),
    "phone_digits": ("", "010 ", "x"),
    "name_prefix": ("", "성함은 ", "x"),
    "dashes": ("", "-", "x"),
    "dots": ("", ".", "x"),
    "tildes": ("", "~", "x"),
    "ordinal_words": ("", "첫 번째 ", "x"),
    "hangul_jamo": ("", "ㅋ", "ㅠ"),
    "emoji": ("", "😀", "x"),
}


def build(shape: str, length: int) -> str:
    head, unit, tail = SHAPES[shape]
    body_len = max(0, length - len(head) - len(tail))
    body = (unit * (body_len // len(unit) + 1))[:body_len]
    return head + body + tail


def cases() -> list[tuple[str, int]]:
    return [(shape, length) for shape in SHAPES for length in LENGTHS]


def best_time(func: Callable[[str], object], text: str, repeat: int = 3) -> float:
    """Seconds the fastest of `repeat` calls took: backtracking is deterministic, so the fastest
    run shows the pattern's cost without the noise of a busy 2-core machine."""
    import time

    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        func(text)
        best = min(best, time.perf_counter() - started)
    return best
