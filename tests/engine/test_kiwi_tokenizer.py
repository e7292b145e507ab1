"""KiwiTokenizer: tokens and character offsets over real Korean, like Rasa's tokenizer tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.kiwi_tokenizer import KiwiTokenizer


@pytest.fixture(scope="module")
def storage(tmp_path_factory: pytest.TempPathFactory) -> LocalModelStorage:
    return LocalModelStorage(tmp_path_factory.mktemp("model"))


def make_tokenizer(storage: LocalModelStorage, **config: object) -> KiwiTokenizer:
    return KiwiTokenizer.create(
        {**KiwiTokenizer.get_default_config(), **config},
        storage,
        Resource(f"kiwi{len(config)}"),
        ExecutionContext(graph_schema=None, model_id="test"),  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def tokenizer(storage: LocalModelStorage) -> KiwiTokenizer:
    return make_tokenizer(storage)


@pytest.mark.parametrize(
    "text, expected_tokens, expected_offsets",
    [
        # particles split off the noun they follow
        (
            "관악구에서 상담받고 싶어요",
            ["관악구", "에서", "상담", "받", "고", "싶", "어요"],
            [(0, 3), (3, 5), (6, 8), (8, 9), (9, 10), (11, 12), (12, 14)],
        ),
        # no spaces at all
        (
            "상담예약하고싶어요",
            ["상담", "예약", "하", "고", "싶", "어요"],
            [(0, 2), (2, 4), (4, 5), (5, 6), (6, 7), (7, 9)],
        ),
        # age in native Korean numerals, then a copula ending
        (
            "쉰셋인데 생애경력설계 되나요",
            ["쉰", "셋", "인데", "생애", "경력", "설계", "되", "나요"],
            [(0, 1), (1, 2), (2, 4), (5, 7), (7, 9), (9, 11), (12, 13), (13, 15)],
        ),
        # birth year and a status without spaces
        (
            "72년생 재직중입니다",
            ["72", "년", "생", "재직", "중", "입니다"],
            [(0, 2), (2, 3), (3, 4), (5, 7), (7, 8), (8, 11)],
        ),
        # mixed scripts, laughter and an emoji keep their positions
        (
            "IT회사 다녀요 ㅎㅎ 😀",
            ["IT", "회사", "다녀요", "ㅎㅎ", "😀"],
            [(0, 2), (2, 4), (5, 8), (9, 11), (12, 13)],
        ),
        # Sino-Korean numerals with a unit
        ("오십삼 세", ["오", "십", "삼", "세"], [(0, 1), (1, 2), (2, 3), (4, 5)]),
        # digits glued to a counter and a particle
        ("1350번으로 전화", ["1350", "번", "으로", "전화"], [(0, 4), (4, 5), (5, 7), (8, 10)]),
        # a place glued to 근처
        (
            "천안근처 센터 어디예요",
            ["천안", "근처", "센터", "어디", "예요"],
            [(0, 2), (2, 4), (5, 7), (8, 10), (10, 12)],
        ),
        # time expression said in words
        (
            "다음주 화요일 오후 세시",
            ["다음", "주", "화요일", "오후", "세", "시"],
            [(0, 2), (2, 3), (4, 7), (8, 10), (11, 12), (12, 13)],
        ),
    ],
)
def test_tokens_and_offsets(
    tokenizer: KiwiTokenizer,
    text: str,
    expected_tokens: list[str],
    expected_offsets: list[tuple[int, int]],
) -> None:
    tokens = tokenizer.tokenize(Message.build(text=text), attribute=TEXT)
    assert [t.text for t in tokens] == expected_tokens
    assert [(t.start, t.end) for t in tokens] == expected_offsets
    # the surface text is always exactly the span of the original message
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_contracted_morphemes_become_one_token(tokenizer: KiwiTokenizer) -> None:
    tokens = tokenizer.tokenize(Message.build(text="했어요"), attribute=TEXT)
    assert [(t.text, t.start, t.end) for t in tokens] == [("했", 0, 1), ("어요", 1, 3)]
    assert tokens[0].lemma == "하었"  # 하 + 었 share one syllable


@pytest.mark.parametrize(
    "typed, lemma",
    [("프로그렘 뭐있나요", "프로그램"), ("프로그렘", "프로그램")],
)
def test_typos_are_normalized_in_lemmas(tokenizer: KiwiTokenizer, typed: str, lemma: str) -> None:
    tokens = tokenizer.tokenize(Message.build(text=typed), attribute=TEXT)
    assert tokens[0].text == "프로그렘"
    assert tokens[0].lemma == lemma


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_blank_text_has_no_tokens(tokenizer: KiwiTokenizer, text: str) -> None:
    assert tokenizer.tokenize(Message.build(text=text), attribute=TEXT) == []


def test_process_sets_tokens_on_message(tokenizer: KiwiTokenizer) -> None:
    message = Message.build(text="예약 취소할게요")
    tokenizer.process([message])
    assert [t.text for t in message.get(TOKENS_NAMES[TEXT])][:2] == ["예약", "취소"]


def test_whitespace_tokenizer_drops_hangul() -> None:
    """Why we do not use Rasa's default: all-Hangul words vanish."""
    whitespace = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    tokens = whitespace.tokenize(Message.build(text="상담 예약 하고 싶어요 IT"), attribute=TEXT)
    assert [t.text for t in tokens] == ["IT"]


