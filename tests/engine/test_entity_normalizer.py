"""KoreanEntityNormalizer: DESIGN's canonical values from real Korean, and the gazetteer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.entity_normalizer import KoreanEntityNormalizer

NOW = "2026-11-23T10:00:00+09:00"  # a Monday


def training_data() -> TrainingData:
    return TrainingData(
        entity_synonyms={
            "생애경력설계": "lifecycle_career_design",
            "국취제": "national_employment_support",
            "국민취업지원제도": "national_employment_support",
            "내일배움카드": "naeil_baeum_card",
            "서울특별시": "서울",
            "서울시": "서울",
            "경기도": "경기",
            "천안": "천안시",
            "해운대": "해운대구",
        },
        lookup_tables=[
            {
                "name": "program",
                "elements": ["생애경력설계", "국취제", "국민취업지원제도", "내일배움카드"],
            },
            {
                "name": "region",
                "elements": ["서울", "서울특별시", "서울시", "경기", "경기도", "부산"],
            },
            {"name": "district", "elements": ["관악구", "천안", "천안시", "해운대", "해운대구"]},
        ],
    )


@pytest.fixture(scope="module")
def normalizer(tmp_path_factory: pytest.TempPathFactory) -> KoreanEntityNormalizer:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    resource = Resource("normalizer")
    context = ExecutionContext(graph_schema=None, model_id="t")  # type: ignore[arg-type]
    config = {**KoreanEntityNormalizer.get_default_config(), "fixed_now": NOW}
    KoreanEntityNormalizer.create(config, storage, resource, context).train(training_data())
    return KoreanEntityNormalizer.load(config, storage, resource, context)


def run(
    normalizer: KoreanEntityNormalizer, text: str, entities: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    message = Message.build(text=text)
    message.set(ENTITIES, entities)
    normalizer.process([message])
    return message.get(ENTITIES)


def span(text: str, part: str, entity: str) -> dict[str, Any]:
    start = text.index(part)
    return {"entity": entity, "start": start, "end": start + len(part), "value": part}


@pytest.mark.parametrize(
    "text, part, value",
    [
        ("쉰셋이에요", "쉰셋", 53),
        ("만 52세인데요", "만 52세", 52),
        ("오십삼 세입니다", "오십삼 세", 53),
        ("육십둘이고 퇴직했어요", "육십둘", 62),
        ("72년생입니다", "72년생", 54),
        ("1968년생이에요", "1968년생", 58),
        ("나이는 45살", "45살", 45),
    ],
)
def test_ages_become_integers(
    normalizer: KoreanEntityNormalizer, text: str, part: str, value: int
) -> None:
    (entity,) = [
        e for e in run(normalizer, text, [span(text, part, "age")]) if e["entity"] == "age"
    ]
    assert entity["value"] == value


@pytest.mark.parametrize(
    "text, part, entity, value",
    [
        ("재직중이에요", "재직중", "employment_status", "employed"),
        ("곧 퇴직 예정이에요", "퇴직 예정", "employment_status", "retiring"),
        ("작년에 실직했어요", "실직", "employment_status", "unemployed"),
        ("서울시에 살아요", "서울시", "region", "서울"),
        ("경기도요", "경기도", "region", "경기"),
        ("천안에서 가까운 곳", "천안", "district", "천안시"),
        ("해운대쪽", "해운대쪽", "district", "해운대구"),
        ("국취제 수당", "국취제", "program", "national_employment_support"),
        ("국민 취업지원제도", "국민 취업지원제도", "program", "national_employment_support"),
        ("신청 방법 알려주세요", "신청 방법", "aspect", "신청방법"),
        ("수당은 얼마", "수당", "aspect", "비용"),
    ],
)
def test_canonical_values(
    normalizer: KoreanEntityNormalizer, text: str, part: str, entity: str, value: str
) -> None:
    found = [e for e in run(normalizer, text, [span(text, part, entity)]) if e["entity"] == entity]
    assert found[0]["value"] == value


def test_unknown_program_value_is_dropped(normalizer: KoreanEntityNormalizer) -> None:
    text = "아무프로그램 알려줘"
    assert [
        e
        for e in run(normalizer, text, [span(text, "아무프로그램", "program")])
        if e["entity"] == "program"
    ] == []


@pytest.mark.parametrize(
    "text, entity, value, surface",
    [
        ("생애경력설계받고싶어요", "program", "lifecycle_career_design", "생애경력설계"),
        ("관악구에서 상담받을 곳", "district", "관악구", "관악구"),
        ("내일배움카드로 배울 수 있나요", "program", "naeil_baeum_card", "내일배움카드"),
        ("부산 사는데요", "region", "부산", "부산"),
    ],
)
def test_gazetteer_finds_names_with_particles(
    normalizer: KoreanEntityNormalizer, text: str, entity: str, value: str, surface: str
) -> None:
    found = [e for e in run(normalizer, text, []) if e["entity"] == entity]
    assert found and found[0]["value"] == value
    assert text[found[0]["start"] : found[0]["end"]] == surface


def test_age_pattern_when_model_missed_it(normalizer: KoreanEntityNormalizer) -> None:
    found = [e for e in run(normalizer, "72년생 재직자예요", []) if e["entity"] == "age"]
    assert found[0]["value"] == 54 and (found[0]["start"], found[0]["end"]) == (0, 4)


@pytest.mark.parametrize(
    "text, part, entity, resolved",
    [
        ("다음주 화요일에 갈게요", "다음주 화요일", "date", "2026-12-01"),
        ("내일 가능해요", "내일", "date", "2026-11-24"),
        ("12월 3일이요", "12월 3일", "date", "2026-12-03"),
        ("이번 달 박람회", "이번 달", "date", "2026-11-01/2026-11-30"),
        ("오후 세 시요", "오후 세 시", "time", "15:00"),
        ("10시 반에요", "10시 반", "time", "10:30"),
    ],
)
def test_dates_keep_words_and_carry_resolution(
    normalizer: KoreanEntityNormalizer, text: str, part: str, entity: str, resolved: str
) -> None:
    (found,) = [
        e for e in run(normalizer, text, [span(text, part, entity)]) if e["entity"] == entity
    ]
    assert found["value"] == part  # DESIGN: as said
    assert found["resolved"] == resolved


def test_button_payloads_are_left_alone(normalizer: KoreanEntityNormalizer) -> None:
    entities = [{"entity": "employment_status", "value": "employed"}]
    assert run(normalizer, '/inform{"employment_status":"employed"}', entities) == entities


def test_fixed_clock_is_used() -> None:
    assert dt.datetime.fromisoformat(NOW).weekday() == 0


@pytest.mark.parametrize(
    "text",
    [
        "메뉴 보여주세요",
        "부산에서 채용행사 하는거 있음?",
        "채용설명회 어디서 해요",
        "나라에서 해주는 거",
    ],
)
def test_gazetteer_does_not_match_inside_words(
    normalizer: KoreanEntityNormalizer, text: str
) -> None:
    assert [e for e in run(normalizer, text, []) if e["entity"] == "district"] == []


@pytest.mark.parametrize(
    "text, part, entity, expected",
    [
        ("이번주 안에 갈게요", "주", "date", "이번주"),
        ("저녁 7시쯤 가능할까요", "7시", "time", "저녁 7시"),
        ("내일 오후에 가요", "내일", "date", "내일"),
    ],
)
def test_date_and_time_spans_cover_whole_words(
    normalizer: KoreanEntityNormalizer, text: str, part: str, entity: str, expected: str
) -> None:
    (found,) = [
        e for e in run(normalizer, text, [span(text, part, entity)]) if e["entity"] == entity
    ]
    assert found["value"] == expected == text[found["start"] : found["end"]]


@pytest.mark.parametrize(
    "text, part",
    [
        ("몇달 안 남았어요", "달"),
        ("IT 회사 다녀요", "IT"),
        ("내일센터 어디예요", "내일"),
        ("전에 잡은 예약", "전"),
    ],
)
def test_words_that_are_not_dates_are_dropped(
    normalizer: KoreanEntityNormalizer, text: str, part: str
) -> None:
    assert [
        e for e in run(normalizer, text, [span(text, part, "date")]) if e["entity"] == "date"
    ] == []


def test_age_read_past_a_partial_span(normalizer: KoreanEntityNormalizer) -> None:
    text = "쉰두 살이요"
    (found,) = [e for e in run(normalizer, text, [span(text, "쉰", "age")]) if e["entity"] == "age"]
    assert found["value"] == 52


def test_years_of_work_are_not_ages(normalizer: KoreanEntityNormalizer) -> None:
    text = "경력단절 15년차 주부인데"
    assert [
        e for e in run(normalizer, text, [span(text, "15", "age")]) if e["entity"] == "age"
    ] == []


@pytest.mark.parametrize(
    "text, value",
    [
        ("아직 직장 다니는 중인데", "employed"),
        ("지금은 쉬는 중", "unemployed"),
        ("곧 퇴직 예정이라", "retiring"),
    ],
)
def test_status_found_when_model_missed_it(
    normalizer: KoreanEntityNormalizer, text: str, value: str
) -> None:
    found = [e for e in run(normalizer, text, []) if e["entity"] == "employment_status"]
    assert found and found[0]["value"] == value


@pytest.mark.parametrize(
    "text, part, entity, expected",
    [
        ("다음주로 미룰 수 있을까요", "다음주로", "date", "다음주"),
        ("오후 4시로 바꿔줘요", "오후 4시로", "time", "오후 4시"),
        ("오후 2시쯤이 좋겠어요", "오후 2시쯤이", "time", "오후 2시"),
        ("날짜는 15일로", "15일로", "date", "15일"),
    ],
)
def test_particles_leave_date_and_time_spans(
    normalizer: KoreanEntityNormalizer, text: str, part: str, entity: str, expected: str
) -> None:
    (found,) = [
        e for e in run(normalizer, text, [span(text, part, entity)]) if e["entity"] == entity
    ]
    assert found["value"] == expected


def test_date_with_a_time_inside_is_split(normalizer: KoreanEntityNormalizer) -> None:
    text = "모레 세시"
    found = {
        e["entity"]: e["value"] for e in run(normalizer, text, [span(text, "모레 세시", "date")])
    }
    assert found == {"date": "모레", "time": "세시"}


@pytest.mark.parametrize(
    "text, value, resolved",
    [
        ("금욜에 상담 되나요", "금욜", "2026-11-27"),
        ("담주 화욜 오후에 갈게요", "담주 화욜", "2026-12-01"),
        ("낼모레 가능해요?", "낼모레", "2026-11-25"),
        ("다음주 수요일로 예약", "다음주 수요일", "2026-12-02"),
    ],
)
def test_colloquial_dates_found_without_the_model(
    normalizer: KoreanEntityNormalizer, text: str, value: str, resolved: str
) -> None:
    entities = run(normalizer, text, [])
    dates = [e for e in entities if e["entity"] == "date"]
    assert [(d["value"], d["resolved"]) for d in dates] == [(value, resolved)]
    assert text[dates[0]["start"] : dates[0]["end"]] == value


@pytest.mark.parametrize(
    "text, span, status",
    [
        ("정년퇴직이 두 달 남았어요", "퇴직", "retiring"),
        ("작년에 퇴직하고 재취업했어요", "퇴직", "employed"),
        ("장사 접었어요", "장사", "unemployed"),
    ],
)
def test_status_span_read_with_the_whole_message(
    normalizer: KoreanEntityNormalizer, text: str, span: str, status: str
) -> None:
    start = text.index(span)
    tagged = {"entity": "employment_status", "start": start, "end": start + len(span),
              "value": span}  # fmt: skip
    entities = run(normalizer, text, [tagged])
    assert [e["value"] for e in entities if e["entity"] == "employment_status"] == [status]


@pytest.mark.parametrize(
    "text, parts, value",
    [
        ("다음주 화요일에 갈게요", ["다음주", "화요일에"], "다음주 화요일"),
        ("12월 3일 오후 2시요", ["12월", "3일"], "12월 3일"),
    ],
)
def test_adjacent_date_parts_are_one_date(
    normalizer: KoreanEntityNormalizer, text: str, parts: list[str], value: str
) -> None:
    entities = run(normalizer, text, [span(text, part, "date") for part in parts])
    assert [e["value"] for e in entities if e["entity"] == "date"] == [value]


def test_explicit_month_day_found_without_the_model(normalizer: KoreanEntityNormalizer) -> None:
    text = "12월 11일 금요일에 상담 가능할까요"
    entities = run(normalizer, text, [])
    assert [(e["value"], e["resolved"]) for e in entities if e["entity"] == "date"] == [
        ("12월 11일 금요일", "2026-12-11")
    ]
