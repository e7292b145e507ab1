"""What the review export writes is read by Rasa's own YAML reader as the examples meant."""

from __future__ import annotations

from pathlib import Path

from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from knowledge.review_export import Example, export


def test_rasa_reads_the_exported_examples(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    path = data / "reviewed.yml"
    examples = [
        Example("노후 연금 얼마 나와요", "ask_programs"),
        Example("전직스쿨 몇 시에 해요", "ask_program_info",
                [{"entity": "program", "text": "전직스쿨", "value": "transition_school"}]),
        Example("부산 박람회 [전화번호]로 알려줘: 꼭!", "ask_job_fairs",
                [{"entity": "region", "text": "부산"}]),
    ]  # fmt: skip
    export(path, examples[:1], data)
    export(path, examples, data)  # merged: the first is not written twice
    assert RasaYAMLReader.is_yaml_nlu_file(path)
    training = RasaYAMLReader().read(str(path))
    got = {m.get("text"): m for m in training.training_examples}
    assert sorted(got) == [
        "노후 연금 얼마 나와요",
        "부산 박람회 전화번호로 알려줘: 꼭!",
        "전직스쿨 몇 시에 해요",
    ]
    assert got["노후 연금 얼마 나와요"].get("intent") == "ask_programs"
    program = got["전직스쿨 몇 시에 해요"].get("entities")[0]
    assert (program["entity"], program["value"], program["start"], program["end"]) == (
        "program", "transition_school", 0, 4,
    )  # fmt: skip
    region = got["부산 박람회 전화번호로 알려줘: 꼭!"].get("entities")[0]
    assert (region["entity"], region["value"]) == ("region", "부산")
