"""Counselor and operator endpoints under `/admin/`, all behind `ADMIN_TOKEN`.

Every handler is wrapped by `bot.admin_auth` (`@admin_api` / `@admin_page`): Bearer token for
the API, a server-side session cookie from the login form for the pages, failures limited per
address, same-origin checks for cookie-signed changes.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import logging
from typing import Any

from aiohttp import web

from bot.admin_auth import (
    admin_api,
    admin_page,
    html_page,
    login,
    logout,
    logout_button,
    setup_admin_auth,
)
from bot.http_json import BadRequestBody, json_error, json_reply, read_json
from bot.keys import (
    APPOINTMENTS_KEY,
    CATALOG_KEY,
    CLOCK_KEY,
    EVENT_DESK_KEY,
)
from knowledge.appointments import Booking, Schedule
from knowledge.booking_answers import admin_phone, bookable
from knowledge.events import EventInputError, parse_event
from knowledge.when import day_label, seoul

logger = logging.getLogger(__name__)

MAX_ADMIN_BODY = 16 * 1024


def _day_param(request: web.Request, name: str = "date") -> dt.date:
    raw = request.query.get(name, "").strip()
    if not raw:
        return seoul(request.app[CLOCK_KEY]()).date()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise BadRequestBody(400, "date는 YYYY-MM-DD 형식이어야 합니다.", "date") from None


async def _center_param(request: web.Request, value: str | None) -> Any:
    if not value:
        raise BadRequestBody(400, "center(센터 id)를 적어 주세요.", "center")
    center = await request.app[CATALOG_KEY].center(value)
    if center is None:
        raise BadRequestBody(400, f"없는 센터입니다: {value}", "center")
    return center


def _booking_row(booking: Booking, full_phone: bool) -> dict[str, Any]:
    return {
        "code": booking.code,
        "starts_at": booking.starts_at.isoformat(),
        "time": booking.starts_at.strftime("%H:%M"),
        "name": booking.name,
        "phone": admin_phone(booking.phone, full_phone),
        "status": booking.status,
    }


def _bad(exc: BadRequestBody) -> web.Response:
    extra = {"field": exc.field} if exc.field else {}
    return json_error(exc.status, exc.message, **extra)


@admin_api
async def list_appointments(request: web.Request) -> web.StreamResponse:
    """`GET /admin/appointments?center=&date=`: JSON, or CSV with `Accept: text/csv`."""
    try:
        center = await _center_param(request, request.query.get("center"))
        day = _day_param(request)
    except BadRequestBody as exc:
        return _bad(exc)
    full_phone = request.query.get("phone") == "full"
    bookings = await request.app[APPOINTMENTS_KEY].day_list(center.id, day)
    rows = [_booking_row(b, full_phone) for b in bookings]
    if "text/csv" in request.headers.get("Accept", ""):
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer, fieldnames=["code", "starts_at", "time", "name", "phone", "status"]
        )
        writer.writeheader()
        writer.writerows(rows)
        return web.Response(
            body=("\ufeff" + buffer.getvalue()).encode("utf-8"),  # BOM: Excel reads Korean right
            content_type="text/csv",
            charset="utf-8",
            headers={"Content-Disposition": f'attachment; filename="{center.id}-{day}.csv"'},
        )
    return json_reply(
        {
            "center": center.id,
            "center_name": center.name,
            "date": day.isoformat(),
            "appointments": rows,
        }
    )


def _parse_clock(value: Any, field: str) -> dt.time:
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError:
        raise BadRequestBody(400, f"{field}는 HH:MM 형식이어야 합니다.", field) from None


def schedule_from(body: Any) -> Schedule:
    """A center's counseling schedule from JSON, naming the first bad field."""
    if not isinstance(body, dict):
        raise BadRequestBody(400, "요청 본문은 JSON 객체여야 합니다.")
    weekdays = body.get("weekdays", [0, 1, 2, 3, 4])
    if (
        not isinstance(weekdays, list)
        or not weekdays
        or not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6 for d in weekdays)
    ):
        raise BadRequestBody(400, "weekdays는 0(월)~6(일) 숫자 목록이어야 합니다.", "weekdays")
    opens = _parse_clock(body.get("opens", "09:00"), "opens")
    closes = _parse_clock(body.get("closes", "18:00"), "closes")
    if closes <= opens:
        raise BadRequestBody(400, "closes는 opens보다 늦어야 합니다.", "closes")
    lunch_raw = body.get("lunch", ["12:00", "13:00"])
    lunch = None
    if lunch_raw is not None:
        if not isinstance(lunch_raw, list) or len(lunch_raw) != 2:
            raise BadRequestBody(400, 'lunch는 ["12:00", "13:00"] 또는 null이어야 합니다.', "lunch")
        lunch = (_parse_clock(lunch_raw[0], "lunch"), _parse_clock(lunch_raw[1], "lunch"))
        if lunch[1] <= lunch[0]:
            raise BadRequestBody(400, "lunch의 끝이 시작보다 늦어야 합니다.", "lunch")
    slot = body.get("slot_minutes", 60)
    if not isinstance(slot, int) or isinstance(slot, bool) or not 10 <= slot <= 240:
        raise BadRequestBody(400, "slot_minutes는 10~240 사이 정수여야 합니다.", "slot_minutes")
    seats = body.get("seats", 1)
    if not isinstance(seats, int) or isinstance(seats, bool) or not 1 <= seats <= 50:
        raise BadRequestBody(400, "seats는 1~50 사이 정수여야 합니다.", "seats")
    return Schedule(tuple(sorted(set(weekdays))), opens, closes, lunch, slot, seats)


