"""Booking in Korean through /api/messages with the real engine, actions and database:
book → check → reschedule → cancel → check shows none; leaving the form; erasing my data;
the counselor's listing and page."""

from __future__ import annotations

import json
import re
import uuid

import requests

from tests.e2e.conftest import Stack

ADMIN = {"Authorization": "Bearer e2e-admin-token"}


def user() -> str:
    return f"book-{uuid.uuid4()}"


def all_text(replies: list[dict]) -> str:
    return "\n".join(r["text"] for r in replies)


def buttons(replies: list[dict]) -> list[dict]:
    return [b for r in replies for b in r["buttons"]]


CONFUSED = ("알아듣지 못했어요", "찾지 못했어요", "'네' 또는 '아니요'", "이해하지 못했어요")


class Chat:
    """One user; every reply on the happy path is checked for "I did not understand" messages."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.me = user()

    def say(self, text: str, expect_confusion: bool = False) -> list[dict]:
        resp = self.stack.say(self.me, text)
        assert resp.status_code == 200, resp.text
        replies = resp.json()["replies"]
        if not expect_confusion:
            said = all_text(replies)
            assert not any(word in said for word in CONFUSED), f"{text!r} → {said}"
        return replies


def pick_time(chat: Chat, replies: list[dict], said: str) -> list[dict]:
    """After a date and time were said: on to consent, or take the first offered free time
    (the wanted one may fall on a public holiday when the suite runs)."""
    if "개인정보" in all_text(replies):
        return replies
    offered = [b for b in buttons(replies) if '"time"' in b["payload"]]
    assert offered, f"{said}: {all_text(replies)}"
    replies = chat.say(offered[0]["payload"])
    if "개인정보" not in all_text(replies):  # a date button alone → time buttons next
        times = [b for b in buttons(replies) if '"time"' in b["payload"]]
        replies = chat.say(times[0]["payload"])
    return replies


def book(chat: Chat) -> tuple[str, str, str]:
    """A whole booking in words; returns (code, center id, date)."""
    replies = chat.say("상담 예약하고 싶어요")
    assert "시·군·구" in all_text(replies), all_text(replies)
    replies = chat.say("관악구요")
    centers = [b for b in buttons(replies) if '"center"' in b["payload"]]
    assert centers, all_text(replies)
    center_id = json.loads(centers[0]["payload"][len("/inform") :])["center"]
    replies = chat.say(centers[0]["payload"])
    assert "언제" in all_text(replies) and any('"date"' in b["payload"] for b in buttons(replies))
    replies = pick_time(chat, chat.say("다음주 화요일 오후 2시"), "다음주 화요일 오후 2시")
    assert "성함, 휴대전화 번호" in all_text(replies) and "보관 기간" in all_text(replies)
    replies = chat.say("네, 동의합니다")
    assert "성함" in all_text(replies), all_text(replies)
    replies = chat.say("홍길동입니다")
    assert "휴대전화 번호" in all_text(replies), all_text(replies)
    replies = chat.say("010 1234 5678")
    summary = all_text(replies)
    assert "홍길동" in summary and "010-1234-5678" in summary and "이대로 예약할까요" in summary
    day = re.search(r"(\d+)월 (\d+)일", summary)
    assert day
    replies = chat.say("네")
    text = all_text(replies)
    assert "예약되었어요" in text, text
    code = re.search(r"예약번호는 ([A-Z0-9]{6})", text)
    assert code and any("card" in r for r in replies)
    found = re.search(r"· 일시: (\d+)월 (\d+)일", summary)
    assert found
    month, dom = int(found.group(1)), int(found.group(2))
    year = 2026 if month >= 11 else 2027
    return code.group(1), center_id, f"{year}-{month:02d}-{dom:02d}"


def test_book_check_reschedule_cancel_in_words(stack: Stack) -> None:
    chat = Chat(stack)
    code, center_id, day = book(chat)

    replies = chat.say("예약 확인하고 싶어요")
    assert code in all_text(replies) and "1건" in all_text(replies)

    # the counselor sees it, phone masked in the listing
    listing = requests.get(
        f"{stack.url}/admin/appointments",
        params={"center": center_id, "date": day},
        headers=ADMIN,
        timeout=10,
    ).json()
    mine = [a for a in listing["appointments"] if a["code"] == code]
    assert mine and mine[0]["name"] == "홍길동" and mine[0]["phone"] == "010-****-5678"

    replies = chat.say("예약 시간 바꿀래요")
    assert "언제" in all_text(replies), all_text(replies)
    replies = chat.say("다음주 수요일 오전 10시")
    if "바꿀까요" not in all_text(replies):
        offered = [b for b in buttons(replies) if '"time"' in b["payload"]]
        replies = chat.say(offered[0]["payload"])
    assert "바꿀까요" in all_text(replies), all_text(replies)
    replies = chat.say("네 바꿔 주세요")
    assert "바꿨어요" in all_text(replies) and code in all_text(replies), all_text(replies)

    replies = chat.say("예약 취소해 주세요")
    assert "취소할까요" in all_text(replies), all_text(replies)
    replies = chat.say("네")
    assert "취소했어요" in all_text(replies), all_text(replies)

    replies = chat.say("예약 확인")
    assert "예약이 없어요" in all_text(replies)


def test_restart_leaves_the_booking_form_at_any_step(stack: Stack) -> None:
    chat = Chat(stack)
    chat.say("상담 예약할래요")
    chat.say("관악구")
    replies = chat.say("처음으로")
    assert "처음으로 돌아왔어요" in all_text(replies)
    replies = chat.say("안녕하세요")
    assert "이음" in all_text(replies)
    replies = chat.say("예약 확인")
    assert "예약이 없어요" in all_text(replies)


def test_saying_no_to_consent_books_nothing(stack: Stack) -> None:
    chat = Chat(stack)
    chat.say("상담 예약하고 싶어요")
    replies = chat.say("관악구요")
    center = next(b for b in buttons(replies) if '"center"' in b["payload"])
    chat.say(center["payload"])
    replies = pick_time(chat, chat.say("다음주 화요일 오후 3시"), "다음주 화요일 오후 3시")
    replies = chat.say("/deny")
    assert "동의 없이는" in all_text(replies)
    assert "예약이 없어요" in all_text(chat.say("예약 확인"))


def test_delete_my_data_erases_bookings_and_history(stack: Stack) -> None:
    chat = Chat(stack)
    book(chat)
    replies = chat.say("제 정보 삭제해 주세요")
    assert "지울까요" in all_text(replies), all_text(replies)
    replies = chat.say("네, 모두 지워 주세요")
    assert "지웠어요" in all_text(replies), all_text(replies)
    tracker = requests.get(
        f"{stack.rasa_url}/conversations/web:{chat.me}/tracker",
        params={"token": stack.rasa_token},
        timeout=10,
    ).json()
    stored = json.dumps(tracker, ensure_ascii=False)
    assert "홍길동" not in stored and "1234" not in stored
    assert "예약이 없어요" in all_text(chat.say("예약 확인"))


def test_counselor_page_lists_a_days_bookings(stack: Stack) -> None:
    chat = Chat(stack)
    code, center_id, day = book(chat)
    browser = requests.Session()
    resp = browser.post(f"{stack.url}/admin/login", data={"token": "e2e-admin-token"}, timeout=10)
    assert resp.status_code == 200 and "상담 예약 관리" in resp.text
    page = browser.get(
        f"{stack.url}/admin/day", params={"center": center_id, "date": day}, timeout=10
    ).text
    assert code in page and "홍길동" in page and "tel:01012345678" in page
