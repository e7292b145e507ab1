"""After a declined booking the bot says what is true of every store, and how to erase it."""

from __future__ import annotations

from actions.booking import ActionBookAppointment
from actions.deps import ActionDeps
from tests.app.test_booking_actions import SENDER, all_text, events_by_slot, run, tracker

TYPED = {
    "center": "ec_seoul", "date": "2026-11-24", "time": "14:00", "consent": True,
    "person_name": "홍길동", "phone": "01012345678", "confirmed": False,
}  # fmt: skip


async def test_declined_booking_is_honest_about_the_conversation_history(
    deps: ActionDeps,
) -> None:
    events, dispatcher = await run(ActionBookAppointment(deps), tracker("아니요", "deny", TYPED))
    text = all_text(dispatcher)
    assert await deps.appointments.for_sender(SENDER, deps.now()) == []  # no booking row
    assert all(value is None for value in events_by_slot(events).values())  # slots cleared
    assert "저장하지 않았어요" not in text  # the history still holds what was typed
    assert "대화 기록에는 남아 있어요" in text and "제 정보 삭제해 주세요" in text
    buttons = [b for m in dispatcher.messages for b in m.get("buttons") or []]
    assert {"title": "제 정보 삭제", "payload": "/delete_my_data"} in buttons
    assert len(buttons) <= 6
    assert all(len(m.get("text") or "") <= 300 for m in dispatcher.messages)
