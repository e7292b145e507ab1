"""The eligibility engine's logic on small programs built in the test."""

from __future__ import annotations

from typing import Any

import pytest

from knowledge.eligibility import Facts, evaluate, facts_needed, rank_programs
from knowledge.schema import Program


def program(pid: str, conditions: list[dict[str, Any]], scope: str = "전국") -> Program:
    return Program.model_validate(
        {
            "id": pid,
            "name": f"{pid} 프로그램",
            "operator": "테스트 기관",
            "scope": scope,
            "summary": "테스트용 프로그램 설명입니다.",
            "conditions": conditions,
            "benefits": "무료 상담",
            "how_to_apply": ["센터 방문"],
            "contact": {"phone": "1350"},
            "confirm_at": ["고용노동부 고객상담센터 1350"],
            "sources": [{"url": "https://example.com/a", "year": 2025}],
            "verified_on": "2025",
        }
    )


AGE_40_64 = {"kind": "age", "min": 40, "max": 64, "text": "만 40~64세"}
EMPLOYED = {"kind": "employment_status", "any_of": ["employed"], "text": "재직 중인 분"}
SEOUL = {"kind": "region", "any_of": ["서울"], "text": "서울 거주"}
INCOME = {"kind": "other", "text": "가구 소득 기준 충족"}


@pytest.mark.parametrize(
    "age, outcome", [(39, "불가"), (40, "가능"), (52, "가능"), (64, "가능"), (65, "불가")]
)
def test_age_bounds_are_inclusive(age: int, outcome: str) -> None:
    verdict = evaluate(program("p", [AGE_40_64]), Facts(age=age))
    assert verdict.outcome == outcome


def test_missing_facts_are_listed_in_asking_order() -> None:
    verdict = evaluate(program("p", [SEOUL, EMPLOYED, AGE_40_64]), Facts())
    assert verdict.outcome == "확인 필요"
    assert verdict.missing == ["age", "employment_status", "region"]


def test_no_questions_once_a_known_fact_rules_it_out() -> None:
    assert facts_needed(program("p", [AGE_40_64, EMPLOYED]), Facts(age=30)) == []


def test_condition_that_chat_cannot_check_means_confirmation_needed() -> None:
    verdict = evaluate(program("p", [AGE_40_64, INCOME]), Facts(age=50))
    assert verdict.outcome == "확인 필요"
    assert verdict.missing == []
    assert "1350" in verdict.unknown[0].reason


def test_each_condition_is_named_with_a_reason() -> None:
    verdict = evaluate(
        program("p", [AGE_40_64, EMPLOYED]), Facts(age=45, employment_status="unemployed")
    )
    assert verdict.outcome == "불가"
    assert [r.status for r in verdict.results] == ["met", "unmet"]
    assert "만 45세" in verdict.results[0].reason
    assert "재직 중인 분" in verdict.results[1].reason


def test_gwangju_and_jeonnam_count_as_one_region() -> None:
    gj = program("p", [{"kind": "region", "any_of": ["전남"], "text": "전남 거주"}])
    assert evaluate(gj, Facts(region="광주")).outcome == "가능"


def test_uncertain_condition_keeps_its_research_note_in_the_kb() -> None:
    cond = {**AGE_40_64, "text": "만 40~64세 (나이 상한은 확인 필요)", "uncertain": True}
    verdict = evaluate(program("p", [cond]), Facts(age=50))
    assert verdict.outcome == "가능"
    assert verdict.results[0].uncertain
    assert verdict.results[0].reason == "만 50세로 '만 40~64세' 조건에 맞아요."


def test_ranking_puts_possible_first_and_drops_impossible() -> None:
    programs = [
        program("seoul_only", [AGE_40_64, SEOUL], scope="서울"),
        program("open", [AGE_40_64]),
        program("young", [{"kind": "age", "max": 39, "text": "만 39세 이하"}]),
    ]
    ranked = rank_programs(programs, Facts(age=50))
    assert [v.program.id for v in ranked] == ["open", "seoul_only"]
    assert [v.outcome for v in ranked] == ["가능", "확인 필요"]
