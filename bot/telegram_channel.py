"""Telegram through python-telegram-bot 22, inside our aiohttp app.

Long polling when no `TELEGRAM_WEBHOOK_URL`; otherwise a webhook at `/webhooks/telegram` that
checks `X-Telegram-Bot-Api-Secret-Token` (the pattern of PTB's customwebhookbot example:
`updater(None)`, updates put on the application's queue). The chat id is the channel identity.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import secrets
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from aiohttp import web
from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.gateway import Gateway
from bot.privacy import mask_id
from bot.rate_limit import RateLimiter, slow_down_text
from bot.replies import Reply
from bot.secret_check import same_secret
from bot.settings import Settings

logger = logging.getLogger(__name__)

MAX_MESSAGE = 4096
MAX_CALLBACK_BYTES = 64
TYPING_EVERY = 4.0
COMMANDS = {
    "start": "/greet",
    "menu": "/restart",
    "human": "/request_human",
    "help": "/help",
    "cancel": "/restart",
}
# The way back, always one tap away in Telegram's command menu (the "/" button by the input box).
MENU_COMMANDS = (("menu", "처음으로"), ("human", "상담사 연결"), ("help", "도움말"))
STALE_BUTTON = "이 버튼은 오래되어 더 쓸 수 없어요. 아래 메뉴에서 다시 골라 주세요."


class PayloadCodes:
    """Telegram allows 64 bytes of callback data; longer payloads travel as a short code."""

    PREFIX = "~"

    def __init__(self, capacity: int = 100_000) -> None:
        self._codes: OrderedDict[str, str] = OrderedDict()
        self._capacity = capacity

    def encode(self, payload: str) -> str:
        if len(payload.encode("utf-8")) <= MAX_CALLBACK_BYTES and not payload.startswith(
            self.PREFIX
        ):
            return payload
        code = self.PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
        self._codes[code] = payload
        self._codes.move_to_end(code)
        while len(self._codes) > self._capacity:
            self._codes.popitem(last=False)
        return code

    def decode(self, data: str) -> str | None:
        if not data.startswith(self.PREFIX):
            return data
        return self._codes.get(data)


def split_text(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Splits at line breaks (then hard) so no piece exceeds Telegram's 4096 characters."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current or not pieces:
        pieces.append(current)
    return pieces


def render(
    replies: list[Reply], codes: PayloadCodes
) -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """Each reply as Telegram messages: its plain text (cards included) and inline buttons."""
    messages: list[tuple[str, InlineKeyboardMarkup | None]] = []
    for reply in replies:
        text = reply.text
        if reply.card is not None and reply.card.phone and reply.card.phone not in text:
            text += f"\n전화: {reply.card.phone}"
        if reply.card is not None and reply.card.url and reply.card.url not in text:
            text += f"\n{reply.card.url}"
        markup = None
        if reply.buttons:
            markup = InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton(b.title[:64], callback_data=codes.encode(b.payload))]
                    for b in reply.buttons
                ]
            )
        pieces = split_text(text or " ")
        for index, piece in enumerate(pieces):
            messages.append((piece, markup if index == len(pieces) - 1 else None))
    return messages


class TelegramChannel:
    def __init__(
        self, settings: Settings, gateway: Callable[[], Gateway], limiter: RateLimiter | None = None
    ) -> None:
        self._settings = settings
        self._gateway = gateway
        self._limiter = limiter
        self.codes = PayloadCodes()
        self.webhook_mode = bool(settings.telegram_webhook_url)
        self.secret = settings.telegram_secret_token or (
            secrets.token_urlsafe(32) if self.webhook_mode else ""
        )
        builder = (
            ApplicationBuilder()
            .token(settings.telegram_bot_token)
            .base_url(settings.telegram_api_base)
            .concurrent_updates(True)
        )
        if self.webhook_mode:
            builder = builder.updater(None)
        self.application: Application = builder.build()
        self._locks: dict[int, asyncio.Lock] = {}
        self._starter: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()
        app = self.application
        for command in COMMANDS:
            app.add_handler(CommandHandler(command, self._on_command))
        app.add_handler(CallbackQueryHandler(self._on_button))
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self._on_text))
        app.add_handler(
            MessageHandler(filters.ALL & ~filters.TEXT & ~filters.COMMAND, self._on_other)
        )
        app.add_error_handler(self._on_error)

    @property
    def bot(self) -> Any:
        return self.application.bot

    # ── lifecycle ────────────────────────────────────────────────────────────────────────

    async def start(self) -> None:
        """Connects in the background, retrying, so a Telegram outage never stops the app."""
        self._starter = asyncio.create_task(self._connect())

    async def _connect(self) -> None:
        delay = 1.0
        while True:
            try:
                await self.application.initialize()
                await self.application.start()
                await self._set_commands()
                if self.webhook_mode:
                    await self.bot.set_webhook(
                        url=self._settings.telegram_webhook_url,
                        secret_token=self.secret,
                        allowed_updates=["message", "callback_query"],
                    )
                else:
                    assert self.application.updater is not None
                    await self.application.updater.start_polling(
                        poll_interval=0.0, timeout=10, allowed_updates=["message", "callback_query"]
                    )
                logger.info(
                    "telegram connected (%s)", "webhook" if self.webhook_mode else "long polling"
                )
                self.ready.set()
                return
            except TelegramError as exc:
                logger.warning("텔레그램 연결 실패, %.0f초 뒤 다시 시도: %s", delay, exc)
                with contextlib.suppress(Exception):
                    if self.application.running:
                        await self.application.stop()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)

    async def _set_commands(self) -> None:
        """Shows 처음으로 / 상담사 연결 / 도움말 in the chat's command menu; a failure never stops
        the channel (the commands also work typed)."""
        try:
            await self.bot.set_my_commands(
                [BotCommand(command, title) for command, title in MENU_COMMANDS]
            )
        except TelegramError as exc:
            logger.warning("텔레그램 명령 목록을 등록하지 못했습니다: %s", exc)

    async def stop(self) -> None:
        if self._starter is not None and not self._starter.done():
            self._starter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._starter
        app = self.application
        with contextlib.suppress(Exception):
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
        with contextlib.suppress(Exception):
            if app.running:
                await app.stop()
        with contextlib.suppress(Exception):
            await app.shutdown()

    # ── webhook ──────────────────────────────────────────────────────────────────────────

    async def webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not self.webhook_mode or not same_secret(given, self.secret):
            logger.warning("telegram webhook rejected: wrong or missing secret token")
            return web.json_response({"error": "forbidden"}, status=403)
        try:
            data = await request.json()
            valid = isinstance(data, dict) and isinstance(data.get("update_id"), int)
            update = Update.de_json(data, self.bot) if valid else None
        except Exception:  # malformed JSON or an object PTB cannot read
            update = None
        if update is None or not self.ready.is_set():
            logger.warning("telegram webhook rejected: malformed update")
            return web.json_response({"error": "bad update"}, status=400)
        await self.application.update_queue.put(update)
        return web.json_response({"ok": True})

    # ── handlers ─────────────────────────────────────────────────────────────────────────

    async def _on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        command = (message.text or "").split()[0].lstrip("/").split("@")[0] if message else ""
        await self._converse(update, COMMANDS.get(command, "/help"))

    async def _on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None and message.text:
            await self._converse(update, message.text)

    async def _on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        with contextlib.suppress(TelegramError):
            await query.answer()
        payload = self.codes.decode(query.data or "")
        if payload is None:
            await self._send(update, [Reply(STALE_BUTTON)])
            await self._converse(update, "/help")
            return
        await self._converse(update, payload)

    async def _on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._send(
            update,
            [Reply("죄송해요, 지금은 글로 보내 주신 말씀만 알아들을 수 있어요. 글로 적어 주세요.")],
        )

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        logger.warning("telegram update failed: %s", type(context.error).__name__)

    async def _converse(self, update: Update, text: str) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        wait = self._limiter.retry_after(f"telegram:{chat.id}") if self._limiter else 0
        if wait:
            await self._send(update, [Reply(slow_down_text(wait))])
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        async with lock:  # one turn at a time per chat keeps the order
            typing = asyncio.create_task(self._typing(chat.id))
            try:
                result = await self._gateway().handle("telegram", str(chat.id), text)
            finally:
                typing.cancel()
            await self._send(update, result.replies)
        if len(self._locks) > 50_000:
            self._locks.clear()

    async def _typing(self, chat_id: int) -> None:
        with contextlib.suppress(TelegramError, asyncio.CancelledError):
            while True:
                await self.bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING)
                await asyncio.sleep(TYPING_EVERY)

    async def _send(self, update: Update, replies: list[Reply]) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        for text, markup in render(replies, self.codes):
            try:
                await self.bot.send_message(chat_id=chat.id, text=text, reply_markup=markup)
            except TelegramError as exc:
                logger.warning("reply to %s failed: %s", mask_id(f"telegram:{chat.id}"), exc)
                return
