"""Korean 시·도 and 시·군·구 (2026 boundaries): names people type, ambiguity, coordinates.

DESIGN keeps 광주 and 전남 as two region values even though they merged into
전남광주통합특별시 on 2026-07-01; searches treat the two as one region.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# Former 광주광역시 구 (codes under the merged 12xxx region); the rest of 12xxx was 전라남도.
_FORMER_GWANGJU_CODES = {"12210", "12240", "12270", "12300", "12330"}
MERGED_REGIONS = frozenset({"광주", "전남"})


@dataclass(frozen=True)
class Region:
    short: str
    name: str
    aliases: tuple[str, ...]
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class District:
    name: str
    region: str  # DESIGN short region value (광주/전남 split back out)
    full: str
    kind: str
    parent: str | None
    code: str
    lat: float
    lon: float
    aliases: tuple[str, ...] = ()


def same_region(a: str, b: str) -> bool:
    """True when two region values mean the same area for searching (광주 ≡ 전남)."""
    return a == b or (a in MERGED_REGIONS and b in MERGED_REGIONS)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


@dataclass
class DistrictIndex:
    regions: dict[str, Region] = field(default_factory=dict)
    districts: list[District] = field(default_factory=list)
    _by_alias: dict[str, list[District]] = field(default_factory=dict)
    _region_alias: dict[str, str] = field(default_factory=dict)

    def add_district(self, district: District) -> None:
        self.districts.append(district)
        for alias in {district.name, district.full, *district.aliases}:
            bucket = self._by_alias.setdefault(_key(alias), [])
            if district not in bucket:
                bucket.append(district)

    def candidates(self, text: str, region: str | None = None) -> list[District]:
        """Every district the text may mean, narrowed by region when one is known."""
        found = list(self._by_alias.get(_key(text), []))
        if region:
            narrowed = [d for d in found if same_region(d.region, region)]
            if narrowed:
                return narrowed
        return found

    def find(self, text: str, region: str | None = None) -> District | None:
        """The one district the text means, or None when unknown or ambiguous."""
        found = self.candidates(text, region)
        if len(found) > 1:
            # 수원시 and its 일반구 share aliases rarely; prefer an exact name match
            exact = [d for d in found if d.name == text]
            found = exact if len(exact) == 1 else found
        return found[0] if len(found) == 1 else None

    def region_for(self, text: str) -> str | None:
        """Canonical short region for what a user typed (서울시 → 서울, 전라남도 → 전남)."""
        return self._region_alias.get(_key(text))

    def in_region(self, region: str) -> list[District]:
        return [d for d in self.districts if same_region(d.region, region)]


def _key(text: str) -> str:
    return "".join(text.split())


def _split_merged(entry: dict) -> str:
    region = str(entry["region"])
    if region != "전남광주":
        return region
    return "광주" if str(entry.get("code")) in _FORMER_GWANGJU_CODES else "전남"


def load_districts(path: Path) -> DistrictIndex:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    index = DistrictIndex()
    for entry in data["regions"]:
        short = str(entry["short"])
        shorts = ["광주", "전남"] if short == "전남광주" else [short]
        for value in shorts:
            index.regions[value] = Region(
                value,
                str(entry["name"]),
                tuple(entry.get("aliases") or ()),
                entry.get("lat"),
                entry.get("lon"),
            )
        aliases = [entry["name"], short, *(entry.get("aliases") or [])]
        for alias in aliases:
            if short == "전남광주":
                if alias in ("광주", "광주광역시", "광주특별시"):
                    index._region_alias[_key(alias)] = "광주"
                elif alias in ("전남", "전라남도"):
                    index._region_alias[_key(alias)] = "전남"
                else:
                    index._region_alias[_key(alias)] = "전남"
            else:
                index._region_alias[_key(str(alias))] = short
    for entry in data["districts"]:
        index.add_district(
            District(
                name=str(entry["name"]),
                region=_split_merged(entry),
                full=str(entry["full"]),
                kind=str(entry.get("type", "")),
                parent=entry.get("parent"),
                code=str(entry["code"]),
                lat=float(entry["lat"]),
                lon=float(entry["lon"]),
                aliases=tuple(str(a) for a in entry.get("aliases") or ()),
            )
        )
    return index
