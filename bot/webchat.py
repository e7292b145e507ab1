"""The web chat: `POST /api/messages` (DESIGN contract) and the page at `/`."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.client_address import client_address
from bot.http_json import BadRequestBody, json_error, json_reply, read_json
from bot.keys import GATEWAY_KEY, IP_LIMIT_KEY, USER_LIMIT_KEY
from bot.rate_limit import slow_down_text

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024
MAX_TEXT_CHARS = 2000
MAX_USER_ID_CHARS = 64
STATIC_DIR = Path(__file__).parent / "static"


def validate_message(body: Any) -> tuple[str, str]:
    """Returns (user_id, text) or raises BadRequestBody naming the bad field."""
    if not isinstance(body, dict):
        raise BadRequestBody(400, "요청 본문은 JSON 객체여야 합니다.")
    user_id = body.get("user_id")
    if not isinstance(user_id, str) or not 1 <= len(user_id) <= MAX_USER_ID_CHARS:
        raise BadRequestBody(
            400, f"user_id는 1~{MAX_USER_ID_CHARS}자의 문자열이어야 합니다.", "user_id"
        )
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadRequestBody(400, "text에 보낼 말을 적어 주세요.", "text")
    if len(text) > MAX_TEXT_CHARS:
        raise BadRequestBody(
            400, f"메시지가 너무 깁니다. {MAX_TEXT_CHARS}자 이하로 나누어 보내 주세요.", "text"
        )
    return user_id, text


def too_many(retry_after: int) -> web.Response:
    text = slow_down_text(retry_after)
    return json_reply(
        {"error": text, "replies": [{"text": text, "buttons": []}]},
        status=429,
        headers={"Retry-After": str(retry_after)},
    )


async def post_messages(request: web.Request) -> web.Response:
    wait = request.app[IP_LIMIT_KEY].retry_after(f"ip:{client_address(request)}")
    if wait:
        return too_many(wait)
    try:
        user_id, text = validate_message(await read_json(request, MAX_BODY_BYTES))
    except BadRequestBody as exc:
        extra = {"field": exc.field} if exc.field else {}
        return json_error(exc.status, exc.message, **extra)
    wait = request.app[USER_LIMIT_KEY].retry_after(f"web:{user_id}")
    if wait:
        return too_many(wait)
    result = await request.app[GATEWAY_KEY].handle("web", user_id, text)
    body: dict[str, Any] = {"replies": [reply.to_dict() for reply in result.replies]}
    if not result.engine_ok:
        body["error"] = "engine_unavailable"
        return json_reply(body, status=503)
    return json_reply(body)


async def index(_: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC_DIR / "index.html")


def setup_webchat(app: web.Application) -> None:
    app.router.add_get("/", index)
    app.router.add_post("/api/messages", post_messages)
    app.router.add_static("/static/", STATIC_DIR, name="static")
