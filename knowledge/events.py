"""Job fairs: operators publish events; matching subscribers are queued in the same transaction.

Publishing the same event again (same title, start, venue and region) updates it and queues
nobody twice: the outbox is unique per (recipient, kind, ref).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import JSON, DateTime, Integer, String, cast, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.catalog_store import event_row
from knowledge.districts import MERGED_REGIONS
from knowledge.josa import attach
from knowledge.models import EventRow, NotificationRow, SubscriptionRow
from knowledge.schema import REGIONS, Event
from knowledge.subscriptions import NATIONWIDE
from knowledge.when import QuietHours, day_label, seoul, when_label

EVENT = "event"
EVENT_REMINDER = "event_reminder"
REMINDER_AT = dt.time(10, 0)
PUBLISH_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "venue",
    "region",
    "district",
    "organizer",
    "url",
    "description",
)


class EventInputError(ValueError):
    """Names the first bad field, for `400 {"error", "field"}` and the CLI."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def event_id_for(title: str, starts_at: dt.datetime, venue: str, region: str) -> str:
    key = f"{title.strip()}|{seoul(starts_at).isoformat()}|{venue.strip()}|{region}"
    return "evt_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


_KOREAN_FIELD_PROBLEMS = {
    "missing": "값이 필요합니다",
    "string_type": "글자여야 합니다",
    "datetime_from_date_parsing": "ISO 8601 날짜·시각이어야 합니다 (예: 2026-12-03T10:00:00+09:00)",
    "datetime_parsing": "ISO 8601 날짜·시각이어야 합니다 (예: 2026-12-03T10:00:00+09:00)",
    "datetime_type": "ISO 8601 날짜·시각이어야 합니다 (예: 2026-12-03T10:00:00+09:00)",
    "string_too_short": "비어 있으면 안 됩니다",
    "string_too_long": "너무 깁니다",
    "extra_forbidden": "알 수 없는 필드입니다",
}


def parse_event(body: Any) -> Event:
    """Validates an operator's event (DESIGN's fields) into a KB `Event`, or raises EventInputError."""
    if not isinstance(body, dict):
        raise EventInputError("body", "요청 본문은 JSON 객체여야 합니다")
    unknown = sorted(set(body) - set(PUBLISH_FIELDS))
    if unknown:
        raise EventInputError(unknown[0], "알 수 없는 필드입니다")
    for name in ("title", "venue", "organizer"):
        value = body.get(name)
        if isinstance(value, str) and len(value) > 300:
            raise EventInputError(name, "300자 이하여야 합니다")
    if isinstance(body.get("description"), str) and len(body["description"]) > 2000:
        raise EventInputError("description", "2000자 이하여야 합니다")
    url = body.get("url")
    if url is not None and (
        not isinstance(url, str) or not url.startswith(("http://", "https://"))
    ):
        raise EventInputError("url", "http:// 또는 https://로 시작하는 주소여야 합니다")
    draft = {name: body[name] for name in PUBLISH_FIELDS if body.get(name) is not None}
    try:
        title, starts, venue, region = (
            str(draft.get(k, "")) for k in ("title", "starts_at", "venue", "region")
        )
        provisional_id = event_id_for(title, dt.datetime.fromisoformat(starts), venue, region)
    except (ValueError, TypeError):
        provisional_id = "evt_new"
    try:
        event = Event.model_validate({"id": provisional_id, **draft})
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "body"
        message = _KOREAN_FIELD_PROBLEMS.get(error["type"])
        if message is None:
            message = str(error.get("msg", "올바르지 않습니다")).removeprefix("Value error, ")
            if field == "region":
                message = "전국 또는 시·도 짧은 이름(서울, 부산, 경기 …)이어야 합니다"
            elif "offset" in message:
                message = "시간대가 있어야 합니다 (예: 2026-12-03T10:00:00+09:00)"
            elif "before" in message:
                field, message = "ends_at", "starts_at보다 늦어야 합니다"
        raise EventInputError(field, message) from None
    return event


def alert_body(event: Event) -> dict[str, Any]:
    lines = [f"[이음 알림] 채용박람회 소식이에요: {event.title}", f"· 언제: {when_label(event.starts_at)}",
             f"· 어디서: {event.venue}", f"· 주최: {event.organizer}"]  # fmt: skip
    if event.url:
        lines.append(f"· 자세히: {event.url}")
    lines.append("알림을 그만 받으시려면 '알림 그만'이라고 말씀해 주세요.")
    return {
        "text": "\n".join(lines),
        "buttons": [{"title": "알림 그만", "payload": "/unsubscribe_alerts"}],
    }


