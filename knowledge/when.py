"""Dates and times written the way Korean users say them, and quiet hours for notifications."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")
WEEKDAY_KO = "월화수목금토일"


def seoul(value: dt.datetime) -> dt.datetime:
    """Every stored time is Seoul wall time (SQLite keeps no offset), so convert before writing."""
    if value.tzinfo is None:
        return value.replace(tzinfo=SEOUL)
    return value.astimezone(SEOUL)


def day_label(day: dt.date) -> str:
    """'11월 24일(화)'."""
    return f"{day.month}월 {day.day}일({WEEKDAY_KO[day.weekday()]})"


def clock_label(time: dt.time) -> str:
    """'오전 9시', '오후 2시 30분', '낮 12시'."""
    if time.hour == 12:
        head = "낮 12시"
    elif time.hour < 12:
        head = f"오전 {time.hour or 12}시"
    else:
        head = f"오후 {time.hour - 12}시"
    return f"{head} {time.minute}분" if time.minute else head


def when_label(value: dt.datetime) -> str:
    """'11월 24일(화) 오후 2시'."""
    local = seoul(value)
    return f"{day_label(local.date())} {clock_label(local.time())}"


@dataclass(frozen=True)
class QuietHours:
    """No notification is delivered from `start` o'clock to `end` o'clock (KST); None disables."""

    start: int | None = 21
    end: int | None = 8

    @classmethod
    def parse(cls, text: str) -> QuietHours:
        """'21-8' → 21:00–08:00; '' → disabled. Raises ValueError with a Korean message."""
        text = (text or "").strip()
        if not text:
            return cls(None, None)
        try:
            start_s, end_s = text.split("-")
            start, end = int(start_s), int(end_s)
        except ValueError:
            raise ValueError(f"IEUM_QUIET_HOURS는 '21-8' 형식이어야 합니다: {text!r}") from None
        if not (0 <= start <= 23 and 0 <= end <= 23) or start == end:
            raise ValueError(
                f"IEUM_QUIET_HOURS의 시각은 0~23 사이의 서로 다른 값이어야 합니다: {text!r}"
            )
        return cls(start, end)

    @property
    def enabled(self) -> bool:
        return self.start is not None and self.end is not None

    def is_quiet(self, when: dt.datetime) -> bool:
        if not self.enabled:
            return False
        assert self.start is not None and self.end is not None
        hour = seoul(when).hour
        if self.start > self.end:  # spans midnight
            return hour >= self.start or hour < self.end
        return self.start <= hour < self.end

    def next_allowed(self, when: dt.datetime) -> dt.datetime:
        """`when` itself, or the end of the quiet period it falls in."""
        local = seoul(when)
        if not self.is_quiet(local):
            return local
        assert self.end is not None
        morning = local.replace(hour=self.end, minute=0, second=0, microsecond=0)
        if morning <= local:
            morning += dt.timedelta(days=1)
        return morning
