"""Conversation state without replaying history: Rasa's SQL tracker store with live trackers kept.

Rasa's `SQLTrackerStore` reads a conversation's whole session back and replays every event on
each turn, then counts the stored rows again to find what is new, so a turn costs more the longer
the conversation is (turn 100 took 3.7× turn 5). This store keeps the trackers it handed out in a
bounded LRU and, on save, writes only the events added since it last saved that tracker:

- one engine process (SQLite, `endpoints.yml`): rows are appended by one background writer thread
  in turn order, in batches; pending rows are flushed on shutdown (SIGTERM/SIGINT and normal exit)
  and before any read from SQL, so a restart or an evicted tracker finds everything;
- several engine processes (`shared: true`, `endpoints.scale.yml`, PostgreSQL + Redis lock store):
  rows are written before the turn's lock is released, and each cache hit is checked against the
  sender's row count and last row id (one indexed query): another process's turn, an erasure or a
  purge makes it reload from SQL.

It also keeps the consent promise for stored history: mobile numbers are masked in every stored
message (user and bot); once a booking completes (or its answers are cleared), the sender's stored events are
rewritten without the typed name and number (slot values, the answers to the name and phone
questions, any message repeating them); an `erase_conversation` control from the action server
deletes the sender's rows after its pending writes; rows older than `retention_days` are purged
(hourly). The live tracker in memory keeps the real values: the booking form needs them.
"""

from __future__ import annotations

import asyncio
import atexit
import itertools
import json
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from multiprocessing import util as mp_util
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

MASK = "[가림]"
PERSONAL_SLOTS = ("person_name", "phone")
# Korean mobile numbers as typed: 010-1234-5678, 010 1234 5678, 01012345678, +82 10-…
MOBILE = re.compile(r"(?<!\d)(?:\+?82[-. ]?|0)1[016789][-. ]?\d{3,4}[-. ]?\d{4}(?!\d)")
BOOKING_DONE_ACTIONS = frozenset({"action_book_appointment"})
ERASE_CONTROL = "erase_conversation"
PURGE_EVERY_S = 3600.0


def mask_mobile(text: str) -> str:
    return MOBILE.sub(MASK, text)


def _as_int(value: Any, default: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _as_bool(value: Any) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def _mask_strings(value: Any, secrets: list[str]) -> Any:
    """Every string inside `value` with the secrets and mobile numbers masked."""
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, MASK)
        return mask_mobile(value)
    if isinstance(value, list):
        return [_mask_strings(v, secrets) for v in value]
    if isinstance(value, dict):
        return {k: _mask_strings(v, secrets) for k, v in value.items()}
    return value


def _user_text_masked(data: dict[str, Any]) -> dict[str, Any]:
    """A user event as stored: mobile numbers masked in what was typed and what NLU read."""
    data = dict(data)
    if isinstance(data.get("text"), str):
        data["text"] = mask_mobile(data["text"])
    parse = data.get("parse_data")
    if isinstance(parse, dict):
        parse = dict(parse)
        if isinstance(parse.get("text"), str):
            parse["text"] = mask_mobile(parse["text"])
        parse["entities"] = [
            {**e, "value": mask_mobile(e["value"])}
            if isinstance(e, dict) and isinstance(e.get("value"), str)
            else e
            for e in parse.get("entities") or []
        ]
        data["parse_data"] = parse
    return data


def redact_events(rows: list[tuple[int, str, str]]) -> dict[int, str]:
    """The rows of one sender (id, type, JSON) that change once the booking holds the name and
    number: new JSON by id. Slot values of person_name/phone, the whole answer to the name or phone
    question, and any other occurrence of those values or of a mobile number are masked."""
    secrets: set[str] = set()
    for _id, type_name, raw in rows:
        if type_name != SlotSet.type_name:
            continue
        data = json.loads(raw)
        value = data.get("value")
        if data.get("name") in PERSONAL_SLOTS and isinstance(value, str) and value != MASK:
            secrets.add(value)
            digits = re.sub(r"\D", "", value)
            if len(digits) >= 9:
                secrets.add(digits)
    ordered = sorted((s for s in secrets if len(s.strip()) >= 2), key=len, reverse=True)
    changed: dict[int, str] = {}
    requested: str | None = None
    for row_id, type_name, raw in rows:
        data = json.loads(raw)
        new = data
        if type_name == SlotSet.type_name:
            if data.get("name") == "requested_slot":
                requested = data.get("value")
            elif data.get("name") in PERSONAL_SLOTS and data.get("value") not in (None, MASK):
                new = {**data, "value": MASK}
        elif type_name == "user" and requested in PERSONAL_SLOTS:
            new = _mask_strings(data, ordered)
            new["text"] = MASK
            if isinstance(new.get("parse_data"), dict):
                new["parse_data"] = {**new["parse_data"], "text": MASK}
        elif type_name in ("user", BotUttered.type_name):
            new = _mask_strings(data, ordered)
        if new != data:
            changed[row_id] = json.dumps(new)
    return changed


