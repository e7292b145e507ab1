"""The aiohttp-hosted action server: token check and the rasa action-call protocol."""

from __future__ import annotations

from pathlib import Path

import yaml
from aiohttp.test_utils import TestClient

from actions.deps import ActionDeps
from bot.action_server import create_action_app
from tests.app.conftest import make_settings

DOMAIN = yaml.safe_load((Path(__file__).parents[2] / "nlu" / "domain.yml").read_text("utf-8"))


def action_call(name: str) -> dict:
    return {
        "next_action": name,
        "sender_id": "web:x",
        "version": "3.6.21",
        "domain": DOMAIN,
        "tracker": {
            "sender_id": "web:x",
            "slots": {},
            "latest_message": {"text": "도움말", "intent": {"name": "help"}, "entities": []},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


async def test_runs_action_with_token(aiohttp_client, deps: ActionDeps, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client: TestClient = await aiohttp_client(
        create_action_app(make_settings(tmp_path, ieum_actions_token="secret"), deps)
    )
    resp = await client.post("/webhook?token=secret", json=action_call("action_show_help"))
    assert resp.status == 200
    body = await resp.json()
    assert body["events"] == []
    assert body["responses"][0]["response"] == "utter_help"


async def test_rejects_missing_or_wrong_token(aiohttp_client, deps: ActionDeps, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client: TestClient = await aiohttp_client(
        create_action_app(make_settings(tmp_path, ieum_actions_token="secret"), deps)
    )
    assert (await client.post("/webhook", json=action_call("action_show_help"))).status == 401
    resp = await client.post("/webhook?token=nope", json=action_call("action_show_help"))
    assert resp.status == 401


async def test_unknown_action_and_bad_body(aiohttp_client, deps: ActionDeps, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client: TestClient = await aiohttp_client(
        create_action_app(make_settings(tmp_path, ieum_actions_token="secret"), deps)
    )
    resp = await client.post("/webhook?token=secret", json=action_call("action_nope"))
    assert resp.status == 404
    resp = await client.post("/webhook?token=secret", data=b"{oops")
    assert resp.status == 400
    assert (await client.get("/health")).status == 200


async def test_database_failure_becomes_an_apology(
    aiohttp_client, deps: ActionDeps, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """The database is gone (restarting, disk trouble): the user hears an apology."""
    import dataclasses

    from knowledge.appointments import Appointments
    from knowledge.db import make_engine, make_sessionmaker

    gone = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'x.db'}")
    broken = dataclasses.replace(deps, appointments=Appointments(make_sessionmaker(gone)))
    call = action_call("action_book_appointment")
    call["tracker"]["slots"] = {
        "center": "ec_seoul", "date": "2026-11-25", "time": "14:00", "consent": True,
        "person_name": "홍길동", "phone": "01012345678", "confirmed": True,
    }  # fmt: skip
    client: TestClient = await aiohttp_client(
        create_action_app(make_settings(tmp_path, ieum_actions_token="secret"), broken)
    )
    resp = await client.post("/webhook?token=secret", json=call)
    assert resp.status == 200
    body = await resp.json()
    assert body["events"] == [] and "1350" in body["responses"][0]["text"]
    await gone.dispose()
    # the database is back: the same call books
    healthy: TestClient = await aiohttp_client(
        create_action_app(make_settings(tmp_path, ieum_actions_token="secret"), deps)
    )
    resp = await healthy.post("/webhook?token=secret", json=call)
    assert "예약되었어요" in str((await resp.json())["responses"])
