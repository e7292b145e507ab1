"""Dates and times in words, resolved in Asia/Seoul against an injected clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from nlu.korean.dates import parse_date, parse_time, said_weekday

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Seoul"))  # Monday


@pytest.mark.parametrize(
    "said, iso",
    [
        ("내일", "2026-11-24"),
        ("모레", "2026-11-25"),
        ("오늘 오후", "2026-11-23"),
        ("다음주 화요일", "2026-12-01"),
        ("담주 금요일", "2026-12-04"),
        ("다다음주 월요일", "2026-12-07"),
        ("이번주 수요일", "2026-11-25"),
        ("화요일", "2026-11-24"),
        ("12월 3일", "2026-12-03"),
        ("십이월 삼일", "2026-12-03"),
        ("1월 5일", "2027-01-05"),
        ("30일", "2026-11-30"),
        ("이번 달", "2026-11-01/2026-11-30"),
        ("다음달", "2026-12-01/2026-12-31"),
        ("이번주", "2026-11-23/2026-11-29"),
        ("3월", "2027-03-01/2027-03-31"),
    ],
)
def test_dates(said: str, iso: str) -> None:
    span = parse_date(said, NOW)
    assert span is not None and span.iso() == iso


@pytest.mark.parametrize("said", ["내일센터", "국민내일배움카드", "안녕하세요", "", "2월 30일"])
def test_not_dates(said: str) -> None:
    assert parse_date(said, NOW) is None


@pytest.mark.parametrize(
    "said, hhmm",
    [
        ("오후 세 시", "15:00"),
        ("오후 2시", "14:00"),
        ("10시 반", "10:30"),
        ("오전 10시 30분", "10:30"),
        ("14:30", "14:30"),
        ("아침 9시", "09:00"),
        ("세시", "15:00"),
        ("열한시", "11:00"),
        ("정오", "12:00"),
    ],
)
def test_times(said: str, hhmm: str) -> None:
    parsed = parse_time(said)
    assert parsed is not None and parsed.strftime("%H:%M") == hhmm


@pytest.mark.parametrize("said", ["다음주", "25시", "오후", ""])
def test_not_times(said: str) -> None:
    assert parse_time(said) is None


@pytest.mark.parametrize(
    "said, iso",
    [
        ("금욜", "2026-11-27"),
        ("담주 화욜", "2026-12-01"),
        ("이번주 목욜", "2026-11-26"),
        ("다담주 월욜", "2026-12-07"),
        ("낼", "2026-11-24"),
        ("낼모레", "2026-11-25"),
        ("내일모레요", "2026-11-25"),
        ("담달", "2026-12-01/2026-12-31"),
        ("일욜", "2026-11-29"),
        ("12월 11일 금요일", "2026-12-11"),  # the explicit date wins over the weekday
        ("12월 11일 목요일", "2026-12-11"),  # even when they disagree (the dialogue asks)
        ("11일 금욜", "2026-12-11"),
        ("12월 11일요", "2026-12-11"),
        ("25일이요", "2026-11-25"),
    ],
)
def test_colloquial_dates(said: str, iso: str) -> None:
    span = parse_date(said, NOW)
    assert span is not None and span.iso() == iso


@pytest.mark.parametrize(
    "said, weekday",
    [("12월 11일 금요일", 4), ("담주 화욜", 1), ("12월 11일", None), ("내일", None), ("일욜", 6)],
)
def test_said_weekday(said: str, weekday: int | None) -> None:
    assert said_weekday(said) == weekday
