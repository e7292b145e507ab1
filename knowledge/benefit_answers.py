"""Korean replies for benefit verdicts: the verdict first, then days and amounts, how to apply,
and one 기준일 line that says the figures are estimates and where to confirm them.

Plain functions over `knowledge.benefits` verdicts returning short bubbles (≤ 300 characters);
particles come from `knowledge.josa`, amounts from `knowledge.money`.
"""

from __future__ import annotations

from collections.abc import Iterable

from knowledge.answers import MAX_BUTTONS, Message, button
from knowledge.benefits import (
    RECOGNISED_EXCEPTIONS,
    BenefitFacts,
    BenefitVerdict,
    EarlyEstimate,
    NesEstimate,
    OverviewItem,
    UnemploymentEstimate,
)
from knowledge.josa import attach
from knowledge.money import won, won_about, won_floor
from knowledge.plain_text import as_of_label

MAX_BUBBLE = 300
CONFIRM = "고용노동부 고객상담센터 1350이나 고용24(www.work24.go.kr)"


def as_of_line(as_of: str) -> str:
    """The one plain caution and 기준일 every benefit answer ends with (same format as programs)."""
    return (
        f"금액과 날수는 예상이에요. 최종 결정은 고용센터가 하니 {CONFIRM}에서 꼭 확인하세요.\n"
        f"{as_of_label(as_of)}"
    )


def _bubbles(texts: Iterable[str]) -> list[Message]:
    """Joins short paragraphs into bubbles of at most 300 characters, never splitting one."""
    out: list[str] = []
    for text in texts:
        text = text.strip()
        if not text:
            continue
        if out and len(out[-1]) + 1 + len(text) <= MAX_BUBBLE:
            out[-1] = f"{out[-1]}\n{text}"
        else:
            out.append(text if len(text) <= MAX_BUBBLE else text[: MAX_BUBBLE - 1] + "…")
    return [Message(text) for text in out]


def _date(day: object) -> str:
    return f"{day.year}년 {day.month}월 {day.day}일"  # type: ignore[attr-defined]


# ── 구직급여 ────────────────────────────────────────────────────────────────


def _unemployment_figures(estimate: UnemploymentEstimate, facts: BenefitFacts) -> list[str]:
    lines: list[str] = []
    if estimate.days is not None:
        lines.append(
            f"만 {facts.age}세, 고용보험 가입 {attach(estimate.days.insured_label, '이면')} 받는 날수는 "
            f"{estimate.days.days}일이에요."
        )
    daily = estimate.daily
    if daily is not None:
        basis = {
            "floor": f" (하루 {daily.hours}시간 근무 기준 최저액)",
            "cap": " (하루 최대액)",
            "rate": " (퇴직 전 평균임금의 60%)",
        }[daily.basis]
        line = (
            f"예상 하루 금액은 {attach(won(daily.daily) + basis, '으로')}, "
            f"30일이면 월 {attach(won_about(estimate.monthly or 0), '이에요')}."
        )
        if estimate.total is not None and estimate.days is not None:
            line += f" {estimate.days.days}일을 모두 받으면 {attach(won_about(estimate.total), '이에요')}."
        lines.append(line)
    return lines


def _how_to_apply_unemployment(estimate: UnemploymentEstimate | None) -> str:
    deadline = "그만둔 다음 날부터 12개월이 지나면 남은 날수는 받을 수 없으니 서둘러 신청하세요."
    if estimate is not None and estimate.window_ends is not None:
        deadline = f"{_date(estimate.window_ends)}까지 다 받아야 하니 서둘러 신청하세요."
    return (
        "신청은 이렇게 해요. ① 고용24에서 구직 신청 ② 고용24에서 '수급자격 신청자 온라인 교육' 듣기 "
        "③ 신분증을 가지고 사는 곳을 맡은 고용센터에 가서 수급자격 인정 신청. "
        f"{deadline} 신청 후 7일은 대기기간이라 지급되지 않아요."
    )


def voluntary_quit_rule() -> list[str]:
    """The rule for people who left of their own accord, with the recognised exceptions."""
    exceptions = "\n".join(f"· {e}" for e in RECOGNISED_EXCEPTIONS[:4])
    more = "\n".join(f"· {e}" for e in RECOGNISED_EXCEPTIONS[4:])
    return [
        "스스로 그만두면 원칙적으로 실업급여를 받을 수 없어요. 다만 아래처럼 그만둘 수밖에 없던 "
        "'정당한 이직 사유'가 있었다면 받을 수 있어요.",
        exceptions,
        more,
        "해당한다면 임금명세서·진단서 같은 증빙을 챙겨 고용센터에 상담해 보세요. 인정 여부는 고용센터가 판단해요.",
    ]


