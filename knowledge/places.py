"""Finding a place inside what someone typed: "관악구 근처", "부산 해운대쪽", "천안에 살아요"."""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.districts import District, DistrictIndex, same_region
from knowledge.text import alias_key


@dataclass(frozen=True)
class PlaceMatch:
    district: District | None = None
    region: str | None = None
    ambiguous: list[District] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.district is not None or self.region is not None or bool(self.ambiguous)


def _alias_table(index: DistrictIndex) -> tuple[list[tuple[str, str]], list[str]]:
    cached = index.__dict__.get("_place_aliases")
    if cached is None:
        regions = sorted(index._region_alias.items(), key=lambda kv: -len(kv[0]))
        districts = sorted((k for k in index._by_alias if len(k) >= 2), key=len, reverse=True)
        cached = (regions, districts)
        index.__dict__["_place_aliases"] = cached
    return cached


def _non_overlapping(key: str, aliases: list[str]) -> list[str]:
    taken: list[tuple[int, int]] = []
    found: list[str] = []
    for alias in aliases:  # longest first
        start = key.find(alias)
        while start != -1:
            end = start + len(alias)
            if all(end <= s or start >= e for s, e in taken):
                taken.append((start, end))
                found.append(alias)
                break
            start = key.find(alias, start + 1)
    return found


def find_place(text: str, index: DistrictIndex) -> PlaceMatch:
    key = alias_key(text)
    if not key:
        return PlaceMatch()
    regions, district_aliases = _alias_table(index)
    district_hits = _non_overlapping(key, district_aliases)
    region_hits = _non_overlapping(key, [alias for alias, _ in regions])
    region_of = dict(regions)
    region = region_of[region_hits[0]] if region_hits else None

    candidates: list[District] = []
    for alias in district_hits:
        for district in index._by_alias[alias]:
            if district not in candidates:
                candidates.append(district)
    if region is not None:
        candidates = [d for d in candidates if same_region(d.region, region)]
    # an 일반구 and its parent city both matched ("수원 장안구"): keep the 구
    names = {d.name for d in candidates}
    candidates = [
        d
        for d in candidates
        if not (d.parent is None and any(c.parent == d.name for c in candidates))
    ] or candidates
    if len(candidates) == 1:
        district = candidates[0]
        return PlaceMatch(district=district, region=district.region)
    if len(candidates) > 1:
        if len(names) == 1 and region is None:
            return PlaceMatch(region=None, ambiguous=candidates)
        return PlaceMatch(region=region, ambiguous=candidates)
    return PlaceMatch(region=region)
