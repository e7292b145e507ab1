"""Korean messages for job-fair listings and alert settings."""

from __future__ import annotations

import re

from knowledge.answers import MAX_BUTTONS, Message, button
from knowledge.schema import REGIONS, Event
from knowledge.subscriptions import NATIONWIDE
from knowledge.when import clock_label, seoul, when_label

MAX_EVENTS = 5
SUGGESTED_REGIONS = ("서울", "경기", "부산", "인천", "대구")


def regions_in_text(text: str) -> list[str]:
    """Every 시·도 short name (and 전국) written in the text, in order."""
    found: list[tuple[int, str]] = []
    for name in (NATIONWIDE, *REGIONS):
        for match in re.finditer(name, text or ""):
            found.append((match.start(), name))
    return list(dict.fromkeys(name for _, name in sorted(found)))


def event_when(event: Event) -> str:
    start, end = seoul(event.starts_at), seoul(event.ends_at)
    if start.date() == end.date():
        return f"{when_label(start)}~{clock_label(end.time())}"
    return f"{when_label(start)} ~ {when_label(end)}"


def event_card(event: Event) -> dict[str, str]:
    card = {
        "title": event.title,
        "description": f"{event_when(event)} · {event.venue} · {event.organizer}",
    }
    if event.url:
        card["url"] = event.url
    return card


def job_fairs_answer(events: list[Event], where: str, span_label: str) -> list[Message]:
    parts = [f"{where} 지역" if where else "", span_label]
    scope = ", ".join(part for part in parts if part)
    scope = f"{scope}에 " if scope else ""
    if not events:
        return [
            Message(
                f"{scope}예정된 채용박람회 정보가 아직 없어요. 알림을 신청하시면 새 소식이 올라오는 대로 "
                "알려 드릴게요. 고용24(www.work24.go.kr)의 채용행사 안내에서도 찾아보실 수 있어요.",
                buttons=[
                    button("박람회 알림 받기", "subscribe_alerts"),
                    button("처음으로", "restart"),
                ],
            )
        ]
    shown = events[:MAX_EVENTS]
    messages = [Message(f"{scope}열리는 채용박람회 {len(shown)}건이에요(가까운 날짜 순).")]
    for event in shown:
        card = event_card(event)
        lines = [
            event.title,
            f"일시: {event_when(event)}",
            f"장소: {event.venue}",
            f"주최: {event.organizer}",
        ]
        if event.url:
            lines.append(f"자세히: {event.url}")
        messages.append(Message("\n".join(lines), card=card))
    messages.append(
        Message(
            "행사 내용은 주최 측 사정으로 바뀔 수 있으니 가시기 전에 안내 링크에서 꼭 확인하세요.",
            buttons=[button("박람회 알림 받기", "subscribe_alerts"), button("처음으로", "restart")],
        )
    )
    return messages


def regions_label(regions: list[str]) -> str:
    return ", ".join(regions) if regions else "없음"


def ask_alert_regions(current: list[str], known_region: str | None) -> Message:
    order = [r for r in (known_region, *SUGGESTED_REGIONS) if r]
    choices = [*list(dict.fromkeys(order))[: MAX_BUTTONS - 1], NATIONWIDE]
    now = f"지금 받고 계신 지역: {regions_label(current)}. " if current else ""
    return Message(
        f"{now}어느 지역의 채용박람회 소식을 받으시겠어요? 버튼을 누르시거나 '서울, 부산'처럼 여러 곳을 "
        "적으셔도 돼요. 밤 9시부터 아침 8시까지는 보내지 않아요.",
        buttons=[button(name, "inform", region=name) for name in choices],
    )


def subscribed(added: list[str], regions: list[str]) -> Message:
    return Message(
        f"{', '.join(added)} 지역의 채용박람회 소식을 보내 드릴게요. 지금 받고 계신 지역: {regions_label(regions)}. "
        "그만 받으시려면 언제든 '알림 그만'이라고 말씀해 주세요.",
        buttons=[
            button("다른 지역 추가", "subscribe_alerts"),
            button("알림 그만", "unsubscribe_alerts"),
            button("처음으로", "restart"),
        ],
    )


def unsubscribed(count: int) -> Message:
    if count == 0:
        text = "지금 받고 계신 박람회 알림이 없어요."
    else:
        text = "채용박람회 알림을 모두 껐어요. 보내려고 기다리던 알림도 보내지 않아요."
    return Message(
        text,
        buttons=[button("박람회 알림 받기", "subscribe_alerts"), button("처음으로", "restart")],
    )
