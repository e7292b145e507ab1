"""Sends outbox messages to Telegram with python-telegram-bot's `Bot` (base URL configurable)."""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.notifier import RetryLater, TemporaryFailure, Unreachable

MAX_TEXT = 4096


def keyboard(buttons: list[dict[str, Any]]) -> InlineKeyboardMarkup | None:
    """One button per row (large targets); payloads over Telegram's 64 bytes are left out."""
    rows = [
        [InlineKeyboardButton(str(b["title"])[:64], callback_data=str(b["payload"]))]
        for b in buttons
        if isinstance(b, dict) and b.get("title") and len(str(b.get("payload", "")).encode()) <= 64
    ]
    return InlineKeyboardMarkup(rows) if rows else None


class TelegramPush:
    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, recipient_id: str, body: dict[str, Any]) -> None:
        text = str(body.get("text", ""))[:MAX_TEXT] or "이음 알림"
        try:
            await self._bot.send_message(
                chat_id=int(recipient_id) if recipient_id.lstrip("-").isdigit() else recipient_id,
                text=text,
                reply_markup=keyboard(body.get("buttons") or []),
            )
        except RetryAfter as exc:
            with warnings.catch_warnings():  # PTB 22 warns that int will become timedelta
                warnings.simplefilter("ignore")
                wait = exc.retry_after
            raise RetryLater(
                wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)
            ) from exc
        except Forbidden as exc:
            raise Unreachable(str(exc)) from exc
        except BadRequest as exc:
            if "chat not found" in str(exc).lower():
                raise Unreachable(str(exc)) from exc
            raise TemporaryFailure(str(exc)) from exc
        except (NetworkError, TelegramError) as exc:
            raise TemporaryFailure(str(exc)) from exc
