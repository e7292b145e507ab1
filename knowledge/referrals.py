"""Honest scope: a topic or program the KB lacks is named back with where to ask (issue 17).

`referrals.yaml` lists topics people bring that we do not cover (새일센터, 노인일자리, 연금, …)
with the office that answers each; a name we do not know at all is said back as typed with the
general places to ask. Neither ever answers with another program in its place.
"""

from __future__ import annotations

import logging
import re
from difflib import SequenceMatcher
from pathlib import Path

from knowledge.answers import HOTLINE, Message, button
from knowledge.josa import attach
from knowledge.kb_files import DEFAULT_KB_DIR, read_referrals
from knowledge.plain_text import as_of_label
from knowledge.schema import Program, Referral
from knowledge.text import alias_key

log = logging.getLogger(__name__)

REFERRALS_FILE = "referrals.yaml"


class ReferralBook:
    """The referrals file, read on first use and again whenever it changes on disk.

    Edits show without a restart, like `ieum kb load` does for programs; a broken file keeps
    the last good list (and says so in the log).
    """

    def __init__(self, kb_dir: Path | None = None) -> None:
        self._kb_dir = kb_dir or DEFAULT_KB_DIR
        self._stamp: float | None = None
        self._items: list[Referral] = []

    def all(self) -> list[Referral]:
        path = self._kb_dir / REFERRALS_FILE
        try:
            stamp = path.stat().st_mtime
        except OSError:
            return self._items
        if stamp != self._stamp:
            found, problems = read_referrals(self._kb_dir)
            if problems:
                log.error("referrals.yaml를 읽지 못해 이전 목록을 씁니다: %s", problems[:3])
            else:
                self._items = list(found.values())
            self._stamp = stamp
        return self._items


_BOOKS: dict[Path, ReferralBook] = {}


def referral_book(kb_dir: Path | None = None) -> ReferralBook:
    """One shared book per KB folder (made on first use, never at import)."""
    key = kb_dir or DEFAULT_KB_DIR
    if key not in _BOOKS:
        _BOOKS[key] = ReferralBook(key)
    return _BOOKS[key]


def find_referral(text: str, referrals: list[Referral]) -> Referral | None:
    """The referral whose topic or alias appears in the text (longest alias wins)."""
    key = alias_key(text or "")
    if not key or (text or "").startswith("/"):
        return None
    best: tuple[int, Referral] | None = None
    for referral in referrals:
        for alias in [referral.topic, *referral.aliases]:
            alias_k = alias_key(alias)
            if len(alias_k) >= 2 and alias_k in key and (best is None or len(alias_k) > best[0]):
                best = (len(alias_k), referral)
    return best[1] if best else None


def _where(referral: Referral) -> str:
    return f"{referral.office} {referral.phone}" if referral.phone else referral.office


def referral_answer(referral: Referral) -> list[Message]:
    """ "새일센터는 아직 제가 안내하지 못해요" + the office to ask, as text and a card."""
    text = (
        f"{attach(referral.topic, '은')} 아직 제가 안내하지 못해요. "
        f"{_where(referral)}에 물어보시면 정확히 알려 드려요."
    )
    card = {
        "title": referral.office,
        "description": " · ".join(
            bit
            for bit in (
                f"전화 {referral.phone}" if referral.phone else "",
                as_of_label(referral.verified_on),
            )
            if bit
        ),
    }
    if referral.phone:
        card["phone"] = referral.phone
    if referral.web:
        card["url"] = referral.web
    return [
        Message(text, card=card),
        Message(
            "이음은 중장년 취업 지원 프로그램, 센터, 상담 예약, 채용박람회를 안내해 드려요.",
            buttons=[
                button("지원 프로그램 안내", "ask_programs"),
                button("상담사 연결", "request_human"),
                button("처음으로", "restart"),
            ],
        ),
    ]


# ── names we do not know ───────────────────────────────────────────────────────

# A word ending like a program, benefit or center name: "희망드림패키지", "무슨무슨지원금".
_NAMEISH = re.compile(
    r"([0-9A-Za-z가-힣+]{1,20}(?:패키지|사업|제도|프로그램|센터|수당|지원금|장려금|카드|바우처|"
    r"일자리|연금|급여|과정|스쿨|학교|인턴십|아카데미|공제|서비스))"
)
# Words that end like a name but name nothing: "지원 프로그램", "무슨 사업".
_GENERIC = {
    "프로그램", "지원프로그램", "사업", "지원사업", "제도", "센터", "수당", "지원금", "장려금",
    "카드", "일자리", "연금", "급여", "과정", "교육과정", "서비스", "무슨프로그램", "어떤프로그램",
    "이프로그램", "그프로그램", "무슨사업", "어떤사업", "그사업", "이사업", "고용센터", "상담센터",
    "중장년센터", "중장년내일센터", "내일센터", "가까운센터", "근처센터", "취업지원", "지원제도",
    "무슨제도", "어떤제도", "그제도", "정부지원금", "지원서비스", "무슨서비스", "어떤서비스",
    "좋은일자리", "일자리센터", "교육프로그램", "취업프로그램", "중장년프로그램", "신청서비스",
}  # fmt: skip


def unknown_name(text: str, programs: list[Program]) -> str | None:
    """A program-like name in the text that no KB program has, as the user wrote it.

    None for generic words ("지원 프로그램") and for near-misses of a real program's name
    ("생애경력설게서비스"), which the program lookup handles.
    """
    if not text or text.startswith("/"):
        return None
    for match in _NAMEISH.finditer(text):
        name = match.group(1)
        key = alias_key(name)
        if key in _GENERIC or len(key) < 4:
            continue
        if _near_program(key, programs):
            return None
        return name
    return None


def _near_program(key: str, programs: list[Program]) -> bool:
    for program in programs:
        for alias in [program.name, *program.aliases]:
            alias_k = alias_key(alias)
            if alias_k and (alias_k in key or key in alias_k):
                return True
            if SequenceMatcher(None, key, alias_k).ratio() >= 0.75:
                return True
    return False


def unknown_program_answer(name: str) -> list[Message]:
    """The name said back as typed, with the general places to ask — never another program."""
    return [
        Message(
            f"{attach(name, '은')} 아직 제가 안내하지 못해요. {attach(HOTLINE, '이나')} 고용24"
            " (www.work24.go.kr)에 물어보시면 정확히 알려 드려요. 제가 안내할 수 있는 프로그램을"
            " 보시려면 아래 버튼을 눌러 주세요.",
            buttons=[
                button("지원 프로그램 안내", "ask_programs"),
                button("상담사 연결", "request_human"),
                button("처음으로", "restart"),
            ],
        )
    ]
