"""Publishing job fairs: validation, matching, one alert per subscriber, never twice."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from knowledge.db import make_sessionmaker
from knowledge.events import EVENT, EVENT_REMINDER, EventDesk, EventInputError, parse_event
from knowledge.outbox import Outbox
from knowledge.subscriptions import Subscriptions
from knowledge.when import SEOUL, QuietHours

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SEOUL)
FAIR = {
    "title": "2026 서울 중장년 일자리박람회",
    "starts_at": "2026-12-03T10:00:00+09:00",
    "ends_at": "2026-12-03T17:00:00+09:00",
    "venue": "서울 동대문디자인플라자(DDP)",
    "region": "서울",
    "organizer": "서울시50플러스재단",
    "url": "https://www.50plus.or.kr",
}


@pytest.mark.parametrize(
    "change, field",
    [({"title": None}, "title"), ({"starts_at": "내일"}, "starts_at"),
     ({"starts_at": "2026-12-03T10:00:00"}, "starts_at"), ({"ends_at": "2026-12-02T10:00:00+09:00"}, "ends_at"),
     ({"region": "서울시"}, "region"), ({"venue": ""}, "venue"), ({"organizer": 5}, "organizer"),
     ({"url": "javascript:alert(1)"}, "url"), ({"surprise": 1}, "surprise"), ({"title": "가" * 400}, "title")],
)  # fmt: skip
def test_bad_events_name_the_field(change: dict, field: str) -> None:
    body = {k: v for k, v in (FAIR | change).items() if v is not None}
    with pytest.raises(EventInputError) as error:
        parse_event(body)
    assert error.value.field == field
    assert error.value.message and not error.value.message.startswith("Value error")


def test_same_event_gets_the_same_id() -> None:
    assert parse_event(FAIR).id == parse_event(dict(FAIR)).id
    assert parse_event(FAIR).id != parse_event(FAIR | {"venue": "코엑스"}).id


async def test_publish_reaches_matching_subscribers_once(db_engine: AsyncEngine) -> None:
    sessions = make_sessionmaker(db_engine)
    subs = Subscriptions(sessions)
    await subs.add("telegram:1", ["서울"], NOW)
    await subs.add("telegram:2", ["부산", "서울"], NOW)  # two matching regions, one alert
    await subs.add("web:3", ["전국"], NOW)
    await subs.add("telegram:4", ["부산"], NOW)  # not Seoul: nothing
    desk = EventDesk(sessions, QuietHours(21, 8))
    first = await desk.publish(parse_event(FAIR), NOW)
    assert first.created and first.queued == 3 and first.reminders == 3
    again = await desk.publish(parse_event(FAIR | {"description": "고친 설명"}), NOW)
    assert again.id == first.id and not again.created and again.queued == 0 and again.reminders == 0
    box = Outbox(sessions)
    alerts = {n.recipient: n for n in await box.for_recipient("telegram:2")}
    assert alerts["telegram:2"].kind in (EVENT, EVENT_REMINDER)
    assert await box.for_recipient("telegram:4") == []
    kinds = sorted((n.kind, n.due_at) for n in await box.for_recipient("web:3"))
    assert kinds == [(EVENT, NOW), (EVENT_REMINDER, dt.datetime(2026, 12, 2, 10, 0, tzinfo=SEOUL))]
    web = await box.pickup("web:3", NOW)
    assert (
        "2026 서울 중장년 일자리박람회" in web[0].body["text"]
        and "https://www.50plus.or.kr" in web[0].body["text"]
    )


async def test_gwangju_and_jeonnam_hear_each_other(db_engine: AsyncEngine) -> None:
    sessions = make_sessionmaker(db_engine)
    await Subscriptions(sessions).add("telegram:5", ["광주"], NOW)
    published = await EventDesk(sessions).publish(
        parse_event(FAIR | {"region": "전남", "venue": "목포"}), NOW
    )
    assert published.queued == 1


async def test_subscribe_is_idempotent_and_unsubscribe_stops_pending_alerts(
    db_engine: AsyncEngine,
) -> None:
    sessions = make_sessionmaker(db_engine)
    subs = Subscriptions(sessions)
    assert await subs.add("web:u", ["서울", "서울", "경기", "없는곳"], NOW) == ["서울", "경기"]
    assert await subs.add("web:u", ["전국"], NOW) == ["전국", "서울", "경기"]
    await EventDesk(sessions).publish(parse_event(FAIR), NOW)
    assert await subs.remove_all("web:u") == 3
    assert await subs.regions("web:u") == []
    assert await Outbox(sessions).pickup("web:u", NOW + dt.timedelta(days=30)) == []


async def test_upcoming_filters_region_and_dates(db_engine: AsyncEngine) -> None:
    sessions = make_sessionmaker(db_engine)
    desk = EventDesk(sessions)
    await desk.publish(parse_event(FAIR), NOW)
    await desk.publish(parse_event(FAIR | {"title": "부산 박람회", "region": "부산", "venue": "벡스코",
                                          "starts_at": "2026-11-27T10:00:00+09:00",
                                          "ends_at": "2026-11-27T16:00:00+09:00"}), NOW)  # fmt: skip
    await desk.publish(parse_event(FAIR | {"title": "지난 박람회", "starts_at": "2026-11-01T10:00:00+09:00",
                                          "ends_at": "2026-11-01T16:00:00+09:00"}), NOW)  # fmt: skip
    assert [e.title for e in await desk.upcoming(NOW, None)] == [
        "부산 박람회",
        "2026 서울 중장년 일자리박람회",
    ]
    assert [e.title for e in await desk.upcoming(NOW, ["서울"])] == [
        "2026 서울 중장년 일자리박람회"
    ]
    week = await desk.upcoming(NOW, None, dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    assert [e.title for e in week] == ["부산 박람회"]


async def test_hundred_thousand_subscribers_in_one_transaction(db_engine: AsyncEngine) -> None:
    """Scale is measured by `make bench-alerts`; here 5,000 checks the set-based path is whole."""
    sessions = make_sessionmaker(db_engine)
    from knowledge.models import SubscriptionRow

    async with sessions() as session, session.begin():
        session.add_all(
            SubscriptionRow(recipient=f"telegram:{i}", region="서울" if i % 2 else "전국", channel="telegram",
                            created_at=NOW)
            for i in range(5000)
        )  # fmt: skip
    published = await EventDesk(sessions).publish(parse_event(FAIR), NOW)
    assert published.queued == 5000
    counts = await Outbox(sessions).status_counts()
    assert counts == {"pending": 10000}
