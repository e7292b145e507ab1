"""NLU data generated from the KB: a new alias in YAML reaches synonyms and the Kiwi dictionary."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from knowledge.kb_files import DEFAULT_KB_DIR, load_kb
from knowledge.nlu_export import write_nlu_files


def test_generated_synonyms_lookups_and_user_words(tmp_path: Path) -> None:
    kb_dir = tmp_path / "kb"
    shutil.copytree(DEFAULT_KB_DIR, kb_dir)
    programs = kb_dir / "programs.yaml"
    data = yaml.safe_load(programs.read_text(encoding="utf-8"))
    target = next(p for p in data["programs"] if p["id"] == "naeil_baeum_card")
    target["aliases"].append("배움카드새별칭")
    programs.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    report = write_nlu_files(load_kb(kb_dir), tmp_path / "nlu", tmp_path / "words.tsv")
    assert report.synonyms > 0 and report.user_words > 0

    synonyms = yaml.safe_load((tmp_path / "nlu" / "kb_synonyms.yml").read_text(encoding="utf-8"))
    by_value = {item["synonym"]: item["examples"] for item in synonyms["nlu"]}
    assert "- 배움카드새별칭" in by_value["naeil_baeum_card"]
    assert "- 국취제" in by_value["national_employment_support"]
    assert "- 서울특별시" in by_value["서울"]
    assert "- 천안" in by_value["천안시"]

    # every synonym text maps to exactly one value (Rasa would overwrite otherwise)
    texts = [line for item in synonyms["nlu"] for line in item["examples"].splitlines()]
    assert len(texts) == len(set(texts))

    words = (tmp_path / "words.tsv").read_text(encoding="utf-8").splitlines()
    assert "배움카드새별칭\tNNP\t0" in words
    assert "관악구\tNNP\t0" in words
