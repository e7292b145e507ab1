"""The engine's speed changes give exactly Rasa's answers, on the trained model.

Each replaced piece is compared with Rasa's own code in the same process: DIET built by one
prediction (`nlu.diet_loading`) against Rasa's one-example training fit, the graph run without
dask (`nlu.graph_runner`), the indexed RulePolicy lookup (`nlu.rule_lookup`), and the action
request body with the domain's JSON spliced in (`nlu.action_transport`).
Needs the trained model (`make test` trains before it runs these).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parents[2]
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"


def _model() -> Path | None:
    env = os.environ.get("IEUM_TEST_MODEL")
    current = ROOT / "models" / "CURRENT"
    name = env or (current.read_text().strip() if current.exists() else "")
    path = ROOT / name if name and not Path(name).is_absolute() else Path(name)
    return path if name and path.exists() else None


MODEL = _model()
pytestmark = pytest.mark.skipif(MODEL is None, reason="no trained model (run `make train`)")


def heldout_texts(limit: int = 130) -> list[str]:
    """Every third held-out sentence (the file is grouped by intent), at most `limit`."""
    texts = []
    for line in HELDOUT.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("- ") and len(line) > 3:
            texts.append(line[2:])
    return texts[::3][:limit]


def _summary(parse: dict[str, Any]) -> tuple[Any, ...]:
    ranking = tuple((r["name"], round(r["confidence"], 5)) for r in parse["intent_ranking"][:5])
    entities = tuple(
        (e["entity"], json.dumps(e.get("value"), ensure_ascii=False), e["start"], e["end"])
        for e in parse["entities"]
    )
    return parse["intent"]["name"], round(parse["intent"]["confidence"], 5), ranking, entities


async def _parse_all(agent: Any, texts: list[str]) -> list[tuple[Any, ...]]:
    return [_summary(await agent.parse_message(text)) for text in texts]


def _load(model: Path) -> Any:
    from rasa.core.agent import load_agent

    return asyncio.run(load_agent(model_path=str(model)))


@pytest.fixture(scope="module")
def rasa_agent() -> Any:
    """The model loaded by Rasa's own code (no speed changes installed yet)."""
    from rasa.utils.tensorflow.models import RasaModel

    assert not getattr(RasaModel.load, "_ieum_prediction_only", False)
    return _load(MODEL)


def test_prediction_only_diet_gives_rasas_predictions(rasa_agent: Any) -> None:
    from nlu.diet_loading import install_prediction_only_loading

    texts = heldout_texts()
    expected = asyncio.run(_parse_all(rasa_agent, texts))
    install_prediction_only_loading()
    ours = _load(MODEL)
    assert asyncio.run(_parse_all(ours, texts)) == expected
    assert len({intent for intent, *_ in expected}) > 10  # the sample covers many intents


def _nodes(agent: Any) -> dict[str, Any]:
    return agent.processor.graph_runner._instantiated_nodes


def _rule_policy(agent: Any) -> Any:
    from rasa.core.policies.rule_policy import RulePolicy

    for node in _nodes(agent).values():
        if isinstance(node._component, RulePolicy):
            return node._component
    raise AssertionError("no RulePolicy in the model")


def test_direct_graph_runner_gives_dasks_results(rasa_agent: Any) -> None:
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from nlu.graph_runner import install_direct_graph_runner

    texts = heldout_texts(60)
    processor = rasa_agent.processor
    trackers = []
    for i, text in enumerate(texts):
        parse = asyncio.run(rasa_agent.parse_message(text))
        events = [
            ActionExecuted("action_listen"),
            UserUttered(text, parse["intent"], parse["entities"]),
        ]
        trackers.append(DialogueStateTracker.from_events(f"t{i}", events, processor.domain.slots))

    def run_all() -> list[Any]:
        parses = asyncio.run(_parse_all(rasa_agent, texts))
        predictions = []
        for tracker in trackers:
            prediction = processor._predict_next_with_tracker(tracker)
            predictions.append(
                (prediction.policy_name, tuple(round(p, 6) for p in prediction.probabilities))
            )
        return [parses, predictions]

    expected = run_all()
    rasa_run = DaskGraphRunner.run
    install_direct_graph_runner()
    try:
        assert DaskGraphRunner.run is not rasa_run
        assert run_all() == expected
    finally:
        DaskGraphRunner.run = rasa_run


