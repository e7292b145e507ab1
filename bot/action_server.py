"""The rasa-sdk action server, hosted in aiohttp so it binds to 127.0.0.1 and checks a token.

rasa-sdk's own Sanic server listens on every interface and has no auth; the engine sends
`?token=` (endpoints.yml `action_endpoint.token`), which we verify here.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from aiohttp import web
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

from actions import build_actions
from actions.deps import ActionDeps
from bot.http_json import BadRequestBody, json_error, read_json
from bot.keys import SETTINGS_KEY
from bot.settings import Settings
from knowledge.appointments import Appointments
from knowledge.catalog_store import Catalog
from knowledge.db import make_engine, make_sessionmaker
from knowledge.districts import load_districts
from knowledge.events import EventDesk
from knowledge.kb_files import DEFAULT_KB_DIR
from knowledge.personal_data import PersonalData
from knowledge.subscriptions import Subscriptions
from knowledge.when import QuietHours

logger = logging.getLogger(__name__)

EXECUTOR_KEY = web.AppKey("executor", ActionExecutor)
TOKEN_KEY = web.AppKey("actions_token", str)
MAX_ACTION_CALL_BYTES = 8 * 1024 * 1024
ACTION_APOLOGY = (
    "죄송해요, 잠시 문제가 생겨 이 요청을 처리하지 못했어요. 입력하신 내용은 그대로 있으니 잠시 후 "
    "다시 말씀해 주세요. 급하시면 고용노동부 고객상담센터 1350으로 전화해 주세요."
)


async def webhook(request: web.Request) -> web.Response:
    expected = request.app[TOKEN_KEY]
    given = request.query.get("token", "")
    if expected and not hmac.compare_digest(given.encode(), expected.encode()):
        logger.warning("action call with a wrong token rejected")
        return json_error(401, "unauthorized")
    try:
        action_call: Any = await read_json(request, MAX_ACTION_CALL_BYTES)
    except BadRequestBody as exc:
        return json_error(exc.status, exc.message)
    if not isinstance(action_call, dict):
        return json_error(400, "Invalid body request")
    executor = request.app[EXECUTOR_KEY]
    try:
        result = await executor.run(action_call)
    except ActionExecutionRejection as exc:
        return web.json_response({"error": exc.message, "action_name": exc.action_name}, status=400)
    except ActionNotFoundException as exc:
        logger.error("unknown action %s", exc.action_name)
        return web.json_response({"error": exc.message, "action_name": exc.action_name}, status=404)
    except Exception:
        # A database that is locked or restarting must not leave the user without an answer:
        # the engine relays this apology and the conversation goes on from where it was.
        logger.exception("action %s failed", action_call.get("next_action"))
        return web.json_response({"events": [], "responses": [{"text": ACTION_APOLOGY}]})
    return web.json_response(result.model_dump() if result else None)


async def health(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def list_actions(request: web.Request) -> web.Response:
    return web.json_response([a.model_dump() for a in request.app[EXECUTOR_KEY].list_actions()])


def register(executor: ActionExecutor, deps: ActionDeps) -> None:
    for action in build_actions(deps):
        executor.register_action(action)


async def _deps_ctx(app: web.Application) -> AsyncIterator[None]:
    """Builds the database engine and catalog when the server starts, disposes them at exit."""
    settings = app[SETTINGS_KEY]
    settings.ieum_var_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    kb_dir = Path(settings.ieum_kb_dir) if settings.ieum_kb_dir else DEFAULT_KB_DIR
    districts = load_districts(kb_dir / "districts.yaml")
    sessions = make_sessionmaker(engine)
    quiet = QuietHours.parse(settings.ieum_quiet_hours)
    register(
        app[EXECUTOR_KEY],
        ActionDeps(
            Catalog(sessions, kb_dir),
            districts,
            Appointments(sessions, quiet),
            Subscriptions(sessions),
            PersonalData(sessions),
            EventDesk(sessions, quiet),
        ),
    )
    yield
    await engine.dispose()


def create_action_app(settings: Settings, deps: ActionDeps | None = None) -> web.Application:
    """The action server; `deps` lets tests inject their own catalog and clock."""
    executor = ActionExecutor()
    app = web.Application(client_max_size=MAX_ACTION_CALL_BYTES)
    app[EXECUTOR_KEY] = executor
    app[TOKEN_KEY] = settings.ieum_actions_token
    app[SETTINGS_KEY] = settings
    if deps is not None:
        register(executor, deps)
    else:
        app.cleanup_ctx.append(_deps_ctx)
    app.router.add_post("/webhook", webhook)
    app.router.add_get("/health", health)
    app.router.add_get("/actions", list_actions)
    return app
