"""Job fairs from a spreadsheet (.xlsx or .csv): one row per event, checked row by row.

Centers keep their job-fair lists in Excel, typed by people: Korean headers, real date cells,
"2026.12.3 10:00", "12월 3일 오전 10시". Every row is checked first; nothing is published when
any row is bad (unless the operator asks to skip bad rows), and publishing goes through
`EventDesk.publish`, so re-importing the same file updates the events and queues no alert twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import Any

from knowledge.events import PUBLISH_FIELDS, EventDesk, EventInputError, parse_event
from knowledge.schema import Event
from knowledge.when import SEOUL
from nlu.korean.dates import parse_date, parse_time

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
HEADER_SCAN_ROWS = 10
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls
ZIP_MAGIC = b"PK\x03\x04"

LABELS = {
    "title": "행사명",
    "starts_at": "시작",
    "ends_at": "종료",
    "venue": "장소",
    "region": "지역",
    "district": "시군구",
    "organizer": "주최",
    "url": "링크",
    "description": "설명",
}
_HEADER_WORDS = {
    **{field: field for field in PUBLISH_FIELDS},
    **{label: field for field, label in LABELS.items()},
    "행사": "title", "행사이름": "title", "제목": "title", "박람회명": "title",
    "시작일시": "starts_at", "시작일": "starts_at", "시작시각": "starts_at", "일시": "starts_at",
    "종료일시": "ends_at", "종료일": "ends_at", "종료시각": "ends_at", "끝": "ends_at",
    "시도": "region", "시·도": "region", "시·군·구": "district", "시군": "district",
    "주최기관": "organizer", "주관": "organizer", "url": "url", "주소링크": "url",
    "홈페이지": "url", "내용": "description", "비고": "description",
}  # fmt: skip


class ImportFileError(ValueError):
    """The whole file cannot be used; one Korean sentence says why."""


@dataclass(frozen=True)
class RowProblem:
    row: int  # the row number the operator sees in Excel
    field: str
    message: str

    def __str__(self) -> str:
        message = self.message
        for name, label in LABELS.items():
            message = message.replace(f"{name}보다", f"{label}보다")
        return f"row {self.row}: {LABELS.get(self.field, self.field)}: {message}"


@dataclass
class ImportReport:
    events: list[tuple[int, Event]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    queued: int = 0
    reminders: int = 0
    published: bool = False

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


def _header_key(value: Any) -> str:
    text = unicodedata.normalize("NFC", str(value or "")).strip().lower()
    return re.sub(r"[\s_()*]", "", text)


_HEADERS = {_header_key(word): name for word, name in _HEADER_WORDS.items()}


def _read_rows(data: bytes, filename: str) -> list[list[Any]]:
    if len(data) > MAX_BYTES:
        raise ImportFileError("파일이 너무 큽니다. 5MB 이하로 나누어 올려 주세요.")
    if not data.strip():
        raise ImportFileError("빈 파일입니다.")
    if data.startswith(OLE_MAGIC):
        raise ImportFileError(
            "암호가 걸린 엑셀 파일이거나 예전 .xls 형식이라 읽을 수 없습니다. "
            "암호를 풀고 .xlsx로 다시 저장해 주세요."
        )
    if data.startswith(ZIP_MAGIC):
        return _xlsx_rows(data)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFileError("엑셀(.xlsx) 파일이 아닙니다. 엑셀에서 .xlsx로 저장해 올려 주세요.")
    return _csv_rows(data)


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError("엑셀(.xlsx)이나 CSV 파일이 아닙니다.") from exc
    try:
        rows = []
        for row in book.worksheets[0].iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
                break
        return rows
    finally:
        book.close()


def _csv_rows(data: bytes) -> list[list[Any]]:
    if b"\x00" in data[:4096]:
        raise ImportFileError("엑셀(.xlsx)이나 CSV 파일이 아닙니다.")
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError("CSV 글자를 읽을 수 없습니다. UTF-8로 저장해 올려 주세요.")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def _find_header(rows: list[list[Any]]) -> tuple[int, dict[int, str]]:
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns = {
            i: _HEADERS[_header_key(cell)]
            for i, cell in enumerate(row)
            if _header_key(cell) in _HEADERS
        }
        if {"title", "starts_at"} <= set(columns.values()) and len(columns) >= 3:
            return index, columns
    raise ImportFileError(
        "머리글 줄을 찾지 못했습니다. 첫 줄에 행사명, 시작, 종료, 장소, 지역, 주최 같은 "
        "열 이름을 적어 주세요."
    )


_NUMERIC_DATE = re.compile(r"(\d{4})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})\s*일?\.?")
_CLOCK = re.compile(r"(?<!\d)(\d{1,2}):(\d{2})(?::\d{2})?(?!\d)")


def _when(value: Any, now: dt.datetime, base: dt.date | None, end: bool) -> dt.datetime | None:
    """A cell as a Seoul time: Excel dates, ISO text, "2026.12.3 10:00", "12월 3일 오전 10시".
    A time alone ("17:00") belongs to `base` (the start's day, for 종료)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=SEOUL)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(23, 59) if end else dt.time(), SEOUL)
    if isinstance(value, dt.time):
        return dt.datetime.combine(base, value, SEOUL) if base else None
    text = unicodedata.normalize("NFC", str(value)).strip()
    if not text:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=SEOUL)
    except ValueError:
        pass
    numeric = _NUMERIC_DATE.search(text)
    day: dt.date | None = None
    if numeric:
        try:
            day = dt.date(*(int(g) for g in numeric.groups()))
        except ValueError:
            return None
        rest = text[numeric.end() :]
    else:
        span = parse_date(text, now)
        if span is not None and span.is_day:
            day = span.start
        rest = text
    day = day or base
    if day is None:
        return None
    clock = _CLOCK.search(rest)
    if clock:
        hour, minute = int(clock.group(1)), int(clock.group(2))
        if re.search(r"오후|저녁|밤|pm", rest, re.I) and hour < 12:
            hour += 12
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            return None
        return dt.datetime.combine(day, dt.time(hour, minute), SEOUL)
    if "시" in rest:
        said = parse_time(rest)
        return dt.datetime.combine(day, said, SEOUL) if said else None
    if day is base and not numeric:
        return None
    return dt.datetime.combine(day, dt.time(23, 59) if end else dt.time(), SEOUL)


