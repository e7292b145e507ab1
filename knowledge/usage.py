"""Usage records for the operator console: batched inserts, retention, erasure, aggregates.

Rows carry no personal data (see `bot/usage.py` for how a turn becomes a row). Aggregates are
grouped in SQL where both SQLite and PostgreSQL agree; percentiles are taken in Python.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, and_, case, delete, distinct, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.events import EVENT, EVENT_REMINDER
from knowledge.models import (
    AppointmentRow,
    CenterRow,
    NotificationRow,
    ProgramRow,
    UsageReviewRow,
    UsageTurnRow,
)
from knowledge.review_export import Example
from knowledge.when import SEOUL, seoul

CHANNELS = ("web", "kakao", "telegram")
TOP = 10


def _pct(values: list[int], q: float) -> int:
    """Nearest-rank percentile: the value at or below which `q` of the values lie."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 1))  # ceil
    return int(ordered[int(rank) - 1])


@dataclass(frozen=True)
class ReviewGroup:
    key: str
    text: str  # the newest scrubbed wording in the group
    count: int
    last_at: dt.datetime
    intent: str | None  # what the engine guessed


class UsageStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def add_many(self, rows: list[dict[str, Any]]) -> None:
        """One INSERT for a batch of turns."""
        if not rows:
            return
        async with self._sessions() as session, session.begin():
            await session.execute(insert(UsageTurnRow), rows)

    async def purge_before(self, cutoff: dt.datetime) -> int:
        async with self._sessions() as session, session.begin():
            result = await session.execute(
                delete(UsageTurnRow).where(UsageTurnRow.at < seoul(cutoff))
            )
        return result.rowcount or 0

    async def erase(self, sender_hash: str) -> int:
        """delete_my_data: every turn of that person."""
        async with self._sessions() as session, session.begin():
            result = await session.execute(
                delete(UsageTurnRow).where(UsageTurnRow.sender_hash == sender_hash)
            )
        return result.rowcount or 0

    # ── the dashboard ──────────────────────────────────────────────────────────────────

    async def dashboard(self, first_day: dt.date, last_day: dt.date) -> dict[str, Any]:
        """Every chart's numbers for the days `first_day`..`last_day` (Seoul), inclusive."""
        in_period = and_(UsageTurnRow.day >= first_day, UsageTurnRow.day <= last_day)
        days = [first_day + dt.timedelta(days=i) for i in range((last_day - first_day).days + 1)]
        async with self._sessions() as session:
            per_channel = (
                await session.execute(
                    select(
                        UsageTurnRow.day,
                        UsageTurnRow.channel,
                        func.count(),
                        func.count(distinct(UsageTurnRow.sender_hash)),
                        func.sum(case((UsageTurnRow.fallback, 1), else_=0)),
                    )
                    .where(in_period)
                    .group_by(UsageTurnRow.day, UsageTurnRow.channel)
                )
            ).all()
            intents = (
                await session.execute(
                    select(UsageTurnRow.intent, func.count().label("n"))
                    .where(in_period, UsageTurnRow.intent.is_not(None))
                    .group_by(UsageTurnRow.intent)
                    .order_by(func.count().desc(), UsageTurnRow.intent)
                    .limit(TOP)
                )
            ).all()
            programs = (
                await session.execute(
                    select(UsageTurnRow.program, func.count())
                    .where(in_period, UsageTurnRow.program.is_not(None))
                    .group_by(UsageTurnRow.program)
                    .order_by(func.count().desc(), UsageTurnRow.program)
                    .limit(TOP)
                )
            ).all()
            verdicts = (
                await session.execute(
                    select(UsageTurnRow.program, UsageTurnRow.verdict, func.count())
                    .where(
                        in_period,
                        UsageTurnRow.program.is_not(None),
                        UsageTurnRow.verdict.is_not(None),
                    )
                    .group_by(UsageTurnRow.program, UsageTurnRow.verdict)
                )
            ).all()
            latencies = (
                await session.execute(
                    select(UsageTurnRow.day, UsageTurnRow.latency_ms).where(
                        in_period, UsageTurnRow.apology.is_(False)
                    )
                )
            ).all()
            program_names = dict(
                (await session.execute(select(ProgramRow.id, ProgramRow.name))).all()
            )
            bookings = await self._bookings(session, first_day, last_day)
            alerts = await self._alerts(session, first_day, last_day)

        messages: dict[str, dict[str, int]] = {c: {} for c in CHANNELS}
        conversations: dict[str, dict[str, int]] = {c: {} for c in CHANNELS}
        totals: Counter[str] = Counter()
        fallbacks: Counter[str] = Counter()
        for day, channel, count, senders, fell_back in per_channel:
            key = day.isoformat()
            messages.setdefault(channel, {})[key] = int(count)
            conversations.setdefault(channel, {})[key] = int(senders)
            totals[key] += int(count)
            fallbacks[key] += int(fell_back or 0)
        by_day: dict[str, list[int]] = defaultdict(list)
        for day, latency in latencies:
            by_day[day.isoformat()].append(int(latency))
        labels = [d.isoformat() for d in days]
        verdict_table: dict[str, dict[str, int]] = defaultdict(dict)
        for program, verdict, count in verdicts:
            verdict_table[program][verdict] = int(count)
        return {
            "first_day": first_day.isoformat(),
            "last_day": last_day.isoformat(),
            "days": labels,
            "messages": {c: [messages[c].get(d, 0) for d in labels] for c in messages},
            "conversations": {c: [conversations[c].get(d, 0) for d in labels] for c in messages},
            "fallback_rate": [
                round(fallbacks[d] / totals[d], 4) if totals[d] else 0.0 for d in labels
            ],
            "fallbacks": [fallbacks[d] for d in labels],
            "top_intents": [{"intent": i, "count": int(n)} for i, n in intents],
            "top_programs": [
                {"program": p, "name": program_names.get(p, p), "count": int(n)}
                for p, n in programs
            ],
            "verdicts": [
                {"program": p, "name": program_names.get(p, p), **counts}
                for p, counts in sorted(verdict_table.items())
            ],
            "bookings": bookings,
            "alerts": alerts,
            "latency": {
                "p50": [_pct(by_day[d], 0.5) if by_day[d] else None for d in labels],
                "p95": [_pct(by_day[d], 0.95) if by_day[d] else None for d in labels],
                "median_all": int(statistics.median([v for d in by_day.values() for v in d]))
                if by_day
                else None,
            },
        }

    @staticmethod
    async def _bookings(
        session: AsyncSession, first_day: dt.date, last_day: dt.date
    ) -> list[dict[str, Any]]:
        """Bookings made in the period, per center and week (Monday of the week)."""
        start = dt.datetime.combine(first_day, dt.time(), SEOUL)
        end = start + dt.timedelta(days=(last_day - first_day).days + 1)
        rows = (
            await session.execute(
                select(AppointmentRow.center_id, AppointmentRow.created_at).where(
                    AppointmentRow.created_at >= start, AppointmentRow.created_at < end
                )
            )
        ).all()
        names = dict((await session.execute(select(CenterRow.id, CenterRow.name))).all())
        counts: Counter[tuple[str, str]] = Counter()
        for center, created in rows:
            day = seoul(created).date()
            counts[(center, (day - dt.timedelta(days=day.weekday())).isoformat())] += 1
        return [
            {"center": c, "name": names.get(c, c), "week": w, "count": n}
            for (c, w), n in sorted(counts.items(), key=lambda kv: (kv[0][1], kv[0][0]))
        ]

    @staticmethod
    async def _alerts(
        session: AsyncSession, first_day: dt.date, last_day: dt.date
    ) -> dict[str, int]:
        """Job-fair alerts queued in the period: sent, failed, blocked (user blocked the bot),
        still waiting."""
        start = dt.datetime.combine(first_day, dt.time(), SEOUL)
        end = start + dt.timedelta(days=(last_day - first_day).days + 1)
        blocked = NotificationRow.last_error.like("unreachable%")
        rows = (
            await session.execute(
                select(
                    NotificationRow.status,
                    func.sum(case((blocked, 1), else_=0).cast(Integer)),
                    func.count(),
                )
                .where(
                    NotificationRow.kind.in_((EVENT, EVENT_REMINDER)),
                    NotificationRow.created_at >= start,
                    NotificationRow.created_at < end,
                )
                .group_by(NotificationRow.status)
            )
        ).all()
        result = {"sent": 0, "failed": 0, "blocked": 0, "waiting": 0, "cancelled": 0}
        for status, blocked_count, count in rows:
            if status == "failed":
                result["blocked"] += int(blocked_count or 0)
                result["failed"] += int(count) - int(blocked_count or 0)
            elif status in ("pending", "sending"):
                result["waiting"] += int(count)
            elif status in result:
                result[status] += int(count)
        return result

    # ── the review inbox ───────────────────────────────────────────────────────────────

    async def review_groups(self, limit: int = 100) -> list[ReviewGroup]:
        """Not-understood wordings nobody has decided on yet, newest first, with counts."""
        decided = select(UsageReviewRow.review_key)
        async with self._sessions() as session:
            groups = (
                await session.execute(
                    select(UsageTurnRow.review_key, func.count(), func.max(UsageTurnRow.at))
                    .where(
                        UsageTurnRow.review_key.is_not(None),
                        UsageTurnRow.review_key.not_in(decided),
                    )
                    .group_by(UsageTurnRow.review_key)
                    .order_by(func.max(UsageTurnRow.at).desc())
                    .limit(limit)
                )
            ).all()
            keys = [key for key, _, _ in groups]
            newest: dict[str, tuple[str, str | None]] = {}
            if keys:
                rows = await session.execute(
                    select(UsageTurnRow.review_key, UsageTurnRow.text, UsageTurnRow.intent)
                    .where(UsageTurnRow.review_key.in_(keys))
                    .order_by(UsageTurnRow.at.desc(), UsageTurnRow.id.desc())
                )
                for key, text, intent in rows:
                    newest.setdefault(key, (text or "", intent))
        return [
            ReviewGroup(key, newest[key][0], int(count), seoul(last), newest[key][1])
            for key, count, last in groups
        ]

    async def decide(
        self,
        key: str,
        status: str,
        intent: str | None,
        entities: list[dict[str, str]],
        now: dt.datetime,
    ) -> bool:
        """Labels a group (`labelled` + intent) or sets it aside (`not_ours`); False when the
        group does not exist."""
        async with self._sessions() as session, session.begin():
            text = await session.scalar(
                select(UsageTurnRow.text)
                .where(UsageTurnRow.review_key == key)
                .order_by(UsageTurnRow.at.desc())
                .limit(1)
            )
            if text is None:
                return False
            await session.merge(
                UsageReviewRow(
                    review_key=key,
                    text=text,
                    status=status,
                    intent=intent if status == "labelled" else None,
                    entities=entities if status == "labelled" else [],
                    decided_at=seoul(now),
                )
            )
        return True

    async def labelled(self) -> list[Example]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(UsageReviewRow)
                .where(UsageReviewRow.status == "labelled")
                .order_by(UsageReviewRow.decided_at, UsageReviewRow.review_key)
            )
            return [Example(r.text, r.intent or "", list(r.entities or [])) for r in rows]
