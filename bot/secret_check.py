"""Constant-time comparison of a secret from a request header with the configured one.

aiohttp decodes header bytes as UTF-8 with `surrogateescape`, so a header that is not UTF-8
(latin-1 bytes, a lone 0xff) arrives as a str with surrogates, and a plain `.encode()` of it
raises. Encoding back with `surrogateescape` gives the exact bytes the client sent, which are
then compared with `hmac.compare_digest`: such a header is simply a wrong secret, never a 500.
"""

from __future__ import annotations

import hmac

from aiohttp import web


def header_bytes(value: str) -> bytes:
    """The bytes a header value arrived as (any str, never raises)."""
    try:
        return value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # surrogates that did not come from undecodable bytes
        return value.encode("utf-8", "surrogatepass")


def same_secret(given: str, expected: str) -> bool:
    """True only when both are non-empty and equal byte for byte; constant time."""
    if not given or not expected:
        return False
    return hmac.compare_digest(header_bytes(given), header_bytes(expected))


def bearer_token(request: web.Request) -> str:
    """The token of `Authorization: Bearer …`, or "" (any other scheme or none)."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return ""
    return token.strip()
