"""Starts the Rasa engine: `python -m nlu.engine_main run …` is `rasa run …` with one speed fix.

Profiling the engine under load (py-spy, 20 concurrent conversations) showed about 40 % of its
CPU in `jsonschema`: Rasa 3.6 checks every action-server response with `jsonschema.validate`,
which re-validates Rasa's large event schema against the JSON-Schema meta-schema on every call.
We build the validator once and check each response with it; an invalid response still goes to
Rasa's own method, so errors and messages are exactly Rasa's. The SQLite tracker store also
gets WAL mode (see `install_sqlite_pragmas`).
"""

from __future__ import annotations

from typing import Any


def install_cached_action_validation() -> None:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)  # once, instead of on every action call
    validator = validator_class(schema)
    rasa_validate = RemoteAction._validate_action_result

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        if validator.is_valid(result):
            return True
        return rasa_validate(self, result)  # raises Rasa's own ValidationError

    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]


def install_sqlite_pragmas() -> None:
    """The one-machine tracker store is a SQLite file: WAL and `synchronous=NORMAL` make each
    turn's commit cheap (about 10 % of engine time was fsync) and let the app erase a user's
    history (delete_my_data) while the engine reads."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()


def main() -> None:
    from nlu.turn_summary import install_turn_summary

    install_cached_action_validation()
    install_sqlite_pragmas()
    install_turn_summary()  # what was understood, for the operator console (nlu/turn_summary.py)
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
