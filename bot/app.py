"""The app factory: the public-facing aiohttp service."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
from aiohttp import web

from bot import log_filters
from bot.admin import setup_admin
from bot.conversation_eraser import ConversationEraser
from bot.dashboard import setup_dashboard
from bot.engine import EngineClient
from bot.gateway import Gateway, seoul_now
from bot.health import setup_health
from bot.http_json import json_error
from bot.kakao import setup_kakao
from bot.keys import (
    ADMIN_FAIL_LIMIT_KEY,
    APPOINTMENTS_KEY,
    CATALOG_KEY,
    CLOCK_KEY,
    ENGINE_KEY,
    EVENT_DESK_KEY,
    GATEWAY_KEY,
    HTTP_SESSION_KEY,
    IP_LIMIT_KEY,
    OUTBOX_KEY,
    SETTINGS_KEY,
    SUBSCRIPTIONS_KEY,
    TELEGRAM_KEY,
    USAGE_KEY,
    USER_LIMIT_KEY,
)
from bot.notifier import Notifier
from bot.privacy import configure_log_key
from bot.rate_limit import Limit, RateLimiter
from bot.settings import Settings
from bot.telegram_channel import TelegramChannel
from bot.telegram_push import TelegramPush
from bot.usage import UsageRecorder, usage_key
from bot.webchat import setup_webchat
from knowledge.appointments import Appointments
from knowledge.catalog_store import Catalog
from knowledge.db import make_engine, make_sessionmaker
from knowledge.events import EventDesk
from knowledge.migrate import upgrade_database
from knowledge.outbox import Outbox
from knowledge.subscriptions import Subscriptions
from knowledge.usage import UsageStore
from knowledge.when import QuietHours

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turns anything unexpected into a Korean JSON error instead of a stack trace."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status >= 400 and request.path.startswith(("/api/", "/admin/", "/webhooks/")):
            return json_error(exc.status, exc.reason or "요청을 처리할 수 없습니다.")
        raise
    except Exception:
        logger.exception(
            "unhandled error on %s %s", request.method, log_filters.printable(request.path)
        )
        return json_error(500, "죄송합니다. 서버에 문제가 생겼어요. 잠시 후 다시 시도해 주세요.")


async def _database_ctx(app: web.Application) -> AsyncIterator[None]:
    """One engine for the app's database; schema brought up to date before serving."""
    settings = app[SETTINGS_KEY]
    settings.ieum_var_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    await upgrade_database(engine)
    sessions = make_sessionmaker(engine)
    app[CATALOG_KEY] = Catalog(sessions)
    quiet = QuietHours.parse(settings.ieum_quiet_hours)
    app[APPOINTMENTS_KEY] = Appointments(sessions, quiet)
    app[OUTBOX_KEY] = Outbox(sessions)
    app[EVENT_DESK_KEY] = EventDesk(sessions, quiet)
    app[SUBSCRIPTIONS_KEY] = Subscriptions(sessions)
    usage = UsageRecorder(
        UsageStore(sessions), usage_key(settings.ieum_usage_key, settings.ieum_var_dir)
    )
    app[USAGE_KEY] = usage
    usage.start()
    yield
    await usage.stop()  # the queued turns are written before the database closes
    await engine.dispose()


async def _http_session_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS_KEY]
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100, keepalive_timeout=30))
    app[HTTP_SESSION_KEY] = session
    if ENGINE_KEY not in app:
        app[ENGINE_KEY] = EngineClient(
            session,
            settings.rasa_url,
            settings.rasa_token,
            timeout=settings.ieum_engine_timeout,
            connect_timeout=settings.ieum_engine_connect_timeout,
            workers=settings.engine_routes,
        )
    eraser = ConversationEraser.for_url(settings.tracker_store_url)
    app[GATEWAY_KEY] = Gateway(
        app[ENGINE_KEY],
        inbox=app[OUTBOX_KEY],
        eraser=eraser,
        now=app[CLOCK_KEY],
        usage=app[USAGE_KEY],
        low_confidence=settings.ieum_usage_low_confidence,
    )
    yield
    await session.close()
    await eraser.dispose()


