"""Typed keys for what the aiohttp app carries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import aiohttp
from aiohttp import web

from bot.engine import EngineClient
from bot.gateway import Gateway
from bot.rate_limit import RateLimiter
from bot.settings import Settings
from bot.telegram_channel import TelegramChannel
from bot.usage import UsageRecorder
from knowledge.appointments import Appointments
from knowledge.catalog_store import Catalog
from knowledge.events import EventDesk
from knowledge.outbox import Outbox
from knowledge.subscriptions import Subscriptions

SETTINGS_KEY = web.AppKey("settings", Settings)
CLOCK_KEY = web.AppKey("clock", Callable[[], dt.datetime])
HTTP_SESSION_KEY = web.AppKey("http_session", aiohttp.ClientSession)
ENGINE_KEY = web.AppKey("engine", EngineClient)
GATEWAY_KEY = web.AppKey("gateway", Gateway)
USER_LIMIT_KEY = web.AppKey("user_limit", RateLimiter)
IP_LIMIT_KEY = web.AppKey("ip_limit", RateLimiter)
ADMIN_FAIL_LIMIT_KEY = web.AppKey("admin_fail_limit", RateLimiter)
CATALOG_KEY = web.AppKey("catalog", Catalog)
APPOINTMENTS_KEY = web.AppKey("appointments", Appointments)
OUTBOX_KEY = web.AppKey("outbox", Outbox)
EVENT_DESK_KEY = web.AppKey("event_desk", EventDesk)
SUBSCRIPTIONS_KEY = web.AppKey("subscriptions", Subscriptions)
TELEGRAM_KEY = web.AppKey("telegram", TelegramChannel)
USAGE_KEY = web.AppKey("usage", UsageRecorder)
