"""The engine's normalizer stays fast on crafted messages (issue 16: ReDoS in the engine).

Entities are placed the way DIET could tag them: over the whole crafted word, so the span fixing,
ending stripping, age reading and gazetteer all see the worst text.
"""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.components.entity_normalizer import KoreanEntityNormalizer, strip_trailing_endings
from tests.adversarial import best_time, build, cases
from tests.engine.test_entity_normalizer import normalizer  # noqa: F401  (fixture)

BUDGET_SECONDS = 0.05


def _process(normalizer: KoreanEntityNormalizer, text: str, entity: str) -> None:  # noqa: F811
    tagged = {"entity": entity, "start": 0, "end": len(text), "value": text}
    normalizer.process([Message(data={TEXT: text, ENTITIES: [tagged]})])


@pytest.mark.parametrize("entity", ["date", "time", "age", "program", "employment_status"])
@pytest.mark.parametrize(("shape", "length"), cases())
def test_normalizer_is_fast_on_crafted_input(
    normalizer: KoreanEntityNormalizer,  # noqa: F811
    entity: str,
    shape: str,
    length: int,
) -> None:
    text = build(shape, length)
    assert best_time(lambda t: _process(normalizer, t, entity), text) < BUDGET_SECONDS


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("다음주에는", "다음주"),
        ("내일이요", "내일"),
        ("모레쯤에", "모레"),
        ("12월3일에요", "12월3일"),
        ("3시로", "3시"),
        ("요", "요"),  # never stripped to nothing
        ("요" * 4000, "요" * 3994),  # a bounded number of endings, in linear time
    ],
)
def test_strip_trailing_endings(word: str, expected: str) -> None:
    assert strip_trailing_endings(word) == expected


def test_repeated_endings_are_linear() -> None:
    assert best_time(strip_trailing_endings, "이요" * 2048) < 0.005