def unemployment_answer(verdict: BenefitVerdict, facts: BenefitFacts) -> list[Message]:
    """구직급여: 가능 / 불가 / 확인 필요, the days and expected amounts, how to apply."""
    estimate = verdict.estimate if isinstance(verdict.estimate, UnemploymentEstimate) else None
    texts: list[str] = []
    if verdict.outcome == "가능":
        if verdict.uncertain and facts.separation == "voluntary_exception":
            texts.append(
                "정당한 이직 사유로 인정되면 구직급여(실업급여)를 받으실 수 있을 것으로 예상돼요."
            )
        else:
            texts.append("구직급여(실업급여)를 받으실 수 있을 것으로 예상돼요.")
    elif verdict.outcome == "불가" and facts.separation == "voluntary":
        texts.append("구직급여(실업급여)는 받기 어려울 것으로 보여요.")
    elif verdict.outcome == "불가":
        texts.append("구직급여(실업급여)는 받기 어려울 것으로 보여요. " + verdict.unmet[0].reason)
    else:
        texts.append("구직급여(실업급여)를 받으실 수 있는지는 아직 확인이 필요해요.")
        texts.extend(c.reason for c in verdict.deciding[:2])
    if verdict.outcome == "불가":
        if facts.separation == "voluntary":
            texts.extend(voluntary_quit_rule())
        else:
            texts.append(
                "실업급여를 받지 못하는 분은 국민취업지원제도로 생활비와 취업 지원을 받을 수 있는지 알아보세요."
            )
        texts.append(f"정확한 판단은 {CONFIRM}에서 확인하세요.")
        return _bubbles(texts)
    if estimate is not None:
        figures = _unemployment_figures(estimate, facts)
        if verdict.outcome == "확인 필요" and figures:
            figures[0] = "받게 되면 " + figures[0]
        texts.extend(figures)
    texts.append(_how_to_apply_unemployment(estimate))
    texts.append(as_of_line(verdict.as_of))
    return _bubbles(texts)


# ── 국민취업지원제도 ───────────────────────────────────────────────────────


def _threshold_phrase(estimate: NesEstimate) -> str:
    if estimate.threshold is None or estimate.household_size is None:
        return f"가구 소득이 기준 중위소득 {estimate.income_pct}% 이하"
    return (
        f"{estimate.household_size}인 가구 기준 월 {won_floor(estimate.threshold)} 이하"
        f"(기준 중위소득 {estimate.income_pct}%)"
    )


def _allowance_lines(estimate: NesEstimate) -> list[str]:
    if estimate.allowance_monthly is None or estimate.allowance_months is None:
        return []
    total = estimate.allowance_monthly * estimate.allowance_months
    lines = [
        f"{estimate.allowance_year}년 구직촉진수당은 월 {won(estimate.allowance_monthly)}씩 "
        f"최대 {estimate.allowance_months}개월, 모두 {attach(won(total), '이에요')}."
    ]
    careful = " 신청할 때 고용센터에서 꼭 확인해 주세요." if estimate.supplement_uncertain else ""
    if estimate.dependents_counted:
        monthly = estimate.monthly_with_dependents or 0
        lines.append(
            f"부양가족 {estimate.dependents_counted}명을 더하면 월 {won(monthly)}, "
            f"모두 {attach(won(estimate.total or 0), '으로')} 예상돼요.{careful}"
        )
    else:
        lines.append(
            f"부양가족이 있으면 1명당 월 {won(estimate.per_dependent)}씩 더 받을 수 있어요.{careful}"
        )
    return lines


def _nes_apply() -> str:
    return (
        "신청은 고용24(www.work24.go.kr)에서 구직 등록과 안내 영상 시청 후 온라인으로 하거나, "
        "사는 곳을 맡은 고용센터에 찾아가서 해요. 신청 후 1개월 안에 결과를 알려 줘요."
    )


