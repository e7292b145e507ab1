"""Suggested programs are ranked by region and situation first (issue 17 item 3, item 8):
a Seoul-only program never leads for someone elsewhere, and a service for people still at work
(전직지원) never leads for someone out of work."""

from __future__ import annotations

from typing import Any

import pytest

from knowledge.answers import ask_which_program, program_suggestions, suggestion_order
from knowledge.eligibility import Facts, evaluate, rank_programs
from knowledge.kb_files import DEFAULT_KB_DIR, KnowledgeBase, load_kb
from knowledge.schema import Program, StatusCondition
from tests.app.test_eligibility_engine import program

AGE_40 = {"kind": "age", "min": 40, "text": "만 40세 이상"}


def status(*any_of: str) -> dict[str, Any]:
    return {"kind": "employment_status", "any_of": list(any_of), "text": "상황 조건"}


SEOUL_ONLY = program("seoul_only", [AGE_40], scope="서울")  # 가능 with no question left
DAEGU_ONLY = program("daegu_only", [AGE_40, status("unemployed")], scope="대구")
OPEN = program("open", [AGE_40, {"kind": "other", "text": "소득 기준"}])
JOBSEEKERS = program("jobseekers", [AGE_40, status("unemployed"), {"kind": "other", "text": "x"}])
TRANSITION = program("transition", [AGE_40, status("retiring", "unemployed")])
AT_WORK = program("at_work", [AGE_40, status("employed", "retiring")])
ALL = [SEOUL_ONLY, DAEGU_ONLY, OPEN, JOBSEEKERS, TRANSITION, AT_WORK]


def order(facts: Facts, programs: list[Program] = ALL) -> list[str]:
    return [v.program.id for v in suggestion_order([evaluate(p, facts) for p in programs], facts)]


def test_a_program_of_another_region_is_never_suggested() -> None:
    ids = order(Facts(age=55, region="대구"))
    assert "seoul_only" not in ids
    assert ids[0] == "daegu_only"


def test_a_regional_program_follows_the_nationwide_ones_while_the_region_is_unknown() -> None:
    ids = order(Facts(age=55))
    assert ids[-2:] == ["seoul_only", "daegu_only"]  # seoul_only is 가능, yet after the rest


def test_the_users_own_region_leads() -> None:
    assert order(Facts(age=55, region="서울"))[0] == "seoul_only"


def test_for_the_unemployed_job_seeker_services_lead() -> None:
    ids = order(Facts(age=58, employment_status="unemployed"))
    assert ids[0] == "jobseekers"  # 확인 필요, yet before the 가능 transition service
    assert "at_work" not in ids


def test_for_someone_retiring_the_retiring_services_lead() -> None:
    ids = order(Facts(age=58, employment_status="retiring"))
    assert ids[0] in ("transition", "at_work")
    assert "jobseekers" not in ids


def test_the_suggestion_buttons_follow_the_order() -> None:
    facts = Facts(age=58, employment_status="unemployed", region="대구")
    (message,) = program_suggestions([evaluate(p, facts) for p in ALL], facts)
    titles = [b["title"] for b in message.buttons]
    assert titles[0] == "daegu_only 프로그램"
    assert "seoul_only 프로그램" not in titles
    assert len(titles) <= 6


# ── on the real KB ─────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb(DEFAULT_KB_DIR)


@pytest.mark.parametrize("region", ["대구", "부산", "경기", "광주"])
@pytest.mark.parametrize("employment_status", [None, "unemployed", "retiring", "employed"])
def test_real_kb_never_leads_with_another_regions_program(
    kb: KnowledgeBase, region: str, employment_status: str | None
) -> None:
    facts = Facts(age=55, employment_status=employment_status, region=region)
    ranked = suggestion_order(rank_programs(list(kb.programs.values()), facts), facts)
    assert ranked
    assert all(v.program.scope in ("전국", region) for v in ranked)


def test_real_kb_for_someone_out_of_work_job_seeker_services_lead(kb: KnowledgeBase) -> None:
    facts = Facts(age=57, employment_status="unemployed", region="대구")
    ranked = suggestion_order(rank_programs(list(kb.programs.values()), facts), facts)
    first = ranked[0].program
    statuses = [c for c in first.conditions if isinstance(c, StatusCondition)]
    assert statuses and all(c.any_of == ["unemployed"] for c in statuses)
    ids = [v.program.id for v in ranked]
    assert ids.index("outplacement_service") > 0
    for v in ranked:  # nothing that needs a job or an upcoming retirement is offered
        for c in v.program.conditions:
            if isinstance(c, StatusCondition):
                assert "unemployed" in c.any_of


def test_real_kb_region_unknown_leads_with_a_nationwide_program(kb: KnowledgeBase) -> None:
    facts = Facts(age=55)
    ranked = suggestion_order(rank_programs(list(kb.programs.values()), facts), facts)
    scopes = [v.program.scope for v in ranked]
    assert scopes[0] == "전국"
    regional = [i for i, scope in enumerate(scopes) if scope != "전국"]
    assert regional and min(regional) > max(i for i, s in enumerate(scopes) if s == "전국")


def test_real_kb_picker_leaves_out_other_regions(kb: KnowledgeBase) -> None:
    programs = list(kb.programs.values())
    elsewhere = ask_which_program(programs, "어떤 프로그램이요?", facts=Facts(region="대구"))
    seoul = ask_which_program(programs, "어떤 프로그램이요?", facts=Facts(region="서울"))
    assert "보람일자리" not in [b["title"] for b in elsewhere.buttons]
    assert "보람일자리" in [b["title"] for b in seoul.buttons]
