"""Yes or no typed in words ("네 동의해요", "아니요 안 할래요") when a button was expected."""

from __future__ import annotations

import re

_NO = re.compile(
    r"아니|아뇨|싫|안\s*(?:해|할|함|하|돼)|않|거부|비동의|취소하지|그만|노|no\b|n\b", re.I
)
_YES = re.compile(
    r"네|예|응|어\b|그래|좋아|동의|맞아|맞습니다|할게|해\s{0,2}주세요|부탁|지워|삭제해|그렇게\s{0,2}해"
    r"|yes\b|ok|오케이|y\b",
    re.I,
)


# "됐어요", "그냥 둘게요": a polite no, unless a yes-word comes with it ("네, 그걸로 됐어요").
_SOFT_NO = re.compile(
    r"됐어|됐습니다|됐네요|그냥\s{0,2}(?:둘|두)|그냥\s{0,2}놔|놔\s{0,2}두|냅두|필요\s{0,2}없|괜찮"
)


def parse_yes_no(value: object) -> bool | None:
    """True / False from a slot value (bool from buttons) or words; None when unclear."""
    if isinstance(value, bool):
        return value
    text = str(value or "").strip()[:200]  # a yes or no is said in the first words
    if not text:
        return None
    if _NO.search(text):
        return False
    if _YES.search(text):
        return True
    if _SOFT_NO.search(text):
        return False
    return None
