"""`kb load` upserts idempotently and actions read back the same facts (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from knowledge.catalog_store import Catalog, load_into_db
from knowledge.db import make_sessionmaker
from knowledge.kb_files import DEFAULT_KB_DIR, load_kb
from knowledge.models import CenterRow, ProgramAliasRow, ProgramRow


async def counts(engine: AsyncEngine) -> tuple[int, int, int]:
    async with make_sessionmaker(engine)() as session:
        programs = await session.scalar(select(func.count()).select_from(ProgramRow))
        aliases = await session.scalar(select(func.count()).select_from(ProgramAliasRow))
        centers = await session.scalar(select(func.count()).select_from(CenterRow))
    return programs or 0, aliases or 0, centers or 0


async def test_load_twice_gives_the_same_catalog(db_engine: AsyncEngine) -> None:
    kb = load_kb(DEFAULT_KB_DIR)
    sessions = make_sessionmaker(db_engine)
    first = await load_into_db(sessions, kb)
    after_first = await counts(db_engine)
    second = await load_into_db(sessions, kb)
    assert await counts(db_engine) == after_first
    assert first.programs == second.programs == len(kb.programs)
    assert second.removed == 0

    catalog = Catalog(sessions)
    program = await catalog.program("lifecycle_career_design")
    assert program == kb.programs["lifecycle_career_design"]
    assert (await catalog.program_by_alias("생애 경력 설계 서비스")) is not None or (
        await catalog.program_by_alias(kb.programs["lifecycle_career_design"].name)
    ) is not None
    assert len(await catalog.centers()) == len(kb.centers)


async def test_entries_removed_from_yaml_leave_the_database(db_engine: AsyncEngine) -> None:
    kb = load_kb(DEFAULT_KB_DIR)
    sessions = make_sessionmaker(db_engine)
    await load_into_db(sessions, kb)
    removed_id = next(iter(kb.centers))
    del kb.centers[removed_id]
    report = await load_into_db(sessions, kb)
    assert report.removed == 1
    assert removed_id not in {c.id for c in await Catalog(sessions).centers()}


async def test_a_running_catalog_sees_a_reload_at_once(db_engine: AsyncEngine) -> None:
    """The catalog keeps validated entries between calls, but a `kb load` shows immediately."""
    kb = load_kb(DEFAULT_KB_DIR)
    sessions = make_sessionmaker(db_engine)
    await load_into_db(sessions, kb)
    catalog = Catalog(sessions)
    center_id = next(iter(kb.centers))
    before = await catalog.center(center_id)
    assert before is not None and await catalog.center(center_id) is before  # served from memory
    kb.centers[center_id] = before.model_copy(update={"phone": "02-000-0000"})
    await load_into_db(sessions, kb)
    after = await catalog.center(center_id)
    assert after is not None and after.phone == "02-000-0000"
    del kb.centers[center_id]
    await load_into_db(sessions, kb)
    assert await catalog.center(center_id) is None


async def test_migrations_from_several_replicas_at_once() -> None:
    """App replicas starting together on a new PostgreSQL database each migrate: none fails."""
    import asyncio
    import os
    import sys
    import uuid

    import pytest
    from sqlalchemy import text

    from knowledge.db import make_engine, normalize_url

    url = os.environ.get("IEUM_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("IEUM_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped")
    admin = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"ieum_mig_{uuid.uuid4().hex[:10]}"
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    target = f"{normalize_url(url).rsplit('/', 1)[0]}/{name}"
    engine = make_engine(target)
    env = {**os.environ, "IEUM_DATABASE_URL": target}
    try:
        replicas = [
            await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", "db", "upgrade", env=env,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
            )
            for _ in range(4)
        ]  # fmt: skip
        outputs = [(await proc.communicate())[0].decode() for proc in replicas]
        assert [proc.returncode for proc in replicas] == [0, 0, 0, 0], outputs
        async with engine.connect() as conn:
            version = await conn.scalar(text("SELECT version_num FROM alembic_version"))
        from alembic.script import ScriptDirectory

        from knowledge.migrate import alembic_config

        assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()
    finally:
        await engine.dispose()
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()
