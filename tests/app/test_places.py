"""Places in what people type, on the real 2026 district data."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.districts import DistrictIndex, load_districts, same_region
from knowledge.places import find_place

DISTRICTS = Path(__file__).parents[2] / "knowledge" / "data" / "districts.yaml"


@pytest.fixture(scope="module")
def index() -> DistrictIndex:
    return load_districts(DISTRICTS)


@pytest.mark.parametrize(
    "text, district, region",
    [
        ("관악구 근처에 상담 받을 곳 있나요", "관악구", "서울"),
        ("관악구에서", "관악구", "서울"),
        ("천안에 살아요", "천안시", "충남"),
        ("부산 해운대쪽이요", "해운대구", "부산"),
        ("서울 중구요", "중구", "서울"),
        ("수원 장안구", "장안구", "경기"),
        ("경기 광주시", "광주시", "경기"),
        ("분당", "분당구", "경기"),
        ("광주 광산구", "광산구", "광주"),
        ("목포시", "목포시", "전남"),
    ],
)
def test_districts(index: DistrictIndex, text: str, district: str, region: str) -> None:
    match = find_place(text, index)
    assert match.district is not None and match.district.name == district
    assert match.region == region


@pytest.mark.parametrize(
    "text, region",
    [
        ("서울이요", "서울"),
        ("서울시", "서울"),
        ("경기도", "경기"),
        ("전라남도", "전남"),
        ("광주광역시", "광주"),
    ],
)
def test_regions(index: DistrictIndex, text: str, region: str) -> None:
    match = find_place(text, index)
    assert match.district is None
    assert match.region == region


@pytest.mark.parametrize("text, count", [("중구", 5), ("마산", 2)])
def test_ambiguous_names_are_not_guessed(index: DistrictIndex, text: str, count: int) -> None:
    match = find_place(text, index)
    assert match.district is None
    assert len(match.ambiguous) == count


@pytest.mark.parametrize("text", ["아무 데나", "", "상담 예약"])
def test_no_place(index: DistrictIndex, text: str) -> None:
    assert not find_place(text, index).found


def test_gwangju_and_jeonnam_search_as_one_region() -> None:
    assert same_region("광주", "전남")
    assert not same_region("광주", "경기")
