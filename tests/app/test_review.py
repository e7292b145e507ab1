"""The review inbox: not-understood messages grouped with counts, labelled by an operator,
exported to Rasa training data (dry run shows the diff; merged without duplicates)."""

from __future__ import annotations

from pathlib import Path

import yaml
from aiohttp.test_utils import TestClient

from bot.keys import SETTINGS_KEY
from knowledge.review_export import Example, export
from tests.app.test_dashboard import AUTH, console  # noqa: F401 - the seeded console fixture

JSON = {**AUTH, "Accept": "application/json"}


async def _groups(client: TestClient) -> str:
    resp = await client.get("/admin/review", headers=AUTH)
    assert resp.status == 200
    return await resp.text()


async def test_inbox_groups_similar_wording_newest_first(console: TestClient) -> None:  # noqa: F811
    page = await _groups(console)
    # two spellings of one question → one group of 2; the low-confidence one → a group of 1
    assert "어제 뭐 먹었는지" in page and "2번" in page
    assert page.index("노후 연금 얼마 나와요") < page.index("어제 뭐 먹었는지")  # newer first
    assert "홍길동" not in page and "010-1234-5678" not in page  # booking answers never kept
    assert 'value="ask_programs"' in page and 'value="out_of_scope"' in page  # domain intents


async def _key(console: TestClient, words: str) -> str:  # noqa: F811
    page = await _groups(console)
    block = page[page.index(words) :]
    start = block.index('name="key" value="') + len('name="key" value="')
    return block[start : block.index('"', start)]


async def test_label_then_dry_run_then_write(console: TestClient) -> None:  # noqa: F811
    path: Path = console.server.app[SETTINGS_KEY].ieum_reviewed_nlu_file
    key = await _key(console, "노후 연금 얼마 나와요")
    bad = await console.post("/admin/review", data={"key": key, "decision": "labelled",
                                                     "intent": "no_such_intent"}, headers=AUTH)  # fmt: skip
    assert bad.status == 400
    resp = await console.post(
        "/admin/review",
        data={"key": key, "decision": "labelled", "intent": "ask_programs"},
        headers=AUTH,
        allow_redirects=False,
    )
    assert resp.status == 303
    other = await _key(console, "어제 뭐 먹었는지")
    await console.post("/admin/review", data={"key": other, "decision": "not_ours"}, headers=AUTH)
    assert "검토할 메시지가 없어요" in await _groups(console)

    dry = await (
        await console.post("/admin/review/export", data={"dry_run": "1"}, headers=JSON)
    ).json()
    assert dry["written"] is False and not path.exists()  # noqa: ASYNC240
    assert (
        "+    - 노후 연금 얼마 나와요" in dry["diff"] and "+- intent: ask_programs" in dry["diff"]
    )
    assert "어제" not in dry["diff"]  # "not ours" is never training data

    wrote = await (
        await console.post("/admin/review/export", data={"dry_run": "0"}, headers=JSON)
    ).json()
    assert wrote["written"] is True and wrote["added"] == ["노후 연금 얼마 나와요"]
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))  # noqa: ASYNC240
    assert doc["version"] == "3.1"
    assert doc["nlu"] == [{"intent": "ask_programs", "examples": "- 노후 연금 얼마 나와요\n"}]
    again = await (
        await console.post("/admin/review/export", data={"dry_run": "0"}, headers=JSON)
    ).json()
    assert again["added"] == [] and again["diff"] == "" and again["written"] is False


def test_merge_keeps_old_examples_skips_known_ones_and_annotates_entities(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "nlu").mkdir(parents=True)
    (data / "nlu" / "basics.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - 안녕하세요\n', encoding="utf-8"
    )
    path = data / "nlu" / "reviewed.yml"
    export(path, [Example("퇴직금 언제 나와요", "out_of_scope")], data)
    result = export(
        path,
        [
            Example("퇴직금 언제 나와요", "out_of_scope"),  # already in the file
            Example("안녕하세요", "greet"),  # already in another training file
            Example(
                "전직스쿨 몇 시에 해요",
                "ask_program_info",
                [{"entity": "program", "text": "전직스쿨", "value": "transition_school"}],
            ),
            Example(
                "부산 박람회 알려줘 [전화번호]로",
                "ask_job_fairs",
                [{"entity": "region", "text": "부산"}],
            ),
        ],
        data,
    )
    assert result.skipped == ["안녕하세요"]
    assert result.added == [
        '[전직스쿨]{"entity": "program", "value": "transition_school"} 몇 시에 해요',
        "[부산](region) 박람회 알려줘 전화번호로",
    ]
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [item["intent"] for item in doc["nlu"]] == [
        "out_of_scope",
        "ask_program_info",
        "ask_job_fairs",
    ]
    assert doc["nlu"][0]["examples"] == "- 퇴직금 언제 나와요\n"


def test_cli_review_export_dry_run(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from bot.cli import main

    target = tmp_path / "reviewed.yml"
    monkeypatch.setenv("IEUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("IEUM_REVIEWED_NLU_FILE", str(target))
    assert main(["review", "export", "--dry-run"]) == 0
    assert "새로 추가할 예문이 없습니다" in capsys.readouterr().out
    assert not target.exists()
