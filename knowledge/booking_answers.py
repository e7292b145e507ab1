"""Korean messages for booking, checking, changing and cancelling counseling appointments.

Plain functions over appointments and KB centers; actions only send what these return.
"""

from __future__ import annotations

import datetime as dt

from knowledge.answers import MAX_BUTTONS, Message, button, center_card, center_name, center_text
from knowledge.appointments import Booking, Slot, format_mobile, mask_mobile
from knowledge.josa import attach
from knowledge.schema import Center
from knowledge.when import WEEKDAY_KO, clock_label, day_label, seoul, when_label

HOTLINE_KIND = "전국 상담전화"


def spell_code(code: str) -> str:
    """'ACD347' → 'A-C-D-3-4-7', easy to read aloud over the phone."""
    return "-".join(code)


def bookable(centers: list[Center]) -> list[Center]:
    return [c for c in centers if c.kind != HOTLINE_KIND]


def place_label(center: Center | None) -> str:
    return center_name(center) if center else "센터"


def ask_place_for_booking() -> Message:
    return Message(
        "어느 지역의 센터에서 상담받으시겠어요? 사시는 시·군·구를 적어 주세요. "
        "(예: 관악구, 수원시, 부산 해운대구)",
        buttons=[button("처음으로", "restart"), button("상담사 연결", "request_human")],
    )


def center_choices(centers: list[Center], place: str) -> Message:
    shown = centers[:MAX_BUTTONS]
    return Message(
        f"{place} 가까이에서 상담받을 수 있는 곳이에요. 예약하실 센터를 골라 주세요.",
        buttons=[button(center_name(c), "inform", center=c.id) for c in shown],
    )


def day_choices(days: list[dt.date], center: Center | None) -> Message:
    where = f"{center_name(center)}에 " if center else ""
    return Message(
        f"{where}언제 방문하시겠어요? 날짜를 고르시거나 '다음주 화요일'처럼 말씀해 주세요.",
        buttons=[button(day_label(d), "inform", date=d.isoformat()) for d in days[:MAX_BUTTONS]],
    )


def time_choices(day: dt.date, slots: list[Slot]) -> Message:
    shown = slots[:MAX_BUTTONS]
    more = " 다른 시간은 '오후 4시'처럼 적어 주세요." if len(slots) > len(shown) else ""
    return Message(
        f"{day_label(day)}에 예약할 수 있는 시간이에요. 편한 시간을 골라 주세요.{more}",
        buttons=[
            button(clock_label(s.starts_at.time()), "inform", time=s.starts_at.strftime("%H:%M"))
            for s in shown
        ],
    )


def no_free_day(center: Center | None) -> Message:
    phone = f" {center.phone}" if center and center.phone else ""
    return Message(
        f"죄송해요, 앞으로 2주 동안 온라인으로 예약할 수 있는 시간이 없어요. "
        f"센터에 전화로 문의해 주세요.{phone}",
        buttons=[button("다른 센터 찾기", "find_center"), button("처음으로", "restart")],
    )


def alternatives(reason: str, slots: list[Slot]) -> Message:
    """A full or closed slot: the nearest free ones as buttons (date and time together)."""
    if not slots:
        return Message(f"{reason} 가까운 날에도 빈 시간이 없어요. 다른 날짜를 말씀해 주세요.")
    return Message(
        f"{reason} 가장 가까운 빈 시간이에요.",
        buttons=[
            button(
                when_label(s.starts_at),
                "inform",
                date=s.starts_at.date().isoformat(),
                time=s.starts_at.strftime("%H:%M"),
            )
            for s in slots[:MAX_BUTTONS]
        ],
    )


def closed_day_reason(day: dt.date, is_holiday: bool) -> str:
    if is_holiday:
        return f"{day_label(day)}은 공휴일이라 상담이 없어요."
    if day.weekday() >= 5:
        return f"{day_label(day)}은 주말이라 상담이 없어요."
    return f"{day_label(day)}에는 예약할 수 있는 시간이 없어요."


def summary(center: Center | None, starts_at: dt.datetime, name: str, phone: str) -> Message:
    return Message(
        "예약 내용을 확인해 주세요.\n"
        f"· 센터: {place_label(center)}\n"
        f"· 일시: {when_label(starts_at)}\n"
        f"· 성함: {name}\n"
        f"· 연락처: {format_mobile(phone)}\n"
        "이대로 예약할까요?",
        buttons=[
            button("네, 예약할게요", "affirm"),
            button("아니요", "deny"),
            button("처음으로", "restart"),
        ],
    )


def booked(booking: Booking, center: Center | None, reminders: int) -> list[Message]:
    notice = " 상담 하루 전과 2시간 전에 이 대화방으로 알림을 보내 드려요." if reminders else ""
    messages = [
        Message(
            f"예약되었어요. {when_label(booking.starts_at)}, {place_label(center)}입니다. "
            f"예약번호는 {attach(f'{booking.code} ({spell_code(booking.code)})', '이에요')}."
            f"{notice}"
        )
    ]
    if center is not None:
        card = center_card(center)
        messages.append(Message(center_text(card), card=card))
    messages.append(
        Message(
            "예약을 확인하거나 바꾸고 싶으시면 '예약 확인', '예약 변경', '예약 취소'라고 말씀해 주세요.",
            buttons=[
                button("예약 확인", "check_appointment"),
                button("처음으로", "restart"),
            ],
        )
    )
    return messages


