"""Korean numbers and ages as people type them: "53", "쉰셋", "오십삼", "육십 둘", "72년생".

Pure standard library and Python 3.10-compatible: the engine runtime (Rasa components) and the
app runtime (actions) share it, so an age means the same thing on both sides.
"""

from __future__ import annotations

import datetime as dt
import re

from nlu.korean.text_guard import short_answer

_NATIVE_TENS = {"열": 10, "스물": 20, "스무": 20, "서른": 30, "마흔": 40, "쉰": 50, "예순": 60,
                "일흔": 70, "여든": 80, "아흔": 90}  # fmt: skip
_NATIVE_ONES = {"하나": 1, "한": 1, "둘": 2, "두": 2, "셋": 3, "세": 3, "석": 3, "넷": 4, "네": 4,
                "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "여덜": 8, "아홉": 9}  # fmt: skip
_SINO_DIGITS = {"영": 0, "공": 0, "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "륙": 6,
                "칠": 7, "팔": 8, "구": 9}  # fmt: skip

_NATIVE_RE = re.compile(
    "(" + "|".join(sorted(_NATIVE_TENS, key=len, reverse=True)) + ")"
    r"\s?(" + "|".join(sorted(_NATIVE_ONES, key=len, reverse=True)) + ")?"
)
_SINO_RE = re.compile(r"([일이삼사오육륙칠팔구])?\s?십\s?([일이삼사오육륙칠팔구])?")
_BIRTH_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)?\d{2})\s{0,2}년\s{0,2}생")
_DIGITS_WITH_UNIT_RE = re.compile(r"(?<![\d.])(\d{1,3})\s{0,3}(?:세|살)")
# Tried only on a short, squeezed answer (see text_guard): no two quantifiers compete for a space.
_BARE_DIGITS_RE = re.compile(
    r"(?:만 ?)?(\d{1,3}) ?(?:이요|요|입니다|이에요|예요|인데요?)? ?[.!?~]{0,5}"
)


def native_number(text: str) -> int | None:
    """Native Korean numerals 10–99: 열, 스물하나, 쉰셋, 예순 둘.

    '세' and '네' after the tens are the numbers 3 and 4 only before a counter ('쉰세 살');
    otherwise 세 is the counter itself ('예순세' said as 'sixty years') and 네 the polite yes."""
    match = _NATIVE_RE.search(text)
    if not match:
        return None
    ones = match.group(2)
    if ones in ("세", "네") and not re.match(r"\s{0,2}살", text[match.end() :]):
        ones = None
    return _NATIVE_TENS[match.group(1)] + (_NATIVE_ONES[ones] if ones else 0)


def sino_number(text: str) -> int | None:
    """Sino-Korean numerals 10–99: 십, 오십삼, 육십 둘 is not sino (see native)."""
    match = _SINO_RE.search(text)
    if not match:
        return None
    tens = _SINO_DIGITS[match.group(1)] if match.group(1) else 1
    ones = _SINO_DIGITS[match.group(2)] if match.group(2) else 0
    return tens * 10 + ones


def _mixed_sino_native(text: str) -> int | None:
    """'육십 둘', '오십셋': sino tens with native ones, common in speech-to-text and typing.
    '오십세' is fifty with the counter 세, not 53 (see native_number)."""
    match = re.search(
        r"([일이삼사오육칠팔구])\s?십\s?("
        + "|".join(sorted(_NATIVE_ONES, key=len, reverse=True))
        + ")",
        text,
    )
    if not match:
        return None
    ones = match.group(2)
    if ones in ("세", "네") and not re.match(r"\s{0,2}살", text[match.end() :]):
        return None
    return _SINO_DIGITS[match.group(1)] * 10 + _NATIVE_ONES[ones]


_HANGUL_YEAR_RE = re.compile(
    r"((?:천구백|이천)?[영공일이삼사오육륙칠팔구십]{1,4})\s{0,2}년\s{0,2}(?:생|[가-힣]{0,3}띠)"
)
_ZODIAC_YEAR_RE = re.compile(
    r"(?<!\d)((?:19|20)?\d{2})\s{0,2}년\s{0,2}(?:생\s{0,2})?[가-힣]{1,3}띠"
)


def _hangul_year(word: str) -> int | None:
    """'육공' → 60 (digit by digit), '육십삼' → 63, '천구백육십' → 1960."""
    century = 0
    for prefix, value in (("천구백", 1900), ("이천", 2000)):
        if word.startswith(prefix):
            century, word = value, word[len(prefix) :]
    if not word:
        return None
    if "십" in word:
        number = sino_number(word)
    elif len(word) == 2 and all(ch in _SINO_DIGITS for ch in word):
        number = _SINO_DIGITS[word[0]] * 10 + _SINO_DIGITS[word[1]]
    else:
        return None
    if number is None or number > 99:
        return None
    return century + number if century else number


def _year_to_age(year: int, today: dt.date) -> int:
    if year < 100:
        year += 1900 if year > today.year % 100 else 2000
    return today.year - year


def birth_year_age(text: str, today: dt.date) -> int | None:
    """'72년생', '1972년생', '육공년생', '63년 토끼띠' → age this year (current year − birth year,
    as Koreans count it in everyday talk)."""
    match = _BIRTH_YEAR_RE.search(text) or _ZODIAC_YEAR_RE.search(text)
    if match:
        return _year_to_age(int(match.group(1)), today)
    hangul = _HANGUL_YEAR_RE.search(text)
    if hangul:
        year = _hangul_year(hangul.group(1))
        if year is not None:
            return _year_to_age(year, today)
    return None


def parse_age(
    text: str, today: dt.date | None = None, low: int = 15, high: int = 100
) -> int | None:
    """An age in years from free text, or None when there is none or it is implausible."""
    if text is None:
        return None
    text = str(text).strip()
    if not text:
        return None
    today = today or dt.date.today()
    age = birth_year_age(text, today)
    if age is None:
        with_unit = _DIGITS_WITH_UNIT_RE.search(text)
        short = short_answer(text)
        bare = _BARE_DIGITS_RE.fullmatch(short) if short else None
        if with_unit:
            age = int(with_unit.group(1))
        elif bare:  # "53", "만 53", "53이요" — digits alone, never "15년차" or "30년 일하다"
            age = int(bare.group(1))
    if age is None:
        age = _mixed_sino_native(text)
    if age is None:
        age = native_number(text)
    if age is None:
        age = sino_number(text)
    if age is None or not low <= age <= high:
        return None
    return age
