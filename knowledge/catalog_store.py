"""The catalog in the database: idempotent upsert from the KB files, and reads for answers.

`ieum kb load` writes here; actions read here, so a YAML edit plus a reload changes answers
without retraining the model.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.districts import DistrictIndex
from knowledge.kb_files import DEFAULT_KB_DIR, KbInvalid, KbProblem, KnowledgeBase, read_reference
from knowledge.models import CenterRow, CenterServesRow, EventRow, ProgramAliasRow, ProgramRow
from knowledge.reference import ReferenceTables
from knowledge.schema import Center, Event, Program
from knowledge.text import alias_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadReport:
    programs: int
    centers: int
    events: int
    removed: int


def _center_point(
    center: Center, districts: DistrictIndex | None
) -> tuple[float | None, float | None]:
    if districts is None:
        return None, None
    if center.district:
        district = districts.find(center.district, center.region)
        if district is not None:
            return district.lat, district.lon
    region = districts.regions.get(center.region)
    return (region.lat, region.lon) if region else (None, None)


def _served_codes(center: Center, districts: DistrictIndex | None) -> set[str]:
    if districts is None:
        return set()
    region = center.region if center.region != "전국" else None
    codes = set()
    for name in [*([center.district] if center.district else []), *center.serves]:
        district = districts.find(name, region)
        if district is not None:
            codes.add(district.code)
    return codes


async def _delete_missing(
    session: AsyncSession,
    table: type[Any],
    key: Any,
    keep: list[str],
    child_key: Any = None,
    where: Any = True,
) -> int:
    """Deletes rows (and their child rows) whose ids are no longer in the KB files."""
    stale = list(await session.scalars(select(key).where(key.not_in(keep), where)))
    if stale:
        if child_key is not None:
            await session.execute(delete(child_key.class_).where(child_key.in_(stale)))
        await session.execute(delete(table).where(key.in_(stale)))
    return len(stale)


async def load_into_db(sessions: async_sessionmaker[AsyncSession], kb: KnowledgeBase) -> LoadReport:
    """Upserts every KB entry and removes KB rows that left the files — all in one transaction."""
    now = dt.datetime.now(dt.UTC)
    removed = 0
    async with sessions() as session, session.begin():
        removed += await _delete_missing(
            session, ProgramRow, ProgramRow.id, list(kb.programs), ProgramAliasRow.program_id
        )
        await session.execute(delete(ProgramAliasRow))
        for program in kb.programs.values():
            await session.merge(
                ProgramRow(
                    id=program.id,
                    name=program.name,
                    scope=program.scope,
                    verified_on=program.verified_on,
                    doc=program.model_dump(mode="json"),
                    updated_at=now,
                )
            )
        await session.flush()  # aliases refer to program rows
        seen_aliases: set[str] = set()
        for program in kb.programs.values():
            for alias in [program.name, *program.aliases]:
                key = alias_key(alias)
                if key and key not in seen_aliases:
                    seen_aliases.add(key)
                    session.add(ProgramAliasRow(alias=key, program_id=program.id))

        removed += await _delete_missing(
            session, CenterRow, CenterRow.id, list(kb.centers), CenterServesRow.center_id
        )
        await session.execute(delete(CenterServesRow))
        for center in kb.centers.values():
            lat, lon = _center_point(center, kb.districts)
            await session.merge(
                CenterRow(
                    id=center.id,
                    kind=center.kind,
                    name=center.name,
                    region=center.region,
                    district=center.district,
                    lat=lat,
                    lon=lon,
                    doc=center.model_dump(mode="json"),
                    updated_at=now,
                )
            )
        await session.flush()  # served districts refer to center rows
        for center in kb.centers.values():
            for code in sorted(_served_codes(center, kb.districts)):
                session.add(CenterServesRow(center_id=center.id, district_code=code))

        removed += await _delete_missing(
            session, EventRow, EventRow.id, list(kb.events), where=EventRow.origin == "kb"
        )
        for event in kb.events.values():
            await session.merge(event_row(event, "kb", now))
    return LoadReport(len(kb.programs), len(kb.centers), len(kb.events), removed)


def event_row(event: Event, origin: str, now: dt.datetime) -> EventRow:
    """The row for a KB or operator event; the validated entry rides along as JSON."""
    return EventRow(
        id=event.id,
        title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        region=event.region,
        district=event.district,
        origin=origin,
        doc=event.model_dump(mode="json"),
        description=event.description,
        updated_at=now,
    )


def _read_reference_file(kb_dir: Path) -> tuple[ReferenceTables | None, list[KbProblem]]:
    problems: list[KbProblem] = []
    return read_reference(kb_dir, problems), problems


class Catalog:
    """Read side used by actions: typed KB entries straight from the database.

    The 기준표 (`reference_tables.yaml`) has no table of its own: it is read from the KB folder
    into memory together with each new catalog version, i.e. again after every `ieum kb load`
    (which validates it first), so an edited table shows after the same reload as a program.
    """

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], kb_dir: Path | None = None
    ) -> None:
        self._sessions = sessions
        self._kb_dir = kb_dir or DEFAULT_KB_DIR
        self._snapshot: tuple[tuple[Any, ...], list[Program], dict[str, Center]] | None = None
        self._reference: tuple[tuple[Any, ...], ReferenceTables] | None = None

    async def reference_tables(self) -> ReferenceTables:
        """The 기준표 as of the last `ieum kb load`; a broken file keeps the previous tables."""
        await self._current()
        assert self._snapshot is not None
        version = self._snapshot[0]
        if self._reference is not None and self._reference[0] == version:
            return self._reference[1]
        tables, problems = await asyncio.to_thread(_read_reference_file, self._kb_dir)
        if tables is None:
            if self._reference is not None:
                log.error("기준표를 다시 읽지 못해 이전 기준표를 씁니다: %s", problems[:3])
                return self._reference[1]
            raise KbInvalid(problems)
        self._reference = (version, tables)
        return tables

    async def _current(self) -> tuple[list[Program], dict[str, Center]]:
        """Programs and centers, re-read and re-validated only after `ieum kb load` changed them.

        One small query per call compares row counts and the newest update time, so a reload
        still shows at once; the profile showed re-reading everything on every action call.
        """
        async with self._sessions() as session:
            programs_version = (
                await session.execute(
                    select(func.count(ProgramRow.id), func.max(ProgramRow.updated_at))
                )
            ).one()
            centers_version = (
                await session.execute(
                    select(func.count(CenterRow.id), func.max(CenterRow.updated_at))
                )
            ).one()
            version = (*programs_version, *centers_version)
            if self._snapshot is not None and self._snapshot[0] == version:
                return self._snapshot[1], self._snapshot[2]
            program_rows = await session.scalars(select(ProgramRow).order_by(ProgramRow.id))
            programs = [Program.model_validate(row.doc) for row in program_rows]
            center_rows = await session.scalars(select(CenterRow).order_by(CenterRow.id))
            centers = {row.id: Center.model_validate(row.doc) for row in center_rows}
        self._snapshot = (version, programs, centers)
        return programs, centers

    async def programs(self) -> list[Program]:
        return list((await self._current())[0])

    async def program(self, program_id: str) -> Program | None:
        return next((p for p in (await self._current())[0] if p.id == program_id), None)

    async def program_by_alias(self, text: str) -> Program | None:
        async with self._sessions() as session:
            row = await session.get(ProgramAliasRow, alias_key(text))
            if row is None:
                return None
            program = await session.get(ProgramRow, row.program_id)
            return Program.model_validate(program.doc) if program else None

    async def centers(self) -> list[Center]:
        return list((await self._current())[1].values())

    async def center(self, center_id: str) -> Center | None:
        return (await self._current())[1].get(center_id)

    async def events_between(self, start: dt.datetime, end: dt.datetime) -> list[Event]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(EventRow)
                .where(EventRow.ends_at >= start, EventRow.starts_at <= end)
                .order_by(EventRow.starts_at)
            )
            return [Event.model_validate(row.doc) for row in rows]