def schedule_dict(schedule: Schedule) -> dict[str, Any]:
    return {
        "weekdays": list(schedule.weekdays),
        "opens": schedule.opens.strftime("%H:%M"),
        "closes": schedule.closes.strftime("%H:%M"),
        "lunch": [t.strftime("%H:%M") for t in schedule.lunch] if schedule.lunch else None,
        "slot_minutes": schedule.slot_minutes,
        "seats": schedule.seats,
    }


@admin_api
async def put_schedule(request: web.Request) -> web.Response:
    """`PUT /admin/centers/{center}/schedule`: weekdays, hours, lunch, slot length, seats."""
    try:
        center = await _center_param(request, request.match_info["center"])
        schedule = schedule_from(await read_json(request, MAX_ADMIN_BODY))
    except BadRequestBody as exc:
        return _bad(exc)
    await request.app[APPOINTMENTS_KEY].set_schedule(center.id, schedule, request.app[CLOCK_KEY]())
    logger.info("schedule of %s changed", center.id)
    return json_reply({"center": center.id, "schedule": schedule_dict(schedule)})


@admin_api
async def post_closed_day(request: web.Request) -> web.Response:
    """`POST /admin/centers/{center}/closed-days` `{"date": "YYYY-MM-DD", "reason"?}`."""
    try:
        center = await _center_param(request, request.match_info["center"])
        body = await read_json(request, MAX_ADMIN_BODY)
        if not isinstance(body, dict):
            raise BadRequestBody(400, "요청 본문은 JSON 객체여야 합니다.")
        try:
            day = dt.date.fromisoformat(str(body.get("date", "")))
        except ValueError:
            raise BadRequestBody(400, "date는 YYYY-MM-DD 형식이어야 합니다.", "date") from None
        reason = body.get("reason")
        if reason is not None and (not isinstance(reason, str) or len(reason) > 200):
            raise BadRequestBody(400, "reason은 200자 이하의 글이어야 합니다.", "reason")
    except BadRequestBody as exc:
        return _bad(exc)
    await request.app[APPOINTMENTS_KEY].close_day(center.id, day, reason)
    booked = await request.app[APPOINTMENTS_KEY].day_list(center.id, day)
    return json_reply(
        {
            "center": center.id,
            "date": day.isoformat(),
            "closed": True,
            "existing_bookings": len(booked),
        },
        status=201,
    )


