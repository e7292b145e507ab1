"""Yes and no as people say them at a confirmation step (issue 17: natural yeses)."""

from __future__ import annotations

import pytest

from knowledge.yes_no import parse_yes_no


@pytest.mark.parametrize(
    "said",
    ["네", "네 다 지워주세요", "그렇게 해 주세요", "예 맞아요", "응", "좋아요", "네, 그걸로 됐어요",
     "다 지워 주세요", "동의합니다", "네 괜찮아요", True],
)  # fmt: skip
def test_yes(said: object) -> None:
    assert parse_yes_no(said) is True


@pytest.mark.parametrize(
    "said",
    ["아니요", "아뇨 그냥 둘게요", "됐어요", "그냥 두세요", "싫어요", "안 할래요", "필요 없어요",
     "괜찮습니다", False],
)  # fmt: skip
def test_no(said: object) -> None:
    assert parse_yes_no(said) is False


@pytest.mark.parametrize("said", ["", "글쎄", "음…", "관악구"])
def test_unclear(said: object) -> None:
    assert parse_yes_no(said) is None
