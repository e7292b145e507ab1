"""Erases a user's conversation history from the engine's tracker store (delete_my_data).

Runs after the engine has saved the turn that asked for it: deleting earlier would make the
engine write the whole in-memory history back when it saves.
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.privacy import mask_id
from knowledge.db import make_engine

logger = logging.getLogger(__name__)


class ConversationEraser:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @classmethod
    def for_url(cls, url: str) -> ConversationEraser:
        return cls(make_engine(url))

    async def erase(self, sender: str) -> int:
        """Deletes every stored event of `sender`; 0 when the store has none (or no table yet)."""
        try:
            async with self._engine.begin() as conn:
                result = await conn.execute(
                    text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender}
                )
        except SQLAlchemyError:
            logger.exception("could not erase the conversation of %s", mask_id(sender))
            return 0
        return result.rowcount or 0

    async def dispose(self) -> None:
        await self._engine.dispose()
