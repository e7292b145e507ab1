"""Money, durations and household sizes as people type them in answers.

"월 400", "사백만 원", "350만원쯤", "1억 2천" → won; "8년", "3년 반", "15개월", "일 년 반" → months;
"혼자 살아요", "우리 식구 넷", "부부 둘이", "4인 가구" → people. A value that was read but cannot be
true (월 소득 10억, 가입 기간 50년, 가구원 0명) comes back as `implausible`, distinct from
`unreadable`, so the dialogue re-asks instead of giving a wrong verdict.

Standard library only and Python 3.10-compatible (shared by the engine and the app). Input is cut
to `MAX_INPUT` characters before any matching, and every pattern is a single character class or
bounded alternatives, so matching is linear in the input: no nested or adjacent unbounded repeats.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

MAX_INPUT = 100

Status = Literal["ok", "implausible", "unreadable"]


@dataclass(frozen=True)
class Reading:
    """A parsed answer: `value` in won / months / people; None only when unreadable."""

    value: int | None
    status: Status

    @property
    def ok(self) -> bool:
        return self.status == "ok"


UNREADABLE = Reading(None, "unreadable")

_SINO = {"영": 0, "공": 0, "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "륙": 6,
         "칠": 7, "팔": 8, "구": 9}  # fmt: skip
_SMALL = {"십": 10, "백": 100, "천": 1000}
_BIG = {"만": 10_000, "억": 100_000_000, "조": 1_000_000_000_000}
_NATIVE = {"하나": 1, "한": 1, "둘": 2, "두": 2, "셋": 3, "세": 3, "석": 3, "서": 3, "넷": 4,
           "네": 4, "넉": 4, "다섯": 5, "닷": 5, "여섯": 6, "엿": 6, "일곱": 7, "여덟": 8,
           "여덜": 8, "아홉": 9, "열": 10, "열한": 11, "열하나": 11, "열두": 12, "열둘": 12,
           "스무": 20, "스물": 20, "서른": 30, "마흔": 40, "쉰": 50}  # fmt: skip
_NATIVE_ALT = "|".join(sorted(_NATIVE, key=len, reverse=True))

# One character class, repeated: a run of number characters (digits, Hangul numerals, units).
_NUMBER_RUN = re.compile(r"[0-9.,일이삼사오육륙칠팔구영공십백천만억조 ]+")
_ZERO_WORDS = re.compile(
    r"없어|없습|없음|없고|없는|무소득|수입 ?없|소득 ?없|한 ?푼도|0 ?원|영 ?원|빵 ?원"
)


def _prepare(text: object) -> str:
    if text is None:
        return ""
    cut = unicodedata.normalize("NFC", str(text)[: MAX_INPUT * 2])[:MAX_INPUT]
    return cut.strip()


# ── numbers ──────────────────────────────────────────────────────────────

# After a number written only in Hangul ("사백만"), the next syllable must be one that can follow an
# amount; otherwise the run was part of a word: 백수, 만약, 십분, 천천히.
_AFTER_HANGUL_NUMBER = set("원쯤정가남좀넘이요밖인입벌되돼씩도은는을를에예였이")


def _tokens(run: str) -> list[tuple[str, float]]:
    """Tokens of a run: ("d", value) Arabic digits, ("h", digit) a Hangul digit, ("s", 십/백/천),
    ("b", 만/억/조). Spaces separate digit groups: "200 300" is two numbers."""
    out: list[tuple[str, float]] = []
    i, n = 0, len(run)
    while i < n:
        ch = run[i]
        if ch.isdigit():
            j = i
            while j < n and (run[j].isdigit() or run[j] in ",."):
                j += 1
            literal = run[i:j].rstrip(",.").replace(",", "")
            if literal.count(".") <= 1:
                out.append(("d", float(literal)))
            i = j
            continue
        if ch in _SINO:
            out.append(("h", float(_SINO[ch])))
        elif ch in _SMALL:
            out.append(("s", float(_SMALL[ch])))
        elif ch in _BIG:
            out.append(("b", float(_BIG[ch])))
        i += 1
    return out


def _groups(tokens: list[tuple[str, float]]) -> list[list[tuple[str, float]]]:
    """Split where a number follows a number: "이 200" (a particle, then digits), "400이", "200 300"."""
    groups: list[list[tuple[str, float]]] = []
    for token in tokens:
        if not groups or (token[0] in "dh" and groups[-1][-1][0] in "dh"):
            groups.append([token])
        else:
            groups[-1].append(token)
    return groups


@dataclass(frozen=True)
class _Number:
    value: float
    last_big: float  # the last 만/억/조 written (0 when none)
    tail: float  # what follows the last big unit: "1억 2천" → 2000
    digits: bool  # written with Arabic digits
    units: bool  # any 십/백/천/만/억/조


def _evaluate(group: list[tuple[str, float]]) -> _Number | None:
    """Korean positional reading: 사백만 → 4,000,000; 1억 2천 → 100,002,000 (caller scales)."""
    total = section = 0.0
    current: float | None = None
    last_small, last_big = 10_000.0, float("inf")
    for kind, value in group:
        if kind in "dh":
            current = value
        elif kind == "s":
            if value >= last_small:
                return None  # 천천, 백천: units must fall
            section += (current if current is not None else 1) * value
            current, last_small = None, value
        else:
            if value >= last_big:
                return None
            total += (section + (current or 0) or 1) * value
            section, current = 0.0, None
            last_small, last_big = 10_000.0, value
    tail = section + (current or 0)
    digits = any(kind == "d" for kind, _ in group)
    units = any(kind in "sb" for kind, _ in group)
    if not digits and not units:
        return None  # a lone Hangul digit is a syllable of a word ("일해요", "이번")
    big = 0.0 if last_big == float("inf") else last_big
    return _Number(total + tail, big, tail, digits, units)


def _numbers(text: str) -> list[tuple[_Number, str]]:
    """Every readable number in `text`, left to right, with the two characters after it."""
    found: list[tuple[_Number, str]] = []
    for match in _NUMBER_RUN.finditer(text):
        run = match.group(0).rstrip()
        following = text[match.end() : match.end() + 1]
        if len(run) >= 2 and run[-1] == "이" and run[-2] in "십백천만억조":
            if not following or "가" <= following <= "힣":
                run = run[:-1]  # "2억이요", "이백오십이요": 이 is the particle
        groups = _groups(_tokens(run))
        after = text[match.end() : match.end() + 2]
        for index, group in enumerate(groups):
            number = _evaluate(group)
            if number is None:
                continue
            follows = after if index == len(groups) - 1 else " "
            if not number.digits and follows[:1] and "가" <= follows[0] <= "힣":
                if follows[0] not in _AFTER_HANGUL_NUMBER:
                    continue
            found.append((number, follows))
    return found


# ── money ────────────────────────────────────────────────────────────────

_PER_YEAR = re.compile(r"연봉|연 ?소득|연 ?수입|1년에|일 ?년에|한 ?해에|1년 ?동안|년 ?소득")


def parse_money(text: object, low: int = 0, high: int = 50_000_000_000) -> Reading:
    """An amount in won. Bare figures and 천/백 without 만 are read as 만 원 ("월 400" → 400만 원,
    "1억 2천" → 1억 2천만 원, "3천" → 3천만 원) because nobody reports income in single won;
    "원" written right after a plain figure of 1,000 or more keeps it literal ("2,500,000원")."""
    cleaned = _prepare(text)
    if not cleaned:
        return UNREADABLE
    numbers = _numbers(cleaned)
    if not numbers:
        return Reading(0, "ok") if _ZERO_WORDS.search(cleaned) and low <= 0 else UNREADABLE
    number, after = numbers[0]
    value = number.value
    if number.last_big >= 100_000_000 and 0 < number.tail < 10_000:
        value += number.tail * 9_999  # "1억 2천" / "1억 2000": the tail after 억 counts in 만
    elif number.last_big == 0:
        literal = after.lstrip().startswith("원") and value >= 1000
        if not literal and value < 100_000:
            value *= 10_000  # "400", "3천", "350쯤" → 만 원
    amount = round(value)
    return Reading(amount, "ok" if low <= amount <= high else "implausible")


def parse_monthly_income(text: object) -> Reading:
    """가구 월 소득 / 월 임금, 0 to 5,000만 원 ("10억" is implausible); 연봉 is divided by 12."""
    reading = parse_money(text, 0, 600_000_000)
    if reading.value is None:
        return reading
    monthly = reading.value // 12 if _PER_YEAR.search(_prepare(text)) else reading.value
    return Reading(monthly, "ok" if 0 <= monthly <= 50_000_000 else "implausible")


def parse_assets(text: object) -> Reading:
    """가구 재산 합계: 0 to 500억 원."""
    return parse_money(text, 0, 50_000_000_000)


# ── durations ────────────────────────────────────────────────────────────

_NUM = r"(?<![\d.])(\d{1,2}(?:\.\d)?|[일이삼사오육칠팔구십]{1,4}|" + _NATIVE_ALT + ")"
_YEARS = re.compile(_NUM + r" ?(?:년|해)( ?반)?")
_MONTHS = re.compile(_NUM + r" ?(?:개월|달)( ?반)?")
_HALF_YEAR = re.compile(r"반 ?년")
_RANGE = re.compile(r"(?<!\d)(\d{1,2}) ?[~\-] ?\d{1,2} ?(년|개월)")
_LESS = re.compile(r"미만|안 ?돼|안 ?됐|안 ?되|못 ?돼|못 ?됐|채 ?안|조금 ?덜|덜 ?돼|덜 ?됐")
_BARE = re.compile(r"(\d{1,3}) ?(?:이요|요|입니다|이에요|예요|정도|쯤)?[.!?~ ]{0,3}")


def _small_number(word: str) -> float | None:
    """1–99 written any way: "8", "1.5", "일", "이십", "십오", "두", "열두"."""
    if word in _NATIVE:
        return float(_NATIVE[word])
    if word[0].isdigit():
        return float(word)
    if word in _SINO:
        return float(_SINO[word])
    groups = _groups(_tokens(word))
    number = _evaluate(groups[0]) if len(groups) == 1 else None
    return number.value if number else None


def parse_duration(
    text: object, max_months: int = 480, bare: Literal["years", "months"] | None = None
) -> Reading:
    """A period in months: "8년" → 96, "3년 반" → 42, "1년 6개월" → 18, "15개월" → 15,
    "일 년 반" → 18, "반년" → 6, "두 달" → 2, "1~3년" → 12 (a band's lower bound),
    "1년 미만" → 11. A figure alone counts only when `bare` names its unit. More than
    `max_months` (40 years by default: "50년") is implausible."""
    cleaned = _prepare(text)
    if not cleaned:
        return UNREADABLE
    months = 0.0
    end = -1
    ranged = _RANGE.search(cleaned)
    if ranged:
        low = int(ranged.group(1))
        months, end = (low * 12 if ranged.group(2) == "년" else low), ranged.end()
    else:
        year = _YEARS.search(cleaned)
        value = _small_number(year.group(1)) if year else None
        if year and value is not None:
            months, end = value * 12 + (6 if year.group(2) else 0), year.end()
        month = _MONTHS.search(cleaned, max(end, 0))
        value = _small_number(month.group(1)) if month else None
        if month and value is not None:
            months, end = months + value + (0.5 if month.group(2) else 0), month.end()
        if end < 0:
            half = _HALF_YEAR.search(cleaned)
            if half:
                months, end = 6, half.end()
    if end < 0 and bare is not None:
        match = _BARE.fullmatch(cleaned)
        if match:
            value = float(match.group(1))
            months, end = (value * 12 if bare == "years" else value), len(cleaned)
    if end < 0:
        return UNREADABLE
    if months >= 1 and _LESS.search(cleaned, end, end + 8):
        months -= 1  # "1년 미만", "3년 안 됐어요" → inside the band below
    total = int(months + 0.5)
    return Reading(total, "ok" if 0 <= total <= max_months else "implausible")


# ── household size ───────────────────────────────────────────────────────

_FULL = {"하나": 1, "둘": 2, "셋": 3, "넷": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8,
         "아홉": 9, "열": 10}  # fmt: skip
_DETERMINER = {"한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8,
               "아홉": 9, "열": 10}  # fmt: skip
_FULL_ALT = "|".join(sorted(_FULL, key=len, reverse=True))
_DET_ALT = "|".join(sorted(_DETERMINER, key=len, reverse=True))

_ALONE = re.compile(r"혼자|홀로|독거|독신|1인 ?가구|일인 ?가구|저 ?하나|나 ?하나|싱글")
_PEOPLE_DIGITS = re.compile(r"(?<![\d.])(\d{1,3}) ?(?:인|명|식구|사람|가족)")
_PEOPLE_SINO = re.compile(r"(?<![가-힣])([일이삼사오육칠팔구]) ?인 ?가구")
_PEOPLE_DET = re.compile(r"(?<![\d가-힣])(" + _DET_ALT + r") ?(?:명|식구|사람|가족)")
_PEOPLE_FULL = re.compile(
    r"(?<![\d가-힣])("
    + _FULL_ALT
    + r")(?: ?명| ?식구|이서|이에요|이예요|이요|이 ?살|이 ?있|이고|이$|$|[ .,!~])"
)
_FAMILY_COUNT = re.compile(r"(?:식구|가족|가구원)[^0-9]{0,6}?(\d{1,2}|" + _FULL_ALT + r")")
_SPOUSE = re.compile(r"부부|남편|아내|와이프|집사람|배우자|신랑|마누라")
_CHILDREN = re.compile(
    r"(?:자녀|아이|애|아들|딸|자식)들? ?(?:이|가|은|는)? ?(\d{1,2}|"
    + _FULL_ALT
    + "|"
    + _DET_ALT
    + r")"
)


def _people(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _FULL.get(word, _DETERMINER.get(word))


def parse_household(text: object, high: int = 12) -> Reading:
    """People in the household, the user included: "혼자 살아요" → 1, "우리 식구 넷" → 4,
    "부부 둘이" → 2, "4인 가구" → 4, "아내랑 아이 둘" → 4. 0 or more than `high` is implausible."""
    cleaned = _prepare(text)
    if not cleaned:
        return UNREADABLE
    count: int | None = None
    sino = _PEOPLE_SINO.search(cleaned)
    if sino:
        count = _SINO[sino.group(1)]
    for pattern in (_PEOPLE_DIGITS, _FAMILY_COUNT, _PEOPLE_DET):
        if count is not None:
            break
        match = pattern.search(cleaned)
        if match:
            count = _people(match.group(1))
    spouse = _SPOUSE.search(cleaned)
    children = _CHILDREN.search(cleaned)
    if spouse and children:
        kids = _people(children.group(1))
        if kids is not None:
            count = 2 + kids  # "부부와 자녀 2명": that figure counts the children
    if count is None:
        match = _PEOPLE_FULL.search(cleaned)
        if match:
            count = _people(match.group(1))
    if count is None and _ALONE.search(cleaned):
        count = 1
    if count is None and spouse:
        count = 2
    if count is None:
        bare = _BARE.fullmatch(cleaned)
        if bare:
            count = int(bare.group(1))
    if count is None:
        return UNREADABLE
    return Reading(count, "ok" if 1 <= count <= high else "implausible")
