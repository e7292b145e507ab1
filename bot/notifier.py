"""Drains the outbox for channels with push, within the platform's limits.

Telegram allows about 30 messages a second overall and one a second per chat. A 429 makes the
whole sender wait `retry_after` and puts the message back; network errors back off and retry;
a user who blocked the bot (403) is not tried again. Quiet hours hold everything until morning.
Rows are claimed atomically, so a sender killed mid-run loses nothing: its claims return to the
queue after a lease, and each row is marked sent right after its message went out.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.privacy import mask_id
from knowledge.outbox import DEFAULT_LEASE, Outbox, Outgoing
from knowledge.when import QuietHours

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
MAX_IN_FLIGHT = 16


class RetryLater(Exception):
    """The platform asked us to wait (429) — applies to the whole sender."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds:.1f}s")
        self.seconds = seconds


class Unreachable(Exception):
    """The user blocked the bot or the chat is gone (403/400): never retried."""


class TemporaryFailure(Exception):
    """Network trouble or a 5xx: retried with backoff."""


class PushSender(Protocol):
    async def send(self, recipient_id: str, body: dict[str, Any]) -> None: ...


@dataclass
class Pacing:
    """A global rate and a minimum gap per chat, on a monotonic clock."""

    per_second: float = 30.0
    per_chat_gap: float = 1.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    _next_slot: float = 0.0
    _last_per_chat: dict[str, float] = field(default_factory=dict)

    async def wait_turn(self, chat: str) -> None:
        now = self.clock()
        ready = max(self._next_slot, self._last_per_chat.get(chat, -1e9) + self.per_chat_gap, now)
        self._next_slot = max(self._next_slot, now) + 1.0 / self.per_second
        if ready > now:
            await self.sleep(ready - now)
        self._last_per_chat[chat] = max(ready, self.clock())
        if len(self._last_per_chat) > 100_000:
            self._last_per_chat.clear()

    async def pause(self, seconds: float) -> None:
        self._next_slot = max(self._next_slot, self.clock()) + seconds
        await self.sleep(seconds)


OnUnreachable = Callable[[str], Awaitable[None]]


async def _nothing(_: str) -> None:
    return None


class Notifier:
    def __init__(
        self,
        outbox: Outbox,
        senders: dict[str, PushSender],
        now: Callable[[], dt.datetime],
        quiet: QuietHours,
        pacing: Pacing | None = None,
        on_unreachable: OnUnreachable = _nothing,
        batch: int = 200,
        lease: dt.timedelta = DEFAULT_LEASE,
    ) -> None:
        self._outbox = outbox
        self._senders = senders
        self._now = now
        self._quiet = quiet
        self._pacing = pacing or Pacing()
        self._on_unreachable = on_unreachable
        self._lease = lease
        # never claim more than half a lease's worth: claims must not expire while we send
        self._batch = max(1, min(batch, int(lease.total_seconds() * self._pacing.per_second / 2)))

    async def run_once(self) -> int:
        """One pass over every push channel; returns how many messages went out.

        Sends start on the pacing schedule without waiting for the previous answer (a
        round trip is slower than 1/30 s); a 429 stops new sends, puts the rest back and
        waits as told.
        """
        if self._quiet.is_quiet(self._now()):
            return 0
        sent = 0
        for channel, sender in self._senders.items():
            claimed = await self._outbox.claim_due(
                channel, self._now(), limit=self._batch, lease=self._lease
            )
            told_to_wait: list[float] = []
            in_flight: list[asyncio.Task[int]] = []
            gate = asyncio.Semaphore(MAX_IN_FLIGHT)
            started = 0
            for item in claimed:
                await self._pacing.wait_turn(item.recipient)
                if told_to_wait:
                    break
                await gate.acquire()
                task = asyncio.create_task(self._deliver(sender, item, told_to_wait))
                task.add_done_callback(lambda _task, release=gate.release: release())
                in_flight.append(task)
                started += 1
            sent += sum(await asyncio.gather(*in_flight))
            if told_to_wait:
                wait = max(told_to_wait)
                for rest in claimed[started:]:
                    await self._outbox.retry_later(
                        rest.id, self._now() + dt.timedelta(seconds=wait), "429"
                    )
                await self._pacing.pause(wait)
        return sent

    async def _deliver(self, sender: PushSender, item: Outgoing, told_to_wait: list[float]) -> int:
        recipient_id = item.recipient.split(":", 1)[1]
        try:
            await sender.send(recipient_id, item.body)
        except RetryLater as wait:
            told_to_wait.append(wait.seconds)
            await self._outbox.retry_later(
                item.id, self._now() + dt.timedelta(seconds=wait.seconds), "429"
            )
            return 0
        except Unreachable as exc:
            await self._outbox.give_up(item.id, self._now(), f"unreachable: {exc}")
            logger.info("%s cannot be reached; stopped sending", mask_id(item.recipient))
            await self._on_unreachable(item.recipient)
            return 0
        except TemporaryFailure as exc:
            if item.attempts >= MAX_ATTEMPTS:
                await self._outbox.give_up(item.id, self._now(), str(exc))
                logger.warning(
                    "gave up on notification %d after %d attempts", item.id, item.attempts
                )
            else:
                backoff = dt.timedelta(seconds=min(600, 2**item.attempts))
                await self._outbox.retry_later(item.id, self._now() + backoff, str(exc))
            return 0
        await self._outbox.mark_sent(item.id, self._now())
        return 1

    async def run_forever(self, stop: asyncio.Event, idle_seconds: float = 2.0) -> None:
        """Polls the outbox until `stop` is set; errors are logged and the loop goes on."""
        while not stop.is_set():
            try:
                sent = await self.run_once()
            except Exception:
                logger.exception("notifier pass failed")
                sent = 0
            if not sent:
                try:
                    await asyncio.wait_for(stop.wait(), timeout=idle_seconds)
                except TimeoutError:
                    pass
