"""Job-fair alert subscriptions, by channel identity and region."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.models import NotificationRow, SubscriptionRow
from knowledge.outbox import channel_of
from knowledge.schema import REGIONS
from knowledge.when import seoul

NATIONWIDE = "전국"
ALERT_KINDS = ("event", "event_reminder")


def valid_region(value: str) -> bool:
    return value == NATIONWIDE or value in REGIONS


class Subscriptions:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def add(self, recipient: str, regions: list[str], now: dt.datetime) -> list[str]:
        """Subscribes to each region (idempotent); returns the recipient's regions after."""
        wanted = [r for r in dict.fromkeys(regions) if valid_region(r)]
        async with self._sessions() as session, session.begin():
            if wanted:
                dialect = session.bind.dialect.name
                insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
                await session.execute(
                    insert(SubscriptionRow.__table__).on_conflict_do_nothing(),
                    [
                        {"recipient": recipient, "region": r, "channel": channel_of(recipient),
                         "created_at": seoul(now)}
                        for r in wanted
                    ],
                )  # fmt: skip
            return await self._regions(session, recipient)

    async def regions(self, recipient: str) -> list[str]:
        async with self._sessions() as session:
            return await self._regions(session, recipient)

    @staticmethod
    async def _regions(session: AsyncSession, recipient: str) -> list[str]:
        rows = await session.scalars(
            select(SubscriptionRow.region).where(SubscriptionRow.recipient == recipient)
        )
        order = [NATIONWIDE, *REGIONS]
        return sorted(rows, key=lambda r: order.index(r) if r in order else 99)

    async def remove_all(self, recipient: str) -> int:
        """Unsubscribes from everything and drops alerts still waiting, in one transaction."""
        async with self._sessions() as session, session.begin():
            return await remove_all(session, recipient)


async def remove_all(session: AsyncSession, recipient: str) -> int:
    result = await session.execute(
        delete(SubscriptionRow).where(SubscriptionRow.recipient == recipient)
    )
    await session.execute(
        delete(NotificationRow).where(
            NotificationRow.recipient == recipient,
            NotificationRow.kind.in_(ALERT_KINDS),
            NotificationRow.status == "pending",
        )
    )
    return result.rowcount or 0
