"""The notification outbox: durable rows written with the change that causes them.

Push channels (Telegram) are drained by a sender that claims due rows atomically
(`FOR UPDATE SKIP LOCKED` on PostgreSQL, one UPDATE … RETURNING on SQLite), so several
senders can run and a crashed sender's claims are taken over after a lease. Channels without
push (web chat, Kakao) pick up their due rows the next time the user writes.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.models import NotificationRow
from knowledge.when import seoul

logger = logging.getLogger(__name__)

PUSH_CHANNELS = frozenset({"telegram"})
DEFAULT_LEASE = dt.timedelta(seconds=120)


def channel_of(recipient: str) -> str:
    """'telegram:42' → 'telegram'."""
    return recipient.split(":", 1)[0] if ":" in recipient else "web"


@dataclass(frozen=True)
class Notice:
    """What to queue: one message for one recipient, unique by (recipient, kind, ref)."""

    recipient: str
    kind: str
    ref: str
    body: dict[str, Any]
    due_at: dt.datetime


@dataclass(frozen=True)
class Outgoing:
    id: int
    recipient: str
    channel: str
    kind: str
    ref: str
    body: dict[str, Any]
    due_at: dt.datetime
    attempts: int
    status: str


def _outgoing(row: Any) -> Outgoing:
    return Outgoing(
        row.id, row.recipient, row.channel, row.kind, row.ref, row.body, seoul(row.due_at),
        row.attempts, row.status,
    )  # fmt: skip


async def queue(session: AsyncSession, notices: Sequence[Notice], now: dt.datetime) -> int:
    """Inserts inside the caller's transaction; rows already queued are skipped. Returns new rows."""
    if not notices:
        return 0
    rows = [
        {
            "recipient": n.recipient,
            "channel": channel_of(n.recipient),
            "kind": n.kind,
            "ref": n.ref,
            "body": n.body,
            "due_at": seoul(n.due_at),
            "status": "pending",
            "attempts": 0,
            "created_at": seoul(now),
        }
        for n in notices
    ]
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    inserted = 0
    for start in range(0, len(rows), 1000):
        table = NotificationRow.__table__
        stmt = (
            insert(table)
            .on_conflict_do_nothing(index_elements=["recipient", "kind", "ref"])
            .returning(table.c.id)
        )
        result = await session.execute(stmt, rows[start : start + 1000])
        inserted += len(result.all())
    return inserted


async def cancel_refs(session: AsyncSession, ref_prefix: str, now: dt.datetime) -> int:
    """Stops what still waits for refs starting with `ref_prefix`, in the caller's transaction."""
    result = await session.execute(
        update(NotificationRow)
        .where(
            NotificationRow.ref.startswith(ref_prefix, autoescape=True),
            NotificationRow.status.in_(("pending", "sending")),
        )
        .values(status="cancelled", sent_at=seoul(now))
    )
    return result.rowcount or 0


async def erase_recipient(session: AsyncSession, recipient: str) -> int:
    result = await session.execute(
        delete(NotificationRow).where(NotificationRow.recipient == recipient)
    )
    return result.rowcount or 0


class Outbox:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def claim_due(
        self,
        channel: str,
        now: dt.datetime,
        limit: int = 100,
        lease: dt.timedelta = DEFAULT_LEASE,
    ) -> list[Outgoing]:
        """Claims due rows for one channel; rows a crashed sender held longer than `lease` too."""
        now = seoul(now)
        due = (NotificationRow.status == "pending") & (NotificationRow.due_at <= now)
        stale = (NotificationRow.status == "sending") & (NotificationRow.claimed_at < now - lease)
        async with self._sessions() as session, session.begin():
            ids = (
                select(NotificationRow.id)
                .where(NotificationRow.channel == channel, due | stale)
                .order_by(NotificationRow.due_at, NotificationRow.id)
                .limit(limit)
            )
            if session.bind.dialect.name == "postgresql":
                ids = ids.with_for_update(skip_locked=True)
            result = await session.execute(
                update(NotificationRow)
                .where(NotificationRow.id.in_(ids.scalar_subquery()))
                .values(status="sending", claimed_at=now, attempts=NotificationRow.attempts + 1)
                .returning(NotificationRow)
                .execution_options(synchronize_session=False)
            )
            claimed = [_outgoing(row) for row in result.scalars()]
        return sorted(claimed, key=lambda o: (o.due_at, o.id))

    async def mark_sent(self, notification_id: int, now: dt.datetime) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(NotificationRow)
                .where(NotificationRow.id == notification_id)
                .values(status="sent", sent_at=seoul(now), last_error=None)
            )

    async def retry_later(self, notification_id: int, when: dt.datetime, error: str) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(NotificationRow)
                .where(NotificationRow.id == notification_id)
                .values(status="pending", due_at=seoul(when), last_error=error[:200])
            )

    async def give_up(self, notification_id: int, now: dt.datetime, error: str) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(NotificationRow)
                .where(NotificationRow.id == notification_id)
                .values(status="failed", sent_at=seoul(now), last_error=error[:200])
            )

    async def pickup(self, recipient: str, now: dt.datetime, limit: int = 5) -> list[Outgoing]:
        """For channels without push: takes this user's due messages, marking them delivered.

        Runs on every web and Kakao message, so the usual case (nothing due) is one indexed
        read; only when something is due does it write, and the status check in the UPDATE
        keeps two concurrent pickups from both taking a row.
        """
        now = seoul(now)
        async with self._sessions() as session:
            due = list(
                await session.scalars(
                    select(NotificationRow.id)
                    .where(
                        NotificationRow.recipient == recipient,
                        NotificationRow.status == "pending",
                        NotificationRow.due_at <= now,
                    )
                    .order_by(NotificationRow.due_at, NotificationRow.id)
                    .limit(limit)
                )
            )
        if not due:
            return []
        async with self._sessions() as session, session.begin():
            result = await session.execute(
                update(NotificationRow)
                .where(NotificationRow.id.in_(due), NotificationRow.status == "pending")
                .values(status="sent", sent_at=now, attempts=NotificationRow.attempts + 1)
                .returning(NotificationRow)
                .execution_options(synchronize_session=False)
            )
            taken = [_outgoing(row) for row in result.scalars()]
        return sorted(taken, key=lambda o: (o.due_at, o.id))

    async def for_recipient(self, recipient: str) -> list[Outgoing]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(NotificationRow)
                .where(NotificationRow.recipient == recipient)
                .order_by(NotificationRow.due_at)
            )
            return [_outgoing(row) for row in rows]

    async def status_counts(self) -> dict[str, int]:
        async with self._sessions() as session:
            rows = await session.execute(
                select(NotificationRow.status, func.count()).group_by(NotificationRow.status)
            )
            return {status: count for status, count in rows}
