"""Scrubbing user text before it is kept for review: no phone, name or ID-like number survives.

Kept text is what operators read in the review inbox and what becomes training data, so
anything that identifies a person is replaced by a placeholder first.
"""

from __future__ import annotations

import re
import unicodedata

PHONE = "[전화번호]"
NAME = "[이름]"
RESIDENT = "[주민번호]"
NUMBER = "[번호]"
EMAIL = "[이메일]"

_SEP = r"[\s.\-·)]*"
_RESIDENT = re.compile(r"(?<!\d)\d{6}\s*-\s*[1-8]\d{6}(?!\d)|(?<!\d)\d{13}(?!\d)")
_PHONE = re.compile(
    r"(?<!\d)(?:\+?82[\s\-]*)?\(?0?1[016789]" + _SEP + r"\d{3,4}" + _SEP + r"\d{4}(?!\d)"
    r"|(?<!\d)\(?0(?:2|[3-6][1-5])" + _SEP + r"\d{3,4}" + _SEP + r"\d{4}(?!\d)"
)
# account or card numbers: at least 10 digits in groups, or one long run
_LONG_NUMBER = re.compile(r"(?<!\d)\d{2,6}(?:[\s\-]\d{2,8}){2,4}(?!\d)|(?<!\d)\d{10,}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_NAME = re.compile(r"(성함|이름|name)(\s*(?:은|는|이|을|:|=|이요|요)?\s*)([가-힣]{2,})", re.I)
# what follows a name in a sentence; the longest ending is kept, the rest is the name
_ENDINGS = sorted(
    ["이에요", "예요", "이요", "요", "입니다", "이고요", "이고", "인데요", "인데", "이라고", "라고",
     "이라고요", "이야", "야", "님", "씨", "이며", "이랑", "랑", "으로", "로", "이구요", "구요"],
    key=len,
    reverse=True,
)  # fmt: skip


def _name(match: re.Match[str]) -> str:
    word = match.group(3)
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            return f"{match.group(1)}{match.group(2)}{NAME}{ending}"
    return f"{match.group(1)}{match.group(2)}{NAME}"


def scrub(text: str) -> str:
    """The text with phone numbers, names after 성함/이름, resident/account numbers and e-mail
    addresses replaced by placeholders."""
    text = unicodedata.normalize("NFC", text)
    text = _EMAIL.sub(EMAIL, text)
    text = _RESIDENT.sub(RESIDENT, text)
    text = _PHONE.sub(PHONE, text)
    text = _LONG_NUMBER.sub(NUMBER, text)
    return _NAME.sub(_name, text)


_NOT_WORD = re.compile(r"[\W_]+")
_REPEATS = re.compile(r"(.)\1{2,}")


def review_key(scrubbed: str) -> str:
    """Messages with the same key are grouped in the review inbox: spacing, punctuation, case
    and stretched letters ("ㅋㅋㅋㅋ", "요오오") do not make a message different."""
    key = _NOT_WORD.sub("", unicodedata.normalize("NFC", scrubbed).lower())
    return _REPEATS.sub(r"\1\1", key)[:200]
