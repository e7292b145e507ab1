"""Korean tokenizer for Rasa built on Kiwi (kiwipiepy).

Rasa's WhitespaceTokenizer treats every Hangul syllable as an emoji and drops all-Korean
tokens, so Korean needs a morphological tokenizer. Kiwi splits particles and endings off
(``관악구에서`` → ``관악구`` + ``에서``), copes with missing spaces and fixes common typos.

Each Rasa token keeps the *surface* span of the user's text (so entity offsets stay right)
and carries Kiwi's normalized morpheme form as its lemma (so featurizers see ``프로그램`` even
when the user typed ``프로그렘``). Morphemes that share characters (``했`` = ``하`` + ``었``)
are merged into one token, because Rasa tokens must not overlap.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.fingerprint import files_fingerprint

logger = logging.getLogger(__name__)

USER_DICTIONARY_FILE = "user_dictionary.tsv"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class KiwiTokenizer(Tokenizer):
    """Tokenizes Korean text into morphemes with correct character offsets."""

    @staticmethod
    def supported_languages() -> list[str] | None:
        return ["ko"]

    @staticmethod
    def required_packages() -> list[str]:
        return ["kiwipiepy"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # A TSV file of extra words (``word<TAB>TAG[<TAB>score]``), e.g. program names
            # generated from the knowledge base. Copied into the model so it travels with it.
            "user_dictionary_path": None,
            # Kiwi's typo model: None, "basic" or "basic_with_continual".
            "typos": "basic",
            # Longer messages keep their first and last tokens only (see bounded_tokens).
            "max_tokens": 160,
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Retrains when this code or the user dictionary's *content* changes (same path)."""
        return files_fingerprint(__file__, config.get("user_dictionary_path"))

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        user_dictionary: Path | None = None,
    ) -> None:
        super().__init__(config)
        self._model_storage = model_storage
        self._resource = resource
        self._user_dictionary = user_dictionary
        self._kiwi: Any = None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KiwiTokenizer:
        path = config.get("user_dictionary_path")
        return cls(config, model_storage, resource, Path(path) if path else None)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> KiwiTokenizer:
        """Loads the tokenizer with the user dictionary persisted in the model."""
        tokenizer = cls(config, model_storage, resource)
        if config.get("user_dictionary_path"):
            try:
                with model_storage.read_from(resource) as directory:
                    persisted = Path(directory) / USER_DICTIONARY_FILE
                    if persisted.exists():
                        # The model directory is temporary: keep the words, not the path.
                        tokenizer._kiwi = tokenizer._build_kiwi(persisted)
            except ValueError:
                logger.debug("No persisted user dictionary for %s", resource.name)
        return tokenizer

    def train(self, training_data: TrainingData) -> Resource:
        """Copies the user dictionary into the model storage."""
        if self._user_dictionary is not None:
            with self._model_storage.write_to(self._resource) as directory:
                shutil.copy2(self._user_dictionary, Path(directory) / USER_DICTIONARY_FILE)
        return self._resource

    @staticmethod
    def _build_kiwi(user_dictionary: Path | None) -> Any:
        import kiwipiepy

        kiwi = kiwipiepy.Kiwi()
        if user_dictionary is not None:
            added = 0
            for line in user_dictionary.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                parts = line.split("\t")
                word = parts[0].replace(" ", "")
                tag = parts[1] if len(parts) > 1 and parts[1] else "NNP"
                score = float(parts[2]) if len(parts) > 2 and parts[2] else 0.0
                if kiwi.add_user_word(word, tag, score):
                    added += 1
            logger.info("Kiwi user dictionary: %d words from %s", added, user_dictionary.name)
        return kiwi

    @property
    def kiwi(self) -> Any:
        if self._kiwi is None:
            self._kiwi = self._build_kiwi(self._user_dictionary)
        return self._kiwi

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute) or ""
        tokens = kiwi_tokens(self.kiwi, text, typos=self._config.get("typos"))
        return bounded_tokens(self._apply_token_pattern(tokens), self._config.get("max_tokens"))


HEAD_SHARE = 4  # of a message cut down, a quarter comes from its start, the rest from its end


def bounded_tokens(tokens: list[Token], limit: int | None) -> list[Token]:
    """At most `limit` tokens: the start and, mostly, the end of a long message.

    DIET's transformer costs grow with the square of the tokens, so a 4,096-character message
    of numerals (about 2,000 tokens) took 1.6 s of the single engine process while every other
    conversation waited. People put the question at the end of a long story, so the end is kept.
    """
    if not limit or len(tokens) <= limit:
        return tokens
    head = limit // HEAD_SHARE
    return tokens[:head] + tokens[len(tokens) - (limit - head) :]


def kiwi_tokens(kiwi: Any, text: str, typos: str | None = None) -> list[Token]:
    """Turns Kiwi morphemes into non-overlapping Rasa tokens over the original text."""
    if not text.strip():
        return []
    morphemes = kiwi.tokenize(text, typos=typos) if typos else kiwi.tokenize(text)
    tokens: list[Token] = []
    pending = ""  # zero-width morphemes (e.g. a dropped copula 이) join the next token's lemma
    for morpheme in morphemes:
        start = morpheme.start
        end = morpheme.start + morpheme.len
        if morpheme.len == 0:
            pending += morpheme.form
            continue
        if tokens and start < tokens[-1].end:
            last = tokens[-1]
            last.end = max(last.end, end)
            last.text = text[last.start : last.end]
            last.lemma = last.lemma + pending + morpheme.form
            pending = ""
            continue
        tokens.append(Token(text[start:end], start, end, lemma=pending + morpheme.form))
        pending = ""
    if pending and tokens:
        tokens[-1].lemma += pending
    return tokens
