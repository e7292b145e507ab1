"""The questions behind a benefit verdict (구직급여, 국민취업지원제도, 조기재취업수당).

One table says, for every fact the benefit rules in knowledge/benefits.py may need, how to ask it
(one short question with buttons for the common answers) and how to read a typed answer. The
eligibility form asks them one at a time in the order `BenefitVerdict.missing` gives, so a fact
said earlier is never asked again and "잘 모르겠어요" moves on (the verdict names what decides it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.send import send
from knowledge.answers import Message, button
from knowledge.yes_no import parse_yes_no
from nlu.korean.amounts import (
    UNREADABLE,
    Reading,
    parse_assets,
    parse_duration,
    parse_household,
    parse_monthly_income,
)
from nlu.korean.text_guard import short_answer

SKIPPED_SLOT = "skipped_facts"
# 구직급여, 국민취업지원제도, 조기재취업수당: decided by computed rules (actions/benefits.py)
BENEFIT_PROGRAM_IDS = frozenset(
    {"unemployment_benefit", "national_employment_support", "early_reemployment_allowance"}
)
_DONT_KNOW = re.compile(r"모르|몰라|모름|기억\s{0,2}안|잘\s{0,2}몰|글쎄|확실\s{0,2}하지|건너")


def _yes_no_reading(text: str) -> Reading:
    answer = parse_yes_no(text)
    return UNREADABLE if answer is None else Reading(int(answer), "ok")


def _insured_days_reading(text: str) -> Reading:
    """A yes/no to "more than 7 months (180 days)?" as days on each side of the line."""
    answer = _yes_no_reading(text)
    if answer.ok:
        return Reading(180 if answer.value else 150, "ok")
    months = parse_duration(text, bare="months")
    return Reading(months.value * 30, "ok") if months.ok and months.value is not None else months


def _worked_2y_reading(text: str) -> Reading:
    """A yes/no to "more than 100 days in 2 years?" as months, or a period said in words."""
    answer = _yes_no_reading(text)
    if answer.ok:
        return Reading(4 if answer.value else 2, "ok")
    return parse_duration(text, bare="months")


def _separation_reading(text: str) -> Reading:
    kind = parse_separation(text)
    return UNREADABLE if kind is None else Reading(SEPARATIONS.index(kind), "ok")


def _days_reading(text: str) -> Reading:
    """'30일', '한 달', '두 달 반' → days (a month counted as 30)."""
    short = short_answer(text, limit=40) or ""
    digits = re.search(r"(\d{1,4})\s{0,2}일", short)
    if digits:
        days = int(digits.group(1))
        return Reading(days, "ok" if days <= 400 else "implausible")
    months = parse_duration(short)
    if months.value is None:
        return UNREADABLE
    days = months.value * 30
    return Reading(days, "ok" if days <= 400 else "implausible")


def _count_reading(text: str) -> Reading:
    """부양가족 수: '없어요' → 0, '둘' / '2명' → 2 (at most 4 count for the allowance)."""
    short = short_answer(text, limit=40) or ""
    if re.search(r"없|0\s{0,2}명|영\s{0,2}명", short):
        return Reading(0, "ok")
    people = parse_household(short)
    if people.value is None:
        return UNREADABLE
    return Reading(people.value, "ok" if people.value <= 10 else "implausible")


SEPARATIONS = ("involuntary", "voluntary", "voluntary_exception")
_EXCEPTION = re.compile(
    r"체불|(?:월급|임금|급여|봉급)[^.?!\n]{0,8}(?:밀|안\s{0,2}나|못\s{0,2}받|안\s{0,2}줘|안\s{0,2}주)|최저\s{0,2}임금"
    r"|괴롭힘|성희롱|차별|통근|출퇴근|이사|이전|전근|질병|병\s{0,2}때문|아파서|아팠|부상|다쳐|간병|병간호"
    r"|임신|출산|육아|어쩔\s{0,2}수\s{0,2}없"
)
_VOLUNTARY = re.compile(
    r"제\s{0,2}발로|스스로|자진|자발|이직\s{0,2}하려|이직하려|개인\s{0,2}사정|그냥\s{0,2}그만|제\s{0,2}뜻|본인\s{0,2}의사"
    r"|쉬고\s{0,2}싶어|사표|사직서"
)
_INVOLUNTARY = re.compile(
    r"구조\s{0,2}조정|권고\s{0,2}사직|해고|잘렸|짤렸|계약\s{0,2}(?:이\s{0,2})?(?:만료|끝)|정년|폐업|도산|부도|문\s{0,2}(?:을\s{0,2})?닫"
    r"|희망\s{0,2}퇴직|명예\s{0,2}퇴직|명퇴|회사\s{0,2}사정|경영\s{0,2}악화|감원|정리\s{0,2}해고|나가라"
)


def parse_separation(text: str) -> str | None:
    """이직 사유 in everyday words: 회사 사정 → involuntary, 제 발로 → voluntary, 임금 체불·질병·
    간병·통근 → voluntary_exception (자발적이어도 인정될 수 있는 사유)."""
    short = (text or "")[:300]
    if _EXCEPTION.search(short):
        return "voluntary_exception"
    if _INVOLUNTARY.search(short):
        return "involuntary"
    if _VOLUNTARY.search(short):
        return "voluntary"
    return None


@dataclass(frozen=True)
class FactQuestion:
    slot: str
    prompt: str
    buttons: tuple[tuple[str, str], ...]  # (title, text sent back)
    read: Callable[[str], Reading]
    retry: str  # said before asking again when the answer could not be used

    def message(self) -> Message:
        buttons = [{"title": title, "payload": said} for title, said in self.buttons]
        buttons.append({"title": "잘 모르겠어요", "payload": "잘 모르겠어요"})
        buttons.append(button("처음으로", "restart"))
        return Message(self.prompt, buttons[:6])


QUESTIONS: dict[str, FactQuestion] = {
    q.slot: q
    for q in (
        FactQuestion(
            "separation",
            "회사를 그만두신 이유에 가까운 것을 골라 주세요.",
            (
                ("회사 사정(해고·권고사직·폐업·계약 만료)", "회사 사정으로 그만뒀어요"),
                ("제 뜻으로 그만뒀어요", "제 뜻으로 그만뒀어요"),
                ("임금 체불·질병·간병 등 어쩔 수 없는 사정", "어쩔 수 없는 사정으로 그만뒀어요"),
            ),
            _separation_reading,
            "그만두신 이유를 아래에서 골라 주시거나 짧게 적어 주세요.",
        ),
        FactQuestion(
            "insured_months",
            "마지막 회사에서 고용보험에 가입해 일하신 기간은 얼마나 되세요? (예: 8년, 3년 반, 15개월)",
            (
                ("1년 미만", "1년 미만"),
                ("1~3년", "1~3년"),
                ("3~5년", "3~5년"),
                ("5~10년", "5~10년"),
            ),
            lambda text: parse_duration(text, bare="years"),
            "일하신 기간을 '8년', '3년 반', '15개월'처럼 적어 주세요.",
        ),
        FactQuestion(
            "insured_days_18m",
            "그만두기 전 1년 반 동안, 고용보험에 가입된 채 일한 기간이 모두 7개월(180일)을 넘나요?",
            (("네, 넘어요", "네"), ("아니요, 그보다 짧아요", "아니요")),
            _insured_days_reading,
            "7개월을 넘게 일하셨는지 '네' 또는 '아니요'로 알려 주세요.",
        ),
        FactQuestion(
            "hired_after_65",
            "마지막 회사에 만 65세가 넘어서 새로 들어가셨나요?",
            (("네", "네"), ("아니요, 그 전부터 다녔어요", "아니요")),
            _yes_no_reading,
            "'네' 또는 '아니요'로 알려 주세요.",
        ),
        FactQuestion(
            "monthly_wage",
            "그만두기 전 석 달 동안 한 달 월급(세금 떼기 전)은 얼마쯤이었나요? (예: 월 300만 원)",
            (
                ("월 200만 원", "월 200만 원"),
                ("월 300만 원", "월 300만 원"),
                ("월 400만 원", "월 400만 원"),
                ("월 500만 원", "월 500만 원"),
            ),
            parse_monthly_income,
            "월급을 '월 300만 원', '350만원쯤'처럼 적어 주세요.",
        ),
        FactQuestion(
            "household_size",
            "함께 사는 가족은 본인을 포함해 모두 몇 명이세요?",
            (("혼자 살아요", "1명"), ("2명", "2명"), ("3명", "3명"), ("4명 이상", "4명")),
            parse_household,
            "함께 사는 가족 수를 '2명', '혼자 살아요'처럼 알려 주세요.",
        ),
        FactQuestion(
            "household_income",
            "가족 모두의 한 달 소득을 합하면 얼마쯤 되세요? (예: 월 200만 원, 소득 없음)",
            (
                ("소득 없어요", "소득 없어요"),
                ("월 100만 원쯤", "월 100만 원"),
                ("월 200만 원쯤", "월 200만 원"),
                ("월 300만 원 넘어요", "월 300만 원"),
            ),
            parse_monthly_income,
            "가족의 한 달 소득을 '월 200만 원'처럼 적어 주세요.",
        ),
        FactQuestion(
            "received_benefit_6m",
            "지금 실업급여를 받고 계시거나, 받은 지 6개월이 안 되셨나요?",
            (("네", "네"), ("아니요", "아니요")),
            _yes_no_reading,
            "'네' 또는 '아니요'로 알려 주세요.",
        ),
        FactQuestion(
            "household_assets",
            "집·땅·예금 등 가족 재산을 모두 합하면 얼마쯤 되세요?",
            (
                ("2억 원 이하", "2억 원"),
                ("4억 원 이하", "4억 원"),
                ("4억 원 넘어요", "5억 원"),
            ),
            parse_assets,
            "재산을 '2억 원'처럼 적어 주세요. 대강이어도 괜찮아요.",
        ),
        FactQuestion(
            "months_worked_2y",
            "최근 2년 안에 일하신 기간이 모두 합해 100일(약 석 달 반)을 넘나요?",
            (("네, 넘어요", "4개월"), ("아니요, 그보다 짧아요", "2개월")),
            _worked_2y_reading,
            "'네' 또는 '아니요'로, 또는 '6개월'처럼 알려 주세요.",
        ),
        FactQuestion(
            "dependents",
            "함께 사는 가족 중 돌보시는 분(배우자·자녀·부모)은 몇 명이세요?",
            (("없어요", "없어요"), ("1명", "1명"), ("2명", "2명"), ("3명 이상", "3명")),
            _count_reading,
            "돌보시는 가족 수를 '2명', '없어요'처럼 알려 주세요.",
        ),
        FactQuestion(
            "early_allowance_2y",
            "최근 2년 안에 조기재취업수당을 받으신 적이 있나요?",
            (("네, 있어요", "네"), ("아니요, 없어요", "아니요")),
            _yes_no_reading,
            "'네' 또는 '아니요'로 알려 주세요.",
        ),
        FactQuestion(
            "rehired_by_former_employer",
            "새로 들어간 곳이 그만두셨던 회사(또는 그 관계 회사)인가요?",
            (("네", "네"), ("아니요, 다른 곳이에요", "아니요")),
            _yes_no_reading,
            "'네' 또는 '아니요'로 알려 주세요.",
        ),
        FactQuestion(
            "benefit_days_used",
            "구직급여를 지금까지 며칠쯤 받으셨어요? (예: 30일, 두 달)",
            (("한 달쯤", "30일"), ("두 달쯤", "60일"), ("석 달쯤", "90일")),
            _days_reading,
            "받으신 날수를 '30일', '두 달'처럼 적어 주세요.",
        ),
        FactQuestion(
            "days_claim_to_job",
            "실업 신고를 하고 나서 며칠 만에 다시 취업하셨어요? (예: 20일)",
            (("14일 안에", "10일"), ("15일~한 달", "20일"), ("한 달 넘게", "40일")),
            _days_reading,
            "며칠 만에 취업하셨는지 '20일'처럼 적어 주세요.",
        ),
        FactQuestion(
            "new_job_months",
            "새 직장에서 얼마나 일하셨거나 일하실 예정이세요? (예: 12개월, 1년 이상)",
            (("1년 이상", "12개월"), ("6개월~1년", "6개월"), ("6개월 미만", "3개월")),
            lambda text: parse_duration(text, bare="months"),
            "기간을 '12개월', '1년'처럼 적어 주세요.",
        ),
    )
}
BENEFIT_SLOTS: tuple[str, ...] = tuple(QUESTIONS)
# Slots stored as words or numbers: bools and the separation kind are read back from these.
_AS_BOOL = {"hired_after_65", "received_benefit_6m", "early_allowance_2y",
            "rehired_by_former_employer"}  # fmt: skip


def slot_value(slot: str, reading: Reading) -> Any:
    if slot == "separation":
        return SEPARATIONS[reading.value or 0]
    if slot in _AS_BOOL:
        return bool(reading.value)
    return reading.value


def dont_know(text: str) -> bool:
    short = short_answer(text or "", limit=30)
    return bool(short and _DONT_KNOW.search(short))


def validate_fact(
    slot: str, value: Any, tracker: Tracker, dispatcher: CollectingDispatcher
) -> dict[str, Any]:
    """The slot's value read from the answer; "잘 모르겠어요" skips it; anything unreadable or
    implausible gets one short line, and the form asks again with its buttons."""
    if isinstance(value, bool) and slot in _AS_BOOL:
        return {slot: value}
    if slot == "separation" and value in SEPARATIONS:
        return {slot: value}
    if isinstance(value, int) and not isinstance(value, bool) and slot not in _AS_BOOL:
        return {slot: value}
    text = str(value if value is not None else tracker.latest_message.get("text") or "")
    if dont_know(text):
        skipped = list(tracker.get_slot(SKIPPED_SLOT) or [])
        return {slot: None, SKIPPED_SLOT: [*skipped, slot] if slot not in skipped else skipped}
    reading = QUESTIONS[slot].read(text)
    if reading.ok:
        return {slot: slot_value(slot, reading)}
    if reading.status == "implausible":
        dispatcher.utter_message(
            text="그 값은 너무 크거나 작아서 다시 여쭐게요. " + QUESTIONS[slot].retry
        )
    else:
        dispatcher.utter_message(text=QUESTIONS[slot].retry)
    return {slot: None}


def _make_validator(slot: str) -> Callable[..., Any]:
    async def validate(
        self: Any,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if value is None:
            return {}
        return validate_fact(slot, value, tracker, dispatcher)

    validate.__name__ = f"validate_{slot}"
    return validate


# Facts people often say before they are asked ("부부 둘이 사는 62세예요. 가구 소득이 월
# 200만원인데…"): read from any message that carries the cue, so they are never asked again.
VOLUNTEERED: dict[str, re.Pattern[str]] = {
    "household_size": re.compile(r"가구|식구|가족|혼자|홀로|부부|둘이|셋이|넷이"),
    "household_income": re.compile(r"소득|수입|벌이|버는"),
    "monthly_wage": re.compile(r"월급|임금|연봉|봉급|급여를|받던\s{0,2}돈"),
    "insured_months": re.compile(r"고용\s{0,2}보험|다녔|다니다|다니고|근무|일했|재직"),
    "household_assets": re.compile(r"재산|자산|집\s{0,2}한\s{0,2}채"),
}


# Where the figure sits around its cue: money after "소득이", a period before "다녔어요".
_WINDOWS: dict[str, tuple[int, int]] = {
    "household_size": (12, 12),
    "household_income": (0, 24),
    "monthly_wage": (0, 24),
    "insured_months": (12, 0),
    "household_assets": (0, 24),
}


def volunteered(slot: str, tracker: Tracker) -> dict[str, Any]:
    """The fact when the latest message states it unasked; {} otherwise."""
    if tracker.get_slot(slot) is not None or tracker.get_slot("requested_slot") == slot:
        return {}
    text = str(tracker.latest_message.get("text") or "")[:300]
    cue = VOLUNTEERED[slot].search(text)
    if not cue:
        return {}
    before, after = _WINDOWS[slot]
    reading = QUESTIONS[slot].read(text[max(0, cue.start() - before) : cue.end() + after])
    return {slot: slot_value(slot, reading)} if reading.ok else {}


def volunteered_facts(tracker: Tracker) -> dict[str, Any]:
    """Every benefit fact the latest message states unasked, the reason for leaving included."""
    found: dict[str, Any] = {}
    for slot in VOLUNTEERED:
        found.update(volunteered(slot, tracker))
    if (
        tracker.get_slot("separation") is None
        and tracker.get_slot("requested_slot") != "separation"
    ):
        kind = parse_separation(str(tracker.latest_message.get("text") or ""))
        if kind:
            found["separation"] = kind
    return found


class BenefitFactValidation:
    """Mixin for the eligibility form: `validate_<fact>` for every benefit question, and the
    facts people volunteer read from any message while a benefit is being checked."""

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        events = await super().get_extraction_events(dispatcher, tracker, domain)  # type: ignore[misc]
        if tracker.get_slot("program") in BENEFIT_PROGRAM_IDS:
            events += [SlotSet(k, v) for k, v in volunteered_facts(tracker).items()]
        return events


for _slot in BENEFIT_SLOTS:
    setattr(BenefitFactValidation, f"validate_{_slot}", _make_validator(_slot))


class ActionAskBenefitFact(Action):
    """`action_ask_<fact>`: the question with its buttons."""

    def __init__(self, slot: str) -> None:
        self.slot = slot

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        send(dispatcher, [QUESTIONS[self.slot].message()])
        return []


def ask_actions() -> list[Action]:
    return [ActionAskBenefitFact(slot) for slot in BENEFIT_SLOTS]
