"""The operator console under `/admin/`: dashboard, review inbox, spreadsheet import.

Same sign-in as the other admin pages (`bot.admin_auth`: the Bearer token or the session cookie).
Every chart's numbers come from one JSON endpoint; the page draws them with the vendored
Chart.js, shows each as a table for screen readers and offers each as CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import html
import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from aiohttp import web

from bot.admin_auth import admin_api, admin_page, logout_button
from bot.http_json import json_error, json_reply
from bot.keys import CLOCK_KEY, EVENT_DESK_KEY, SETTINGS_KEY, USAGE_KEY
from knowledge.event_import import MAX_BYTES, ImportFileError, ImportReport, import_events
from knowledge.review_export import export
from knowledge.when import seoul

logger = logging.getLogger(__name__)

PERIODS = (7, 30, 90)
DOMAIN_FILE = Path(__file__).resolve().parent.parent / "nlu" / "domain.yml"
NLU_DATA_DIR = Path(__file__).resolve().parent.parent / "nlu" / "data"
CHANNEL_LABELS = {"web": "웹 채팅", "kakao": "카카오톡", "telegram": "텔레그램"}
INTENT_LABELS = {
    "greet": "인사", "goodbye": "작별 인사", "thank": "감사", "affirm": "네", "deny": "아니요",
    "help": "도움말", "restart": "처음으로", "ask_programs": "프로그램 목록",
    "ask_program_info": "프로그램 안내", "check_eligibility": "자격 확인", "inform": "정보 알려 줌",
    "find_center": "센터 찾기", "book_appointment": "상담 예약", "check_appointment": "예약 확인",
    "cancel_appointment": "예약 취소", "reschedule_appointment": "예약 변경",
    "ask_job_fairs": "채용박람회", "subscribe_alerts": "알림 신청",
    "unsubscribe_alerts": "알림 해지", "request_human": "상담사 연결",
    "delete_my_data": "제 정보 삭제", "out_of_scope": "다른 주제", "nlu_fallback": "못 알아들음",
}  # fmt: skip
VERDICTS = ("가능", "불가", "확인 필요")
ALERT_LABELS = {"sent": "보냄", "failed": "실패", "blocked": "차단", "waiting": "대기"}


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    kind: str  # bar | line | hbar
    labels: list[str]
    series: list[tuple[str, list[Any]]]
    stacked: bool = False
    label_heading: str = "날짜"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "stacked": self.stacked,
            "labels": self.labels,
            "series": [{"name": name, "values": values} for name, values in self.series],
        }

    def rows(self) -> list[list[Any]]:
        return [
            [label, *(values[i] for _, values in self.series)]
            for i, label in enumerate(self.labels)
        ]

    def headers(self) -> list[str]:
        return [self.label_heading, *(name for name, _ in self.series)]


def charts_from(data: dict[str, Any]) -> list[Chart]:
    """The nine charts, in page order, from `UsageStore.dashboard`."""
    days = data["days"]
    weeks = sorted({b["week"] for b in data["bookings"]})
    centers: dict[str, str] = {}
    for booking in data["bookings"]:
        centers.setdefault(booking["center"], booking["name"])
    booked = {(b["center"], b["week"]): b["count"] for b in data["bookings"]}
    rate = [round(r * 100, 1) for r in data["fallback_rate"]]
    return [
        Chart("messages", "하루 메시지 수 (채널별)", "bar", days,
              [(CHANNEL_LABELS.get(c, c), v) for c, v in data["messages"].items()], stacked=True),
        Chart("conversations", "하루 대화한 사람 수 (채널별)", "line", days,
              [(CHANNEL_LABELS.get(c, c), v) for c, v in data["conversations"].items()]),
        Chart("fallback", "못 알아들은 메시지 비율 (%)", "line", days,
              [("비율(%)", rate), ("못 알아들은 메시지 수", data["fallbacks"])]),
        Chart("intents", "많이 한 질문 (의도)", "hbar",
              [INTENT_LABELS.get(i["intent"], i["intent"]) for i in data["top_intents"]],
              [("메시지 수", [i["count"] for i in data["top_intents"]])], label_heading="의도"),
        Chart("programs", "많이 물은 프로그램", "hbar",
              [p["name"] for p in data["top_programs"]],
              [("메시지 수", [p["count"] for p in data["top_programs"]])],
              label_heading="프로그램"),
        Chart("verdicts", "프로그램별 자격 확인 결과", "hbar", [v["name"] for v in data["verdicts"]],
              [(verdict, [v.get(verdict, 0) for v in data["verdicts"]]) for verdict in VERDICTS],
              stacked=True, label_heading="프로그램"),
        Chart("bookings", "센터별 주간 상담 예약 (주 시작일)", "bar", weeks,
              [(name, [booked.get((cid, w), 0) for w in weeks]) for cid, name in centers.items()],
              stacked=True, label_heading="주"),
        Chart("alerts", "채용박람회 알림", "bar", [ALERT_LABELS[k] for k in ALERT_LABELS],
              [("건수", [data["alerts"][k] for k in ALERT_LABELS])], label_heading="결과"),
        Chart("latency", "응답 시간 (밀리초, 중앙값 p50 · 느린 5% p95)", "line", days,
              [("p50", data["latency"]["p50"]), ("p95", data["latency"]["p95"])]),
    ]  # fmt: skip


def _days(request: web.Request) -> int:
    try:
        days = int(request.query.get("days", "7"))
    except ValueError:
        return 7
    return days if days in PERIODS else 7


async def _data(request: web.Request) -> dict[str, Any]:
    days = _days(request)
    today = seoul(request.app[CLOCK_KEY]()).date()
    data = await request.app[USAGE_KEY].store.dashboard(today - dt.timedelta(days=days - 1), today)
    data["period_days"] = days
    data["charts"] = [chart.to_dict() for chart in charts_from(data)]
    return data


def _html_page(title: str, body: str, scripts: str = "") -> web.Response:
    return web.Response(
        text=(
            '<!doctype html><html lang="ko"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title>"
            '<link rel="stylesheet" href="/static/admin.css">'
            '<link rel="stylesheet" href="/static/console.css"></head>'
            f'<body><main><nav aria-label="관리 메뉴">{_NAV}</nav>{body}</main>{scripts}</body></html>'
        ),
        content_type="text/html",
        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY"},
    )


_NAV = (
    '<a href="/admin/dashboard">대시보드</a> · <a href="/admin/review">못 알아들은 말</a> · '
    '<a href="/admin/events/import">박람회 올리기</a> · <a href="/admin/day">상담 예약</a>'
    + logout_button()
)


def _table(chart: Chart) -> str:
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in chart.headers())
    body = "".join(
        "<tr>"
        + f'<th scope="row">{html.escape(str(row[0]))}</th>'
        + "".join(f"<td>{'' if v is None else html.escape(str(v))}</td>" for v in row[1:])
        + "</tr>"
        for row in chart.rows()
    )
    if not chart.labels:
        body = f'<tr><td colspan="{len(chart.headers())}">이 기간에는 자료가 없어요.</td></tr>'
    return (
        f'<table class="numbers"><caption>{html.escape(chart.title)} — 숫자</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


@admin_page
async def dashboard_page(request: web.Request) -> web.Response:
    """`GET /admin/dashboard?days=7|30|90`."""
    data = await _data(request)
    days = data["period_days"]
    periods = " ".join(
        f'<a class="period{" chosen" if p == days else ""}" href="/admin/dashboard?days={p}"'
        f"{' aria-current=page' if p == days else ''}>최근 {p}일</a>"
        for p in PERIODS
    )
    total = sum(sum(v) for v in data["messages"].values())
    sections = "".join(
        f'<section class="chart" aria-labelledby="t-{c.id}">'
        f'<h2 id="t-{c.id}">{html.escape(c.title)}</h2>'
        f'<div class="canvas-box"><canvas id="chart-{c.id}" role="img" '
        f'aria-label="{html.escape(c.title)} 그래프 (아래 표에 같은 숫자)"></canvas></div>'
        f"{_table(c)}"
        f'<p><a href="/admin/dashboard/{c.id}.csv?days={days}" download>'
        f"{html.escape(c.title)} CSV 내려받기</a></p></section>"
        for c in charts_from(data)
    )
    body = (
        f"<h1>이음 운영 대시보드</h1><p class=periods>{periods}</p>"
        f"<p>{data['first_day']} ~ {data['last_day']} · 메시지 {total:,}건</p>{sections}"
    )
    scripts = (
        '<script src="/static/vendor/chartjs/chart.umd.min.js"></script>'
        f'<script src="/static/dashboard.js" data-src="/admin/dashboard/data?days={days}"></script>'
    )
    return _html_page("이음 운영 대시보드", body, scripts)


@admin_api
async def dashboard_data(request: web.Request) -> web.Response:
    """`GET /admin/dashboard/data?days=`: every number the page shows."""
    return json_reply(await _data(request))


@admin_api
async def dashboard_csv(request: web.Request) -> web.Response:
    """`GET /admin/dashboard/{chart}.csv?days=`: one chart's table (UTF-8 with BOM for Excel)."""
    data = await _data(request)
    chart = next((c for c in charts_from(data) if c.id == request.match_info["chart"]), None)
    if chart is None:
        return json_error(404, "그런 차트는 없습니다.")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(chart.headers())
    writer.writerows([["" if v is None else v for v in row] for row in chart.rows()])
    name = f"ieum-{chart.id}-{data['first_day']}-{data['last_day']}.csv"
    return web.Response(
        body=("\ufeff" + buffer.getvalue()).encode("utf-8"),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# ── review inbox ────────────────────────────────────────────────────────────────────────


@functools.cache
def domain_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Intents and entities the operator may choose (nlu/domain.yml is the contract)."""
    doc = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))
    intents = tuple(str(i) for i in doc.get("intents", []))
    entities = tuple(str(e) for e in doc.get("entities", []) if e != "booking_code")
    return intents, entities


def _options(values: tuple[str, ...], chosen: str | None, labels: dict[str, str]) -> str:
    return "".join(
        f'<option value="{html.escape(v)}"{" selected" if v == chosen else ""}>'
        f"{html.escape(labels.get(v, v))} ({html.escape(v)})</option>"
        for v in values
    )


@admin_page
async def review_page(request: web.Request) -> web.Response:
    """`GET /admin/review`: not-understood wordings, grouped, newest first."""
    groups = await request.app[USAGE_KEY].store.review_groups()
    intents, entities = domain_names()
    items = []
    for g in groups:
        guess = g.intent if g.intent in intents else None
        key = html.escape(g.key)
        items.append(
            f'<li class="review"><form method="post" action="/admin/review">'
            f'<p class="said">“{html.escape(g.text)}”</p>'
            f"<p>{g.count}번 · 마지막 {g.last_at:%Y-%m-%d %H:%M}</p>"
            f'<input type="hidden" name="key" value="{key}">'
            f'<label>의도<select name="intent">{_options(intents, guess, INTENT_LABELS)}'
            "</select></label>"
            f'<label>개체(선택)<select name="entity"><option value="">없음</option>'
            f"{_options(entities, None, {})}</select></label>"
            '<label>문장 속 낱말<input name="entity_text" size="10"></label>'
            '<label>표준값(선택)<input name="entity_value" size="12"></label>'
            '<button name="decision" value="labelled">학습 예문으로 저장</button>'
            '<button name="decision" value="not_ours" class="secondary">이음 일이 아님</button>'
            "</form></li>"
        )
    listing = (
        f'<ol class="reviews">{"".join(items)}</ol>' if items else "<p>검토할 메시지가 없어요.</p>"
    )
    body = (
        "<h1>못 알아들은 말</h1>"
        + "<p>비슷한 말끼리 묶었어요. 의도를 고르면 학습 예문이 되고, 내보내기를 하면 "
        "학습 자료 파일에 들어갑니다(다음 학습 때 반영).</p>"
        + listing
        + '<h2>학습 자료로 내보내기</h2><form method="post" action="/admin/review/export">'
        '<button name="dry_run" value="1">바뀔 내용 미리 보기</button>'
        '<button name="dry_run" value="0">파일에 쓰기</button></form>'
    )
    return _html_page("못 알아들은 말 검토", body)


@admin_api
async def review_decide(request: web.Request) -> web.StreamResponse:
    """`POST /admin/review`: label a group with an intent (and entity) or set it aside."""
    form = await request.post()
    key = str(form.get("key", ""))
    decision = str(form.get("decision", ""))
    intent = str(form.get("intent", "")) or None
    intents, entities = domain_names()
    if decision not in ("labelled", "not_ours"):
        return json_error(400, "decision은 labelled 또는 not_ours여야 합니다.", field="decision")
    if decision == "labelled" and intent not in intents:
        return json_error(400, "도메인에 있는 의도를 골라 주세요.", field="intent")
    chosen = []
    entity = str(form.get("entity", ""))
    words = str(form.get("entity_text", "")).strip()
    if entity:
        if entity not in entities or not words:
            return json_error(400, "개체를 고르면 문장 속 낱말도 적어 주세요.", field="entity")
        value = str(form.get("entity_value", "")).strip()
        chosen.append({"entity": entity, "text": words, **({"value": value} if value else {})})
    found = await request.app[USAGE_KEY].store.decide(
        key, decision, intent, chosen, request.app[CLOCK_KEY]()
    )
    if not found:
        return json_error(404, "그 메시지 묶음이 없습니다.", field="key")
    raise web.HTTPSeeOther("/admin/review")


def reviewed_file(settings: Any) -> Path:
    path = Path(settings.ieum_reviewed_nlu_file)
    return path if path.is_absolute() else Path(__file__).resolve().parent.parent / path


@admin_api
async def review_export(request: web.Request) -> web.Response:
    """`POST /admin/review/export` (`dry_run=1` shows the diff only)."""
    form = await request.post()
    dry_run = str(form.get("dry_run", "1")) != "0"
    labelled = await request.app[USAGE_KEY].store.labelled()
    path = reviewed_file(request.app[SETTINGS_KEY])
    result = export(path, labelled, NLU_DATA_DIR, dry_run=dry_run)
    if "application/json" in request.headers.get("Accept", ""):
        return json_reply(
            {"added": result.added, "skipped": result.skipped, "diff": result.diff,
             "written": result.written}
        )  # fmt: skip
    state = (
        f"예문 {len(result.added)}개를 썼습니다. 다음 학습(make train) 때 반영됩니다."
        if result.written
        else f"미리 보기: 예문 {len(result.added)}개가 추가됩니다."
        if result.added
        else "새로 추가할 예문이 없습니다."
    )
    skipped = (
        f"<p>이미 학습 자료에 있어 뺀 예문 {len(result.skipped)}개: "
        + html.escape(", ".join(result.skipped))
        + "</p>"
        if result.skipped
        else ""
    )
    diff = f"<pre class=diff>{html.escape(result.diff)}</pre>" if result.diff else ""
    body = f'<h1>학습 자료로 내보내기</h1><p role="status">{state}</p>{skipped}{diff}'
    return _html_page("학습 자료로 내보내기", body)


# ── job fairs from a spreadsheet ────────────────────────────────────────────────────────


def _report_html(report: ImportReport, dry_run: bool) -> str:
    problems = "".join(f"<li>{html.escape(line)}</li>" for line in report.lines())
    parts = []
    if report.problems:
        parts.append(
            f'<h2>고칠 줄 {len(report.problems)}개</h2><ul class="problems">{problems}</ul>'
        )
    if report.published:
        parts.append(
            f'<p role="status">행사 {len(report.events)}건을 올렸습니다: 새 행사 {report.created}건, '
            f"갱신 {report.updated}건 · 알림 {report.queued}건, 전날 알림 {report.reminders}건 "
            "대기.</p>"
        )
    elif dry_run:
        parts.append(f'<p role="status">미리 보기: 올릴 수 있는 행사 {len(report.events)}건.</p>')
    else:
        parts.append('<p role="status">잘못된 줄이 있어 아무것도 올리지 않았습니다.</p>')
    return "".join(parts)


_IMPORT_FORM = (
    '<form method="post" action="/admin/events/import" enctype="multipart/form-data">'
    '<label for="file">엑셀(.xlsx) 또는 CSV 파일</label>'
    '<input id="file" name="file" type="file" accept=".xlsx,.csv" required>'
    '<label><input type="checkbox" name="skip_bad" value="1"> 잘못된 줄은 빼고 올리기</label>'
    '<button name="dry_run" value="1">미리 보기</button>'
    '<button name="dry_run" value="0">올리기</button></form>'
    "<p>머리글: 행사명, 시작, 종료, 장소, 지역, 시군구, 주최, 링크, 설명. "
    "날짜는 엑셀 날짜 칸, 2026.12.3 10:00, 12월 3일 오전 10시처럼 적으면 됩니다.</p>"
)


@admin_page
async def import_page(request: web.Request) -> web.Response:
    return _html_page("채용박람회 올리기", f"<h1>채용박람회 올리기</h1>{_IMPORT_FORM}")


@admin_api
async def import_upload(request: web.Request) -> web.Response:
    """`POST /admin/events/import` (multipart): the same checks as `ieum events import`."""
    data = b""
    filename = ""
    flags: dict[str, str] = {}
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if part.name == "file":
            filename = part.filename or ""
            while chunk := await part.read_chunk():
                data += chunk
                if len(data) > MAX_BYTES:
                    return _import_error(
                        request, "파일이 너무 큽니다. 5MB 이하로 나누어 올려 주세요."
                    )
        elif part.name:
            flags[part.name] = (await part.text())[:10]
    dry_run = flags.get("dry_run", "1") != "0"
    try:
        report = await import_events(
            request.app[EVENT_DESK_KEY],
            data,
            filename,
            request.app[CLOCK_KEY](),
            dry_run=dry_run,
            skip_bad=flags.get("skip_bad") == "1",
        )
    except ImportFileError as exc:
        return _import_error(request, str(exc))
    if report.published:
        logger.info(
            "spreadsheet import: %d events, %d alerts queued", len(report.events), report.queued
        )
    if "application/json" in request.headers.get("Accept", ""):
        return json_reply(
            {"problems": report.lines(), "events": len(report.events),
             "published": report.published, "created": report.created,
             "updated": report.updated, "queued": report.queued}
        )  # fmt: skip
    body = f"<h1>채용박람회 올리기</h1>{_report_html(report, dry_run)}{_IMPORT_FORM}"
    return _html_page("채용박람회 올리기", body)


def _import_error(request: web.Request, message: str) -> web.Response:
    if "application/json" in request.headers.get("Accept", ""):
        return json_error(400, message, field="file")
    body = f'<h1>채용박람회 올리기</h1><p class="error" role="alert">{html.escape(message)}</p>'
    response = _html_page("채용박람회 올리기", body + _IMPORT_FORM)
    response.set_status(400)
    return response


def setup_dashboard(app: web.Application) -> None:
    app.router.add_get("/admin/dashboard", dashboard_page)
    app.router.add_get("/admin/dashboard/data", dashboard_data)
    app.router.add_get("/admin/dashboard/{chart}.csv", dashboard_csv)
    app.router.add_get("/admin/review", review_page)
    app.router.add_post("/admin/review", review_decide)
    app.router.add_post("/admin/review/export", review_export)
    app.router.add_get("/admin/events/import", import_page)
    app.router.add_post("/admin/events/import", import_upload)
