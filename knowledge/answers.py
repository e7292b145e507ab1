"""Korean answers built from KB entries: short bubbles, verdict first, 기준일 always.

Plain functions returning channel-neutral messages (text, buttons, card); actions only send
them. Tested without Rasa.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from knowledge.center_search import CenterSearch
from knowledge.districts import District, same_region
from knowledge.eligibility import Facts, Verdict
from knowledge.josa import attach
from knowledge.plain_text import as_of_label, latest, pack, pack_groups, public_text
from knowledge.schema import EMPLOYMENT_STATUS_KO, Center, Program, StatusCondition

MAX_BUTTONS = 6
BUBBLE_LIMIT = 300
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


def where_to_confirm(program: Program) -> str:
    """The official places to check, as one phrase: "고용24 (www.work24.go.kr)나 가까운 고용센터"."""
    places = [public_text(place) for place in program.confirm_at[:2]]
    places = [place for place in places if place] or [HOTLINE]
    if len(places) == 1:
        return places[0]
    return f"{attach(places[0], '이나')} {places[1]}"


def caution_line(program: Program) -> str:
    """The one plain line every program answer ends with: no research notes, one 기준일 format.

    Why a fact is uncertain stays in the KB (`uncertain`, `caution`); the user hears where to check.
    """
    return (
        f"지원 내용과 요건은 해마다 바뀔 수 있어요. 신청 전에 {where_to_confirm(program)}에서 "
        f"꼭 확인해 주세요.\n{as_of_label(program.verified_on)}"
    )


def _bubbles(lines: list[str], joiner: str = "\n") -> list[Message]:
    return [Message(text) for text in pack(lines, BUBBLE_LIMIT, joiner)]


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


def _bullets(texts: list[str | None]) -> list[str]:
    return [f"· {text}" for text in (public_text(t) for t in texts) if text]


def _aspect_lines(program: Program, aspect: str) -> list[str]:
    """The aspect as lines a user may read; empty when the KB has nothing but notes on it."""
    if aspect == "대상":
        if not program.conditions:
            return ["따로 정해진 대상 조건이 없어요. 누구나 문의하실 수 있어요."]
        return _bullets([c.text for c in program.conditions])
    if aspect == "신청방법":
        return _bullets(list(program.how_to_apply[:3]))
    field_text = {"내용": program.benefits, "기간": program.duration, "비용": program.cost}
    if aspect in field_text:
        text = public_text(field_text[aspect])
        return [text] if text else []
    if aspect in ("연락처", "위치", "운영시간"):
        contact = program.contact
        parts = [f"전화 {contact.phone}" if contact.phone else "", contact.web or ""]
        parts.append(public_text(contact.note))
        if aspect != "연락처":
            parts.append("가까운 센터의 위치와 운영시간은 '센터 찾기'로 알려 드릴게요")
        joined = " · ".join(part for part in parts if part)
        return [joined] if joined else []
    text = public_text(program.summary)
    return [text] if text else []


def _aspect_body(program: Program, aspect: str) -> list[str]:
    """One aspect as lines: "[이름] 신청 방법" and its bullets, or "[이름] 비용·수당: …"."""
    title = ASPECT_TITLES[aspect]
    lines = _aspect_lines(program, aspect) or [
        f"{attach(title, '은')} 따로 알려 드릴 내용이 없어요. "
        f"{where_to_confirm(program)}에 물어봐 주세요."
    ]
    if lines[0].startswith("· "):
        return [f"[{program.name}] {title}", *lines]
    return [f"[{program.name}] {title}: {lines[0]}", *lines[1:]]


def program_info(program: Program, aspect: str | list[str] | None) -> list[Message]:
    """What a program is, or the aspects asked, in the order asked (two questions, two answers)."""
    aspects = [aspect] if isinstance(aspect, str) else list(aspect or [])
    aspects = [a for a in aspects if a in ASPECT_TITLES]
    if aspects:
        body = pack_groups([_aspect_body(program, a) for a in aspects], BUBBLE_LIMIT)
        follow_up = [
            button("받을 수 있는지 확인", "check_eligibility", program=program.id),
            button("신청 방법", "ask_program_info", program=program.id, aspect="신청방법"),
            button("비용·수당", "ask_program_info", program=program.id, aspect="비용"),
            button("신청 대상", "ask_program_info", program=program.id, aspect="대상"),
            button("가까운 센터 찾기", "find_center"),
        ]
        follow_up = [b for b in follow_up if not any(f'"{a}"' in b["payload"] for a in aspects)][:4]
        messages = [Message(text) for text in body]
    else:
        summary = public_text(program.summary) or public_text(program.benefits)
        messages = _bubbles([f"[{program.name}] {summary}"])
        follow_up = [
            button("받을 수 있는지 확인", "check_eligibility", program=program.id),
            button("신청 대상", "ask_program_info", program=program.id, aspect="대상"),
            button("신청 방법", "ask_program_info", program=program.id, aspect="신청방법"),
            button("비용·수당", "ask_program_info", program=program.id, aspect="비용"),
            button("연락처", "ask_program_info", program=program.id, aspect="연락처"),
        ]
    return [
        *messages,
        Message(caution_line(program), buttons=follow_up[:MAX_BUTTONS]),
    ]


def lives_elsewhere(program: Program, facts: Facts | None) -> bool:
    """A regional program for someone whose known region is another one."""
    if facts is None or facts.region is None or program.scope == "전국":
        return False
    return not same_region(program.scope, facts.region)


def ask_which_program(
    programs: list[Program], prompt: str, intent: str = "inform", facts: Facts | None = None
) -> Message:
    popular = [p for p in programs if p.id in POPULAR_PROGRAMS and not lives_elsewhere(p, facts)]
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


def verdict_head(verdict: Verdict) -> str:
    """The verdict in one sentence, no status tag: the sentence itself says it."""
    name = verdict.program.name
    if verdict.outcome == "가능":
        return f"네, {attach(name, '은')} 받으실 수 있어요."
    if verdict.outcome == "불가":
        return f"아쉽지만 말씀하신 조건으로는 {attach(name, '을')} 받기 어려워요."
    return f"{attach(name, '은')} 아래 조건을 더 확인해야 받으실 수 있는지 알 수 있어요."


def _verdict_groups(verdict: Verdict) -> list[list[str]]:
    """The verdict with one line per condition the chat decided, then the conditions only a center
    can check listed together under one heading."""
    decided = [
        f"{_MARK[r.status]} {r.reason}"
        for r in verdict.results
        if r.fact is not None or r.status != "unknown"
    ]
    at_center = [
        public_text(r.text) or r.text
        for r in verdict.results
        if r.fact is None and r.status == "unknown"
    ]
    groups = [[verdict_head(verdict), *decided]]
    if at_center:
        groups.append(
            [
                f"{_MARK['unknown']} 센터나 1350에서 확인할 조건이에요.",
                *(f"· {t}" for t in at_center),
            ]
        )
    if not verdict.results:
        groups[0].append("따로 정해진 대상 조건이 없어 누구나 문의하실 수 있어요.")
    return groups


def verdict_in_one_sentence(verdict: Verdict, facts: Facts) -> Message:
    """ "된다는 거예요 안 된다는 거예요?": the last verdict again, in one plain sentence."""
    name = verdict.program.name
    known = describe_facts(facts)
    given = f"말씀하신 조건({known})" if known else "말씀하신 조건"
    if verdict.outcome == "가능":
        text = f"네, {given}이면 {attach(name, '을')} 받으실 수 있어요."
    elif verdict.outcome == "불가":
        text = f"아니요, {given}으로는 {attach(name, '을')} 받기 어려워요."
    else:
        text = (
            f"아직 정해지지 않았어요. {attach(name, '은')} 센터에서 확인할 조건이 남아 있어서, "
            f"가까운 고용센터나 {HOTLINE}에서 확인해 주셔야 해요."
        )
    buttons = [
        button("신청 방법", "ask_program_info", program=verdict.program.id, aspect="신청방법"),
        button("가까운 센터 찾기", "find_center"),
        button("처음으로", "restart"),
    ]
    if verdict.outcome == "불가":
        buttons.insert(0, button("다른 프로그램 보기", "ask_programs"))
    return Message(text, buttons=buttons)


def eligibility_answer(verdict: Verdict) -> list[Message]:
    """Verdict first, one line per condition, in bubbles of at most 300 characters."""
    program = verdict.program
    messages = [Message(text) for text in pack_groups(_verdict_groups(verdict), BUBBLE_LIMIT)]
    buttons = [
        button("신청 방법", "ask_program_info", program=program.id, aspect="신청방법"),
        button("가까운 센터 찾기", "find_center"),
    ]
    if verdict.outcome == "불가":
        buttons.insert(0, button("다른 프로그램 보기", "ask_programs"))
    messages.append(Message(caution_line(program), buttons=buttons))
    return messages


def _region_rank(program: Program, facts: Facts) -> int:
    """0 made for the user's region, 1 nationwide, 2 regional while the region is unknown,
    3 another region."""
    if program.scope == "전국":
        return 1
    if facts.region is None:
        return 2
    return 0 if same_region(program.scope, facts.region) else 3


def _situation_rank(program: Program, facts: Facts) -> int:
    """0 made for the user's situation only (국취 for job seekers), 1 open to it or the situation
    unknown, 3 not for this situation (a service for people still at work, for the unemployed)."""
    status = facts.employment_status
    allowed: set[str] | None = None
    for condition in program.conditions:
        if isinstance(condition, StatusCondition):
            allowed = set(condition.any_of) if allowed is None else allowed & set(condition.any_of)
    if status is None or allowed is None:
        return 1
    if status not in allowed:
        return 3
    return 0 if allowed == {status} else 1


def suggestion_order(verdicts: list[Verdict], facts: Facts) -> list[Verdict]:
    """Region and situation first, then the verdict: a Seoul-only program never leads for someone
    in 대구 (nor while the region is unknown), and one for people still at work is never offered to
    someone out of work; services made only for job seekers lead for them."""
    outcome_rank = {"가능": 0, "확인 필요": 1, "불가": 2}
    ranked = [
        (
            _region_rank(v.program, facts),
            _situation_rank(v.program, facts),
            outcome_rank.get(v.outcome, 1),
            len(v.missing),
            len(v.unknown),
            index,
            v,
        )
        for index, v in enumerate(verdicts)
        if v.outcome != "불가"
    ]
    ranked = [row for row in ranked if row[0] < 3 and row[1] < 3]
    return [row[-1] for row in sorted(ranked, key=lambda row: row[:-1])]


def program_suggestions(verdicts: list[Verdict], facts: Facts) -> list[Message]:
    known = describe_facts(facts)
    ordered = suggestion_order(verdicts, facts)
    if not ordered:
        return [
            Message(
                f"말씀하신 조건({known})에 맞는 프로그램을 찾지 못했어요. "
                f"{HOTLINE}에서 상담받아 보세요."
                if known
                else f"맞는 프로그램을 찾지 못했어요. {HOTLINE}에서 상담받아 보세요.",
                buttons=[button("상담사 연결", "request_human"), button("처음으로", "restart")],
            )
        ]
    buttons = [button(v.program.name, "ask_program_info", program=v.program.id) for v in ordered]
    if known:
        text = f"말씀하신 조건({known})으로 보면 이런 프로그램이 맞을 수 있어요. 맞는 순서대로 골랐어요."
    else:
        text = (
            "중장년이 많이 찾는 지원 프로그램이에요. 나이와 지금 상황(재직·퇴직)을 알려 주시면 "
            "더 잘 맞는 것을 골라 드릴게요."
        )
    return [Message(text + " 궁금한 것을 눌러 보세요.", buttons=buttons[:MAX_BUTTONS])]


# ── centers ─────────────────────────────────────────────────────────────────


def center_name(center: Center) -> str:
    """A center's name as users see it: "강원(영동) 중장년내일센터", without the KB's " — 추가 지정분"."""
    return public_text(center.name) or center.name


def center_card(center: Center) -> dict[str, str]:
    """A channel-neutral card; addresses lose their research asides ("(개소 당시)")."""
    bits = [center.kind]
    hours = public_text(center.hours)
    if hours:
        bits.append(hours)
    if not center.phone:
        bits.append("전화 문의는 1350")
    card = {"title": center_name(center), "description": " · ".join(bits)}
    if center.phone:
        card["phone"] = center.phone
    address = public_text(center.address)
    if address:
        card["address"] = address
    if center.web:
        card["url"] = center.web
    return card


def center_text(card: dict[str, str]) -> str:
    """The card said as a bubble for channels that show no cards."""
    lines = [card["title"]]
    if "address" in card:
        lines.append(f"주소: {card['address']}")
    lines.append(
        f"전화: {card['phone']}" if "phone" in card else f"전화: {HOTLINE}에 문의해 주세요"
    )
    return "\n".join(lines)


def centers_answer(search: CenterSearch, max_cards: int = 3) -> list[Message]:
    if search.level == "hotline" or not search.matches:
        where = f"{search.place} 지역의 " if search.place else ""
        return [
            Message(
                f"{where}센터 정보를 찾지 못했어요. "
                f"{attach(HOTLINE + '(국번 없이, 평일 오전 9시~오후 6시)', '으로')} "
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
        messages.append(Message(center_text(card), card=card))
    verified = latest([m.center.verified_on for m in shown])
    messages.append(
        Message(
            "주소와 운영시간은 바뀔 수 있어요. 가시기 전에 센터나 "
            f"{HOTLINE}에 전화해 꼭 확인해 주세요.\n{as_of_label(verified)}",
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
