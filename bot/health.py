"""`GET /healthz`: ok only when both the engine (with a model) and the action server answer."""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.engine import actions_healthy
from bot.http_json import json_reply
from bot.keys import ENGINE_KEY, HTTP_SESSION_KEY, SETTINGS_KEY


async def healthz(request: web.Request) -> web.Response:
    app = request.app
    status, actions_ok = await asyncio.gather(
        app[ENGINE_KEY].status(),
        actions_healthy(app[HTTP_SESSION_KEY], app[SETTINGS_KEY].actions_url),
    )
    engine_ok = bool(status and (status.get("model_id") or status.get("model_file")))
    ok = engine_ok and actions_ok
    body = {
        "status": "ok" if ok else "unavailable",
        "engine": "ok" if engine_ok else "unavailable",
        "actions": "ok" if actions_ok else "unavailable",
    }
    return json_reply(body, status=200 if ok else 503)


def setup_health(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz)
