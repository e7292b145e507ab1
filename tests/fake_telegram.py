"""A local stand-in for the Telegram Bot API, spoken to by real python-telegram-bot over HTTP.

Records what the bot sends, can inject 429 (with retry_after) and 403 (blocked by the user),
and feeds updates to long polling (`getUpdates`).
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {"id": 777000, "is_bot": True, "first_name": "이음", "username": "ieum_test_bot",
            "can_join_groups": False, "can_read_all_group_messages": False,
            "supports_inline_queries": False}  # fmt: skip


@dataclass
class FakeTelegramState:
    token: str = "123:TEST"
    sent: list[dict[str, Any]] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    blocked_chats: set[int] = field(default_factory=set)
    throttle_every: int = 0  # every Nth sendMessage gets a 429
    retry_after: int = 1
    throttled: int = 0
    updates: asyncio.Queue = field(default_factory=asyncio.Queue)
    answered_callbacks: list[str] = field(default_factory=list)
    chat_actions: list[dict[str, Any]] = field(default_factory=list)
    webhook: dict[str, Any] = field(default_factory=dict)
    commands: list[dict[str, Any]] = field(default_factory=list)  # the last setMyCommands list
    _update_id: int = 1000
    _message_id: int = 1
    send_times: list[float] = field(default_factory=list)

    def next_update_id(self) -> int:
        self._update_id += 1
        return self._update_id

    def text_update(self, chat_id: int, text: str) -> dict[str, Any]:
        self._message_id += 1
        user = {"id": chat_id, "is_bot": False, "first_name": "사용자"}
        return {
            "update_id": self.next_update_id(),
            "message": {
                "message_id": self._message_id, "date": int(time.time()), "text": text,
                "chat": {"id": chat_id, "type": "private", "first_name": "사용자"}, "from": user,
                **({"entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]}
                   if text.startswith("/") else {}),
            },
        }  # fmt: skip

    def callback_update(self, chat_id: int, data: str) -> dict[str, Any]:
        self._message_id += 1
        user = {"id": chat_id, "is_bot": False, "first_name": "사용자"}
        return {
            "update_id": self.next_update_id(),
            "callback_query": {
                "id": f"cb{self._message_id}", "from": user, "chat_instance": "ci", "data": data,
                "message": {"message_id": self._message_id, "date": int(time.time()), "text": "버튼",
                            "chat": {"id": chat_id, "type": "private"}, "from": BOT_USER},
            },
        }  # fmt: skip


STATE = web.AppKey("fake_telegram_state", FakeTelegramState)


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        return await request.json()
    form = await request.post()
    params: dict[str, Any] = {}
    for key, value in form.items():
        text = value if isinstance(value, str) else value.file.read().decode()
        try:
            params[key] = json.loads(text)
        except ValueError:
            params[key] = text
    return params


async def bot_method(request: web.Request) -> web.Response:
    state = request.app[STATE]
    if request.match_info["token"] != state.token:
        return web.json_response(
            {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
        )
    method = request.match_info["method"]
    params = await _params(request)
    state.calls.append(method)
    if method == "getMe":
        return _ok(BOT_USER)
    if method == "deleteWebhook":
        return _ok(True)
    if method == "setMyCommands":
        commands = params.get("commands")
        if not isinstance(commands, list) or not all(
            isinstance(c, dict) and c.get("command") and c.get("description") for c in commands
        ):
            return web.json_response(
                {"ok": False, "error_code": 400, "description": "Bad Request: commands"}, status=400
            )
        state.commands = commands
        return _ok(True)
    if method == "setWebhook":
        state.webhook = params
        return _ok(True)
    if method == "getUpdates":
        timeout = float(params.get("timeout", 0) or 0)
        try:
            # long polling, capped so a stopping bot is not held for the client's whole timeout
            update = await asyncio.wait_for(
                state.updates.get(), timeout=min(max(timeout, 0.05), 0.5)
            )
        except TimeoutError:
            return _ok([])
        return _ok([update])
    if method == "answerCallbackQuery":
        state.answered_callbacks.append(str(params.get("callback_query_id")))
        return _ok(True)
    if method == "sendChatAction":
        state.chat_actions.append(params)
        return _ok(True)
    if method in ("sendMessage", "editMessageReplyMarkup"):
        chat_id = int(params.get("chat_id", 0))
        if chat_id in state.blocked_chats:
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 403,
                    "description": "Forbidden: bot was blocked by the user",
                },
                status=403,
            )
        if state.throttle_every and (len(state.calls) % state.throttle_every == 0):
            state.throttled += 1
            return web.json_response(
                {"ok": False, "error_code": 429, "description": "Too Many Requests",
                 "parameters": {"retry_after": state.retry_after}},
                status=429,
            )  # fmt: skip
        if method == "editMessageReplyMarkup":
            return _ok(True)
        state._message_id += 1
        state.sent.append({"chat_id": chat_id, "text": params.get("text", ""),
                           "reply_markup": params.get("reply_markup")})  # fmt: skip
        state.send_times.append(time.monotonic())
        return _ok({"message_id": state._message_id, "date": int(time.time()), "text": params.get("text", ""),
                    "chat": {"id": chat_id, "type": "private"}, "from": BOT_USER})  # fmt: skip
    return web.json_response(
        {"ok": False, "error_code": 400, "description": f"unknown method {method}"}, status=400
    )


def create_fake_telegram(state: FakeTelegramState | None = None) -> web.Application:
    app = web.Application()
    app[STATE] = state or FakeTelegramState()
    app.router.add_post("/bot{token}/{method}", bot_method)
    app.router.add_get("/bot{token}/{method}", bot_method)
    return app