def booking_line(booking: Booking, center: Center | None) -> str:
    return f"{when_label(booking.starts_at)} · {place_label(center)} · 예약번호 {booking.code}"


def bookings_list(bookings: list[Booking], centers: dict[str, Center]) -> list[Message]:
    if not bookings:
        return [no_bookings()]
    lines = [f"{i}. {booking_line(b, centers.get(b.center_id))}" for i, b in enumerate(bookings, 1)]
    return [
        Message(
            f"예정된 상담 예약이 {len(bookings)}건 있어요.\n" + "\n".join(lines),
            buttons=[
                button("예약 변경", "reschedule_appointment"),
                button("예약 취소", "cancel_appointment"),
                button("처음으로", "restart"),
            ],
        )
    ]


def no_bookings() -> Message:
    return Message(
        "지금 예정된 상담 예약이 없어요. 새로 예약하시겠어요?",
        buttons=[button("상담 예약", "book_appointment"), button("처음으로", "restart")],
    )


def choose_booking(bookings: list[Booking], centers: dict[str, Center], verb: str) -> Message:
    return Message(
        f"어느 예약을 {verb}? 골라 주세요.",
        buttons=[
            {
                "title": f"{when_label(b.starts_at)} {place_label(centers.get(b.center_id))}",
                "payload": f'/inform{{"booking_code":"{b.code}"}}',
            }
            for b in bookings[:MAX_BUTTONS]
        ],
    )


def confirm_cancel(booking: Booking, center: Center | None) -> Message:
    return Message(
        f"{booking_line(booking, center)} 예약을 취소할까요?",
        buttons=[button("네, 취소할게요", "affirm"), button("아니요", "deny")],
    )


def cancelled(booking: Booking, center: Center | None) -> Message:
    return Message(
        f"{when_label(booking.starts_at)} {place_label(center)} 예약을 취소했어요. "
        "보내 드리기로 한 알림도 보내지 않아요.",
        buttons=[button("다시 예약하기", "book_appointment"), button("처음으로", "restart")],
    )


def confirm_reschedule(booking: Booking, center: Center | None, new_start: dt.datetime) -> Message:
    return Message(
        f"{place_label(center)} 예약을 {when_label(booking.starts_at)}에서 "
        f"{attach(when_label(new_start), '으로')} 바꿀까요?",
        buttons=[button("네, 바꿀게요", "affirm"), button("아니요", "deny")],
    )


def rescheduled(booking: Booking, center: Center | None) -> Message:
    return Message(
        f"예약을 {attach(when_label(booking.starts_at), '으로')} 바꿨어요. 예약번호는 그대로 "
        f"{attach(booking.code, '이에요')}. 알림도 새 시간에 맞춰 보내 드려요.",
        buttons=[button("예약 확인", "check_appointment"), button("처음으로", "restart")],
    )


def kept_as_is() -> Message:
    return Message(
        "알겠습니다. 예약은 그대로 두었어요.",
        buttons=[button("예약 확인", "check_appointment"), button("처음으로", "restart")],
    )


def not_booked() -> Message:
    # Honest about every store: no booking row was written, but what was typed stays in the
    # conversation history until the user erases it (delete_my_data erases that too).
    return Message(
        "알겠습니다. 예약하지 않았어요. 예약 명단에는 성함과 연락처를 남기지 않았어요. "
        "다만 방금 나눈 대화 기록에는 남아 있어요. 지우시려면 "
        '"제 정보 삭제해 주세요"라고 말씀하시거나 아래 버튼을 눌러 주세요.',
        buttons=[
            button("다시 예약하기", "book_appointment"),
            button("제 정보 삭제", "delete_my_data"),
            button("처음으로", "restart"),
        ],
    )


def no_consent(center: Center | None) -> Message:
    phone = f"({center.phone}) " if center and center.phone else ""
    return Message(
        "알겠습니다. 동의 없이는 온라인 예약을 할 수 없어요. "
        f"센터에 전화로 {phone}예약하실 수 있어요.",
        buttons=[button("처음으로", "restart"), button("상담사 연결", "request_human")],
    )


def admin_phone(phone: str, full: bool) -> str:
    return format_mobile(phone) if full else mask_mobile(phone)


def starts(day: dt.date, time: dt.time) -> dt.datetime:
    return seoul(dt.datetime.combine(day, time))


def weekday_mismatch(day: dt.date, said_weekday: int) -> str:
    """The date said wins over a weekday that contradicts it; the user hears both, plainly."""
    date = f"{day.month}월 {day.day}일"
    return (
        f"{date}은 {WEEKDAY_KO[said_weekday]}요일이 아니라 {WEEKDAY_KO[day.weekday()]}요일이에요. "
        f"{date}로 알아볼게요. 다른 날을 원하시면 날짜를 다시 말씀해 주세요."
    )
