"""Korean answers built from KB entries: short bubbles, verdict first, 기준일 always.

Plain functions returning channel-neutral messages (text, buttons, card); actions only send
them. Tested without Rasa.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from knowledge.center_search import CenterSearch
from knowledge.districts import District
from knowledge.eligibility import Facts, Verdict
from knowledge.schema import EMPLOYMENT_STATUS_KO, Center, Program

MAX_BUTTONS = 6
HOTLINE = "고용노동부 고객상담센터 1350"


@dataclass
class Message:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    card: dict[str, str] | None = None


def intent_payload(intent: str, **entities: str) -> str:
    """A button payload Rasa parses as intent + entities: /ask_program_info{"program":"x"}."""
    if not entities:
        return f"/{intent}"
    return f"/{intent}" + json.dumps(entities, ensure_ascii=False, separators=(",", ":"))


def button(title: str, intent: str, **entities: str) -> dict[str, str]:
    return {"title": title, "payload": intent_payload(intent, **entities)}


def as_of_line(program: Program) -> str:
    where = ", ".join(program.confirm_at[:2])
    return f"기준일 {program.verified_on} · 금액과 요건은 해마다 바뀌니 {where}에서 최신 공고를 꼭 확인하세요."


def _caution(program: Program) -> str:
    if program.uncertain:
        return " " + (program.caution or "일부 내용은 자료가 엇갈려 확인이 필요합니다.")
    return ""


def describe_facts(facts: Facts) -> str:
    parts = []
    if facts.age is not None:
        parts.append(f"만 {facts.age}세")
    if facts.employment_status:
        parts.append(EMPLOYMENT_STATUS_KO.get(facts.employment_status, facts.employment_status))
    if facts.region:
        parts.append(f"{facts.region} 거주")
    return ", ".join(parts)


# ── program information ─────────────────────────────────────────────────────

ASPECT_TITLES = {
    "대상": "신청 대상",
    "내용": "지원 내용",
    "신청방법": "신청 방법",
    "기간": "기간·일정",
    "비용": "비용·수당",
    "연락처": "연락처",
    "위치": "신청 장소",
    "운영시간": "운영 시간",
}


def _aspect_text(program: Program, aspect: str) -> str:
    if aspect == "대상":
        if not program.conditions:
            return "자료에 따로 정해진 대상 조건이 없습니다."
        return " / ".join(
            c.text + (" (확인 필요)" if c.uncertain else "") for c in program.conditions
        )
    if aspect == "내용":
        return program.benefits
    if aspect == "신청방법":
        return " / ".join(program.how_to_apply[:3])
    if aspect == "기간":
        return program.duration or "기간·일정은 자료에서 확인하지 못했습니다. 확인이 필요합니다."
    if aspect == "비용":
        return program.cost or "비용·수당 정보는 자료에서 확인하지 못했습니다. 확인이 필요합니다."
    if aspect in ("연락처", "위치", "운영시간"):
        contact = program.contact
        parts = []
        if contact.phone:
            parts.append(f"전화 {contact.phone}")
        if contact.web:
            parts.append(contact.web)
        if contact.note:
            parts.append(contact.note)
        if aspect != "연락처":
            parts.append("가까운 센터의 위치와 운영시간은 '센터 찾기'로 알려 드릴게요")
        return " · ".join(parts) or f"따로 확인된 연락처가 없어 {HOTLINE}로 안내해 드립니다."
    return program.summary


def program_info(program: Program, aspect: str | None) -> list[Message]:
    follow_up = [
        button("받을 수 있는지 확인", "check_eligibility", program=program.id),
        button("신청 방법", "ask_program_info", program=program.id, aspect="신청방법"),
        button("비용·수당", "ask_program_info", program=program.id, aspect="비용"),
        button("가까운 센터 찾기", "find_center"),
    ]
    if aspect and aspect in ASPECT_TITLES:
        body = f"[{program.name}] {ASPECT_TITLES[aspect]}: {_aspect_text(program, aspect)}"
        follow_up = [b for b in follow_up if f'"{aspect}"' not in b["payload"]]
    else:
        body = f"[{program.name}] {program.summary}"
        follow_up = [
            button("받을 수 있는지 확인", "check_eligibility", program=program.id),
            button("신청 대상", "ask_program_info", program=program.id, aspect="대상"),
            button("신청 방법", "ask_program_info", program=program.id, aspect="신청방법"),
            button("비용·수당", "ask_program_info", program=program.id, aspect="비용"),
            button("연락처", "ask_program_info", program=program.id, aspect="연락처"),
        ]
    return [
        Message(_shorten(body + _caution(program), 300)),
        Message(as_of_line(program), buttons=follow_up[:MAX_BUTTONS]),
    ]


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def ask_which_program(programs: list[Program], prompt: str, intent: str = "inform") -> Message:
    popular = [p for p in programs if p.id in POPULAR_PROGRAMS]
    popular.sort(key=lambda p: POPULAR_PROGRAMS.index(p.id))
    return Message(
        prompt, buttons=[button(p.name, intent, program=p.id) for p in popular[:MAX_BUTTONS]]
    )


POPULAR_PROGRAMS = [
    "lifecycle_career_design",
    "national_employment_support",
    "naeil_baeum_card",
    "career_support_program",
    "polytech_middle_aged_course",
    "seoul_boram_jobs",
]


# ── eligibility ─────────────────────────────────────────────────────────────

_MARK = {"met": "○", "unmet": "×", "unknown": "△"}


def eligibility_answer(verdict: Verdict) -> list[Message]:
    program = verdict.program
    if verdict.outcome == "가능":
        head = f"네, {program.name}은(는) 받으실 수 있어요(가능)."
    elif verdict.outcome == "불가":
        head = f"아쉽지만 말씀하신 조건으로는 {program.name}을(를) 받기 어렵습니다(불가)."
    else:
        head = f"{program.name}은(는) 확인이 필요합니다(확인 필요)."
    lines = [f"{_MARK[r.status]} {r.reason}" for r in verdict.results]
    if not lines:
        lines = ["자료에 정해진 대상 조건이 없어 누구나 문의하실 수 있어요."]
    messages = [Message(_shorten(head + "\n" + "\n".join(lines), 400))]
    buttons = [
        button("신청 방법", "ask_program_info", program=program.id, aspect="신청방법"),
        button("가까운 센터 찾기", "find_center"),
    ]
    if verdict.outcome == "불가":
        buttons.insert(0, button("다른 프로그램 보기", "ask_programs"))
    messages.append(Message(as_of_line(program) + _caution(program), buttons=buttons))
    return messages


def program_suggestions(verdicts: list[Verdict], facts: Facts) -> list[Message]:
    known = describe_facts(facts)
    if not verdicts:
        return [
            Message(
                f"말씀하신 조건({known})에 맞는 프로그램을 자료에서 찾지 못했어요. {HOTLINE}에서 상담받아 보세요.",
                buttons=[button("상담사 연결", "request_human")],
            )
        ]
    buttons = [
        {
            "title": v.program.name,
            "payload": intent_payload("ask_program_info", program=v.program.id),
        }
        for v in verdicts[:MAX_BUTTONS]
    ]
    if known:
        text = f"말씀하신 조건({known})으로 보면 이런 프로그램이 맞을 수 있어요. 맞는 순서대로 골랐어요."
    else:
        text = (
            "중장년이 많이 찾는 지원 프로그램이에요. 나이와 지금 상황(재직·퇴직)을 알려 주시면 "
            "더 잘 맞는 것을 골라 드릴게요."
        )
    return [Message(text + " 궁금한 것을 눌러 보세요.", buttons=buttons)]


# ── centers ─────────────────────────────────────────────────────────────────


def center_card(center: Center) -> dict[str, str]:
    bits = [center.kind]
    if center.hours:
        bits.append(center.hours)
    if center.uncertain:
        bits.append("주소·전화는 바뀌었을 수 있어 확인이 필요합니다")
    card = {"title": center.name, "description": " · ".join(bits)}
    if center.phone:
        card["phone"] = center.phone
    else:
        card["description"] += " · 전화번호는 확인하지 못했어요(1350 문의)"
    if center.address:
        card["address"] = center.address
    if center.web:
        card["url"] = center.web
    return card


def centers_answer(search: CenterSearch, max_cards: int = 3) -> list[Message]:
    if search.level == "hotline" or not search.matches:
        where = f"{search.place} 지역의 " if search.place else ""
        return [
            Message(
                f"{where}센터 정보를 자료에서 찾지 못했어요. {HOTLINE}(국번 없이, 평일 오전 9시~오후 6시)로 "
                "전화하시면 가까운 고용센터와 중장년내일센터를 알려 드려요.",
                card={
                    "title": "고용노동부 고객상담센터",
                    "description": "국번 없이 1350",
                    "phone": "1350",
                },
                buttons=[button("다른 지역 찾기", "find_center"), button("처음으로", "restart")],
            )
        ]
    shown = search.matches[:max_cards]
    if search.level == "district":
        head = (
            f"{search.place} 가까이에서 상담받을 수 있는 곳 {len(shown)}곳이에요(관할·가까운 순)."
        )
    else:
        head = f"{search.place} 지역의 센터 {len(shown)}곳이에요. 시·군·구를 알려 주시면 더 가까운 곳을 찾아 드려요."
    messages = [Message(head)]
    for match in shown:
        card = center_card(match.center)
        lines = [card["title"]]
        if "address" in card:
            lines.append(f"주소: {card['address']}")
        lines.append(f"전화: {card['phone']}" if "phone" in card else "전화: 확인 필요(1350 문의)")
        messages.append(Message("\n".join(lines), card=card))
    verified = max((m.center.verified_on for m in shown), default="")
    messages.append(
        Message(
            f"기준일 {verified} · 방문 전에 전화나 {HOTLINE}로 운영시간을 꼭 확인하세요.",
            buttons=[
                button("상담 예약", "book_appointment"),
                button("다른 지역 찾기", "find_center"),
                button("처음으로", "restart"),
            ],
        )
    )
    return messages


def ask_which_district(candidates: list[District]) -> Message:
    return Message(
        "같은 이름의 지역이 여러 곳 있어요. 어느 곳인지 골라 주세요.",
        buttons=[{"title": d.full, "payload": d.full} for d in candidates[:MAX_BUTTONS]],
    )


def to_dispatch(message: Message) -> dict[str, Any]:
    """kwargs for CollectingDispatcher.utter_message (card rides in json_message)."""
    kwargs: dict[str, Any] = {"text": message.text}
    if message.buttons:
        kwargs["buttons"] = message.buttons
    if message.card:
        kwargs["json_message"] = {"card": message.card, "text": message.text}
        kwargs.pop("text")
        if message.buttons:
            kwargs["json_message"]["buttons"] = message.buttons
            kwargs.pop("buttons")
    return kwargs
