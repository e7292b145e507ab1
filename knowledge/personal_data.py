"""Everything the service stores about one channel identity, erased in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge import outbox
from knowledge.models import AppointmentRow, SubscriptionRow


@dataclass(frozen=True)
class Erased:
    appointments: int
    subscriptions: int
    notifications: int


class PersonalData:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def erase(self, sender: str) -> Erased:
        """delete_my_data: bookings (any status), subscriptions, reminders and alerts."""
        async with self._sessions() as session, session.begin():
            appointments = await session.execute(
                delete(AppointmentRow).where(AppointmentRow.sender == sender)
            )
            subscriptions = await session.execute(
                delete(SubscriptionRow).where(SubscriptionRow.recipient == sender)
            )
            notifications = await outbox.erase_recipient(session, sender)
        return Erased(appointments.rowcount or 0, subscriptions.rowcount or 0, notifications)
