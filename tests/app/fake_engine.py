"""A stand-in for the Rasa HTTP API used by fast app tests (the e2e tests use the real engine)."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

SENDERS = web.AppKey("senders", list)
DELAY = web.AppKey("delay", list)


TOKEN = "engine-token"  # what tests.app.conftest.make_settings gives the app as RASA_TOKEN


async def rest_webhook(request: web.Request) -> web.Response:
    if request.headers.get("Authorization") != f"Bearer {TOKEN}":  # as nlu/channels/secure_rest
        return web.json_response({"status": "failure", "reason": "NotAuthenticated"}, status=401)
    body = await request.json()
    request.app[SENDERS].append(body["sender"])
    if request.app[DELAY][0]:
        await asyncio.sleep(request.app[DELAY][0])
    text = body["message"]
    if text == "/affirm_erase":  # what action_delete_my_data sends after a yes
        return web.json_response(
            [
                {
                    "recipient_id": body["sender"],
                    "custom": {"ieum_control": "erase_conversation", "text": "지웠어요"},
                }
            ]
        )
    messages: list[dict[str, Any]] = [
        {
            "recipient_id": body["sender"],
            "text": f"받은 말: {text}",
            "buttons": [{"title": "도움말", "payload": "/help"}],
        },
        {
            "recipient_id": body["sender"],
            "custom": {"card": {"title": "고용노동부 고객상담센터", "phone": "1350"}},
        },
    ]
    return web.json_response(messages)


async def status(request: web.Request) -> web.Response:
    if request.query.get("token") != TOKEN:
        return web.json_response({"message": "unauthorized"}, status=401)
    return web.json_response({"model_id": "abc", "model_file": "ieum.tar.gz"})


def create_fake_engine() -> web.Application:
    app = web.Application()
    app[SENDERS] = []
    app[DELAY] = [0.0]
    app.router.add_post("/webhooks/ieum_rest/webhook", rest_webhook)
    app.router.add_get("/status", status)
    return app
