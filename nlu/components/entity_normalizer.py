"""Gives every entity DESIGN's canonical value and finds the names the model missed.

Runs after DIET and the synonym mapper. Ages become integers ("쉰셋" → 53, "72년생" → age this
year), statuses employed/retiring/unemployed, places and programs their canonical names and
ids (particles and spacing ignored). Dates and times keep the words as said (DESIGN: actions
resolve them) and carry a `resolved` ISO date/range or HH:MM in Asia/Seoul beside the value.
A gazetteer pass adds program and place names found in the text (Korean particles defeat the
`\\b` regexes of Rasa's lookup tables). Tables come from the training data (synonyms and
lookup tables generated from the KB) and are persisted with the model.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import unicodedata
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

import nlu.korean.dates as dates_module
import nlu.korean.numbers as numbers_module
import nlu.korean.vocab as vocab_module
from nlu.components.fingerprint import files_fingerprint
from nlu.korean.dates import parse_date, parse_time
from nlu.korean.numbers import parse_age
from nlu.korean.vocab import CANONICAL_STATUSES, EMPLOYMENT_STATUS_PATTERNS, parse_employment_status

logger = logging.getLogger(__name__)

TABLES_FILE = "tables.json"
SEOUL = dt.timezone(dt.timedelta(hours=9), "KST")
REGIONS = ("서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원", "충북", "충남",
           "전북", "전남", "경북", "경남", "제주")  # fmt: skip
ASPECTS = ("대상", "신청방법", "내용", "기간", "비용", "연락처", "위치", "운영시간")
ASPECT_WORDS = {"신청": "신청방법", "신청 방법": "신청방법", "방법": "신청방법", "수당": "비용", "돈": "비용",
                "금액": "비용", "지원금": "비용", "전화번호": "연락처", "번호": "연락처", "전화": "연락처",
                "자격": "대상", "조건": "대상", "일정": "기간", "주소": "위치", "장소": "위치", "시간": "운영시간"}  # fmt: skip
_NOISE = re.compile(r"[\s\-_·.,()\[\]'\"/+~!?]+")
_PARTICLES = re.compile(
    r"(에서|으로|에게|이에요|예요|이요|이랑|에|은|는|이|가|을|를|요|쪽|근처|도)$"
)
_AGE_PATTERN = re.compile(
    r"(?:만\s{0,3})?(?:(?:19|20)?\d{2}\s{0,3}년\s{0,3}생|\d{2,3}\s{0,3}(?:세|살))"
)
_MAX_DATE_WORD = 40
# Colloquial day words the gazetteer adds when the model tagged no date (see dates.py).
_COLLOQUIAL_DATE = re.compile(
    r"(?:(?:이번|다음|담|다다음|다담)\s{0,2}주\s{0,2})?[월화수목금토일]욜"
    r"|(?:이번|다음|담|다다음|다담)\s{0,2}주\s{0,2}[월화수목금토일]요일"
    r"|낼\s{0,2}모레|내일\s{0,2}모레"
    r"|(?<![\d.])\d{1,2}\s{0,2}월\s{0,2}\d{1,2}\s{0,2}일(?:\s{0,2}[월화수목금토일]요일)?"
)
GAZETTEER = ("program", "district", "region")


def _key(text: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFC", str(text))).lower()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class KoreanEntityNormalizer(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # ISO datetime used instead of the clock (tests and benchmarks)
            "fixed_now": None,
            # entity types the gazetteer may add when the model found none of that type
            "gazetteer": list(GAZETTEER),
        }

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Retrains when this code or the shared Korean parsers change."""
        return files_fingerprint(
            __file__, numbers_module.__file__, dates_module.__file__, vocab_module.__file__
        )

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        tables: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self.tables: dict[str, dict[str, str]] = tables or {name: {} for name in GAZETTEER}
        self._sorted: dict[str, list[str]] = {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KoreanEntityNormalizer:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> KoreanEntityNormalizer:
        tables = None
        try:
            with model_storage.read_from(resource) as directory:
                tables = json.loads((Path(directory) / TABLES_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            logger.warning("KoreanEntityNormalizer: no persisted tables, names will not be found")
        return cls(config, model_storage, resource, tables)

    # ── training: alias → canonical tables from synonyms and lookup tables ──────────────
    def train(self, training_data: TrainingData) -> Resource:
        synonyms = {_key(k): v for k, v in training_data.entity_synonyms.items()}
        tables: dict[str, dict[str, str]] = {name: {} for name in GAZETTEER}
        for lookup in training_data.lookup_tables:
            name = lookup.get("name")
            if name not in tables:
                continue
            for element in lookup.get("elements", []):
                key = _key(element)
                if len(key) >= 2:
                    tables[name][key] = synonyms.get(key, element)
        for value in REGIONS:
            tables["region"].setdefault(_key(value), value)
        # canonical values are names of themselves
        for name in ("program", "district"):
            for value in set(tables[name].values()):
                tables[name].setdefault(_key(value), value)
        self.tables = tables
        with self._storage.write_to(self._resource) as directory:
            (Path(directory) / TABLES_FILE).write_text(
                json.dumps(tables, ensure_ascii=False), encoding="utf-8"
            )
        return self._resource

    # ── inference ──────────────────────────────────────────────────────────────────────
    def process(self, messages: list[Message]) -> list[Message]:
        now = self._now()
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):
                continue  # button payloads carry canonical values already
            entities = [e for e in (message.get(ENTITIES) or []) if self._fix_span(text, e)]
            entities = _merge_adjacent_dates(text, entities)
            entities = [part for e in entities for part in _split_date_time(text, e)]
            entities = [e for e in entities if self._normalize(e, now, text)]
            entities.extend(self._gazetteer(text, entities))
            entities.extend(self._ages(text, entities, now))
            entities.extend(self._statuses(text, entities))
            entities.extend(self._colloquial_dates(text, entities, now))
            message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def _now(self) -> dt.datetime:
        fixed = self._config.get("fixed_now")
        if fixed:
            return dt.datetime.fromisoformat(fixed)
        return dt.datetime.now(SEOUL)

    def canonical(self, entity: str, value: Any, now: dt.datetime) -> Any:
        """The canonical value, or None when the value cannot be understood."""
        text = str(value)
        if entity == "age":
            return parse_age(text, now.date())
        if entity == "employment_status":
            return text if text in CANONICAL_STATUSES else parse_employment_status(text)
        if entity in ("program", "region", "district"):
            table = self.tables.get(entity, {})
            key = _key(text)
            if text in table.values():
                return text
            while key:
                if key in table:
                    return table[key]
                stripped = _PARTICLES.sub("", key)
                if stripped == key:
                    break
                key = stripped
            return (
                None
                if entity != "district"
                else (text if text.endswith(("구", "시", "군")) else None)
            )
        if entity == "aspect":
            if text in ASPECTS:
                return text
            return ASPECT_WORDS.get(text.strip()) or ASPECT_WORDS.get(
                _PARTICLES.sub("", text.strip())
            )
        if entity == "date":
            span = parse_date(text, now)
            return span.iso() if span else None
        if entity == "time":
            parsed = parse_time(text)
            return parsed.strftime("%H:%M") if parsed else None
        return value

    def _normalize(self, entity: dict[str, Any], now: dt.datetime, text: str = "") -> bool:
        if entity["entity"] in ("date", "time"):
            resolved = self.canonical(entity["entity"], entity.get("value", ""), now)
            if resolved is None:
                return False  # "달", "전", "IT": not a date or time anyone could book
            entity["resolved"] = resolved
            return True
        raw = entity.get("value", "")
        if entity["entity"] == "age" and "start" in entity and text:
            # the model sometimes tags "쉰" of "쉰두 살": read on to the end of the next word
            # and never read "15" of "15년차" as an age
            raw = text[entity["start"] : _end_of_next_word(text, entity["end"])]
        value = self.canonical(entity["entity"], raw, now)
        if entity["entity"] == "employment_status" and text:
            # the tagged word alone loses the time direction: "퇴직" of "정년퇴직이 두 달
            # 남았어요" is a retirement ahead; the whole message decides when it says more
            value = parse_employment_status(text) or value
        if value is None:
            if entity["entity"] == "center":
                return True
            return False  # a value we cannot map would mislead the dialogue
        if value != entity.get("value"):
            entity.setdefault("processors", []).append(self.__class__.__name__)
            entity["value"] = value
        return True

    def _fix_span(self, text: str, entity: dict[str, Any]) -> bool:
        """Dates and times cover whole words ("이번주", "저녁 7시"), never 내일센터/내일배움카드."""
        if entity["entity"] not in ("date", "time") or "start" not in entity:
            return True
        start, end = entity["start"], entity["end"]
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        if end - start > _MAX_DATE_WORD:
            return False  # no date or time is said in one 40-character word
        word = strip_trailing_endings(text[start:end])
        end = start + len(word)
        if entity["entity"] == "time":
            before = text[:start]
            for prefix in _DAYPARTS:
                if before.endswith(prefix):
                    start -= len(prefix)
                    break
        if not text[start:end].strip():
            return False
        if entity["entity"] == "date" and re.match(r"내일\s*(센터|배움|이음)", text[start:]):
            return False
        entity["start"], entity["end"], entity["value"] = start, end, text[start:end]
        return True

    def _statuses(self, text: str, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if any(e["entity"] == "employment_status" for e in found):
            return []
        for pattern, value in STATUS_PATTERNS:
            match = pattern.search(text)
            if match:
                return [{
                    "entity": "employment_status", "start": match.start(), "end": match.end(),
                    "value": value, "confidence_entity": 1.0, "extractor": self.__class__.__name__,
                }]  # fmt: skip
        return []

    def _colloquial_dates(
        self, text: str, found: list[dict[str, Any]], now: dt.datetime
    ) -> list[dict[str, Any]]:
        """Day words the model may not know ("금욜", "담주 화욜", "낼모레"): added when it found no
        date, with the same `resolved` value as their standard forms."""
        if any(e["entity"] == "date" for e in found):
            return []
        match = _COLLOQUIAL_DATE.search(text[:1000])
        if not match:
            return []
        said = match.group(0).strip()
        resolved = self.canonical("date", said, now)
        if resolved is None:
            return []
        start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
        return [{
            "entity": "date", "start": start, "end": start + len(said), "value": said,
            "resolved": resolved, "confidence_entity": 1.0, "extractor": self.__class__.__name__,
        }]  # fmt: skip

    def _sorted_aliases(self, name: str) -> list[str]:
        if name not in self._sorted:
            self._sorted[name] = sorted(self.tables.get(name, {}), key=len, reverse=True)
        return self._sorted[name]

    def _gazetteer(self, text: str, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
        key_chars: list[str] = []
        positions: list[int] = []
        for index, char in enumerate(unicodedata.normalize("NFC", text)):
            if _NOISE.fullmatch(char):
                continue
            key_chars.append(char.lower())
            positions.append(index)
        key = "".join(key_chars)
        word_starts = {i for i, pos in enumerate(positions) if pos == 0 or text[pos - 1].isspace()}
        taken: list[tuple[int, int]] = [(e["start"], e["end"]) for e in found if "start" in e]
        added: list[dict[str, Any]] = []
        for name in self._config.get("gazetteer", GAZETTEER):
            if any(e["entity"] == name for e in found):
                continue
            for alias in self._sorted_aliases(name):
                at = _find_at_word_start(key, alias, word_starts)
                if at < 0:
                    continue
                start, end = positions[at], positions[at + len(alias) - 1] + 1
                if len(alias) <= 2 and not _PARTICLE_AFTER.match(_rest_of_word(text, end)):
                    continue  # "여주" in 보여주세요, "사하" in 행사하는
                if any(not (end <= s or start >= e) for s, e in taken):
                    continue
                taken.append((start, end))
                added.append({
                    "entity": name, "start": start, "end": end, "value": self.tables[name][alias],
                    "confidence_entity": 1.0, "extractor": self.__class__.__name__,
                })  # fmt: skip
                break
        return added

    def _ages(
        self, text: str, found: list[dict[str, Any]], now: dt.datetime
    ) -> list[dict[str, Any]]:
        if any(e["entity"] == "age" for e in found):
            return []
        match = _AGE_PATTERN.search(text)
        if not match:
            return []
        age = parse_age(match.group(0), now.date())
        if age is None:
            return []
        return [{
            "entity": "age", "start": match.start(), "end": match.end(), "value": age,
            "confidence_entity": 1.0, "extractor": self.__class__.__name__,
        }]  # fmt: skip


# Particles and endings that may trail a date or time word; longest first.
_TRAILING_ENDINGS = tuple(sorted(
    ("에는", "에도", "에서", "까지", "부터", "안에", "중에", "쯤에", "쯤", "에요", "이요", "요", "으로",
     "로", "에", "엔", "께", "경", "이", "가", "은", "는", "을", "를"),
    key=len, reverse=True,
))  # fmt: skip
_MAX_ENDINGS = 6


def strip_trailing_endings(word: str) -> str:
    """'다음주에는요' → '다음주'. A loop, not a `(…)+$` regex: that one backtracks exponentially
    on a long run of endings ("요요요…"). A word is never stripped to nothing."""
    for _ in range(_MAX_ENDINGS):
        for ending in _TRAILING_ENDINGS:
            if word.endswith(ending) and len(word) > len(ending):
                word = word[: -len(ending)]
                break
        else:
            break
    return word


_DAYPARTS = (
    "오전 ",
    "오후 ",
    "아침 ",
    "저녁 ",
    "밤 ",
    "낮 ",
    "새벽 ",
    "오전",
    "오후",
    "아침",
    "저녁",
)
_PARTICLE_AFTER = re.compile(
    r"^(에서|에|으로|로|은|는|이요|이에요|이|가|요|예요|쪽|근처|근방|부근|인데|사는|살|도|까지)?$"
    r"|^(에서|에|쪽|근처|근방|부근|사는|살|인데)"
)
STATUS_PATTERNS = tuple(
    (re.compile(pattern), value) for pattern, value in EMPLOYMENT_STATUS_PATTERNS
)


def _find_at_word_start(key: str, alias: str, word_starts: set[int]) -> int:
    at = key.find(alias)
    while at >= 0:
        if at in word_starts:
            return at
        at = key.find(alias, at + 1)
    return -1


def _rest_of_word(text: str, end: int) -> str:
    stop = end
    while stop < len(text) and not text[stop].isspace():
        stop += 1
    return text[end:stop]


def _end_of_next_word(text: str, end: int) -> int:
    """End of the word holding `end`, or of the next word when it is a unit (살, 세)."""
    stop = end
    while stop < len(text) and not text[stop].isspace():
        stop += 1
    nxt = stop
    while nxt < len(text) and text[nxt].isspace():
        nxt += 1
    nxt_end = nxt
    while nxt_end < len(text) and not text[nxt_end].isspace():
        nxt_end += 1
    if nxt < len(text) and text[nxt] in "세살":
        return nxt_end
    return stop


def _merge_adjacent_dates(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """ "다음주" + "화요일" or "12월" + "3일" tagged apart are one date as said: "다음주 화요일"."""
    dates = sorted(
        (e for e in entities if e["entity"] == "date" and "start" in e), key=lambda e: e["start"]
    )
    if len(dates) < 2:
        return entities
    merged: list[dict[str, Any]] = []
    for entity in dates:
        last = merged[-1] if merged else None
        if last is not None and not text[last["end"] : entity["start"]].strip():
            last["end"] = entity["end"]
            last["value"] = text[last["start"] : last["end"]]
            continue
        merged.append(dict(entity))
    others = [e for e in entities if not (e["entity"] == "date" and "start" in e)]
    return others + merged


def _split_date_time(text: str, entity: dict[str, Any]) -> list[dict[str, Any]]:
    """ "모레 세시" tagged as one date becomes a date ("모레") and a time ("세시")."""
    if entity["entity"] != "date" or "start" not in entity:
        return [entity]
    said = text[entity["start"] : entity["end"]]
    head, _, last = said.rpartition(" ")
    if not head or parse_time(last) is None:
        return [entity]
    time_start = entity["start"] + len(head) + 1
    date = {**entity, "end": entity["start"] + len(head), "value": head}
    time = {**entity, "entity": "time", "start": time_start, "value": last}
    return [date, time]
