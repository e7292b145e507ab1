"""Dates and times said in Korean, resolved in Asia/Seoul relative to an injectable "now".

"내일", "모레", "다음주 화요일", "12월 3일", "이번 달", "오후 세 시", "10시 반" → a date, a
(start, end) date range for months and weeks, or a clock time. Pure standard library,
Python 3.10-compatible (shared by the engine and the app).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from nlu.korean.numbers import _SINO_DIGITS

WEEKDAYS = {"월": 0, "화": 1, "수": 2, "목": 3, "금": 4, "토": 5, "일": 6}
_NATIVE_HOURS = {"한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8,
                 "아홉": 9, "열": 10, "열한": 11, "열두": 12}  # fmt: skip


@dataclass(frozen=True)
class DateSpan:
    """A day (start == end) or a range such as a week or a month."""

    start: dt.date
    end: dt.date

    @property
    def is_day(self) -> bool:
        return self.start == self.end

    def iso(self) -> str:
        return (
            self.start.isoformat()
            if self.is_day
            else f"{self.start.isoformat()}/{self.end.isoformat()}"
        )


def _month_span(year: int, month: int) -> DateSpan:
    start = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return DateSpan(start, nxt - dt.timedelta(days=1))


def _week_span(day: dt.date) -> DateSpan:
    monday = day - dt.timedelta(days=day.weekday())
    return DateSpan(monday, monday + dt.timedelta(days=6))


def _sino_or_digits(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    total = 0
    if "십" in text:
        tens, _, ones = text.partition("십")
        total = (_SINO_DIGITS.get(tens, 0) if tens else 1) * 10
        text = ones
    if text:
        if text not in _SINO_DIGITS:
            return None
        total += _SINO_DIGITS[text]
    return total or None


def parse_date(text: str, now: dt.datetime) -> DateSpan | None:
    """The date or date range a phrase means, relative to `now` (Asia/Seoul)."""
    if not text:
        return None
    t = re.sub(r"\s+", "", str(text))
    today = now.date()
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if iso:  # button payloads carry ISO dates
        try:
            day = dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            return None
        return DateSpan(day, day)
    if "오늘" in t:
        return DateSpan(today, today)
    if "내일" in t and "내일센터" not in t and "내일배움" not in t and "내일이음" not in t:
        day = today + dt.timedelta(days=1)
        return DateSpan(day, day)
    if "모레" in t:
        day = today + dt.timedelta(days=2)
        return DateSpan(day, day)
    if "글피" in t:
        day = today + dt.timedelta(days=3)
        return DateSpan(day, day)

    week_offset = None
    if re.search(r"다다음\s*주", t):
        week_offset = 2
    elif re.search(r"다음\s*주|담주|차주|다음주", t):
        week_offset = 1
    elif re.search(r"이번\s*주|금주|이번주", t):
        week_offset = 0
    weekday = re.search(r"([월화수목금토일])요일?", t)
    if weekday and (week_offset is not None or re.search(r"[월화수목금토일]요일", t)):
        target_week = _week_span(today + dt.timedelta(weeks=week_offset or 0)).start
        day = target_week + dt.timedelta(days=WEEKDAYS[weekday.group(1)])
        if week_offset is None and day < today:
            day += dt.timedelta(weeks=1)  # "화요일" alone means the coming one
        return DateSpan(day, day)
    if week_offset is not None:
        return _week_span(today + dt.timedelta(weeks=week_offset))

    month_day = re.search(
        r"(\d{1,2}|[일이삼사오육칠팔구십]{1,3})월(\d{1,2}|[일이삼사오육칠팔구십]{1,3})일", t
    )
    if month_day:
        month, day_n = _sino_or_digits(month_day.group(1)), _sino_or_digits(month_day.group(2))
        if month and day_n and 1 <= month <= 12:
            year = today.year
            try:
                day = dt.date(year, month, day_n)
                if day < today - dt.timedelta(days=30):
                    day = dt.date(year + 1, month, day_n)  # "1월 5일" said in November
            except ValueError:
                return None
            return DateSpan(day, day)
    if re.search(r"이번\s*달|이달|금월|이번달", t):
        return _month_span(today.year, today.month)
    if re.search(r"다음\s*달|담달|다음달|내달", t):
        year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
        return _month_span(year, month)
    only_month = re.search(r"(?<!\d)(\d{1,2}|[일이삼사오육칠팔구십]{1,3})월(?!요)", t)
    if only_month:
        month = _sino_or_digits(only_month.group(1))
        if month and 1 <= month <= 12:
            year = today.year + (month < today.month)
            return _month_span(year, month)
    only_day = re.search(r"(?<![\d월])(\d{1,2})일", t)
    if only_day:
        day_n = int(only_day.group(1))
        year, month = today.year, today.month
        if day_n < today.day:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        try:
            day = dt.date(year, month, day_n)
        except ValueError:
            return None
        return DateSpan(day, day)
    return None


def parse_time(text: str) -> dt.time | None:
    """A clock time: "오후 세 시" → 15:00, "10시 반" → 10:30, "14:30". Office hours assumed."""
    if not text:
        return None
    t = re.sub(r"\s+", "", str(text))
    colon = re.search(r"(\d{1,2}):(\d{2})", t)
    hour: int | None = None
    minute = 0
    if colon:
        hour, minute = int(colon.group(1)), int(colon.group(2))
    else:
        match = re.search(r"(\d{1,2}|열한|열두|다섯|여섯|일곱|여덟|아홉|한|두|세|네|열)시", t)
        if not match:
            if "정오" in t:
                return dt.time(12, 0)
            return None
        word = match.group(1)
        hour = int(word) if word.isdigit() else _NATIVE_HOURS.get(word)
        rest = t[match.end() :]
        if rest.startswith("반"):
            minute = 30
        else:
            mins = re.match(r"(\d{1,2})분", rest)
            if mins:
                minute = int(mins.group(1))
    if hour is None or not 0 <= hour <= 23 or not 0 <= minute <= 59:
        return None
    if re.search(r"오후|저녁|밤", t) and hour < 12:
        hour += 12
    elif not re.search(r"오전|아침|새벽", t) and 1 <= hour <= 6:
        hour += 12  # "세 시" for a counseling slot means 3 p.m.
    return dt.time(hour, minute)


__all__ = ["DateSpan", "parse_date", "parse_time"]