def reminder_body(event: Event) -> dict[str, Any]:
    text = (
        f"[이음 알림] 내일({day_label(seoul(event.starts_at).date())}) {attach(event.title, '이')} 열려요. "
        f"{when_label(event.starts_at)}, {event.venue}."
    )
    return {"text": text, "buttons": [{"title": "알림 그만", "payload": "/unsubscribe_alerts"}]}


def matching_regions(region: str) -> list[str]:
    """Subscribers of these regions hear about an event in `region` (전국 hears everything)."""
    if region == NATIONWIDE:
        return [NATIONWIDE, *REGIONS]
    group = sorted(MERGED_REGIONS) if region in MERGED_REGIONS else [region]
    return [NATIONWIDE, *group]


@dataclass(frozen=True)
class Published:
    id: str
    queued: int
    reminders: int
    created: bool


async def _fan_out(
    session: AsyncSession,
    event: Event,
    kind: str,
    body: dict[str, Any],
    due: dt.datetime,
    now: dt.datetime,
) -> int:
    """INSERT … SELECT from matching subscriptions, skipping anyone already queued for it."""
    dialect = session.bind.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    body_json = json.dumps(body, ensure_ascii=False)
    body_value = (
        cast(literal(body_json, String), JSON)
        if dialect == "postgresql"
        else literal(body_json, String)
    )
    matching = (
        select(SubscriptionRow.recipient, SubscriptionRow.channel)
        .where(SubscriptionRow.region.in_(matching_regions(event.region)))
        .distinct()
        .subquery()
    )
    rows = select(
        matching.c.recipient,
        matching.c.channel,
        literal(kind, String),
        literal(event.id, String),
        body_value,
        literal(seoul(due), DateTime(timezone=True)),
        literal("pending", String),
        literal(0, Integer),
        literal(seoul(now), DateTime(timezone=True)),
    ).where(literal(True))  # SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT
    table = NotificationRow.__table__
    stmt = (
        insert(table)
        .from_select(
            [
                "recipient",
                "channel",
                "kind",
                "ref",
                "body",
                "due_at",
                "status",
                "attempts",
                "created_at",
            ],
            rows,
        )
        .on_conflict_do_nothing(index_elements=["recipient", "kind", "ref"])
        .returning(table.c.id)
    )
    result = await session.execute(stmt)
    return len(result.all())


class EventDesk:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], quiet: QuietHours | None = None
    ) -> None:
        self._sessions = sessions
        self._quiet = quiet if quiet is not None else QuietHours()

    async def publish(self, event: Event, now: dt.datetime) -> Published:
        """Saves the event and queues one alert per matching subscriber, all or nothing."""
        async with self._sessions() as session, session.begin():
            existing = await session.get(EventRow, event.id)
            await session.merge(event_row(event, "admin", now))
            queued = 0
            if seoul(event.ends_at) > seoul(now):
                queued = await _fan_out(session, event, EVENT, alert_body(event), now, now)
            reminders = 0
            remind_at = self._quiet.next_allowed(
                dt.datetime.combine(
                    seoul(event.starts_at).date() - dt.timedelta(days=1),
                    REMINDER_AT,
                    seoul(now).tzinfo,
                )
            )
            if remind_at > seoul(now):
                reminders = await _fan_out(
                    session, event, EVENT_REMINDER, reminder_body(event), remind_at, now
                )
        return Published(event.id, queued, reminders, created=existing is None)

    async def upcoming(
        self,
        now: dt.datetime,
        regions: list[str] | None,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> list[Event]:
        """Events not yet over, soonest first, optionally in regions and between two dates."""
        async with self._sessions() as session:
            query = (
                select(EventRow).where(EventRow.ends_at >= seoul(now)).order_by(EventRow.starts_at)
            )
            if regions:
                wanted = {r for region in regions for r in matching_regions(region)}
                query = query.where(EventRow.region.in_(wanted))
            rows = list(await session.scalars(query))
        events = [Event.model_validate(row.doc) for row in rows]
        if start is not None:
            events = [e for e in events if seoul(e.ends_at).date() >= start]
        if end is not None:
            events = [e for e in events if seoul(e.starts_at).date() <= end]
        return events
