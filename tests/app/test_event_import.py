"""Job fairs from a spreadsheet: Korean headers, dates as people type them, row-by-row report,
all-or-nothing unless --skip-bad, re-import without a second alert, unusable files refused."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from knowledge.db import make_sessionmaker
from knowledge.event_import import ImportFileError, check_file, import_events
from knowledge.events import EventDesk
from knowledge.models import EventRow, NotificationRow
from knowledge.subscriptions import Subscriptions
from knowledge.when import SEOUL, QuietHours

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SEOUL)
HEADERS = ["행사명", "시작", "종료", "장소", "지역", "시군구", "주최", "링크", "설명"]
REGIONS = ["서울", "부산", "경기", "전남", "광주"]


def _rows(n: int) -> list[list[object]]:
    rows: list[list[object]] = []
    for i in range(n):
        day = dt.date(2026, 12, 1) + dt.timedelta(days=i % 40)
        start: object
        end: object
        match i % 4:
            case 0:  # a real Excel date cell
                start, end = (
                    dt.datetime.combine(day, dt.time(10)),
                    dt.datetime.combine(day, dt.time(17)),
                )
            case 1:
                start, end = f"{day.year}.{day.month}.{day.day} 10:00", "17:00"
            case 2:
                start, end = (
                    f"{day.month}월 {day.day}일 오전 10시",
                    f"{day.month}월 {day.day}일 오후 4시",
                )
            case _:
                start, end = f"{day.isoformat()}T09:30:00+09:00", dt.time(15, 0)
        rows.append([f"중장년 채용박람회 {i + 1}회", start, end, f"{REGIONS[i % 5]} 일자리센터",
                     REGIONS[i % 5], None, "고용노동부", "https://www.work24.go.kr", "현장 면접"])  # fmt: skip
    return rows


def _xlsx(rows: list[list[object]], headers: list[str] = HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["2026년 하반기 채용박람회 목록"])  # a title line above the header
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_200_rows_with_3_bad_reports_exactly_those_rows() -> None:
    rows = _rows(200)
    rows[4][1] = "언젠가 봄에"  # sheet row 7 (title line, header, then data from row 3)
    rows[57][4] = "서울특별시청"
    rows[150][2] = "2026.11.1 09:00"  # ends before it starts
    report = check_file(_xlsx(rows), "fairs.xlsx", NOW)
    assert report.lines() == [
        "row 7: 시작: 날짜를 읽을 수 없습니다",
        "row 60: 지역: 전국 또는 시·도 짧은 이름(서울, 부산, 경기 …)이어야 합니다",
        "row 153: 종료: 시작보다 늦어야 합니다",
    ]
    assert len(report.events) == 197


@pytest.mark.parametrize(
    ("start", "end", "expected_start", "expected_end"),
    [
        ("2026.12.3 10:00", "17:00", (12, 3, 10, 0), (12, 3, 17, 0)),
        ("2026-12-03 14:30", "2026-12-03 18:00", (12, 3, 14, 30), (12, 3, 18, 0)),
        ("12월 3일 오전 10시", "12월 3일 오후 4시", (12, 3, 10, 0), (12, 3, 16, 0)),
        ("2026년 12월 3일 오후 2시 30분", "오후 5시", (12, 3, 14, 30), (12, 3, 17, 0)),
        ("2026/12/3 오후 1:00", "2026/12/3 오후 6:00", (12, 3, 13, 0), (12, 3, 18, 0)),
    ],
)
def test_dates_as_people_type_them(start, end, expected_start, expected_end) -> None:  # type: ignore[no-untyped-def]
    csv_text = f"행사명,시작,종료,장소,지역,주최\n박람회,{start},{end},시청,서울,서울시\n"
    report = check_file(csv_text.encode("utf-8"), "fairs.csv", NOW)
    assert report.problems == []
    event = report.events[0][1]
    got = event.starts_at.astimezone(SEOUL)
    assert (got.month, got.day, got.hour, got.minute) == expected_start
    got = event.ends_at.astimezone(SEOUL)
    assert (got.month, got.day, got.hour, got.minute) == expected_end


def test_english_headers_and_cp949_csv() -> None:
    text = "title,starts_at,ends_at,venue,region,organizer\n부산 잡페어,2026.12.5 10:00,16:00,벡스코,부산,부산시\n"
    report = check_file(text.encode("cp949"), "fairs.csv", NOW)
    assert [e.title for _, e in report.events] == ["부산 잡페어"]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "locked.xlsx", "암호"),
        (b"PK\x03\x04not really a zip", "broken.xlsx", "CSV 파일이 아닙니다"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.csv", "CSV 파일이 아닙니다"),
        ("이름,나이\n홍길동,52\n".encode(), "people.csv", "머리글 줄을 찾지 못했습니다"),
        (b"a" * (5 * 1024 * 1024 + 1), "huge.csv", "5MB"),
    ],
)
def test_unusable_files_get_one_korean_error(data: bytes, name: str, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        check_file(data, name, NOW)


def test_more_than_5000_rows_is_refused() -> None:
    lines = ["행사명,시작,종료,장소,지역,주최"] + [
        "박람회,2026.12.3 10:00,17:00,시청,서울,서울시"
    ] * 5001
    with pytest.raises(ImportFileError, match="5,000줄"):
        check_file("\n".join(lines).encode(), "many.csv", NOW)


async def _count(engine: AsyncEngine, model: type) -> int:
    async with make_sessionmaker(engine)() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_import_publishes_once_and_reimport_queues_nothing(db_engine: AsyncEngine) -> None:
    sessions = make_sessionmaker(db_engine)
    subscriptions = Subscriptions(sessions)
    await subscriptions.add("telegram:1", ["서울"], NOW)
    await subscriptions.add("web:2", ["전국"], NOW)
    desk = EventDesk(sessions, QuietHours())
    data = _xlsx(_rows(10))
    first = await import_events(desk, data, "fairs.xlsx", NOW)
    assert first.published and first.created == 10 and first.updated == 0
    # 서울 events (2 of 10) reach both subscribers, the others only the 전국 one
    assert first.queued == 2 * 2 + 8
    queued = await _count(db_engine, NotificationRow)
    again = await import_events(desk, data, "fairs.xlsx", NOW)
    assert again.published and again.created == 0 and again.updated == 10
    assert again.queued == 0 and again.reminders == 0
    assert await _count(db_engine, NotificationRow) == queued
    assert await _count(db_engine, EventRow) == 10


async def test_one_bad_row_imports_nothing_unless_skip_bad(db_engine: AsyncEngine) -> None:
    desk = EventDesk(make_sessionmaker(db_engine), QuietHours())
    rows = _rows(5)
    rows[2][1] = "모름"
    data = _xlsx(rows)
    refused = await import_events(desk, data, "fairs.xlsx", NOW)
    assert not refused.published and refused.lines() == ["row 5: 시작: 날짜를 읽을 수 없습니다"]
    assert await _count(db_engine, EventRow) == 0
    dry = await import_events(desk, data, "fairs.xlsx", NOW, dry_run=True, skip_bad=True)
    assert not dry.published and await _count(db_engine, EventRow) == 0
    skipped = await import_events(desk, data, "fairs.xlsx", NOW, skip_bad=True)
    assert skipped.published and skipped.created == 4
    assert await _count(db_engine, EventRow) == 4


def test_cli_dry_run_prints_the_report(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from bot.cli import main

    rows = _rows(3)
    rows[1][1] = "다음 달 언젠가"
    path = tmp_path / "fairs.xlsx"
    path.write_bytes(_xlsx(rows))
    monkeypatch.setenv("IEUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("IEUM_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    assert main(["events", "import", str(path), "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "row 4: 시작: 날짜를 읽을 수 없습니다" in out and "잘못된 줄 1개" in out
