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


_COLLOQUIAL = (
    ("낼모레", "모레"),
    ("내일모레", "모레"),
    ("낼", "내일"),
    ("이번쭈", "이번주"),
    ("담담주", "다다음주"),
    ("다담주", "다다음주"),
    ("담주", "다음주"),
    ("차주", "다음주"),
    ("금주", "이번주"),
    ("담달", "다음달"),
)
_WEEKDAY_SHORT = re.compile(r"([월화수목금토일])욜")  # 금욜 → 금요일
_WEEKDAY = re.compile(r"([월화수목금토일])요일?")
_MONTH_DAY = re.compile(
    r"(\d{1,2}|[일이삼사오육칠팔구십]{1,3})월(\d{1,2}|[일이삼사오육칠팔구십]{1,3})일"
)
_ONLY_DAY = re.compile(r"(?<![\d월])(\d{1,2})일")


def standard_date_words(text: str) -> str:
    """Colloquial date words in their standard form, spaces removed: '담주 금욜' → '다음주금요일'."""
    t = re.sub(r"\s+", "", str(text))
    for short, standard in _COLLOQUIAL:
        if short in t:
            t = t.replace(short, standard)
    return _WEEKDAY_SHORT.sub(r"\1요일", t)


def said_weekday(text: str) -> int | None:
    """The weekday named in a phrase (0 = Monday), if any: to check it against an explicit date."""
    match = _WEEKDAY.search(standard_date_words(text))
    if not match or not re.search(r"[월화수목금토일]요일", standard_date_words(text)):
        return None
    return WEEKDAYS[match.group(1)]


def _explicit_day(t: str, today: dt.date) -> dt.date | bool | None:
    """'12월 11일' or '11일': the date, False when said but impossible, None when not said."""
    month_day = _MONTH_DAY.search(t)
    if month_day:
        month, day_n = _sino_or_digits(month_day.group(1)), _sino_or_digits(month_day.group(2))
        if not (month and day_n and 1 <= month <= 12):
            return False
        try:
            day = dt.date(today.year, month, day_n)
            if day < today - dt.timedelta(days=30):
                day = dt.date(today.year + 1, month, day_n)  # "1월 5일" said in November
        except ValueError:
            return False
        return day
    only_day = _ONLY_DAY.search(t)
    if only_day:
        day_n = int(only_day.group(1))
        year, month = today.year, today.month
        if day_n < today.day:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        try:
            return dt.date(year, month, day_n)
        except ValueError:
            return False
    return None


def explicit_day_said(text: str) -> bool:
    """True when the phrase names a day of the month ("12월 11일", "11일"), which beats a weekday."""
    t = standard_date_words(text)
    return bool(_MONTH_DAY.search(t) or _ONLY_DAY.search(t))


def parse_date(text: str, now: dt.datetime) -> DateSpan | None:
    """The date or date range a phrase means, relative to `now` (Asia/Seoul).

    An explicit date ("12월 11일") wins over a weekday said with it ("금요일"); callers compare
    `said_weekday` with the result to ask when the two disagree."""
    if not text:
        return None
    t = standard_date_words(text)
    today = now.date()
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if iso:  # button payloads carry ISO dates
        try:
            day = dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            return None
        return DateSpan(day, day)
    explicit = _explicit_day(t, today)
    if explicit is False:
        return None
    if isinstance(explicit, dt.date):
        return DateSpan(explicit, explicit)
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
    if "다다음주" in t:
        week_offset = 2
    elif "다음주" in t:
        week_offset = 1
    elif "이번주" in t:
        week_offset = 0
    weekday = _WEEKDAY.search(t)
    if weekday and (week_offset is not None or re.search(r"[월화수목금토일]요일", t)):
        target_week = _week_span(today + dt.timedelta(weeks=week_offset or 0)).start
        day = target_week + dt.timedelta(days=WEEKDAYS[weekday.group(1)])
        if week_offset is None and day < today:
            day += dt.timedelta(weeks=1)  # "화요일" alone means the coming one
        return DateSpan(day, day)
    if week_offset is not None:
        return _week_span(today + dt.timedelta(weeks=week_offset))

    if re.search(r"이번달|이달|금월", t):
        return _month_span(today.year, today.month)
    if re.search(r"다음달|내달", t):
        year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
        return _month_span(year, month)
    only_month = re.search(r"(?<!\d)(\d{1,2}|[일이삼사오육칠팔구십]{1,3})월(?!요)", t)
    if only_month:
        month = _sino_or_digits(only_month.group(1))
        if month and 1 <= month <= 12:
            year = today.year + (month < today.month)
            return _month_span(year, month)
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


__all__ = [
    "DateSpan",
    "explicit_day_said",
    "parse_date",
    "parse_time",
    "said_weekday",
    "standard_date_words",
]
