"""Alembic environment: runs on a connection handed in by `knowledge.migrate` (async engines)."""

from __future__ import annotations

from alembic import context

import knowledge.models  # noqa: F401  (registers the tables)
from knowledge.db import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("use `ieum db upgrade` (knowledge.migrate) to run migrations")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
