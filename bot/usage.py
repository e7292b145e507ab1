"""Recording each turn for the operator console, off the reply path.

The gateway hands a finished turn to `UsageRecorder.record`, which only puts it on an in-process
queue; a background task writes batches with one INSERT each, and the queue is flushed when the
app stops. The sender is kept only as a keyed hash (HMAC-SHA256), so the console can count
people and "제 정보 삭제" can find their rows, but nobody can turn the hash back into an id. The
text is kept — scrubbed — only when the bot did not understand it, and never for a turn that
answered a question about the person's name or phone number.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import hmac
import logging
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from knowledge.scrub import review_key, scrub
from knowledge.usage import UsageStore
from knowledge.when import seoul

logger = logging.getLogger(__name__)

TURN_KEY = "ieum_turn"  # the engine's turn summary (nlu/turn_summary.py)
USAGE_KEY = "ieum_usage"  # what an action adds to its turn's record (e.g. an eligibility verdict)
FALLBACK_INTENT = "nlu_fallback"
FALLBACK_ACTIONS = frozenset({"action_default_fallback", "utter_default"})
# answers to these questions are a name, a phone number or consent to store them
PRIVATE_SLOTS = frozenset({"person_name", "phone"})
PRIVATE_IN_BOOKING = frozenset({"consent", "confirmed"})


def usage_key(configured: str, var_dir: Path) -> bytes:
    """The HMAC key: `IEUM_USAGE_KEY`, else a random key kept in `var/usage.key` (created once;
    the app and the action server on one machine share it)."""
    if configured:
        return configured.encode("utf-8")
    path = var_dir / "usage.key"
    var_dir.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode("utf-8")


def sender_hash(key: bytes, sender: str) -> str:
    return hmac.new(key, sender.encode("utf-8"), hashlib.sha256).hexdigest()


def _customs(messages: Iterable[Any], name: str) -> list[dict[str, Any]]:
    found = []
    for message in messages:
        custom = message.get("custom") if isinstance(message, dict) else None
        if isinstance(custom, dict) and isinstance(custom.get(name), dict):
            found.append(custom[name])
    return found


def turn_row(
    *,
    key: bytes,
    channel: str,
    sender: str,
    text: str,
    messages: list[dict[str, Any]],
    apology: bool,
    latency_ms: int,
    at: dt.datetime,
    low_confidence: float,
) -> dict[str, Any]:
    """One `usage_turns` row from what the gateway saw; the user's words only when kept."""
    summary = next(iter(_customs(messages, TURN_KEY)), {})
    extras: dict[str, Any] = {}
    for extra in _customs(messages, USAGE_KEY):
        extras.update(extra)
    intent = summary.get("intent") if isinstance(summary.get("intent"), str) else None
    confidence = summary.get("confidence")
    confidence = float(confidence) if isinstance(confidence, int | float) else None
    actions = [a for a in summary.get("actions") or [] if isinstance(a, str)]
    programs = [p for p in summary.get("programs") or [] if isinstance(p, str)]
    fallback = intent == FALLBACK_INTENT or any(a in FALLBACK_ACTIONS for a in actions)
    asked, loop = summary.get("asked"), summary.get("loop")
    private = asked in PRIVATE_SLOTS or (loop == "booking_form" and asked in PRIVATE_IN_BOOKING)
    unsure = fallback or (confidence is not None and confidence < low_confidence)
    kept = None
    if unsure and not private and not apology and text and not text.startswith("/"):
        kept = scrub(text)[:1000]
    program = extras.get("program") or (programs[0] if programs else None)
    verdict = extras.get("verdict")
    at = seoul(at)
    return {
        "at": at,
        "day": at.date(),
        "channel": channel[:16],
        "sender_hash": sender_hash(key, sender),
        "intent": intent[:64] if intent else None,
        "confidence": confidence,
        "action": actions[-1][:100] if actions else None,
        "program": str(program)[:64] if program else None,
        "verdict": str(verdict)[:16] if verdict else None,
        "fallback": fallback,
        "apology": apology,
        "latency_ms": max(0, int(latency_ms)),
        "text": kept,
        "review_key": review_key(kept) if kept else None,
    }


class UsageRecorder:
    """An in-process queue drained in batches; recording never waits for the database."""

    def __init__(
        self,
        store: UsageStore,
        key: bytes,
        *,
        batch_size: int = 200,
        flush_seconds: float = 1.0,
        max_queued: int = 20_000,
    ) -> None:
        self.store = store
        self.key = key
        self._batch_size = batch_size
        self._flush_seconds = flush_seconds
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(max_queued)
        self._buffer: list[dict[str, Any]] = []
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self.dropped = 0

    def record(self, row: dict[str, Any]) -> None:
        try:
            self._queue.put_nowait(row)
        except asyncio.QueueFull:
            self.dropped += 1
            if self.dropped % 1000 == 1:
                logger.warning("usage queue full: %d turns not recorded", self.dropped)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Writes everything still queued (app shutdown)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        while not self._queue.empty():
            self._buffer.append(self._queue.get_nowait())
        await self._write()

    async def flush(self) -> None:
        """Writes what is queued now (tests, erasure)."""
        while not self._queue.empty():
            self._buffer.append(self._queue.get_nowait())
        await self._write()

    async def erase(self, sender: str) -> int:
        """delete_my_data: the person's queued and stored turns."""
        hashed = sender_hash(self.key, sender)
        async with self._lock:
            keep = []
            while not self._queue.empty():
                row = self._queue.get_nowait()
                if row["sender_hash"] != hashed:
                    keep.append(row)
            for row in keep:
                self._queue.put_nowait(row)
            self._buffer = [r for r in self._buffer if r["sender_hash"] != hashed]
            return await self.store.erase(hashed)

    async def _write(self) -> None:
        async with self._lock:
            batch, self._buffer = self._buffer, []
            if not batch:
                return
            try:
                await self.store.add_many(batch)
            except Exception:
                logger.exception("could not write %d usage records", len(batch))

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            self._buffer.append(await self._queue.get())
            deadline = loop.time() + self._flush_seconds
            while len(self._buffer) < self._batch_size:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    self._buffer.append(await asyncio.wait_for(self._queue.get(), remaining))
                except TimeoutError:
                    break
            await self._write()
