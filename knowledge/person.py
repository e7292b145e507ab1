"""Names and mobile numbers as people type them in chat."""

from __future__ import annotations

import re

from nlu.korean.text_guard import short_answer

NAME_ANSWER_CHARS = 60

_MOBILE_IN_TEXT = re.compile(r"(?:\+?82[\s\-.]*1[016789]|01[016789])(?:[\s\-.)]*\d){7,8}")
_NAME_PREFIX = re.compile(r"^(?:(?:제\s*)?(?:이름은|성함은)\s*|(?:저는|나는)\s*|(?:전|난)\s+)")
_NAME_SUFFIX = re.compile(
    r"\s*(?:이라고\s*합니다|라고\s*합니다|이라고\s*해요|라고\s*해요|입니다|이에요|예요|이요|요)[.!~\s]*$"
)
_NOT_A_NAME = ("예약", "취소", "상담", "몰라", "싫어", "안 ", "없어", "왜", "뭐", "처음", "센터")
_HANGUL_NAME = re.compile(r"^[가-힣]{2,6}$")
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z .'-]{1,38}[A-Za-z]$")


def find_mobile(text: str) -> str | None:
    """The first Korean mobile number in free text, as 11 (or 10) digits."""
    match = _MOBILE_IN_TEXT.search(text or "")
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group(0))
    if digits.startswith("82"):
        digits = "0" + digits[2:]
    return digits if re.fullmatch(r"010\d{8}|01[16789]\d{7,8}", digits) else None


def parse_person_name(text: str) -> str | None:
    """'홍길동입니다' → '홍길동'; None for anything that does not look like a name.
    Only a short answer can be a name, which also keeps the patterns below cheap."""
    short = short_answer(text or "", limit=NAME_ANSWER_CHARS)
    if short is None:
        return None
    cleaned = short.strip(".!~ ")
    if any(word in cleaned for word in _NOT_A_NAME) or re.search(r"\d", cleaned):
        return None
    cleaned = _NAME_SUFFIX.sub("", _NAME_PREFIX.sub("", cleaned)).strip()
    if _HANGUL_NAME.match(cleaned.replace(" ", "")):
        return cleaned.replace(" ", "")
    if _LATIN_NAME.match(cleaned):
        return re.sub(r"\s+", " ", cleaned)
    return None
