"""Typed keys for what the aiohttp app carries."""

from __future__ import annotations

import aiohttp
from aiohttp import web

from bot.engine import EngineClient
from bot.gateway import Gateway
from bot.rate_limit import RateLimiter
from bot.settings import Settings

SETTINGS_KEY = web.AppKey("settings", Settings)
HTTP_SESSION_KEY = web.AppKey("http_session", aiohttp.ClientSession)
ENGINE_KEY = web.AppKey("engine", EngineClient)
GATEWAY_KEY = web.AppKey("gateway", Gateway)
USER_LIMIT_KEY = web.AppKey("user_limit", RateLimiter)
IP_LIMIT_KEY = web.AppKey("ip_limit", RateLimiter)
