"""Every phrase quoted in the understanding issue (13), parsed by the trained engine.

These are the report's own examples, checked as NLU output on the served model (the held-out
sets in tests/nlu/ measure the rest and are never trained on).
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.e2e.conftest import Stack


def parse(stack: Stack, text: str) -> dict[str, Any]:
    resp = requests.post(
        f"{stack.rasa_url}/model/parse",
        params={"token": stack.rasa_token},
        json={"text": text},
        timeout=30,
    )
    assert resp.status_code == 200
    return resp.json()


def entity_values(result: dict[str, Any], name: str) -> list[Any]:
    return [e["value"] for e in result.get("entities", []) if e["entity"] == name]


@pytest.mark.parametrize(
    "text, intent, entity, value",
    [
        ("금욜에 상담 예약 돼요?", "book_appointment", "date", "금욜"),
        ("희망퇴직하고 나왔어요", "inform", "employment_status", "unemployed"),
        ("장사 접었어요", "inform", "employment_status", "unemployed"),
        ("정년이 두 달 남았어요", "inform", "employment_status", "retiring"),
        ("일 다니면서 생애경력설계 받을 수 있나요", "check_eligibility", "employment_status",
         "employed"),
        ("재취업했어요", "inform", "employment_status", "employed"),
        ("육공년생이에요", "inform", "age", 66),
        ("63년 토끼띠예요", "inform", "age", 63),
        ("오십세요", "inform", "age", 50),
        ("내배카 신청은 어떻게 해요", "ask_program_info", "program", "naeil_baeum_card"),
        ("국취제도 받을 수 있나요", "check_eligibility", "program", "national_employment_support"),
        ("실업급여 받을 수 있나요", "check_eligibility", "program", "unemployment_benefit"),
        ("희망리턴패키지 알려주세요", "ask_program_info", "program", "hope_return_package"),
    ],
)  # fmt: skip
def test_quoted_phrases(stack: Stack, text: str, intent: str, entity: str, value: Any) -> None:
    result = parse(stack, text)
    assert result["intent"]["name"] == intent, (text, result["intent"])
    assert value in entity_values(result, entity), (text, result["entities"])


@pytest.mark.parametrize(
    "text, intent",
    [
        ("알림 이제 됐어요", "unsubscribe_alerts"),
        ("더 안 보내셔도 돼요", "unsubscribe_alerts"),
        ("박람회 알림 그만 받을래요", "unsubscribe_alerts"),
        ("박람회 알림 받고 싶어요", "subscribe_alerts"),
        ("그날 못 가게 됐어요 예약 취소해 주세요", "cancel_appointment"),
        ("내 예약 언제였더라", "check_appointment"),
        ("예약 날짜 좀 미룰 수 있나요", "reschedule_appointment"),
        ("상담 예약 잡아 주세요", "book_appointment"),
        # "how do I get it" in dialect: how to apply, or whether one can (both lead to the answer)
        ("실업급여 받을라카면 우짜면 되노", "ask_program_info|check_eligibility"),
        ("국취 신청하믄 되나", "ask_program_info|check_eligibility"),
        ("국민연금은 언제부터 나와요?", "out_of_scope"),
        ("노령연금 얼마 받을 수 있어요", "out_of_scope"),
        ("주식 투자 해도 될까요", "out_of_scope"),
        ("퇴직금 세금 얼마나 떼요", "out_of_scope"),
        ("개인정보 막 수집하는 거 아니죠?", "ask_privacy"),
        ("센터에 제 이름이 넘어가요?", "ask_privacy"),
    ],
)
def test_direction_negation_dialect_and_scope(stack: Stack, text: str, intent: str) -> None:
    assert parse(stack, text)["intent"]["name"] in intent.split("|"), text
