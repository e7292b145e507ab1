"""Ages and employment status as people type them (shared by engine and actions)."""

from __future__ import annotations

import datetime as dt

import pytest

from nlu.korean.numbers import parse_age
from nlu.korean.vocab import parse_employment_status

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    "text, age",
    [
        ("53", 53),
        ("53세", 53),
        ("만 52세예요", 52),
        ("52살", 52),
        ("쉰셋", 53),
        ("쉰셋인데 관악구 살아요", 53),
        ("쉰 셋이요", 53),
        ("오십삼", 53),
        ("오십삼 세", 53),
        ("육십 둘", 62),
        ("예순하나", 61),
        ("마흔다섯", 45),
        ("서른아홉", 39),
        ("72년생", 54),
        ("1972년생이에요", 54),
        ("66년생", 60),
        ("1985년 생", 41),
        ("45세 재직자인데", 45),
        ("육공년생", 66),
        ("육공년생이에요", 66),
        ("칠이년생", 54),
        ("육십삼년생", 63),
        ("천구백육십년생", 66),
        ("63년 토끼띠", 63),
        ("58년 개띠예요", 68),
        ("74년생 범띠", 52),
        ("68년 원숭이띠", 58),
        ("오십세", 50),
        ("오십 세요", 50),
        ("예순세", 60),
        ("쉰세 살", 53),
        ("쉰네 살이요", 54),
        ("오십두 살", 52),
        ("쉰다섯 세", 55),
        ("육십세", 60),
    ],
)
def test_ages(text: str, age: int) -> None:
    assert parse_age(text, TODAY) == age


@pytest.mark.parametrize(
    "text",
    [
        "",
        "네",
        "1350",
        "50대 초반",
        "내일 오후 3시",
        "세 시",
        "안녕하세요",
        "200살",
        "다음주 화요일 10시",
    ],
)
def test_not_ages(text: str) -> None:
    assert parse_age(text, TODAY) is None


@pytest.mark.parametrize(
    "text, status",
    [
        ("재직 중입니다", "employed"),
        ("재직중", "employed"),
        ("회사 다니고 있어요", "employed"),
        ("직장인이에요", "employed"),
        ("곧 퇴직해요", "retiring"),
        ("퇴직 예정자입니다", "retiring"),
        ("내년에 정년 앞두고 있어요", "retiring"),
        ("작년에 퇴직했어요", "unemployed"),
        ("실직 상태", "unemployed"),
        ("구직중이에요", "unemployed"),
        ("쉬는 중이에요", "unemployed"),
        ("가게 폐업했어요", "unemployed"),
        ("경력단절 여성입니다", "unemployed"),
        ("employed", "employed"),
        ("희망퇴직하고 나왔어요", "unemployed"),
        ("장사 접었어요", "unemployed"),
        ("가게 문 닫았어요", "unemployed"),
        ("식당 하다가 접었어요", "unemployed"),
        ("회사가 문을 닫았어요", "unemployed"),
        ("권고사직 당했어요", "unemployed"),
        ("정년이 두 달 남았어요", "retiring"),
        ("석 달 뒤에 퇴직해요", "retiring"),
        ("6개월 있으면 정년이에요", "retiring"),
        ("이직하려고 제 발로 나왔어요", "unemployed"),
        ("일 그만둔 지 오래됐어요", "unemployed"),
        ("요즘 집에서 쉬고 있어요", "unemployed"),
        ("작년에 일자리를 잃었어요", "unemployed"),
        ("퇴직 후 재취업하고 싶어요", "unemployed"),
        ("실업급여 받다가 재취업했어요", "employed"),
        ("퇴직이 석 달 남았습니다", "retiring"),
        ("내년에 퇴직해요", "retiring"),
        ("연말에 정년퇴직합니다", "retiring"),
        ("퇴직할 예정이에요", "retiring"),
        ("곧 그만둘 것 같아요", "retiring"),
        ("일 다니면서 알아보는 중이에요", "employed"),
        ("재취업했어요", "employed"),
        ("다시 취직했어요", "employed"),
        ("아직 회사 다녀요", "employed"),
        ("직장 다니고 있는데요", "employed"),
    ],
)
def test_employment_status(text: str, status: str) -> None:
    assert parse_employment_status(text) == status


@pytest.mark.parametrize(
    "text",
    ["", "네", "관악구요", "쉰셋", "실업급여 받을 수 있나요", "구직급여 얼마 나와요", "퇴직금 세금 얼마나 떼요",
     "구직촉진수당은 얼마예요", "퇴직연금 깨도 되나요", "실업인정 어떻게 받아요"],
)  # fmt: skip
def test_no_employment_status(text: str) -> None:
    assert parse_employment_status(text) is None
