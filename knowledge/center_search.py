"""Finding the centers nearest to a place: by district, then by region, then the national hotline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from knowledge.districts import District, DistrictIndex, distance_km, same_region
from knowledge.schema import Center

Level = Literal["district", "region", "hotline"]

# What a person aged 40+ most likely wants first: the dedicated 40+ centers.
KIND_PRIORITY = {
    "중장년내일센터": 0,
    "50플러스캠퍼스": 1,
    "지자체 중장년센터": 1,
    "50플러스센터": 2,
    "고용센터": 3,
    "전국 상담전화": 9,
}


@dataclass(frozen=True)
class CenterMatch:
    center: Center
    distance_km: float | None
    serves_here: bool


@dataclass(frozen=True)
class CenterSearch:
    level: Level
    place: str | None
    matches: list[CenterMatch]


def _location(center: Center, districts: DistrictIndex) -> District | None:
    if not center.district:
        return None
    return districts.find(center.district, center.region)


def _serves(center: Center, target: District, districts: DistrictIndex) -> bool:
    names = [*([center.district] if center.district else []), *center.serves]
    for name in names:
        found = districts.find(name, center.region)
        if found is not None and (
            found.code == target.code or found.code == _parent_code(target, districts)
        ):
            return True
    return False


def _parent_code(district: District, districts: DistrictIndex) -> str | None:
    if not district.parent:
        return None
    parent = districts.find(district.parent, district.region)
    return parent.code if parent else None


def find_centers(
    centers: list[Center],
    districts: DistrictIndex,
    district: District | None = None,
    region: str | None = None,
    limit: int = 5,
    max_km: float = 40.0,
) -> CenterSearch:
    places = [c for c in centers if c.kind != "전국 상담전화"]
    if district is not None:
        scored: list[tuple[tuple[int, float, int, str], CenterMatch]] = []
        for center in places:
            serves = _serves(center, district, districts)
            where = _location(center, districts)
            km = distance_km(district.lat, district.lon, where.lat, where.lon) if where else None
            if not serves and (km is None or km > max_km):
                continue
            key = (
                0 if serves else 1,
                km if km is not None else max_km,
                KIND_PRIORITY[center.kind],
                center.name,
            )
            scored.append((key, CenterMatch(center, km, serves)))
        scored.sort(key=lambda item: item[0])
        matches = _diverse([m for _, m in scored], limit)
        if matches:
            return CenterSearch("district", district.name, matches)
        region = region or district.region
    if region is not None:
        in_region = [c for c in places if same_region(c.region, region)]
        in_region.sort(key=lambda c: (KIND_PRIORITY[c.kind], c.name))
        if in_region:
            return CenterSearch(
                "region", region, _diverse([CenterMatch(c, None, False) for c in in_region], limit)
            )
    return CenterSearch(
        "hotline",
        region,
        [CenterMatch(c, None, False) for c in centers if c.kind == "전국 상담전화"],
    )


def _diverse(matches: list[CenterMatch], limit: int) -> list[CenterMatch]:
    """Keeps order but makes sure a dedicated 40+ center is shown when one is in the list."""
    top = matches[:limit]
    if any(KIND_PRIORITY[m.center.kind] <= 1 for m in top):
        return top
    dedicated = next((m for m in matches[limit:] if KIND_PRIORITY[m.center.kind] <= 1), None)
    if dedicated is not None and top:
        top = [*top[: limit - 1], dedicated]
    return top
