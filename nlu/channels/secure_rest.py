"""Rasa's REST channel behind the engine token: `POST /webhooks/ieum_rest/webhook`.

Rasa's own `/webhooks/rest/webhook` is not covered by `--auth-token`, so any local process
could speak as any sender (`telegram:<id>`), list that user's bookings or erase their data.
This channel is Rasa's `RestInput` unchanged (same request and response shapes) except that
every route of it first checks the token: `Authorization: Bearer <token>` (what the app sends)
or `?token=` like Rasa's HTTP API. Anything else gets 401 before the message is read.
An empty token refuses every request: the channel fails closed.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

CHANNEL_NAME = "ieum_rest"


def _as_bytes(value: str) -> bytes | None:
    try:
        return value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return None


class SecureRestInput(RestInput):
    """`RestInput` that answers only requests carrying the engine token."""

    def __init__(self, token: str = "") -> None:
        self.token = token or ""
        if not self.token:
            logger.error("%s: no token configured; every request will be refused", CHANNEL_NAME)

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SecureRestInput:
        token = (credentials or {}).get("token") or ""
        return cls(str(token))

    def given_token(self, request: Request) -> str:
        header = request.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
        return request.args.get("token", "") or ""

    def authorized(self, request: Request) -> bool:
        """Constant-time comparison; a token that is not text never matches (and never raises)."""
        if not self.token:
            return False
        given = _as_bytes(self.given_token(request))
        expected = _as_bytes(self.token)
        return given is not None and expected is not None and hmac.compare_digest(given, expected)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def require_token(request: Request) -> HTTPResponse | None:
            if self.authorized(request):
                return None
            logger.warning("%s: request without a valid token refused", CHANNEL_NAME)
            return response.json(
                {"status": "failure", "reason": "NotAuthenticated", "code": 401}, status=401
            )

        return blueprint