@dataclass
class _Live:
    """A tracker handed out by this store and how much of it is in SQL (or queued for it)."""

    tracker: DialogueStateTracker
    saved: int  # len(tracker.events) when last saved; anything else means an unsaved change
    rows: int = -1  # shared mode: the sender's row count and last id after our last write
    last_id: int = -1


@dataclass
class _Job:
    seq: int
    sender: str
    rows: list[dict[str, Any]]
    redact: bool = False
    erase: bool = False


class CachedSQLTrackerStore(SQLTrackerStore):
    """`endpoints.yml`: `tracker_store: {type: nlu.tracker_store.CachedSQLTrackerStore, …}`.

    Extra keys beside the SQL store's: `cache_size` (live trackers kept, default 500),
    `shared` (true when several engine processes use the database), `retention_days`
    (purge events older than this; 0 keeps everything).
    """

    def __init__(
        self,
        domain: Any = None,
        cache_size: Any = 500,
        shared: Any = False,
        retention_days: Any = 30,
        **kwargs: Any,
    ) -> None:
        super().__init__(domain=domain, **kwargs)
        if self.engine.dialect.name == "sqlite":
            # SQLAlchemy 1.4 opens a new SQLite connection per session (NullPool), each with
            # its PRAGMAs: keep a few open instead (the writer thread and the loop's executor)
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(
                url,
                poolclass=sa.pool.QueuePool,
                pool_size=2,
                max_overflow=4,
                connect_args={"check_same_thread": False},
            )
            self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
        self.cache_size = max(1, _as_int(cache_size, 500))
        self.shared = _as_bool(shared)
        self.retention_days = max(0, _as_int(retention_days, 30))
        self._live: OrderedDict[str, _Live] = OrderedDict()
        self._table = self.SQLEvent.__table__
        self._jobs: list[_Job] = []
        self._cond = threading.Condition()
        self._seq = itertools.count(1)
        self._queued_seq = 0
        self._done_seq = 0
        self._last_seq: dict[str, int] = {}
        self._writer: threading.Thread | None = None
        self._closed = False
        self._next_purge = 0.0
        # runs in every engine process at exit (multiprocessing workers skip plain atexit)
        mp_util.Finalize(self, self.close, exitpriority=100)
        atexit.register(self.close)

    # ---- Rasa's interface -------------------------------------------------------------------

    @property
    def domain(self) -> Any:
        return self._domain

    @domain.setter
    def domain(self, domain: Any) -> None:
        from rasa.shared.core.domain import Domain

        self._domain = domain or Domain.empty()
        if hasattr(self, "_live"):
            self._live.clear()  # trackers built with another domain's slots

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        live = self._live.get(sender_id)
        if live is not None and len(live.tracker.events) == live.saved:
            if not self.shared:
                self._live.move_to_end(sender_id)
                return live.tracker
            rows, last_id = await self._run(self._stats, sender_id)
            if (rows, last_id) == (live.rows, live.last_id):
                self._live.move_to_end(sender_id)
                return live.tracker
        self._live.pop(sender_id, None)
        await self._wait_written(sender_id)
        tracker, rows, last_id = await self._run(self._load, sender_id)
        if tracker is not None:
            self._remember(sender_id, _Live(tracker, len(tracker.events), rows, last_id))
        return tracker

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        await self._wait_written(conversation_id)
        return await super().retrieve_full_tracker(conversation_id)

    async def keys(self) -> Iterable[str]:
        await self._wait_written(None)
        return await super().keys()

    async def create_tracker(
        self, sender_id: str, append_action_listen: bool = True
    ) -> DialogueStateTracker:
        tracker = self.init_tracker(sender_id)
        live = _Live(tracker, 0)
        if self.shared:
            live.rows, live.last_id = await self._run(self._stats, sender_id)
        self._remember(sender_id, live)
        if append_action_listen:
            from rasa.shared.core.constants import ACTION_LISTEN_NAME

            tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
            await self.save(tracker)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        sender = tracker.sender_id
        live = self._live.get(sender)
        if live is not None and live.tracker is tracker:
            start = live.saved
        else:  # a tracker we did not hand out: Rasa's rule, rows stored since the session start
            await self._wait_written(sender)
            start = await self._run(self._stored_in_session, sender)
            live = _Live(tracker, start)
        new_events = list(itertools.islice(tracker.events, start, None))
        if self.event_broker is not None:
            await self._stream_new_events(self.event_broker, new_events, sender)
        erase = any(self._is_erase(e) for e in new_events)
        job = _Job(
            next(self._seq),
            sender,
            [] if erase else [self._row(sender, e) for e in new_events],
            redact=any(self._completes_booking(e) for e in new_events),
            erase=erase,
        )
        live.saved = len(tracker.events)
        if self.shared:
            live.rows, live.last_id = await self._run(self._write, [job])
        else:
            self._enqueue(job)
        if erase or any(isinstance(e, SessionStarted) for e in new_events):
            # Rasa reads back only the latest session; after an erasure, nothing
            self._live.pop(sender, None)
        else:
            self._remember(sender, live)

    # ---- what is stored ---------------------------------------------------------------------

    @staticmethod
    def _is_erase(event: Event) -> bool:
        if not isinstance(event, BotUttered):
            return False
        custom = (event.data or {}).get("custom")
        return isinstance(custom, dict) and custom.get("ieum_control") == ERASE_CONTROL

    @staticmethod
    def _completes_booking(event: Event) -> bool:
        if isinstance(event, ActionExecuted):
            return event.action_name in BOOKING_DONE_ACTIONS
        return isinstance(event, SlotSet) and event.key in PERSONAL_SLOTS and event.value is None

    @staticmethod
    def _row(sender: str, event: Event) -> dict[str, Any]:
        data = event.as_dict()
        if data.get("event") == "user":
            data = _user_text_masked(data)
        elif data.get("event") == BotUttered.type_name and isinstance(data.get("text"), str):
            data = {**data, "text": mask_mobile(data["text"])}
        return {
            "sender_id": sender,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": (data.get("parse_data") or {}).get("intent", {}).get("name"),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }

    # ---- SQL (called in a worker thread) ----------------------------------------------------

    def _stats(self, sender: str) -> tuple[int, int]:
        t = self._table
        with self.engine.connect() as conn:
            count, last = conn.execute(
                sa.select(sa.func.count(t.c.id), sa.func.max(t.c.id)).where(t.c.sender_id == sender)
            ).one()
        return int(count or 0), int(last or 0)

    def _stored_in_session(self, sender: str) -> int:
        with self.session_scope() as session:
            return self._event_query(session, sender, fetch_events_from_all_sessions=False).count()

    def _load(self, sender: str) -> tuple[DialogueStateTracker | None, int, int]:
        rows, last_id = self._stats(sender) if self.shared else (-1, -1)
        with self.session_scope() as session:
            stored = self._event_query(session, sender, fetch_events_from_all_sessions=False).all()
            events = [json.loads(row.data) for row in stored]
        if not events:
            return None, rows, last_id
        return DialogueStateTracker.from_dict(sender, events, self.domain.slots), rows, last_id

    def _write(self, jobs: list[_Job]) -> tuple[int, int]:
        """Applies jobs in order in one transaction; the last job's sender stats after it."""
        t = self._table
        with self.engine.begin() as conn:
            pending: list[dict[str, Any]] = []
            for job in jobs:
                if job.erase:
                    self._insert(conn, pending)
                    pending = []
                    conn.execute(t.delete().where(t.c.sender_id == job.sender))
                    continue
                pending.extend(job.rows)
                if job.redact:
                    self._insert(conn, pending)
                    pending = []
                    self._redact(conn, job.sender)
            self._insert(conn, pending)
            if self.retention_days and time.monotonic() >= self._next_purge:
                self._purge(conn)
        return self._stats(jobs[-1].sender) if self.shared and jobs else (-1, -1)

    def _insert(self, conn: Any, rows: list[dict[str, Any]]) -> None:
        if rows:
            conn.execute(self._table.insert(), rows)

    def _redact(self, conn: Any, sender: str) -> None:
        t = self._table
        rows = conn.execute(
            sa.select(t.c.id, t.c.type_name, t.c.data)
            .where(t.c.sender_id == sender)
            .order_by(t.c.id)
        ).all()
        changed = redact_events([(r.id, r.type_name, r.data) for r in rows])
        for row_id, data in changed.items():
            conn.execute(t.update().where(t.c.id == row_id).values(data=data))
        logger.info("redacted %d stored events after a booking", len(changed))

    def _purge(self, conn: Any) -> int:
        self._next_purge = time.monotonic() + PURGE_EVERY_S
        cutoff = time.time() - self.retention_days * 86400
        t = self._table
        result = conn.execute(t.delete().where(t.c.timestamp < cutoff))
        if result.rowcount:
            logger.info("purged %d conversation events older than %d days",
                        result.rowcount, self.retention_days)  # fmt: skip
        return result.rowcount or 0

    def purge_now(self) -> int:
        """Deletes events older than the retention at once (tests, operators)."""
        self.flush()
        with self.engine.begin() as conn:
            return self._purge(conn) if self.retention_days else 0

    def after_fork(self) -> None:
        """In a worker forked from the loaded engine (nlu/prefork.py): its own connections,
        lock and writer thread; nothing was queued in the parent (it serves no turns)."""
        self.engine.dispose()
        self._cond = threading.Condition()
        self._writer = None
        self._jobs = []

    # ---- background writer (one engine process) ---------------------------------------------

    def _enqueue(self, job: _Job) -> None:
        with self._cond:
            writer_alive = self._writer is not None and self._writer.is_alive()
            if self._closed and not writer_alive:  # shutdown finished: write it ourselves
                self._write_safely([job])
                return
            self._jobs.append(job)
            self._queued_seq = job.seq
            self._last_seq[job.sender] = job.seq
            if not writer_alive:
                self._writer = threading.Thread(
                    target=self._drain_forever, name="ieum-tracker-writer", daemon=True
                )
                self._writer.start()
            self._cond.notify_all()

    def _drain_forever(self) -> None:
        """Writes queued jobs in batches, in order; purges old rows when due; ends on close()."""
        while True:
            with self._cond:
                if not self._jobs and not self._closed:
                    self._cond.wait(timeout=PURGE_EVERY_S)
                jobs, self._jobs = self._jobs, []
                closed = self._closed
            if jobs or self.retention_days:
                self._write_safely(jobs)
            if closed:
                return

    def _write_safely(self, jobs: list[_Job]) -> None:
        try:
            if jobs or self.retention_days:
                self._write(jobs)
        except Exception:
            logger.exception("could not write %d conversation updates; retrying once", len(jobs))
            time.sleep(0.5)
            try:
                self._write(jobs)
            except Exception:
                logger.exception("conversation updates lost: %d", len(jobs))
        finally:
            with self._cond:
                if jobs:
                    self._done_seq = max(self._done_seq, jobs[-1].seq)
                for job in jobs:
                    if self._last_seq.get(job.sender) == job.seq:
                        del self._last_seq[job.sender]
                self._cond.notify_all()

    def _wait_for(self, seq: int, timeout: float = 60.0) -> None:
        with self._cond:
            self._cond.wait_for(lambda: self._done_seq >= seq, timeout=timeout)

    async def _wait_written(self, sender: str | None) -> None:
        """Pending rows (of one sender, or all) are in SQL before we read from it."""
        with self._cond:
            seq = self._queued_seq if sender is None else self._last_seq.get(sender, 0)
            if seq <= self._done_seq:
                return
        await self._run(self._wait_for, seq)

    def flush(self, timeout: float = 60.0) -> None:
        with self._cond:
            seq = self._queued_seq
        self._wait_for(seq, timeout)

    def close(self) -> None:
        """Flushes every pending row; safe to call more than once (SIGTERM, atexit)."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            writer = self._writer
            self._cond.notify_all()
        if writer is not None and writer.is_alive():
            writer.join(timeout=60)
        with self._cond:
            jobs, self._jobs = self._jobs, []
        if jobs:
            self._write_safely(jobs)

    # ---- helpers ----------------------------------------------------------------------------

    def _remember(self, sender: str, live: _Live) -> None:
        self._live[sender] = live
        self._live.move_to_end(sender)
        while len(self._live) > self.cache_size:
            self._live.popitem(last=False)

    @staticmethod
    async def _run(func: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(None, func, *args)
