"""Appointment reminders: the day before and two hours before, outside quiet hours."""

from __future__ import annotations

import datetime as dt

from knowledge.outbox import Notice
from knowledge.when import QuietHours, seoul, when_label

DAY_BEFORE = "reminder_day_before"
TWO_HOURS = "reminder_2h"
DAY_BEFORE_AT = dt.time(10, 0)


def reminder_ref(code: str, starts_at: dt.datetime) -> str:
    """Unique per booking and time, so a rescheduled booking gets fresh reminders."""
    return f"{code}@{seoul(starts_at):%Y%m%d%H%M}"


def reminder_times(
    starts_at: dt.datetime, now: dt.datetime, quiet: QuietHours
) -> list[tuple[str, dt.datetime]]:
    """(kind, due) pairs still worth sending: none in the past, none after the appointment."""
    starts_at, now = seoul(starts_at), seoul(now)
    planned = [
        (DAY_BEFORE, dt.datetime.combine(starts_at.date() - dt.timedelta(days=1), DAY_BEFORE_AT,
                                         starts_at.tzinfo)),
        (TWO_HOURS, starts_at - dt.timedelta(hours=2)),
    ]  # fmt: skip
    result = []
    for kind, due in planned:
        due = quiet.next_allowed(due)
        if now < due <= starts_at - dt.timedelta(minutes=30):
            result.append((kind, due))
    return result


def reminder_text(kind: str, starts_at: dt.datetime, place: str, code: str) -> str:
    when = when_label(starts_at)
    lead = "내일" if kind == DAY_BEFORE else "2시간 뒤"
    return (
        f"[이음 알림] {lead} {when}에 {place} 1:1 상담 예약이 있어요. 예약번호는 {code}입니다. "
        "못 가시게 되면 '예약 취소'라고 말씀해 주세요."
    )


def reminder_notices(
    recipient: str,
    code: str,
    starts_at: dt.datetime,
    place: str,
    now: dt.datetime,
    quiet: QuietHours,
) -> list[Notice]:
    buttons = [
        {"title": "예약 확인", "payload": "/check_appointment"},
        {"title": "예약 취소", "payload": "/cancel_appointment"},
    ]
    return [
        Notice(
            recipient=recipient,
            kind=kind,
            ref=reminder_ref(code, starts_at),
            body={"text": reminder_text(kind, starts_at, place, code), "buttons": buttons},
            due_at=due,
        )
        for kind, due in reminder_times(starts_at, now, quiet)
    ]
