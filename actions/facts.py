"""Turning slots and the latest message into the facts the knowledge layer understands."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.deps import ActionDeps
from knowledge.eligibility import Facts
from knowledge.places import find_place
from knowledge.schema import Program
from knowledge.text import alias_key
from nlu.korean.numbers import parse_age
from nlu.korean.vocab import parse_employment_status


def age_from(value: Any, deps: ActionDeps) -> int | None:
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if 15 <= value <= 100 else None
    return parse_age(str(value), deps.today())


def region_from(value: Any, deps: ActionDeps) -> str | None:
    if not value:
        return None
    text = str(value)
    direct = deps.districts.region_for(text)
    if direct:
        return direct
    place = find_place(text, deps.districts)
    return place.region


def facts_from(tracker: Tracker, deps: ActionDeps) -> Facts:
    region = region_from(tracker.get_slot("region"), deps)
    if region is None and tracker.get_slot("district"):
        district = deps.districts.find(str(tracker.get_slot("district")))
        region = district.region if district else None
    status = tracker.get_slot("employment_status")
    return Facts(
        age=age_from(tracker.get_slot("age"), deps),
        employment_status=parse_employment_status(str(status)) if status else None,
        region=region,
    )


def latest_entity(tracker: Tracker, entity: str) -> str | None:
    values = list(tracker.get_latest_entity_values(entity))
    return str(values[0]) if values else None


def program_in_text(text: str, programs: list[Program]) -> Program | None:
    """The program whose name or alias appears in the text (longest alias wins)."""
    key = alias_key(text or "")
    if not key:
        return None
    best: tuple[int, Program] | None = None
    for program in programs:
        for alias in [program.name, *program.aliases, program.id]:
            alias_k = alias_key(alias)
            if len(alias_k) >= 2 and alias_k in key and (best is None or len(alias_k) > best[0]):
                best = (len(alias_k), program)
    return best[1] if best else None


async def resolve_program(value: Any, text: str, deps: ActionDeps) -> Program | None:
    """A program from an entity value (id or alias) or, failing that, from the words typed."""
    programs = await deps.catalog.programs()
    by_id = {p.id: p for p in programs}
    if value:
        value = str(value)
        if value in by_id:
            return by_id[value]
        found = program_in_text(value, programs)
        if found:
            return found
    return program_in_text(text, programs)