def nes_answer(type_1: BenefitVerdict, type_2: BenefitVerdict) -> list[Message]:
    """국민취업지원제도: Ⅰ유형 verdict with the threshold in won and the 구직촉진수당; Ⅱ유형 when
    Ⅰ유형 does not fit."""
    one = type_1.estimate if isinstance(type_1.estimate, NesEstimate) else None
    two = type_2.estimate if isinstance(type_2.estimate, NesEstimate) else None
    texts: list[str] = []
    if type_1.outcome == "가능" and one is not None:
        texts.append(
            "국민취업지원제도 Ⅰ유형을 받으실 수 있을 것으로 예상돼요. "
            f"가구 소득이 {_threshold_phrase(one)}여야 하는데, 말씀하신 소득이면 맞아요."
        )
        texts.extend(_allowance_lines(one))
    elif type_1.outcome == "확인 필요":
        texts.append("국민취업지원제도 Ⅰ유형은 아직 확인이 필요해요.")
        texts.extend(c.reason for c in type_1.deciding[:2])
        if one is not None:
            texts.extend(_allowance_lines(one)[:1])
    else:
        texts.append("국민취업지원제도 Ⅰ유형은 어려울 것으로 보여요. " + type_1.unmet[0].reason)
    if type_1.outcome != "가능":
        if type_2.outcome == "가능" and two is not None:
            texts.append(
                f"대신 Ⅱ유형은 가능해 보여요. 가구 소득이 {_threshold_phrase(two)}라 구직촉진수당 대신 "
                "취업활동 비용과 1:1 취업 지원을 받을 수 있어요."
            )
        elif type_2.outcome == "확인 필요":
            texts.append("Ⅱ유형(35~69세, 가구 소득 중위소득 100% 이하)도 확인해 볼 수 있어요.")
            texts.extend(c.reason for c in type_2.deciding[:1])
        else:
            texts.append(
                "Ⅱ유형도 " + (type_2.unmet[0].reason if type_2.unmet else "조건에 맞지 않아요.")
            )
    if "가능" in (type_1.outcome, type_2.outcome) or "확인 필요" in (
        type_1.outcome,
        type_2.outcome,
    ):
        texts.append(_nes_apply())
    texts.append(as_of_line(max(type_1.as_of, type_2.as_of)))
    return _bubbles(texts)


# ── 조기재취업수당 ──────────────────────────────────────────────────────────


def early_answer(verdict: BenefitVerdict) -> list[Message]:
    estimate = verdict.estimate if isinstance(verdict.estimate, EarlyEstimate) else None
    texts: list[str] = []
    if verdict.outcome == "가능":
        texts.append("조기재취업수당을 받으실 수 있을 것으로 예상돼요.")
    elif verdict.outcome == "불가":
        texts.append("조기재취업수당은 받기 어려울 것으로 보여요. " + verdict.unmet[0].reason)
        texts.append(f"정확한 판단은 {CONFIRM}에서 확인하세요.")
        return _bubbles(texts)
    else:
        texts.append("조기재취업수당을 받으실 수 있는지는 아직 확인이 필요해요.")
        texts.extend(c.reason for c in verdict.deciding[:2])
    if estimate is not None and estimate.remaining_days is not None and estimate.total_days:
        days = estimate.payable_days or 0
        shown = f"{days:g}"
        line = (
            f"받을 날 {estimate.total_days}일 중 {estimate.remaining_days}일이 남아, "
            f"그 절반인 {shown}일분을 한꺼번에 받게 돼요."
        )
        if estimate.amount is not None and estimate.daily is not None:
            line += f" 하루 {won(estimate.daily.daily)} 기준 {attach(won_about(estimate.amount), '이에요')}."
        texts.append(line)
    if estimate is not None:
        if estimate.claim_after_months:
            texts.append(
                f"새 직장에서 {estimate.employment_months_required}개월을 다닌 뒤 고용센터에 청구하세요."
            )
        else:
            texts.append("재취업 후 바로 고용센터에 청구할 수 있어요.")
    texts.append(as_of_line(verdict.as_of))
    return _bubbles(texts)


# ── the whole profile ──────────────────────────────────────────────────────

_GROUP_TITLES = {
    "가능": "받으실 수 있어 보여요",
    "확인 필요": "확인이 더 필요해요",
    "불가": "지금 조건으로는 어려워 보여요",
}


def _names(items: list[OverviewItem], limit: int) -> str:
    names = [i.program.name for i in items[:limit]]
    rest = len(items) - limit
    text = ", ".join(names)
    return f"{text} 외 {rest}개" if rest > 0 else text


def overview_answer(items: list[OverviewItem], as_of: str) -> list[Message]:
    """The profile overview: groups best first, employer subsidies said as such, the best few
    as buttons (at most six)."""
    if not items:
        return [Message(f"지금 말씀해 주신 내용으로는 찾은 지원이 없어요. {CONFIRM}에 물어보세요.")]
    texts = ["말씀해 주신 내용으로 보면 이렇게 정리돼요."]
    for outcome, title in _GROUP_TITLES.items():
        group = [i for i in items if i.outcome == outcome and i.program.audience == "person"]
        if group:
            limit = 8 if outcome != "불가" else 5
            texts.append(f"{title}: {_names(group, limit)}")
    employer = [i for i in items if i.program.audience == "employer" and i.outcome != "불가"]
    if employer:
        names = ", ".join(i.program.name for i in employer)
        texts.append(
            f"회사가 신청하는 지원금도 있어요: {attach(names, '은')} 회사가 받는 돈이라 다니는 회사에 물어보세요."
        )
    texts.append(as_of_line(as_of))
    bubbles = _bubbles(texts)
    best = [i for i in items if i.outcome != "불가" and i.program.audience == "person"][
        :MAX_BUTTONS
    ]
    bubbles[-1].buttons = [
        button(i.program.name, "ask_program_info", program=i.program.id) for i in best
    ]
    return bubbles
