"""Money, durations and household sizes typed in Korean; implausible values kept apart; linear time."""

from __future__ import annotations

import time

import pytest

from nlu.korean.amounts import (
    MAX_INPUT,
    parse_assets,
    parse_duration,
    parse_household,
    parse_money,
    parse_monthly_income,
)


@pytest.mark.parametrize(
    "text, won",
    [
        ("월 400", 4_000_000),
        ("사백만 원", 4_000_000),
        ("350만원쯤", 3_500_000),
        ("200만원", 2_000_000),
        ("월 200이요", 2_000_000),
        ("소득이 200 정도예요", 2_000_000),
        ("이백오십만", 2_500_000),
        ("삼백만 원 정도요", 3_000_000),
        ("월급이 한 350 됐어요", 3_500_000),
        ("2,500,000원", 2_500_000),
        ("3만 5천원", 35_000),
        ("소득 없어요", 0),
        ("0원", 0),
        ("연봉 4천", 3_333_333),
    ],
)
def test_monthly_income(text: str, won: int) -> None:
    reading = parse_monthly_income(text)
    assert reading.ok and reading.value == won


@pytest.mark.parametrize(
    "text, won",
    [
        ("1억 2천", 120_000_000),
        ("1억 2천만 원", 120_000_000),
        ("3억5천", 350_000_000),
        ("1.5억", 150_000_000),
        ("5천", 50_000_000),
        ("전세 보증금 2억이요", 200_000_000),
    ],
)
def test_assets(text: str, won: int) -> None:
    reading = parse_assets(text)
    assert reading.ok and reading.value == won


@pytest.mark.parametrize("text", ["10억", "월 100억 벌어요"])
def test_implausible_monthly_income_is_kept_apart(text: str) -> None:
    reading = parse_monthly_income(text)
    assert reading.status == "implausible" and reading.value is not None


@pytest.mark.parametrize("text", ["백수예요", "잘 모르겠어요", "만약에요", "", "ㅋㅋ"])
def test_words_that_only_look_like_numbers_are_unreadable(text: str) -> None:
    assert parse_money(text).status == "unreadable"


@pytest.mark.parametrize(
    "text, months",
    [
        ("8년", 96),
        ("3년 반", 42),
        ("15개월", 15),
        ("일 년 반", 18),
        ("1년 6개월", 18),
        ("반년", 6),
        ("두 달", 2),
        ("열두 달", 12),
        ("십 년", 120),
        ("이십년 넘게 다녔어요", 240),
        ("1~3년", 12),
        ("1년 미만", 11),
        ("3년 안 됐어요", 35),
        ("10년 이상", 120),
        ("8년 다녔는데 실업급여 안 돼요?", 96),
    ],
)
def test_duration(text: str, months: int) -> None:
    reading = parse_duration(text)
    assert reading.ok and reading.value == months


def test_bare_figures_need_a_unit_from_the_question() -> None:
    assert parse_duration("8").status == "unreadable"
    assert parse_duration("8", bare="years").value == 96
    assert parse_duration("15", bare="months").value == 15


def test_a_date_is_not_a_duration() -> None:
    assert parse_duration("2026년에 그만뒀어요").status != "ok"


def test_implausible_duration() -> None:
    reading = parse_duration("50년")
    assert reading.status == "implausible" and reading.value == 600


@pytest.mark.parametrize(
    "text, people",
    [
        ("혼자 살아요", 1),
        ("저 혼자예요", 1),
        ("우리 식구 넷", 4),
        ("부부 둘이", 2),
        ("남편이랑 둘이서 살아요", 2),
        ("부부만 살아요", 2),
        ("4인 가구", 4),
        ("사인 가구", 4),
        ("네 식구", 4),
        ("식구가 다섯이에요", 5),
        ("아내랑 아이 둘", 4),
        ("부부와 자녀 2명", 4),
        ("셋이요", 3),
        ("5명 이상", 5),
        ("3", 3),
    ],
)
def test_household(text: str, people: int) -> None:
    reading = parse_household(text)
    assert reading.ok and reading.value == people


def test_household_of_zero_is_implausible_and_an_age_is_not_a_household() -> None:
    assert parse_household("가구원 0명").status == "implausible"
    assert parse_household("62세예요").status == "unreadable"


CRAFTED = [
    "1" * 4096,
    "일" * 4096,
    "1억 " * 1024,
    "만" * 4096,
    " " * 4095 + "년",
    "1," * 2048,
    "식구" + "가" * 4092,
    ("부부 " * 800) + "아이",
    "9.9.9." * 682,
    "이십" * 2048,
]


@pytest.mark.parametrize("text", CRAFTED)
@pytest.mark.parametrize("parse", [parse_money, parse_duration, parse_household, parse_assets])
def test_crafted_long_input_finishes_fast(text: str, parse) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for _ in range(5):
        parse(text)
    assert (time.perf_counter() - start) / 5 < 0.05


def test_input_is_cut_before_matching() -> None:
    assert parse_money("월 " + " " * MAX_INPUT + "400").status == "unreadable"