@admin_api
async def post_event(request: web.Request) -> web.Response:
    """`POST /admin/events` (DESIGN): saves the event and queues alerts → 201 `{"id", "queued"}`."""
    try:
        event = parse_event(await read_json(request, MAX_ADMIN_BODY))
    except BadRequestBody as exc:
        return _bad(exc)
    except EventInputError as exc:
        return json_error(400, f"{exc.field}: {exc.message}", field=exc.field)
    published = await request.app[EVENT_DESK_KEY].publish(event, request.app[CLOCK_KEY]())
    logger.info("event %s published: %d alerts queued", published.id, published.queued)
    return json_reply(
        {"id": published.id, "queued": published.queued, "reminders": published.reminders,
         "created": published.created},
        status=201,
    )  # fmt: skip


# ── the counselor's page: tomorrow's bookings for a center ─────────────────────────────


@admin_page
async def day_page(request: web.Request) -> web.Response:
    """A day's bookings for one center; defaults to tomorrow, full phone numbers (own view)."""
    today = seoul(request.app[CLOCK_KEY]()).date()
    try:
        day = dt.date.fromisoformat(request.query.get("date") or str(today + dt.timedelta(days=1)))
    except ValueError:
        day = today + dt.timedelta(days=1)
    centers = bookable(await request.app[CATALOG_KEY].centers())
    center_id = request.query.get("center") or ""
    chosen = next((c for c in centers if c.id == center_id), None)
    options = "".join(
        f'<option value="{html.escape(c.id)}"{" selected" if chosen and c.id == chosen.id else ""}>'
        f"{html.escape(c.region)} · {html.escape(c.name)}</option>"
        for c in sorted(centers, key=lambda c: (c.region, c.name))
    )
    form = (
        '<form method="get" action="/admin/day">'
        f'<label for="center">센터</label><select id="center" name="center">{options}</select>'
        f'<label for="date">날짜</label><input id="date" name="date" type="date" value="{day}">'
        '<button type="submit">보기</button></form>'
    )
    if chosen is None:
        return html_page(
            "상담 예약 관리",
            f"<h1>상담 예약 관리</h1>{logout_button()}{form}<p>센터를 고르고 보기를 누르세요.</p>",
        )
    bookings = await request.app[APPOINTMENTS_KEY].day_list(chosen.id, day)
    if bookings:
        rows = "".join(
            "<tr>"
            f"<td>{b.starts_at:%H:%M}</td><td>{html.escape(b.name)}</td>"
            f'<td><a href="tel:{b.phone}">{html.escape(admin_phone(b.phone, True))}</a></td>'
            f"<td>{html.escape(b.code)}</td></tr>"
            for b in bookings
        )
        table = (
            f"<table><caption>{html.escape(chosen.name)} · {day_label(day)} 예약 {len(bookings)}건</caption>"
            '<thead><tr><th scope="col">시간</th><th scope="col">성함</th>'
            '<th scope="col">연락처</th><th scope="col">예약번호</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    else:
        table = f"<p>{html.escape(chosen.name)} · {day_label(day)}에는 예약이 없어요.</p>"
    return html_page(
        f"{chosen.name} 상담 예약", f"<h1>상담 예약 관리</h1>{logout_button()}{form}{table}"
    )


async def to_day_page(_: web.Request) -> web.Response:
    raise web.HTTPFound("/admin/day")


def setup_admin(app: web.Application) -> None:
    app.router.add_get("/admin/appointments", list_appointments)
    app.router.add_post("/admin/events", post_event)
    app.router.add_put("/admin/centers/{center}/schedule", put_schedule)
    app.router.add_post("/admin/centers/{center}/closed-days", post_closed_day)
    setup_admin_auth(app)
    app.router.add_post("/admin/login", login)
    app.router.add_post("/admin/logout", logout)
    app.router.add_get("/admin/day", day_page)
    app.router.add_get("/admin", to_day_page)