def test_user_dictionary_is_persisted_and_loaded(
    storage: LocalModelStorage, tmp_path: Path
) -> None:
    dictionary = tmp_path / "words.tsv"
    dictionary.write_text("# programs\n생애경력설계\tNNP\t10\n", encoding="utf-8")
    config = {**KiwiTokenizer.get_default_config(), "user_dictionary_path": str(dictionary)}
    resource = Resource("kiwi_with_dictionary")
    context = ExecutionContext(graph_schema=None, model_id="test")  # type: ignore[arg-type]
    trained = KiwiTokenizer.create(config, storage, resource, context)
    trained.train(TrainingData())
    dictionary.unlink()  # the loaded model must not need the original file

    loaded = KiwiTokenizer.load(config, storage, resource, context)
    tokens = loaded.tokenize(Message.build(text="생애경력설계받고싶어요"), attribute=TEXT)
    assert tokens[0].text == "생애경력설계"
    assert (tokens[0].start, tokens[0].end) == (0, 6)


def test_fingerprint_follows_user_dictionary_content(tmp_path: Path) -> None:
    """Rasa's cache must retrain when the dictionary changes behind the same path."""
    dictionary = tmp_path / "words.tsv"
    dictionary.write_text("생애경력설계\tNNP\t0\n", encoding="utf-8")
    config = {**KiwiTokenizer.get_default_config(), "user_dictionary_path": str(dictionary)}
    before = KiwiTokenizer.fingerprint_addon(config)
    assert KiwiTokenizer.fingerprint_addon(config) == before
    dictionary.write_text("생애경력설계\tNNP\t0\n국취제\tNNP\t0\n", encoding="utf-8")
    assert KiwiTokenizer.fingerprint_addon(config) != before


@pytest.mark.parametrize("limit, kept", [(None, 2000), (160, 160), (3000, 2000)])
def test_long_messages_keep_their_start_and_end(limit: int | None, kept: int) -> None:
    from rasa.nlu.tokenizers.tokenizer import Token

    from nlu.components.kiwi_tokenizer import bounded_tokens

    tokens = [Token(str(i), i, i + 1) for i in range(2000)]
    out = bounded_tokens(tokens, limit)
    assert len(out) == kept
    assert out[0].text == "0" and out[-1].text == "1999"  # the question at the end is kept
    assert [t.start for t in out] == sorted(t.start for t in out)
