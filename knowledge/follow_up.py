"""Reading what a question asks: several aspects in one message, and follow-ups that refer back.

"돈은 얼마나 줘요? 그리고 신청은 어디서 해요" asks two things (비용, 신청방법) and gets two answers;
"한도요", "그럼 신청은요?" and "된다는 거예요 안 된다는 거예요?" refer to the program and the answer
last discussed (issue 17). Standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Per clause, the first aspect whose words appear wins, in this order: "신청 기간" is a 기간 and
# "신청은 어디서" is a 신청방법, not a 위치.
ASPECT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("기간", ("신청 기간", "신청기간", "모집 기간", "모집기간", "언제까지", "언제부터", "마감")),
    ("신청방법", ("신청", "어떻게 받", "접수", "방법", "서류")),
    ("비용", ("비용", "수당", "돈", "얼마", "무료", "지원금", "금액", "한도", "최대", "월급",
              "활동비", "교육비", "참여수당", "몇 만", "몇만")),
    ("대상", ("대상", "누가", "자격", "조건", "나이 제한", "나이제한")),
    ("기간", ("기간", "언제", "일정", "몇 달", "몇달", "얼마 동안", "얼마동안", "몇 개월", "몇개월")),
    ("연락처", ("연락처", "전화", "번호", "문의")),
    ("운영시간", ("운영시간", "운영 시간", "몇 시", "몇시")),
    ("위치", ("위치", "어디서", "어디로", "장소", "주소")),
    ("내용", ("내용", "뭐 하는", "무엇을 하", "뭘 하", "뭐해요", "뭐 해요", "어떤 거", "뭐예요",
              "뭔가요", "뭐에요")),
)  # fmt: skip

_CLAUSE_BREAK = re.compile(
    r"[?？!.,;\n]+|\s+(?:그리고|그리구|또|또는|아니면|그럼|근데)\s+|(?:이랑|하고|되고|이고)\s+"
)
_MAX_TEXT = 400  # longer messages are scanned only this far (bounded work on user text)


def _clauses(text: str) -> list[tuple[int, str]]:
    """(offset, clause) pairs in order."""
    out: list[tuple[int, str]] = []
    start = 0
    for match in _CLAUSE_BREAK.finditer(text):
        if match.start() > start:
            out.append((start, text[start : match.start()]))
        start = match.end()
    if start < len(text):
        out.append((start, text[start:]))
    return out


def aspect_of(clause: str) -> str | None:
    for aspect, words in ASPECT_WORDS:
        if any(word in clause for word in words):
            return aspect
    return None


def aspects_in(text: str, entities: Iterable[tuple[int | None, int | None, str]] = ()) -> list[str]:
    """The aspects a message asks about, in the order asked, each once.

    `entities` are the NLU's aspect entities as (start, end, value); inside a clause they win
    over the words found there, and clauses without one are read with ASPECT_WORDS.
    """
    text = (text or "")[:_MAX_TEXT]
    if text.startswith("/"):
        return []
    found: list[str] = []
    spans = [(s, e, v) for s, e, v in entities if s is not None and e is not None]
    for offset, clause in _clauses(text):
        end = offset + len(clause)
        tagged = [v for s, _, v in spans if offset <= s < end]
        for aspect in tagged or [aspect_of(clause)]:
            if aspect and aspect not in found:
                found.append(aspect)
    for _, _, value in entities:  # entities the model placed where no clause is (rare)
        if value and value not in found and not spans:
            found.append(value)
    return found


# "된다는 거예요 안 된다는 거예요?", "그래서 받을 수 있다는 거죠?", "결론이 뭐예요"
_RESTATE = re.compile(
    r"(된다는|안\s?된다는|되는\s?거|안\s?되는\s?거|받을\s?수\s?있다는|못\s?받는다는|결론|"
    r"그래서\s?(?:되|받|가능)|가능하다는|된다는\s?거|되긴\s?되|돼요\s?안\s?돼요|되나요\s?안\s?되나요)"
)


def asks_for_verdict_again(text: str) -> bool:
    """A short question that asks for the last verdict in plain words, not a new check."""
    text = (text or "")[:_MAX_TEXT]
    return len(text) <= 40 and bool(_RESTATE.search(text))


# "그럼 신청은요?", "한도요", "그건요?": short, no new subject, ends like a follow-up.
_FOLLOW_UP_END = re.compile(r"(요|은요|는요|이요|죠|나요|까요|예요|에요)\s*[?？]*\s*$")


def is_follow_up(text: str) -> bool:
    """A short message that asks an aspect of whatever was just discussed."""
    text = (text or "").strip()
    if not text or text.startswith("/") or len(text) > 30:
        return False
    return bool(aspects_in(text)) and bool(_FOLLOW_UP_END.search(text) or len(text) <= 8)
