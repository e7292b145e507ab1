"""The knowledge-base schema: what a program, a center and an event must say, checked on load.

Each fact carries its sources (URL + year) and the entry its 기준일 (`verified_on`), because
amounts and quotas change every year and answers must say how old they are.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

REGIONS: tuple[str, ...] = (
    "서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종",
    "경기", "강원", "충북", "충남", "전북", "전남", "경북", "경남", "제주",
)  # fmt: skip
EMPLOYMENT_STATUSES: tuple[str, ...] = ("employed", "retiring", "unemployed")
EMPLOYMENT_STATUS_KO = {
    "employed": "재직 중",
    "retiring": "퇴직 예정",
    "unemployed": "퇴직·구직 중",
}
ASPECTS: tuple[str, ...] = (
    "대상",
    "신청방법",
    "내용",
    "기간",
    "비용",
    "연락처",
    "위치",
    "운영시간",
)
CENTER_KINDS: tuple[str, ...] = (
    "중장년내일센터",
    "고용센터",
    "50플러스캠퍼스",
    "50플러스센터",
    "지자체 중장년센터",
    "전국 상담전화",
)

_ID = re.compile(r"^[a-z][a-z0-9_]*$")

Text = Annotated[str, Field(min_length=1)]


def _entry_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError("must be lower_snake_case")
    return value


def _area(value: str) -> str:
    if value != "전국" and value not in REGIONS:
        raise ValueError("must be 전국 or a region short name")
    return value


EntryId = Annotated[str, Field(min_length=1), AfterValidator(_entry_id)]
Area = Annotated[str, Field(min_length=1), AfterValidator(_area)]  # 전국 or a short region name
# 기준일: as precise as the sources allow — "2025", "2025-07" or "2026-02-23".
AsOf = Annotated[str, Field(pattern=r"^20\d\d(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(Strict):
    url: Text
    year: int = Field(ge=2000, le=2100)
    uncertain: bool = False

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value


class AgeCondition(Strict):
    kind: Literal["age"]
    min: int | None = Field(default=None, ge=0, le=120)
    max: int | None = Field(default=None, ge=0, le=120)
    text: Text
    uncertain: bool = False

    @model_validator(mode="after")
    def _range(self) -> AgeCondition:
        if self.min is None and self.max is None:
            raise ValueError("age needs min or max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is greater than max")
        return self


class StatusCondition(Strict):
    kind: Literal["employment_status"]
    any_of: list[Literal["employed", "retiring", "unemployed"]] = Field(min_length=1)
    text: Text
    uncertain: bool = False


class RegionCondition(Strict):
    kind: Literal["region"]
    any_of: list[str] = Field(min_length=1)
    text: Text
    uncertain: bool = False

    @field_validator("any_of")
    @classmethod
    def _regions(cls, value: list[str]) -> list[str]:
        unknown = [v for v in value if v not in REGIONS]
        if unknown:
            raise ValueError(f"unknown region {unknown}; use one of {' '.join(REGIONS)}")
        return value


class OtherCondition(Strict):
    """A condition the bot cannot check from a conversation (income, insurance history...)."""

    kind: Literal["other"]
    text: Text
    uncertain: bool = False


Condition = Annotated[
    AgeCondition | StatusCondition | RegionCondition | OtherCondition,
    Field(discriminator="kind"),
]


class Contact(Strict):
    phone: str | None = None
    web: str | None = None
    note: str | None = None


class FactRecord(Strict):
    """One researched fact of a program (an amount, a rule), with its own sources and 기준일."""

    key: EntryId
    text: Text
    sources: list[Source] = Field(min_length=1)
    verified_on: AsOf | None = None
    uncertain: bool = False
    uncertain_reason: str | None = None

    @model_validator(mode="after")
    def _reason(self) -> FactRecord:
        if self.uncertain and not self.uncertain_reason:
            raise ValueError("an uncertain fact needs uncertain_reason")
        return self


class Program(Strict):
    id: EntryId
    name: Text
    aliases: list[Text] = Field(default_factory=list)
    operator: Text
    scope: Area = "전국"
    summary: str = Field(min_length=10, max_length=300)
    conditions: list[Condition] = Field(default_factory=list)
    benefits: Text  # 내용: what a participant gets
    cost: str | None = None  # 비용/수당
    duration: str | None = None  # 기간/일정
    how_to_apply: list[Text] = Field(min_length=1)
    contact: Contact
    confirm_at: list[Text] = Field(min_length=1)  # where to check the current notice
    sources: list[Source] = Field(min_length=1)
    verified_on: AsOf
    uncertain: bool = False
    caution: str | None = None  # said with care when uncertain
    # "employer": a subsidy the employer applies for; answers say so and what it means for the worker
    audience: Literal["person", "employer"] = "person"
    facts: list[FactRecord] = Field(default_factory=list)  # key facts, each with its own source


class Center(Strict):
    id: EntryId
    kind: Literal[
        "중장년내일센터",
        "고용센터",
        "50플러스캠퍼스",
        "50플러스센터",
        "지자체 중장년센터",
        "전국 상담전화",
    ]
    name: Text
    region: Area
    district: str | None = None
    serves: list[Text] = Field(default_factory=list)  # 시군구 served (jurisdiction)
    address: str | None = None
    phone: str | None = None
    operator: str | None = None
    hours: str | None = None
    web: str | None = None
    sources: list[Source] = Field(min_length=1)
    verified_on: AsOf
    uncertain: bool = False
    notes: str | None = None


class Referral(Strict):
    """A topic people bring that the KB does not cover, and the office that answers it.

    Named back honestly ("새일센터는 아직 제가 안내하지 못해요") with where to ask, so no other
    program is ever offered in its place (issue 17).
    """

    id: EntryId
    topic: Text  # said back to the user: "새일센터"
    aliases: list[Text] = Field(min_length=1)  # what people type; matched ignoring spacing
    office: Text  # who answers it: "여성새로일하기센터"
    phone: str | None = None  # only when a public source states it
    web: str | None = None
    sources: list[Source] = Field(min_length=1)
    verified_on: AsOf


class Event(Strict):
    id: EntryId
    title: Text
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: Text
    region: Area
    district: str | None = None
    organizer: Text
    url: str | None = None
    description: str | None = None
    sources: list[Source] = Field(default_factory=list)

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            raise ValueError("needs a UTC offset, e.g. 2026-09-15T10:00:00+09:00")
        return value

    @model_validator(mode="after")
    def _order(self) -> Event:
        if self.ends_at < self.starts_at:
            raise ValueError("ends_at is before starts_at")
        return self
