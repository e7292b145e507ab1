"""What a user may see of KB text: researchers' notes stay in the KB, and dates are said one way.

The KB keeps why a fact is uncertain ("블로그 자료라 확인이 필요합니다", "자료마다 달라요",
"(2015-03 이전 개소 당시)") for the people who maintain it. A reply drops those notes and says
one plain line instead (answers.caution_line), so a 55-year-old reads facts, not our doubts.
Standard library only: both runtimes may use it.
"""

from __future__ import annotations

import re

# A sentence that is about our sources rather than the program is left out of a reply.
SENTENCE_NOTES: tuple[str, ...] = (
    "확인 필요",
    "확인이 필요",
    "확인하지 못",
    "확인되지 않",
    "미확인",
    "블로그",
    "자료마다",
    "자료가 엇갈",
    "자료로 확인",
    "자료에서 확인",
    "공식 확인",
)
# A bracketed aside or a " — " tail is dropped on a wider set: dates of old addresses, guesses.
ASIDE_NOTES: tuple[str, ...] = (
    *SENTENCE_NOTES,
    "당시",
    "추정",
    "제3자",
    "코드 값",
    "추가 지정",
)
_ID = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")  # a KB id such as ec_changwon
_ASIDE = re.compile(r"\s*\(([^()]*)\)")
_PART_BREAK = re.compile(r"(,\s+|\.\s+|\s+—\s+|;\s*)")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
_DASH_TAIL = re.compile(r"\s+—\s+")


def _is_note(text: str, markers: tuple[str, ...]) -> bool:
    return any(marker in text for marker in markers) or bool(_ID.search(text))


def _clean_parts(text: str) -> str:
    """Drops the note parts of a list ("최대 40만원, 확인 필요" → "최대 40만원")."""
    pieces = _PART_BREAK.split(text)
    kept: list[str] = []
    for index in range(0, len(pieces), 2):
        part = pieces[index].strip().rstrip(".")
        if part and not _is_note(part, ASIDE_NOTES):
            if kept:
                kept.append(pieces[index - 1])
            kept.append(part)
    return "".join(kept).strip()


def _clean_aside(match: re.Match[str]) -> str:
    inner = _clean_parts(match.group(1))
    if not inner:
        return ""
    space = " " if match.group(0)[:1].isspace() else ""
    return f"{space}({inner})"


def public_text(text: str | None) -> str:
    """KB text as a user may read it: note asides, note sentences and ids taken out.

    Empty when nothing but notes was left, so a caller can say its own plain fallback.
    """
    if not text:
        return ""
    cleaned = " ".join(text.split())
    cleaned = _ASIDE.sub(_clean_aside, cleaned)
    head, *tails = _DASH_TAIL.split(cleaned)
    cleaned = " — ".join([head, *(t for t in tails if t.strip() and not _is_note(t, ASIDE_NOTES))])
    sentences = [
        s for s in _SENTENCE_BREAK.split(cleaned) if s.strip() and not _is_note(s, SENTENCE_NOTES)
    ]
    return " ".join(sentences).strip()


def as_of_label(verified_on: str | int) -> str:
    """The one way a 기준일 is said: "2026-02-23" → "기준일: 2026년 2월", "2025" → "기준일: 2025년".

    The KB stores a year, a month or a day; replies say the month at most, so two answers in one
    conversation never show the same date in two shapes.
    """
    parts = str(verified_on).split("-")
    year = parts[0]
    if len(parts) >= 2 and parts[1].isdigit():
        return f"기준일: {year}년 {int(parts[1])}월"
    return f"기준일: {year}년"


def latest(dates: list[str]) -> str:
    """The newest of several stored 기준일 values (they sort as text: "2025" < "2025-07")."""
    return max(dates, default="")


def split_sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_BREAK.split(text.strip()) if s]


def pack(lines: list[str], limit: int = 300, joiner: str = "\n") -> list[str]:
    """Lines gathered into as few bubbles as fit `limit`; a line too long alone is split at
    sentence ends, and only a single sentence longer than a bubble is cut."""
    pieces: list[str] = []
    for line in lines:
        if len(line) <= limit:
            pieces.append(line)
            continue
        for sentence in split_sentences(line):
            if len(sentence) > limit:
                sentence = sentence[: limit - 1].rstrip() + "…"
            pieces.append(sentence)
    bubbles: list[str] = []
    for piece in pieces:
        if bubbles and len(bubbles[-1]) + len(joiner) + len(piece) <= limit:
            bubbles[-1] += joiner + piece
        else:
            bubbles.append(piece)
    return bubbles


def pack_groups(groups: list[list[str]], limit: int = 300, joiner: str = "\n") -> list[str]:
    """Like `pack`, but a group of lines (a heading and its list) stays in one bubble whenever it
    fits in one, so a list is never split just to fill the bubble before it."""
    bubbles: list[str] = []
    for group in groups:
        text = joiner.join(group)
        if len(text) > limit:
            bubbles += pack(group, limit, joiner)
        elif bubbles and len(bubbles[-1]) + len(joiner) + len(text) <= limit:
            bubbles[-1] += joiner + text
        else:
            bubbles.append(text)
    return bubbles
