"""Benefit checks inside the eligibility form: 구직급여, 국민취업지원제도, 조기재취업수당.

These programs are decided by computed rules (knowledge/benefits.py) rather than the generic
age/status/region conditions, so the form asks the facts `BenefitVerdict.missing` names and the
answer carries days and amounts as estimates (knowledge/benefit_answers.py).
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker

from actions.benefit_questions import (
    BENEFIT_PROGRAM_IDS,
    BENEFIT_SLOTS,
    QUESTIONS,
    SEPARATIONS,
    SKIPPED_SLOT,
    slot_value,
)
from actions.deps import ActionDeps
from actions.facts import facts_from
from knowledge.answers import Message
from knowledge.benefit_answers import early_answer, nes_answer, overview_answer, unemployment_answer
from knowledge.benefits import (
    EARLY,
    NES,
    UNEMPLOYMENT,
    BenefitFacts,
    BenefitVerdict,
    early_reemployment,
    nes_type_1,
    nes_type_2,
    overview,
    unemployment_benefit,
)

BENEFIT_PROGRAMS = BENEFIT_PROGRAM_IDS
assert frozenset({UNEMPLOYMENT, NES, EARLY}) == BENEFIT_PROGRAMS
# Facts the form can ask: the benefit questions plus the generic ones the form already asks.
ASKABLE = frozenset({*BENEFIT_SLOTS, "age", "employment_status"})


def fact_value(slot: str, value: Any) -> Any:
    """A slot as the rules need it. Before validation a slot may still hold the words typed
    ("8년"): those are read the same way validation reads them, or left unknown."""
    if isinstance(value, bool) or (slot == "separation" and value in SEPARATIONS):
        return value
    if isinstance(value, int | float):
        return int(value)
    reading = QUESTIONS[slot].read(str(value))
    return slot_value(slot, reading) if reading.ok else None


def benefit_facts_from(tracker: Tracker, deps: ActionDeps) -> BenefitFacts:
    base = facts_from(tracker, deps)
    values: dict[str, Any] = {}
    for slot in BENEFIT_SLOTS:
        value = tracker.get_slot(slot)
        if value is not None:
            values[slot] = fact_value(slot, value)
    skipped = frozenset(s for s in (tracker.get_slot(SKIPPED_SLOT) or []) if s in ASKABLE)
    return BenefitFacts(
        age=base.age,
        employment_status=base.employment_status,
        region=base.region,
        skipped=skipped,  # type: ignore[arg-type]
        **values,
    )


async def verdicts(program_id: str, facts: BenefitFacts, deps: ActionDeps) -> list[BenefitVerdict]:
    tables = await deps.catalog.reference_tables()
    today = deps.today()
    if program_id == UNEMPLOYMENT:
        return [unemployment_benefit(facts, tables, today)]
    if program_id == EARLY:
        return [early_reemployment(facts, tables, today)]
    return [nes_type_1(facts, tables, today), nes_type_2(facts, tables, today)]


async def missing_facts(program_id: str, tracker: Tracker, deps: ActionDeps) -> list[str]:
    """What to ask next, in the order that decides the verdict fastest; never a skipped fact."""
    facts = benefit_facts_from(tracker, deps)
    found = await verdicts(program_id, facts, deps)
    if program_id == NES and found[0].outcome == "불가":
        found = found[1:]  # Ⅰ유형 is out: only what Ⅱ유형 still needs
    missing: list[str] = []
    for verdict in found[:1]:
        missing += [f for f in verdict.missing if f in ASKABLE and f not in facts.skipped]
    return missing


async def form_slots(program_id: str, tracker: Tracker, deps: ActionDeps) -> list[str]:
    """The form's required slots: facts already known (rasa-sdk validates only listed slots, so a
    fact read from the message must stay listed) followed by what to ask next, in order."""
    known = [slot for slot in sorted(ASKABLE) if tracker.get_slot(slot) is not None]
    return known + [f for f in await missing_facts(program_id, tracker, deps) if f not in known]


async def benefit_answer(program_id: str, tracker: Tracker, deps: ActionDeps) -> list[Message]:
    facts = benefit_facts_from(tracker, deps)
    found = await verdicts(program_id, facts, deps)
    if program_id == UNEMPLOYMENT:
        return unemployment_answer(found[0], facts)
    if program_id == EARLY:
        return early_answer(found[0])
    return nes_answer(found[0], found[1])


def verdict_label(found: list[BenefitVerdict]) -> str:
    """The outcome recorded for the operator console (best of the types for 국취)."""
    order = {"가능": 0, "확인 필요": 1, "불가": 2}
    return min((v.outcome for v in found), key=lambda o: order[o])


_EVERYTHING = re.compile(
    r"(?:전부|다|모두|몽땅|싹|빠짐없이)[^.?!\n]{0,12}(?:받을\s{0,2}수|해당|알려|정리)"
    r"|(?:받을\s{0,2}수\s{0,2}있는|해당되는)\s{0,2}(?:거|것|게|지원)[^.?!\n]{0,6}(?:전부|다|모두)"
)


def asks_for_everything(text: str) -> bool:
    """'제가 받을 수 있는 거 전부 알려 주세요', '해당되는 지원 다 정리해 주세요'."""
    return bool(_EVERYTHING.search((text or "")[:300]))


async def profile_overview(tracker: Tracker, deps: ActionDeps) -> list[Message]:
    """ "제가 받을 수 있는 거 전부": every program and benefit with its verdict, best first."""
    facts = benefit_facts_from(tracker, deps)
    tables = await deps.catalog.reference_tables()
    items = overview(facts, tables, await deps.catalog.programs(), deps.today())
    dates = [item.benefit.as_of if item.benefit else item.program.verified_on for item in items]
    return overview_answer(items, max(dates, default=""))
