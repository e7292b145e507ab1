"""Starts the Rasa engine: `python -m nlu.engine_main run …` is `rasa run …` with one speed fix.

Profiling the engine under load (py-spy, 20 concurrent conversations) showed about 40 % of its
CPU in `jsonschema`: Rasa 3.6 checks every action-server response with `jsonschema.validate`,
which re-validates Rasa's large event schema against the JSON-Schema meta-schema on every call.
We build the validator once and check each response with it; an invalid response still goes to
Rasa's own method, so errors and messages are exactly Rasa's. The SQLite tracker store also
gets WAL mode (see `install_sqlite_pragmas`), and Rasa's REST channel logs no user text
(`install_user_text_masking`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Mapping
from typing import Any

# Loggers whose records may carry what a user typed: Rasa's REST channel (which our
# nlu/channels/secure_rest.py reuses) logs the message text when a turn times out or fails
# ("rest.message.received.timeout", text=…).
USER_TEXT_LOGGERS = ("rasa.core.channels.rest",)
# keys of Rasa's own anonymizer (rasa.utils.log_utils) that hold user text or slot values
_TEXT_KEYS = frozenset(
    {"text", "message", "user_text", "user_message", "response_text", "parse_data_text",
     "slot_values", "tracker_latest_message", "json_message"}
)  # fmt: skip
_EVENT = re.compile(r"[a-z_]+(?:\.[a-z_]+)+")
MASK = "[masked]"


class MaskUserText(logging.Filter):
    """Rewrites a record so the user's words are not in it; the event name and level stay.

    structlog hands the logger an already rendered line: JSON (no terminal) or a console line.
    JSON keeps its shape with the text fields masked; any other line keeps only its event name.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        try:
            data = json.loads(message)
        except ValueError:
            data = None
        if isinstance(data, dict):
            masked = {k: (MASK if k in _TEXT_KEYS else v) for k, v in data.items()}
            record.msg = json.dumps(masked, ensure_ascii=False)
        else:
            event = _EVENT.search(message)
            record.msg = f"{event.group() if event else 'rest channel'} (text {MASK})"
        record.args = None
        return True


def install_user_text_masking() -> None:
    for name in USER_TEXT_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskUserText) for f in logger.filters):
            logger.addFilter(MaskUserText())


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


def prefork_workers(env: Mapping[str, str]) -> int:
    """IEUM_ENGINE_PREFORK (set by `ieum run` on one machine): engine processes to fork."""
    try:
        return max(1, int(env.get("IEUM_ENGINE_PREFORK", "1")))
    except ValueError:
        return 1


def block_unused_imports() -> None:
    """TensorFlow's lite converter imports jax when it is installed (it is, as a TensorFlow
    dependency); nothing here uses it, and it costs each engine process about 65 MB."""
    sys.modules.setdefault("jax", None)  # type: ignore[arg-type]


def quiet_library_warnings() -> None:
    """Deprecation notices from Rasa's dependencies (SQLAlchemy, pkg_resources, matplotlib…)
    mean nothing to the person reading `make run`'s console, and several of those libraries
    re-enable their own warnings whatever PYTHONWARNINGS says: warnings go to the logging
    module instead, below the level the console shows."""
    logging.captureWarnings(True)
    logging.getLogger("py.warnings").setLevel(logging.ERROR)


def main() -> None:
    block_unused_imports()
    quiet_library_warnings()
    from nlu.turn_summary import install_turn_summary

    install_user_text_masking()
    install_cached_action_validation()
    install_sqlite_pragmas()
    install_turn_summary()  # what was understood, for the operator console (nlu/turn_summary.py)
    from nlu.action_payload import install_turn_only_action_payload

    install_turn_only_action_payload()  # action calls carry this turn's events (flat cost)
    from nlu.action_transport import install_kept_action_sessions

    install_kept_action_sessions()  # kept-alive connections, the domain's JSON made once
    from nlu.incremental_states import install_incremental_states

    install_incremental_states()  # RulePolicy's states: only new events processed per turn
    from nlu.tracker_copy import install_fast_tracker_copy

    install_fast_tracker_copy()  # the copy before each action without a replay
    from nlu.rule_lookup import install_indexed_rule_lookup

    install_indexed_rule_lookup()  # RulePolicy checks only the rules that can match
    from nlu.graph_runner import install_direct_graph_runner

    install_direct_graph_runner()  # the graph's nodes called in order, without dask
    from nlu.applied_events import install_incremental_applied_events

    install_incremental_applied_events()  # the applied history continued, not replayed
    from nlu.diet_loading import install_prediction_only_loading

    install_prediction_only_loading()  # DIET built by one prediction, not a training fit
    workers = prefork_workers(os.environ)
    if workers > 1:
        from nlu.prefork import install_prefork

        install_prefork(workers)  # the model loaded once, `workers` processes forked from it
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
