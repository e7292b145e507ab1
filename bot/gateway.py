"""Every channel talks to the engine through here: clean the text, ask, turn output into replies."""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from bot.choices import ChoiceMemory
from bot.conversation_eraser import ConversationEraser
from bot.engine import EngineClient, EngineUnavailable
from bot.privacy import mask_id
from bot.replies import Button, Reply, engine_controls, replies_from_engine
from bot.usage import UsageRecorder, turn_row
from knowledge.outbox import PUSH_CHANNELS, Outbox
from knowledge.when import SEOUL
from nlu.korean.text_guard import cap_repeats, squeeze_spaces

logger = logging.getLogger(__name__)

HOTLINE_APOLOGY = (
    "죄송합니다. 지금 잠시 답변을 드릴 수 없어요. 급하시면 고용노동부 고객상담센터 "
    "1350(국번 없이, 평일 오전 9시~오후 6시)으로 전화해 주세요. 잠시 후 다시 말씀해 주시면 "
    "이어서 도와드릴게요."
)
# The action server's apology (bot/action_server.py; not imported: it pulls in every action)
ACTION_APOLOGY = (
    "죄송해요, 잠시 문제가 생겨 이 요청을 처리하지 못했어요. 입력하신 내용은 그대로 있으니 잠시 후 "
    "다시 말씀해 주세요. 급하시면 고용노동부 고객상담센터 1350으로 전화해 주세요."
)
NO_ANSWER = (
    "죄송해요, 지금 드릴 답변을 찾지 못했어요. '도움말'이라고 쓰시면 할 수 있는 일을 보여 드려요."
)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """NFC-normalizes, drops control characters (databases reject NUL) and lone surrogates, and
    squeezes space runs and long runs of one character, which carry no meaning but make every
    later pattern (here and in the engine) work harder."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", text))
    return cap_repeats(squeeze_spaces(text))


@dataclass
class GatewayResult:
    replies: list[Reply]
    engine_ok: bool


def seoul_now() -> dt.datetime:
    return dt.datetime.now(SEOUL)


class Gateway:
    def __init__(
        self,
        engine: EngineClient,
        choices: ChoiceMemory | None = None,
        inbox: Outbox | None = None,
        eraser: ConversationEraser | None = None,
        now: Callable[[], dt.datetime] = seoul_now,
        usage: UsageRecorder | None = None,
        low_confidence: float = 0.6,
    ) -> None:
        self._engine = engine
        self._usage = usage
        self._low_confidence = low_confidence
        self._choices = choices or ChoiceMemory()
        self._inbox = inbox
        self._eraser = eraser
        self._now = now

    async def _unseen_notifications(self, channel: str, sender: str) -> list[Reply]:
        """Channels without push show due reminders and alerts when the user next writes."""
        if self._inbox is None or channel in PUSH_CHANNELS:
            return []
        try:
            due = await self._inbox.pickup(sender, self._now())
        except SQLAlchemyError:
            logger.exception("notification pickup failed for %s", mask_id(sender))
            return []
        return [
            Reply(
                str(item.body.get("text", "")),
                [
                    Button(str(b["title"]), str(b["payload"]))
                    for b in item.body.get("buttons", [])
                    if isinstance(b, dict) and b.get("title") and b.get("payload")
                ],
            )
            for item in due
            if item.body.get("text")
        ]

    def _record(
        self,
        channel: str,
        sender: str,
        text: str,
        messages: list[dict],
        started: float,
        apology: bool,
    ) -> None:
        """Queues the turn for the operator console; never delays or breaks the reply."""
        if self._usage is None:
            return
        try:
            self._usage.record(
                turn_row(
                    key=self._usage.key,
                    channel=channel,
                    sender=sender,
                    text=text,
                    messages=messages,
                    apology=apology,
                    latency_ms=round((time.perf_counter() - started) * 1000),
                    at=self._now(),
                    low_confidence=self._low_confidence,
                )
            )
        except Exception:
            logger.exception("usage record failed")

    async def handle(self, channel: str, user_id: str, text: str) -> GatewayResult:
        sender = f"{channel}:{user_id}"
        cleaned = clean_text(text)
        if not cleaned:
            return GatewayResult([Reply(NO_ANSWER)], engine_ok=True)
        typed = cleaned
        cleaned = self._choices.resolve(sender, cleaned)
        started = time.perf_counter()
        try:
            messages = await self._engine.send(sender, cleaned)
        except EngineUnavailable:
            logger.warning("apologized to %s: engine unavailable", mask_id(sender))
            self._record(channel, sender, "", [], started, apology=True)
            return GatewayResult([Reply(HOTLINE_APOLOGY)], engine_ok=False)
        replies = replies_from_engine(messages)
        if "erase_conversation" in engine_controls(messages):
            self._choices.forget(sender)
            if self._eraser is not None:
                await self._eraser.erase(sender)
            if self._usage is not None:
                await self._usage.erase(sender)
            logger.info("erased the conversation of %s on request", mask_id(sender))
        else:
            text = typed if cleaned == typed else ""  # a resolved button is not the user's words
            apology = any(r.text == ACTION_APOLOGY for r in replies)
            self._record(channel, sender, text, messages, started, apology=apology)
        replies = await self._unseen_notifications(channel, sender) + replies
        self._choices.remember(sender, [b for reply in replies for b in reply.buttons])
        return GatewayResult(replies or [Reply(NO_ANSWER)], engine_ok=True)
