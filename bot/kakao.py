"""KakaoTalk (Kakao i Open Builder skill): `POST /webhooks/kakao`.

Replies in `"version": "2.0"` within Kakao's 5 s: simpleText for text, listCard for centers,
programs and events, quickReplies (≤ 10, labels ≤ 14) for choices, at most 3 outputs. When the
engine is slow and the block has a callback URL, we answer `useCallback` at once and POST the
answer there (only when `KAKAO_SKILL_SECRET` is set and the URL is on an allowed Kakao host:
`bot.kakao_callback`); otherwise we apologize with the hotline instead of letting Kakao time out.
Requests are limited per client address (`IEUM_RATE_LIMIT_KAKAO_IP`) and per Kakao user.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import aiohttp
from aiohttp import web

from bot.client_address import client_address
from bot.gateway import HOTLINE_APOLOGY, GatewayResult
from bot.http_json import BadRequestBody, json_error, json_reply, read_json
from bot.kakao_callback import (
    CALLBACK_SESSION_KEY,
    allowed_callback,
    callback_host,
    callback_session_ctx,
    parse_allowed,
    post_callback,
)
from bot.keys import GATEWAY_KEY, SETTINGS_KEY, USER_LIMIT_KEY
from bot.privacy import mask_id
from bot.rate_limit import Limit, RateLimiter, slow_down_text
from bot.replies import Reply
from bot.secret_check import same_secret

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 1024
MAX_OUTPUTS = 3
MAX_QUICK_REPLIES = 10
# The way back, reachable from every answer (issue 17): title and payload.
WAY_BACK = (("처음으로", "/restart"), ("상담사 연결", "/request_human"))
MAX_LABEL = 14
MAX_SIMPLE_TEXT = 1000
MAX_LIST_ITEMS = 5
MAX_USER_ID = 70
ANSWER_WITHIN = 3.5  # seconds: Kakao's limit is 5 s, leave room for the network
WAITING = "답변을 준비하고 있어요. 잠시만 기다려 주세요."
PENDING_TASKS = web.AppKey("kakao_pending", set)
KAKAO_IP_LIMIT_KEY = web.AppKey("kakao_ip_limit", RateLimiter)


def parse_skill_request(body: Any) -> tuple[str, str, str | None]:
    """(user id, text to send, callback URL) from a skill payload, or BadRequestBody."""
    if not isinstance(body, dict):
        raise BadRequestBody(400, "스킬 요청은 JSON 객체여야 합니다.")
    request = body.get("userRequest")
    if not isinstance(request, dict):
        raise BadRequestBody(400, "userRequest가 없습니다.", "userRequest")
    user = request.get("user")
    user_id = user.get("id") if isinstance(user, dict) else None
    if not isinstance(user_id, str) or not 1 <= len(user_id) <= MAX_USER_ID:
        raise BadRequestBody(400, "userRequest.user.id가 올바르지 않습니다.", "userRequest.user.id")
    utterance = request.get("utterance")
    if not isinstance(utterance, str):
        raise BadRequestBody(
            400, "userRequest.utterance가 올바르지 않습니다.", "userRequest.utterance"
        )
    text = utterance
    action = body.get("action")
    extra = action.get("clientExtra") if isinstance(action, dict) else None
    if (
        isinstance(extra, dict)
        and isinstance(extra.get("payload"), str)
        and extra["payload"].startswith("/")
    ):
        text = extra["payload"]  # our quick replies carry the button payload
    callback = request.get("callbackUrl")
    if not isinstance(callback, str) or not callback:
        callback = None  # whether it may be used is the handler's decision (`usable_callback`)
    return user_id, text[:2000], callback


def _label(title: str) -> str:
    return title if len(title) <= MAX_LABEL else title[: MAX_LABEL - 1] + "…"


def _chunks(text: str, limit: int) -> list[str]:
    return [text[i : i + limit] for i in range(0, len(text), limit)] or [""]


def skill_response(replies: list[Reply]) -> dict[str, Any]:
    """Our reply model as a Kakao SkillResponse within the documented limits."""
    texts: list[str] = []
    cards = [r.card for r in replies if r.card is not None]
    for reply in replies:
        if reply.card is None and reply.text.strip():
            texts.append(reply.text.strip())
    outputs: list[dict[str, Any]] = []
    text_slots = MAX_OUTPUTS - (1 if cards else 0)
    if texts:
        merged = "\n\n".join(texts)
        pieces = _chunks(merged, MAX_SIMPLE_TEXT)
        if len(pieces) > text_slots:
            pieces = [
                *pieces[: text_slots - 1],
                "\n".join(pieces[text_slots - 1 :])[: MAX_SIMPLE_TEXT - 1] + "…",
            ]
        outputs += [{"simpleText": {"text": piece}} for piece in pieces if piece.strip()]
    if cards:
        items = []
        for card in cards[:MAX_LIST_ITEMS]:
            details = [bit for bit in (card.address, card.phone and f"전화 {card.phone}") if bit]
            item: dict[str, Any] = {
                "title": card.title[:50],
                "description": (" · ".join(details) or card.description or "")[:230],
            }
            if card.url:
                item["link"] = {"web": card.url}
            items.append(item)
        buttons: list[dict[str, Any]] = []
        phoned = next((c for c in cards if c.phone), None)
        if phoned is not None:
            buttons.append({"label": "전화하기", "action": "phone", "phoneNumber": phoned.phone})
        linked = next((c for c in cards if c.url), None)
        if linked is not None:
            buttons.append({"label": "자세히 보기", "action": "webLink", "webLinkUrl": linked.url})
        header = "센터 안내" if len(cards) > 1 else cards[0].title[:50]
        outputs.append(
            {"listCard": {"header": {"title": header}, "items": items, "buttons": buttons[:2]}}
        )
    if not outputs:
        outputs.append({"simpleText": {"text": "무엇을 도와드릴까요?"}})
    template: dict[str, Any] = {"outputs": outputs[:MAX_OUTPUTS]}
    seen: set[str] = set()
    quick: list[dict[str, Any]] = []
    for reply in replies:
        for button in reply.buttons:
            if button.payload in seen or len(quick) >= MAX_QUICK_REPLIES:
                continue
            seen.add(button.payload)
            quick.append({"label": _label(button.title), "action": "message", "messageText": button.title,
                          "extra": {"payload": button.payload}})  # fmt: skip
    for title, payload in WAY_BACK:  # 처음으로 / 상담사 연결 under every answer, when there is room
        if payload not in seen and len(quick) < MAX_QUICK_REPLIES:
            seen.add(payload)
            quick.append({"label": _label(title), "action": "message", "messageText": title,
                          "extra": {"payload": payload}})  # fmt: skip
    if quick:
        template["quickReplies"] = quick
    return {"version": "2.0", "template": template}


def apology() -> dict[str, Any]:
    return skill_response([Reply(HOTLINE_APOLOGY)])


async def _answer_by_callback(
    session: aiohttp.ClientSession, url: str, task: asyncio.Task[GatewayResult]
) -> None:
    try:
        result = await task
        body = skill_response(result.replies)
    except Exception:
        logger.exception("kakao answer failed before the callback")
        body = apology()
    await post_callback(session, url, body)


def usable_callback(request: web.Request, callback: str | None) -> str | None:
    """The callback URL when we may POST to it: secret configured and host allowed."""
    if callback is None:
        return None
    settings = request.app[SETTINGS_KEY]
    if not settings.kakao_skill_secret:
        return None  # anyone could have sent this request: never fetch what it names
    if not allowed_callback(callback, parse_allowed(settings.kakao_callback_hosts)):
        logger.warning("kakao callback to %s refused: not an allowed host", callback_host(callback))
        return None
    return callback


async def kakao_skill(request: web.Request) -> web.Response:
    wait = request.app[KAKAO_IP_LIMIT_KEY].retry_after(f"kakao-ip:{client_address(request)}")
    if wait:
        response = json_error(429, slow_down_text(wait))
        response.headers["Retry-After"] = str(wait)
        return response
    secret = request.app[SETTINGS_KEY].kakao_skill_secret
    if secret and not same_secret(request.headers.get("X-Skill-Secret", ""), secret):
        logger.warning("kakao skill request rejected: wrong or missing X-Skill-Secret")
        return json_error(403, "forbidden")
    try:
        user_id, text, callback = parse_skill_request(await read_json(request, MAX_BODY))
    except BadRequestBody as exc:
        logger.warning("kakao skill request rejected: %s", exc.message)
        extra = {"field": exc.field} if exc.field else {}
        return json_error(exc.status, exc.message, **extra)
    callback = usable_callback(request, callback)
    if not text.strip():
        return json_reply(
            skill_response([Reply("무엇을 도와드릴까요? 궁금하신 점을 글로 적어 주세요.")])
        )
    wait = request.app[USER_LIMIT_KEY].retry_after(f"kakao:{user_id}")
    if wait:  # Kakao shows an error for non-200 answers, so the limit is said in the chat
        return json_reply(skill_response([Reply(slow_down_text(wait))]))
    task = asyncio.create_task(request.app[GATEWAY_KEY].handle("kakao", user_id, text))
    pending: set[asyncio.Task[Any]] = request.app[PENDING_TASKS]
    try:
        result = await asyncio.wait_for(asyncio.shield(task), ANSWER_WITHIN)
    except TimeoutError:
        if callback:
            follow = asyncio.create_task(
                _answer_by_callback(request.app[CALLBACK_SESSION_KEY], callback, task)
            )
            pending.add(follow)
            follow.add_done_callback(pending.discard)
            return json_reply({"version": "2.0", "useCallback": True, "data": {"text": WAITING}})
        logger.warning("kakao answer too slow for %s; apologized", mask_id(f"kakao:{user_id}"))
        pending.add(task)
        task.add_done_callback(pending.discard)
        return json_reply(apology())
    return json_reply(skill_response(result.replies))


async def _pending_ctx(app: web.Application) -> Any:
    app[PENDING_TASKS] = set()
    yield
    for task in list(app[PENDING_TASKS]):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


def setup_kakao(app: web.Application) -> None:
    settings = app[SETTINGS_KEY]
    parse_allowed(settings.kakao_callback_hosts)  # a bad entry stops the start, not a request
    app[KAKAO_IP_LIMIT_KEY] = RateLimiter(Limit.parse(settings.ieum_rate_limit_kakao_ip))
    app.cleanup_ctx.append(callback_session_ctx)  # closed after the pending callbacks end
    app.cleanup_ctx.append(_pending_ctx)
    app.router.add_post("/webhooks/kakao", kakao_skill)
