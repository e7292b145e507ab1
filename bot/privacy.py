"""Masking helpers so logs never carry identities or phone numbers in clear."""

from __future__ import annotations

import hashlib
import re

_PHONE = re.compile(r"(?<!\d)(01[016789]|0\d{1,2})[- .]?(\d{3,4})[- .]?(\d{4})(?!\d)")


def mask_id(value: str) -> str:
    """A short stable fingerprint of a user id or sender: enough to follow a log, not to reuse."""
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"u#{digest}"


def mask_phone_numbers(text: str) -> str:
    """Replaces the middle and last digits of Korean phone numbers with asterisks."""
    return _PHONE.sub(lambda m: f"{m.group(1)}-****-****", text)
