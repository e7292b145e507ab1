"""Masking helpers so logs never carry identities or phone numbers in clear."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets

_PHONE = re.compile(r"(?<!\d)(01[016789]|0\d{1,2})[- .]?(\d{3,4})[- .]?(\d{4})(?!\d)")


_log_key: bytes | None = None


def configure_log_key(key: str) -> None:
    """Sets the HMAC key of `mask_id` (IEUM_LOG_KEY); empty keeps this process's key."""
    global _log_key
    if key:
        _log_key = key.encode("utf-8", "surrogatepass")


def _key() -> bytes:
    """IEUM_LOG_KEY (`ieum run` generates one per run, shared by its processes), else random."""
    global _log_key
    if _log_key is None:
        configured = os.environ.get("IEUM_LOG_KEY", "")
        _log_key = configured.encode("utf-8", "surrogatepass") or secrets.token_bytes(32)
    return _log_key


def mask_id(value: str) -> str:
    """A short stable fingerprint of a user id or sender: enough to follow a log, not to reuse.

    Keyed (HMAC-SHA256): a plain hash of a small number such as a Telegram chat id could be
    reversed by hashing every candidate; without the key it cannot.
    """
    data = value.encode("utf-8", "surrogatepass")
    digest = hmac.new(_key(), data, hashlib.sha256).hexdigest()[:12]
    return f"u#{digest}"


def mask_phone_numbers(text: str) -> str:
    """Replaces the middle and last digits of Korean phone numbers with asterisks."""
    return _PHONE.sub(lambda m: f"{m.group(1)}-****-****", text)
