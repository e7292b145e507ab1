"""Schema migrations (Alembic) so an upgrade never loses data."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _upgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _revision(connection: Connection, message: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.revision(config, message=message, autogenerate=True)


MIGRATION_LOCK = 7_424_001  # PostgreSQL advisory lock id: one migrating process at a time


async def upgrade_database(engine: AsyncEngine, revision: str = "head") -> None:
    """Brings the database to `revision`; safe to run on every start, from several processes
    at once (app replicas starting together wait for each other on PostgreSQL)."""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK}
            )
        await connection.run_sync(_upgrade, revision)


async def autogenerate_revision(engine: AsyncEngine, message: str) -> None:
    """Developer helper: writes a new migration from the models' difference to the database."""
    async with engine.begin() as connection:
        await connection.run_sync(_revision, message)
