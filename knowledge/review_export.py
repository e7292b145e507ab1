"""Labelled review examples → `nlu/data/nlu/reviewed.yml` in Rasa's YAML training format.

The file is created when missing and merged without duplicates otherwise; an example that any
other training file already has is skipped (Rasa's validator rejects one text under two
intents). A dry run returns the diff without writing. Pure Python + PyYAML, so the engine
runtime's tests can read the result with Rasa's own reader.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HEADER = (
    "# Examples labelled by operators in the review inbox (/admin/review, `ieum review export`).\n"
    "# Written by knowledge/review_export.py; merged, never duplicated. Retrain to use them.\n"
)
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
_PLACEHOLDER = re.compile(r"\[(전화번호|이름|주민번호|번호|이메일)\]")
_MARKUP = re.compile(r"[\[\]{}()]")


@dataclass(frozen=True)
class Example:
    text: str  # scrubbed user text
    intent: str
    entities: list[dict[str, str]] = field(default_factory=list)  # {"entity", "text", "value"?}


@dataclass(frozen=True)
class ExportResult:
    added: list[str]
    skipped: list[str]  # already in the training data
    diff: str
    written: bool


def plain(example: str) -> str:
    """The text of a training example without entity markup."""
    return " ".join(_ANNOTATION.sub(r"\1", example).split())


def annotate(example: Example) -> str:
    """Rasa's inline markup: `[words]{"entity": "program", "value": "…"}` or `[words](region)`."""
    text = " ".join(_MARKUP.sub(" ", _PLACEHOLDER.sub(r"\1", example.text)).split())
    for entity in example.entities:
        words = " ".join(_MARKUP.sub(" ", entity.get("text", "")).split())
        name = entity.get("entity", "")
        if not words or not name or words not in text or f"[{words}]" in text:
            continue
        value = entity.get("value") or ""
        mark = (
            f"[{words}]" + json.dumps({"entity": name, "value": value}, ensure_ascii=False)
            if value and value != words
            else f"[{words}]({name})"
        )
        text = text.replace(words, mark, 1)
    return text


def known_examples(data_dir: Path, skip: Path | None = None) -> set[str]:
    """Plain texts of every example in the training files (except `skip`)."""
    known: set[str] = set()
    for path in sorted(data_dir.rglob("*.yml")):
        if skip is not None and path.resolve() == skip.resolve():
            continue
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        for item in (doc.get("nlu") or []) if isinstance(doc, dict) else []:
            if isinstance(item, dict) and isinstance(item.get("examples"), str):
                known.update(_examples(item["examples"]))
    return {plain(e) for e in known}


def _examples(block: str) -> list[str]:
    return [
        line.strip()[2:].strip() for line in block.splitlines() if line.strip().startswith("- ")
    ]


def _read(path: Path) -> tuple[str, dict[str, list[str]]]:
    if not path.exists():
        return "", {}
    text = path.read_text(encoding="utf-8")
    doc: Any = yaml.safe_load(text) or {}
    intents: dict[str, list[str]] = {}
    for item in doc.get("nlu") or []:
        if isinstance(item, dict) and item.get("intent") and isinstance(item.get("examples"), str):
            intents.setdefault(str(item["intent"]), []).extend(_examples(item["examples"]))
    return text, intents


def render(intents: dict[str, list[str]]) -> str:
    lines = [HEADER.rstrip("\n"), 'version: "3.1"']
    if not intents:
        return "\n".join([*lines, "nlu: []", ""])
    lines.append("nlu:")
    for intent, examples in intents.items():
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {e}" for e in examples]  # a block scalar: no quoting
    return "\n".join(lines) + "\n"


def export(
    path: Path, labelled: list[Example], data_dir: Path, dry_run: bool = False
) -> ExportResult:
    """Merges `labelled` into `path`; returns what was added and the unified diff."""
    old_text, intents = _read(path)
    known = known_examples(data_dir, skip=path)
    in_file = {plain(e) for examples in intents.values() for e in examples}
    added: list[str] = []
    skipped: list[str] = []
    for example in labelled:
        line = annotate(example)
        text = plain(line)
        if not text or text in in_file:
            continue
        if text in known:
            skipped.append(text)
            continue
        intents.setdefault(example.intent, []).append(line)
        in_file.add(text)
        added.append(line)
    new_text = render(intents) if added else old_text
    diff = "".join(
        difflib.unified_diff(
            old_text.splitlines(keepends=True),
            new_text.splitlines(keepends=True),
            fromfile=f"{path} (지금)",
            tofile=f"{path} (내보낸 뒤)",
        )
    )
    written = False
    if added and not dry_run:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".yml.tmp")
        tmp.write_text(new_text, encoding="utf-8")
        tmp.replace(path)
        written = True
    return ExportResult(added, skipped, diff, written)
