"""ask_job_fairs and alert subscriptions as actions, with a real Tracker and domain."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.deps import ActionDeps
from actions.job_fairs import (
    ActionAskAlertRegions,
    ActionListJobFairs,
    ActionStartAlerts,
    ActionSubscribeAlerts,
    ActionUnsubscribeAlerts,
    ValidateAlertsForm,
)
from knowledge.event_answers import regions_in_text
from knowledge.events import parse_event
from tests.app.conftest import FIXED_NOW
from tests.app.test_booking_actions import (
    DOMAIN,
    SENDER,
    all_text,
    events_by_slot,
    payloads,
    run,
    tracker,
)

FAIR = {
    "title": "2026 부산 중장년 채용박람회", "starts_at": "2026-11-26T10:00:00+09:00",
    "ends_at": "2026-11-26T16:00:00+09:00", "venue": "벡스코 제1전시장", "region": "부산",
    "organizer": "부산광역시", "url": "https://example.com/busan-fair",
}  # fmt: skip


def test_regions_in_text() -> None:
    assert regions_in_text("서울이랑 부산 알림 받을래요") == ["서울", "부산"]
    assert regions_in_text("전국 다 알려 주세요") == ["전국"]
    assert regions_in_text("그냥요") == []


async def test_listing_by_region_and_dates(deps: ActionDeps) -> None:
    _, dispatcher = await run(
        ActionListJobFairs(deps), tracker("채용박람회 있어요?", "ask_job_fairs")
    )
    assert "아직 없어요" in all_text(dispatcher) and "/subscribe_alerts" in payloads(dispatcher)
    await deps.events.publish(parse_event(FAIR), FIXED_NOW)
    await deps.events.publish(parse_event(FAIR | {"title": "서울 박람회", "region": "서울", "venue": "DDP",
                                                  "starts_at": "2026-12-10T10:00:00+09:00",
                                                  "ends_at": "2026-12-10T17:00:00+09:00"}), FIXED_NOW)  # fmt: skip
    _, dispatcher = await run(
        ActionListJobFairs(deps),
        tracker(
            "부산 박람회 있어요?", "ask_job_fairs", entities=[{"entity": "region", "value": "부산"}]
        ),
    )
    text = all_text(dispatcher)
    assert "2026 부산 중장년 채용박람회" in text and "서울 박람회" not in text
    assert "11월 26일(목) 오전 10시~오후 4시" in text and "벡스코" in text
    card = next(m["custom"]["card"] for m in dispatcher.messages if m.get("custom"))
    assert card["url"] == "https://example.com/busan-fair"
    _, dispatcher = await run(
        ActionListJobFairs(deps),
        tracker(
            "다음 달 박람회", "ask_job_fairs", entities=[{"entity": "date", "value": "다음 달"}]
        ),
    )
    text = all_text(dispatcher)
    assert "서울 박람회" in text and "부산" not in text.split("\n")[1]


async def test_subscribe_then_unsubscribe(deps: ActionDeps) -> None:
    events, _ = await run(
        ActionStartAlerts(deps), tracker("박람회 알림 받을래요", "subscribe_alerts")
    )
    assert events_by_slot(events) == {"alert_regions": None}
    _, dispatcher = await run(
        ActionAskAlertRegions(deps), tracker(slots={"region": "경기"}, loop="alerts_form")
    )
    assert (
        payloads(dispatcher)[0] == '/inform{"region":"경기"}'
        and payloads(dispatcher)[-1] == '/inform{"region":"전국"}'
    )
    form = ValidateAlertsForm(deps)
    dispatcher = CollectingDispatcher()
    got = await form.validate_alert_regions(
        ["서울이랑 부산요"], dispatcher, tracker("서울이랑 부산요"), DOMAIN
    )
    assert got == {"alert_regions": ["서울", "부산"]}
    bad = await form.validate_alert_regions(["글쎄요"], dispatcher, tracker("글쎄요"), DOMAIN)
    assert (
        bad == {"alert_regions": None}
        and dispatcher.messages[-1]["response"] == "utter_bad_alert_regions"
    )
    _, dispatcher = await run(
        ActionSubscribeAlerts(deps), tracker(slots={"alert_regions": ["서울", "부산"]})
    )
    assert "지금 받고 계신 지역: 서울, 부산" in all_text(dispatcher)
    assert await deps.subscriptions.regions(SENDER) == ["서울", "부산"]
    published = await deps.events.publish(parse_event(FAIR), FIXED_NOW)
    assert published.queued == 1
    _, dispatcher = await run(
        ActionUnsubscribeAlerts(deps), tracker("알림 그만", "unsubscribe_alerts")
    )
    assert "모두 껐어요" in all_text(dispatcher)
    assert await deps.subscriptions.regions(SENDER) == []
    _, dispatcher = await run(
        ActionUnsubscribeAlerts(deps), tracker("알림 그만", "unsubscribe_alerts")
    )
    assert "받고 계신 박람회 알림이 없어요" in all_text(dispatcher)


async def test_regions_from_a_district_entity(deps: ActionDeps) -> None:
    t = tracker(
        "수원 쪽 박람회 알림",
        "subscribe_alerts",
        entities=[{"entity": "district", "value": "수원시"}],
    )
    events, _ = await run(ActionStartAlerts(deps), t)
    assert events_by_slot(events) == {"alert_regions": ["경기"]}