def _rule_states(policy: Any) -> list[list[dict[str, Any]]]:
    from rasa.shared.core.constants import PREVIOUS_ACTION

    from nlu.rule_lookup import State

    rules = [json.loads(key) for key in policy.lookup["rules"]]
    rules += [json.loads(key) for key in policy.lookup["rules_for_loop_unhappy_path"]]
    rng = random.Random(7)
    cases: list[list[State]] = []
    for states in rules:
        cases.append(states)
        cases.append([{"prev_action": {"action_name": "action_listen"}}, *states])
        trimmed = [dict(s) for s in states]
        trimmed[-1] = {k: v for k, v in trimmed[-1].items() if k != PREVIOUS_ACTION}
        cases.append(trimmed)
    for a, b, c in zip(
        rng.sample(rules, 200), rng.sample(rules, 200), rng.sample(rules, 200), strict=True
    ):
        cases.append([*a, *b, *c])
    for a, b in itertools.islice(
        zip(rng.sample(rules, len(rules)), rng.sample(rules, len(rules)), strict=True), 400
    ):
        cases.append([*a, *b])
    cases.append([])
    return cases


class RulePolicyVersions:
    """Switches RulePolicy between Rasa's methods and ours (nlu/rule_lookup.py)."""

    NAMES = ("_prediction_states", "_get_possible_keys", "_is_rule_applicable")

    def __init__(self) -> None:
        from rasa.core.policies.rule_policy import RulePolicy

        from nlu.rule_lookup import install_indexed_rule_lookup

        self.cls = RulePolicy
        self.rasa = {n: RulePolicy.__dict__.get(n) for n in self.NAMES}  # None: inherited
        assert not getattr(self.rasa["_get_possible_keys"], "_ieum_indexed", False)
        install_indexed_rule_lookup()
        self.ours = {n: RulePolicy.__dict__[n] for n in self.NAMES}
        self.use(self.rasa)

    def use(self, methods: dict[str, Any]) -> None:
        for name, method in methods.items():
            if method is None:
                if name in self.cls.__dict__:
                    delattr(self.cls, name)
            else:
                setattr(self.cls, name, method)


@pytest.fixture
def rule_versions() -> Any:
    versions = RulePolicyVersions()
    yield versions
    versions.use(versions.rasa)


def test_indexed_rule_lookup_gives_rasas_rules(rasa_agent: Any, rule_versions: Any) -> None:
    from nlu.rule_lookup import _window

    policy = _rule_policy(rasa_agent)
    cases = _rule_states(policy)
    lookups = [policy.lookup["rules"], policy.lookup["rules_for_loop_unhappy_path"]]
    expected = [
        [policy._get_possible_keys(lookup, states) for lookup in lookups] for states in cases
    ]
    # no rule looks further back than the window the policy is now given
    window = _window(policy)
    tails = [
        [policy._get_possible_keys(lookup, states[-window:]) for lookup in lookups]
        for states in cases
    ]
    assert tails == expected
    rule_versions.use(rule_versions.ours)
    ours = [[policy._get_possible_keys(lookup, states) for lookup in lookups] for states in cases]
    assert ours == expected
    assert sum(bool(found[0]) for found in expected) > len(cases) // 3  # many cases match rules


def test_request_body_with_spliced_domain_is_the_same_json() -> None:
    from nlu.action_transport import domain_json, dumps_request

    domain = {
        "intents": ["greet", "inform"],
        "responses": {"utter_greet": [{"text": "안녕하세요"}]},
    }
    domain_json(domain)
    body = {
        "next_action": "action_x",
        "sender_id": "web:1",
        "tracker": {"events": []},
        "domain": domain,
    }
    assert json.loads(dumps_request(body)) == body
    assert json.loads(dumps_request({"domain": domain})) == {"domain": domain}
    other = {"next_action": "a", "domain": {"intents": []}}  # not the cached dict: plain dumps
    assert dumps_request(other) == json.dumps(other)


