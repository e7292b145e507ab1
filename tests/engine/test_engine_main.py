"""The engine launcher's cached validation accepts and rejects exactly what Rasa's does."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from nlu.engine_main import install_cached_action_validation

GOOD = {
    "events": [{"event": "slot", "name": "date", "value": "2026-12-01", "timestamp": None}],
    "responses": [{"text": "안녕하세요"}],
}
BAD = [
    {"events": "not a list", "responses": []},
    {"events": [{"event": "slot"}], "responses": []},  # a slot event without a name
    {"events": [], "responses": ["text only"]},
]


@pytest.mark.parametrize("patched", [False, True])
def test_same_verdicts_as_rasa(patched: bool) -> None:
    if patched:
        install_cached_action_validation()
    action = RemoteAction("action_x", EndpointConfig("http://127.0.0.1:1/webhook"))
    assert action._validate_action_result(GOOD) is True
    for bad in BAD:
        with pytest.raises(
            jsonschema.ValidationError, match="Failed to validate Action server response"
        ):
            action._validate_action_result(bad)