def _cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(unicodedata.normalize("NFC", str(value)).split())
    return text or None


def _row_event(cells: dict[str, Any], now: dt.datetime) -> Event:
    body: dict[str, Any] = {}
    for name in PUBLISH_FIELDS:
        if name in ("starts_at", "ends_at"):
            continue
        text = _cell_text(cells.get(name))
        if text is not None:
            body[name] = text
    start = _when(cells.get("starts_at"), now, None, end=False)
    if start is None:
        raise EventInputError("starts_at", "날짜를 읽을 수 없습니다")
    if cells.get("ends_at") in (None, ""):
        raise EventInputError("ends_at", "값이 필요합니다")
    end = _when(cells.get("ends_at"), now, start.date(), end=True)
    if end is None:
        raise EventInputError("ends_at", "날짜를 읽을 수 없습니다")
    body["starts_at"] = start.isoformat()
    body["ends_at"] = end.isoformat()
    return parse_event(body)


def check_file(data: bytes, filename: str, now: dt.datetime) -> ImportReport:
    """Reads and checks every row; raises ImportFileError when the file itself is unusable."""
    rows = _read_rows(data, filename)
    header_index, columns = _find_header(rows)
    body = rows[header_index + 1 :]
    while body and all(_cell_text(c) is None for c in body[-1]):
        body.pop()
    if len(body) > MAX_ROWS:
        raise ImportFileError("행이 너무 많습니다. 한 번에 5,000줄까지 올릴 수 있습니다.")
    report = ImportReport()
    for offset, row in enumerate(body):
        number = header_index + 2 + offset
        if all(_cell_text(c) is None for c in row):
            continue
        cells = {name: row[i] for i, name in columns.items() if i < len(row)}
        try:
            report.events.append((number, _row_event(cells, now)))
        except EventInputError as exc:
            report.problems.append(RowProblem(number, exc.field, exc.message))
    if not report.events and not report.problems:
        raise ImportFileError("머리글 아래에 행사가 한 줄도 없습니다.")
    return report


async def import_events(
    desk: EventDesk,
    data: bytes,
    filename: str,
    now: dt.datetime,
    *,
    dry_run: bool = False,
    skip_bad: bool = False,
) -> ImportReport:
    """Checks the file, then publishes every event — or nothing when a row is bad and
    `skip_bad` is off, or on a dry run."""
    report = check_file(data, filename, now)
    if dry_run or (report.problems and not skip_bad):
        return report
    for _, event in report.events:
        published = await desk.publish(event, now)
        report.created += int(published.created)
        report.updated += int(not published.created)
        report.queued += published.queued
        report.reminders += published.reminders
    report.published = True
    return report