def test_rule_policy_predictions_with_the_last_states_only(
    rasa_agent: Any, rule_versions: Any
) -> None:
    """Long random conversations: every prediction equals Rasa's with the whole history."""
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from nlu.rule_lookup import _window

    policy = _rule_policy(rasa_agent)
    domain = rasa_agent.processor.domain
    rule_only = policy._get_rule_only_data()
    intents = [i for i in domain.intents if not i.startswith(("nlu_fallback", "out_of_scope"))]
    rng = random.Random(11)
    compared = 0
    for conversation in range(12):
        tracker = DialogueStateTracker.from_events(
            f"rules-{conversation}", [ActionExecuted("action_listen")], domain.slots
        )
        for _turn in range(14):
            intent = rng.choice(intents)
            tracker.update(UserUttered(intent, {"name": intent, "confidence": 1.0}, []))
            for _step in range(4):
                rule_versions.use(rule_versions.rasa)
                expected = policy.predict_action_probabilities(tracker, domain, rule_only)
                rule_versions.use(rule_versions.ours)
                got = policy.predict_action_probabilities(tracker, domain, rule_only)
                assert got.probabilities == expected.probabilities
                assert [e.as_dict() for e in got.events] == [e.as_dict() for e in expected.events]
                compared += 1
                action = domain.action_names_or_texts[expected.max_confidence_index]
                tracker.update(ActionExecuted(action))
                if action == "action_listen":
                    break
            if tracker.latest_action_name != "action_listen":
                tracker.update(ActionExecuted("action_listen"))
    rule_versions.use(rule_versions.rasa)
    assert len(tracker.past_states(domain)) > 3 * _window(policy)  # much longer than the window
    assert compared > 200


def test_incremental_applied_events_equal_rasas_after_every_event() -> None:
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionReverted,
        ActiveLoop,
        Restarted,
        SessionStarted,
        SlotSet,
        UserUtteranceReverted,
        UserUttered,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    from nlu.applied_events import install_incremental_applied_events

    rasa_applied = DialogueStateTracker.__dict__["applied_events"]
    install_incremental_applied_events()
    ours = DialogueStateTracker.__dict__["applied_events"]
    DialogueStateTracker.applied_events = rasa_applied
    rng = random.Random(5)

    def user(n: int) -> UserUttered:
        return UserUttered(f"말 {n}", {"name": "inform", "confidence": 1.0})

    makers = [
        lambda n: ActionExecuted("action_listen"),
        user,
        lambda n: ActionExecuted("utter_greet"),
        lambda n: ActionExecuted("booking_form"),
        lambda n: ActionExecuted("eligibility_form"),
        lambda n: ActiveLoop("booking_form"),
        lambda n: ActiveLoop(None),
        lambda n: ActiveLoop("eligibility_form"),  # a form name first seen late
        lambda n: SlotSet("district", f"구 {n}"),
        lambda n: UserUtteranceReverted(),
        lambda n: ActionReverted(),
        lambda n: Restarted(),
        lambda n: SessionStarted(),
    ]
    weights = [6, 6, 3, 3, 2, 1, 1, 0.3, 2, 0.5, 0.5, 0.2, 0.2]
    try:
        for run in range(30):
            tracker = DialogueStateTracker(f"applied-{run}", [])
            for n in range(120):
                tracker.update(rng.choices(makers, weights)[0](n))
                expected = rasa_applied(tracker)
                DialogueStateTracker.applied_events = ours
                got = tracker.applied_events()
                got_again = tracker.applied_events()  # from the kept result
                DialogueStateTracker.applied_events = rasa_applied
                assert got == expected and got_again == expected
                assert [id(e) for e in got] == [id(e) for e in expected]
    finally:
        DialogueStateTracker.applied_events = ours
