"""Text keys for matching what people type against names (spacing and punctuation ignored)."""

from __future__ import annotations

import re
import unicodedata

_NOISE = re.compile(r"[\s\-_·.,()\[\]'\"/+~!?]+")


def alias_key(text: str) -> str:
    """`국민 내일배움 카드` and `국민내일배움카드` share one key."""
    return _NOISE.sub("", unicodedata.normalize("NFC", text)).lower()
