"""`ieum` command line: serve the app, the action server, or the whole stack."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

from bot.log_filters import escape_on_handlers
from bot.settings import load_settings

if TYPE_CHECKING:  # imported where used: `ieum run` stays a small supervisor process
    from aiohttp import web
    from sqlalchemy.ext.asyncio import AsyncEngine


def _configure_logging(verbose: bool = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stdout,
    )
    escape_on_handlers()  # a client's %0A or escape sequence never forges a log line
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # httpx logs every request URL at INFO, and Telegram URLs carry the bot token
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def _serve(app: web.Application, host: str, port: int) -> int:
    from aiohttp import web

    web.run_app(app, host=host, port=port, print=None, access_log=None)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.app import create_app

    settings = load_settings()
    return _serve(create_app(settings), settings.ieum_host, settings.ieum_port)


def cmd_actions(args: argparse.Namespace) -> int:
    from bot.action_server import create_action_app

    settings = load_settings()
    return _serve(
        create_action_app(settings), settings.ieum_actions_host, settings.ieum_actions_port
    )


def cmd_run(args: argparse.Namespace) -> int:
    from bot.supervisor import run_stack

    settings = load_settings()
    root = Path(args.root).resolve()
    model = Path(args.model).resolve()
    if not model.exists():
        print(f"모델 파일이 없습니다: {model}. 먼저 'make train'을 실행해 주세요.", file=sys.stderr)
        return 1
    # the knowledge base is loaded by a short-lived process: the database and YAML libraries
    # it needs would otherwise stay in the supervisor's memory for as long as the stack runs
    kb_args = ["kb", "load", *([settings.ieum_kb_dir] if settings.ieum_kb_dir else [])]
    if subprocess.run([sys.executable, "-m", "bot.cli", *kb_args], check=False).returncode != 0:
        return 1
    return asyncio.run(run_stack(settings, root, model, Path(args.rasa_bin).resolve()))


def cmd_kb_validate(args: argparse.Namespace) -> int:
    from knowledge.kb_files import DEFAULT_KB_DIR, read_kb

    root = Path(args.path) if args.path else DEFAULT_KB_DIR
    kb, problems = read_kb(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"지식베이스 오류 {len(problems)}건: {root}", file=sys.stderr)
        return 1
    print(
        f"지식베이스가 올바릅니다: 프로그램 {len(kb.programs)}개, 센터 {len(kb.centers)}곳, "
        f"행사 {len(kb.events)}건 ({root})"
    )
    return 0


@contextlib.asynccontextmanager
async def _migrated_engine() -> AsyncIterator[AsyncEngine]:
    """The configured database, brought up to the newest schema, disposed afterwards."""
    from knowledge.db import make_engine
    from knowledge.migrate import upgrade_database

    settings = load_settings()
    settings.ieum_var_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    try:
        await upgrade_database(engine)
        yield engine
    finally:
        await engine.dispose()


async def _kb_load(root: Path) -> int:
    from knowledge.catalog_store import load_into_db
    from knowledge.db import make_sessionmaker
    from knowledge.kb_files import read_kb

    kb, problems = read_kb(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"지식베이스 오류 {len(problems)}건이 있어 적재하지 않았습니다.", file=sys.stderr)
        return 1
    async with _migrated_engine() as engine:
        report = await load_into_db(make_sessionmaker(engine), kb)
    print(
        f"지식베이스를 적재했습니다: 프로그램 {report.programs}개, 센터 {report.centers}곳, "
        f"행사 {report.events}건, 삭제 {report.removed}건"
    )
    return 0


def cmd_kb_stale(args: argparse.Namespace) -> int:
    """Facts whose 기준일 or source year is before the date, grouped by program and table."""
    import datetime as dt

    from knowledge.freshness import render, stale_facts
    from knowledge.kb_files import DEFAULT_KB_DIR, read_kb

    try:
        before = dt.date.fromisoformat(args.before) if args.before else None
    except ValueError:
        print(f"날짜는 YYYY-MM-DD로 적어 주세요: {args.before}", file=sys.stderr)
        return 2
    before = before or dt.date(dt.date.today().year, 1, 1)
    kb, problems = read_kb(Path(args.path) if args.path else DEFAULT_KB_DIR)
    if problems:
        for problem in problems:
            print(problem)
        print(f"지식베이스 오류 {len(problems)}건이 있어 확인하지 못했습니다.", file=sys.stderr)
        return 1
    kinds = ("programs", "tables", "centers") if args.centers else ("programs", "tables")
    for line in render(stale_facts(kb, before, kinds), before):
        print(line)
    return 0


def cmd_kb_load(args: argparse.Namespace) -> int:
    from knowledge.kb_files import DEFAULT_KB_DIR

    return asyncio.run(_kb_load(Path(args.path) if args.path else DEFAULT_KB_DIR))


async def _db_upgrade() -> int:
    async with _migrated_engine():
        pass
    print("데이터베이스 스키마가 최신입니다.")
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    return asyncio.run(_db_upgrade())


def cmd_nlu_generate(args: argparse.Namespace) -> int:
    from knowledge.kb_files import DEFAULT_KB_DIR, read_kb
    from knowledge.nlu_export import write_nlu_files

    root = Path(args.kb) if args.kb else DEFAULT_KB_DIR
    kb, problems = read_kb(root)
    for problem in problems:
        print(problem)
    if problems:
        print("지식베이스 오류가 있어 NLU 데이터를 만들지 않았습니다.", file=sys.stderr)
        return 1
    report = write_nlu_files(kb, Path(args.out), Path(args.words))
    print(
        f"[nlu] 지식베이스에서 동의어 {report.synonyms}묶음, 조회표 {report.lookups}개, "
        f"사용자 사전 {report.user_words}단어를 만들었습니다."
    )
    return 0


def _read_event_file(path: Path) -> object:
    import json

    import yaml

    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


async def _publish(body: object, where: str) -> int:
    import datetime as dt

    from knowledge.db import make_sessionmaker
    from knowledge.events import EventDesk, EventInputError, parse_event
    from knowledge.when import SEOUL, QuietHours

    try:
        event = parse_event(body)
    except EventInputError as exc:
        print(f"{where}: {exc.field}: {exc.message}", file=sys.stderr)
        return 1
    settings = load_settings()
    async with _migrated_engine() as engine:
        desk = EventDesk(make_sessionmaker(engine), QuietHours.parse(settings.ieum_quiet_hours))
        published = await desk.publish(event, dt.datetime.now(SEOUL))
    state = "새로 등록" if published.created else "이미 있던 행사를 갱신"
    print(
        f"{state}했습니다: {published.id} · 알림 {published.queued}건 · "
        f"전날 알림 {published.reminders}건 대기"
    )
    return 0


def cmd_events_publish(args: argparse.Namespace) -> int:
    import yaml

    path = Path(args.file)
    try:
        body = _read_event_file(path)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"{path}: 파일을 읽지 못했습니다: {exc}", file=sys.stderr)
        return 1
    return asyncio.run(_publish(body, str(path)))


async def _import_events(path: Path, data: bytes, dry_run: bool, skip_bad: bool) -> int:
    import datetime as dt

    from knowledge.db import make_sessionmaker
    from knowledge.event_import import ImportFileError, import_events
    from knowledge.events import EventDesk
    from knowledge.when import SEOUL, QuietHours

    settings = load_settings()
    async with _migrated_engine() as engine:
        desk = EventDesk(make_sessionmaker(engine), QuietHours.parse(settings.ieum_quiet_hours))
        try:
            report = await import_events(
                desk, data, path.name, dt.datetime.now(SEOUL), dry_run=dry_run, skip_bad=skip_bad
            )
        except ImportFileError as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            return 1
    for line in report.lines():
        print(line)
    if report.published:
        print(
            f"행사 {len(report.events)}건을 올렸습니다: 새 행사 {report.created}건, "
            f"갱신 {report.updated}건 · 알림 {report.queued}건, 전날 알림 {report.reminders}건 대기"
        )
        return 0
    if dry_run:
        print(f"미리 보기: 행사 {len(report.events)}건, 잘못된 줄 {len(report.problems)}개")
        return 1 if report.problems else 0
    print("잘못된 줄이 있어 아무것도 올리지 않았습니다 (--skip-bad로 빼고 올릴 수 있음).",
          file=sys.stderr)  # fmt: skip
    return 1


def cmd_events_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"{path}: 파일을 읽지 못했습니다: {exc.strerror}", file=sys.stderr)
        return 1
    return asyncio.run(_import_events(path, data, args.dry_run, args.skip_bad))


async def _review_export(dry_run: bool) -> int:
    from bot.dashboard import NLU_DATA_DIR, reviewed_file
    from knowledge.db import make_sessionmaker
    from knowledge.review_export import export
    from knowledge.usage import UsageStore

    settings = load_settings()
    async with _migrated_engine() as engine:
        labelled = await UsageStore(make_sessionmaker(engine)).labelled()
    result = export(reviewed_file(settings), labelled, NLU_DATA_DIR, dry_run=dry_run)
    if result.diff:
        print(result.diff, end="")
    for text in result.skipped:
        print(f"이미 학습 자료에 있어 뺐습니다: {text}")
    if result.written:
        print(f"예문 {len(result.added)}개를 썼습니다. 'make train'으로 다시 학습하세요.")
    elif result.added:
        print(f"미리 보기: 예문 {len(result.added)}개가 추가됩니다 (--dry-run 없이 실행하면 씀).")
    else:
        print("새로 추가할 예문이 없습니다.")
    return 0


def cmd_review_export(args: argparse.Namespace) -> int:
    return asyncio.run(_review_export(args.dry_run))


async def _notifier() -> int:
    import datetime as dt
    import signal

    from telegram import Bot

    from bot.notifier import Notifier
    from bot.telegram_push import TelegramPush
    from knowledge.db import make_sessionmaker
    from knowledge.outbox import Outbox
    from knowledge.subscriptions import Subscriptions
    from knowledge.when import SEOUL, QuietHours

    settings = load_settings()
    if not settings.telegram_bot_token:
        print("TELEGRAM_BOT_TOKEN이 없어 보낼 곳이 없습니다.", file=sys.stderr)
        return 1
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with _migrated_engine() as engine:
        sessions = make_sessionmaker(engine)
        async with Bot(settings.telegram_bot_token, base_url=settings.telegram_api_base) as bot:
            notifier = Notifier(
                Outbox(sessions),
                {"telegram": TelegramPush(bot)},
                now=lambda: dt.datetime.now(SEOUL),
                quiet=QuietHours.parse(settings.ieum_quiet_hours),
                on_unreachable=Subscriptions(sessions).remove_all,
                lease=dt.timedelta(seconds=settings.ieum_outbox_lease_seconds),
            )
            await notifier.run_forever(stop, idle_seconds=settings.ieum_notifier_idle_seconds)
    return 0


def cmd_notifier(args: argparse.Namespace) -> int:
    return asyncio.run(_notifier())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ieum", description="이음 챗봇 운영 도구")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="앱(웹 채팅, API, 웹훅) 실행").set_defaults(func=cmd_serve)
    sub.add_parser("actions", help="액션 서버 실행").set_defaults(func=cmd_actions)
    run = sub.add_parser("run", help="엔진·액션 서버·앱을 함께 실행")
    run.add_argument("--root", default=".")
    run.add_argument("--model", required=True)
    run.add_argument("--rasa-bin", default=".venv-rasa/bin/rasa")
    run.set_defaults(func=cmd_run)
    kb = sub.add_parser("kb", help="지식베이스(YAML) 검증·적재").add_subparsers(
        dest="kb_command", required=True
    )
    validate = kb.add_parser(
        "validate", help="YAML을 검사하고 'file: entry: field: problem'으로 알림"
    )
    validate.add_argument("path", nargs="?")
    validate.set_defaults(func=cmd_kb_validate)
    load = kb.add_parser("load", help="검증 후 데이터베이스에 반영(여러 번 실행해도 같은 결과)")
    load.add_argument("path", nargs="?")
    load.set_defaults(func=cmd_kb_load)
    stale = kb.add_parser(
        "stale", help="기준일·출처 연도가 주어진 날짜(기본: 올해 1월 1일)보다 오래된 사실 목록"
    )
    stale.add_argument("path", nargs="?")
    stale.add_argument("--before", help="YYYY-MM-DD (기본: 올해 1월 1일)")
    stale.add_argument("--centers", action="store_true", help="센터도 포함")
    stale.set_defaults(func=cmd_kb_stale)
    nlu = sub.add_parser("nlu", help="NLU 데이터").add_subparsers(dest="nlu_command", required=True)
    generate = nlu.add_parser("generate", help="지식베이스에서 동의어·조회표·사용자 사전 생성")
    generate.add_argument("--kb")
    generate.add_argument("--out", default="nlu/data/generated")
    generate.add_argument("--words", default="nlu/generated/kiwi_user_words.tsv")
    generate.set_defaults(func=cmd_nlu_generate)
    db = sub.add_parser("db", help="데이터베이스").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="스키마 마이그레이션 적용").set_defaults(func=cmd_db_upgrade)
    events = sub.add_parser("events", help="채용박람회").add_subparsers(
        dest="events_command", required=True
    )
    publish = events.add_parser(
        "publish", help="행사 등록(JSON/YAML 파일, /admin/events와 같은 필드)과 구독자 알림"
    )
    publish.add_argument("file")
    publish.set_defaults(func=cmd_events_publish)
    importing = events.add_parser(
        "import", help="엑셀(.xlsx)·CSV에서 행사 여러 건 등록(한 줄에 한 행사)과 구독자 알림"
    )
    importing.add_argument("file")
    importing.add_argument("--dry-run", action="store_true", help="검사만 하고 올리지 않음")
    importing.add_argument("--skip-bad", action="store_true", help="잘못된 줄은 빼고 올림")
    importing.set_defaults(func=cmd_events_import)
    review = sub.add_parser("review", help="못 알아들은 말 검토").add_subparsers(
        dest="review_command", required=True
    )
    review_export = review.add_parser(
        "export", help="검토에서 고른 예문을 nlu/data/nlu/reviewed.yml에 합침"
    )
    review_export.add_argument("--dry-run", action="store_true", help="바뀔 내용만 보여 줌")
    review_export.set_defaults(func=cmd_review_export)
    sub.add_parser(
        "notifier", help="알림함(outbox)을 텔레그램으로 보내는 발송기만 실행"
    ).set_defaults(func=cmd_notifier)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _configure_logging(args.verbose)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