async def _telegram_ctx(app: web.Application) -> AsyncIterator[None]:
    """Telegram channel and the outbox sender, only when a bot token is configured."""
    settings = app[SETTINGS_KEY]
    if not settings.telegram_bot_token:
        yield
        return
    channel = TelegramChannel(settings, lambda: app[GATEWAY_KEY], app[USER_LIMIT_KEY])
    app[TELEGRAM_KEY] = channel
    await channel.start()
    notifier = Notifier(
        app[OUTBOX_KEY],
        {"telegram": TelegramPush(channel.bot)},
        now=app[CLOCK_KEY],
        quiet=QuietHours.parse(settings.ieum_quiet_hours),
        on_unreachable=app[SUBSCRIPTIONS_KEY].remove_all,
        lease=dt.timedelta(seconds=settings.ieum_outbox_lease_seconds),
    )
    stop = asyncio.Event()

    async def send_when_connected() -> None:
        await channel.ready.wait()
        await notifier.run_forever(stop, idle_seconds=settings.ieum_notifier_idle_seconds)

    task = asyncio.create_task(send_when_connected())
    yield
    stop.set()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    await channel.stop()


RETENTION = dt.timedelta(days=30)


async def _retention_ctx(app: web.Application) -> AsyncIterator[None]:
    """Once an hour: bookings 30 days past their day and usage records past their retention
    (IEUM_USAGE_RETENTION_DAYS) are deleted."""

    async def purge_forever() -> None:
        while True:
            try:
                removed = await app[APPOINTMENTS_KEY].purge_before(app[CLOCK_KEY]() - RETENTION)
                if removed:
                    logger.info("retention: deleted %d bookings older than 30 days", removed)
                days = app[SETTINGS_KEY].ieum_usage_retention_days
                cutoff = app[CLOCK_KEY]() - dt.timedelta(days=days)
                if purged := await app[USAGE_KEY].store.purge_before(cutoff):
                    logger.info("retention: deleted %d usage records (%d days)", purged, days)
            except Exception:
                logger.exception("retention purge failed")
            await asyncio.sleep(3600)

    task = asyncio.create_task(purge_forever())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def telegram_webhook(request: web.Request) -> web.Response:
    channel = request.app.get(TELEGRAM_KEY)
    if channel is None:
        logger.warning("telegram webhook called but Telegram is not configured")
        return json_error(404, "텔레그램이 설정되어 있지 않습니다.")
    return await channel.webhook(request)


def create_app(settings: Settings, now: Callable[[], dt.datetime] = seoul_now) -> web.Application:
    """Builds the app; nothing connects until the app starts (cleanup contexts).

    `now` is the clock for reminders and admin defaults; tests inject a fixed one.
    """
    log_filters.install()
    configure_log_key(settings.ieum_log_key)
    app = web.Application(middlewares=[error_middleware], client_max_size=256 * 1024)
    app[SETTINGS_KEY] = settings
    app[CLOCK_KEY] = now
    app[ADMIN_FAIL_LIMIT_KEY] = RateLimiter(Limit(10, 60))
    app[USER_LIMIT_KEY] = RateLimiter(Limit.parse(settings.ieum_rate_limit_user))
    app[IP_LIMIT_KEY] = RateLimiter(Limit.parse(settings.ieum_rate_limit_ip))
    app.cleanup_ctx.append(_database_ctx)
    app.cleanup_ctx.append(_http_session_ctx)
    app.cleanup_ctx.append(_telegram_ctx)
    app.cleanup_ctx.append(_retention_ctx)
    app.router.add_post("/webhooks/telegram", telegram_webhook)
    setup_health(app)
    setup_webchat(app)
    setup_admin(app)
    setup_dashboard(app)
    setup_kakao(app)
    return app
