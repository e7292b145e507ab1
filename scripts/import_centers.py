"""Rewrites knowledge/data/centers.yaml from ../shared/knowledge-sources (programs.yaml + centers_extra.yaml).

Why a script: the sources hold ~200 center records in a research format (133 고용센터 with the 시군구
each serves, free-text districts, phone numbers with remarks, non-URL provenance notes). Converting
them by hand would drift from the sources on the next research round; this keeps the conversion
repeatable:  .venv/bin/python scripts/import_centers.py

The judgement calls are the tables at the top: entries left out and why, districts the sources spell
loosely, and publication years that a URL does not show. Everything else is copied, never guessed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import yaml

from knowledge.districts import District, DistrictIndex, load_districts, same_region
from knowledge.schema import CENTER_KINDS, Center

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT.parent / "shared" / "knowledge-sources"
OUT = ROOT / "knowledge" / "data" / "centers.yaml"
WORK24 = "https://www.work24.go.kr"
PORTAL_50PLUS = "https://www.50plus.or.kr"

# Overview/grouping records, and places known only from old articles (centers_notes.md §2-3:
# "챗봇 안내에 쓰지 말 것"); the seoul50 foundation has neither address nor phone and is not a center kind.
SKIP = {
    "naeil_overview", "naeil_new_2024", "ec_network_examples", "seoul50c_others",
    "naeil_korcham_2013", "naeil_ulsan_kef_2015", "naeil_gangwon_chuncheon_2014",
    "naeil_cheonan_2019", "naeil_siheung_2017", "seoul50_foundation",
}  # fmt: skip
# programs.yaml id -> centers_extra id describing the same place.
SAME_AS = {"naeil_incheon": "naeil_incheon_2024"}
KINDS = {"50플러스센터(시립)": "50플러스센터"}

# District / serves where the sources' text is not a district name (None = unknown, left empty).
DISTRICT = {
    "naeil_gangnam_nosa": None,  # "강남권"
    "naeil_gyeonggi_nosa": "수원시",  # "수원 권역"
    "naeil_gangwon_yeongdong_2024": None,  # "영동권(… 중 추정)"
    "chungnam_imojak_center": None,  # "홍성·예산 내포신도시" spans two 군
    "ec_incheonseobu": None,  # 인천 서구 split into 서해구·검단구 on 2026-07-01; 이음1로 389 unplaced
    "naeil_seoul_mainbiz": "중구",  # "서울고용복지플러스센터 내" = ec_seoul, 중구 삼일대로 363
}
# Said in the entry's notes when the district above is our reading, not the sources' words.
DISTRICT_NOTES = {
    "naeil_gyeonggi_nosa": "위치는 '수원 권역'으로만 알려져 있어 수원시로 적었습니다",
    "naeil_seoul_mainbiz": "서울고용복지플러스센터(서울고용센터, 중구 삼일대로 363) 안이라 중구로 적었습니다",
    "ec_incheonseobu": "2026-07-01 인천 서구가 서해구·검단구로 나뉘어 관할을 두 구로 적었고, 센터가 어느 구에 있는지는 미확인",
}
# 기준일 when the newest source does not speak about the center's place (2026 article: a 재단 event in 대구).
VERIFIED_ON = {"naeil_daegu_nosa": "2021"}
SERVES_FIX = {  # (region, name in sources) -> districts.yaml names
    ("인천", "서구"): ["서해구", "검단구"],
    ("경남", "마산"): ["마산합포구", "마산회원구"],
    ("경남", "창원 마산"): ["마산합포구", "마산회원구"],
    ("경북", "대구 북구"): ["대구 북구"],  # alias: plain "북구" in 경북 means 포항 북구
}
# Hours stated only in the sources' notes (all from third-party code or blogs → entries stay uncertain).
HOURS = {
    "naeil_goyang": "평일 09:00~18:00",
    "naeil_paju": "평일 09:00~17:30",
    "hotline_1350": "평일 09:00~18:00 (전화 상담)",
}
# programs.yaml centers carry no year: the newest year their sources show.
PROGRAM_CENTER_YEARS = {
    "seoul50c_dosim": 2019, "seoul50c_dongjak": 2015, "seoul50c_seodaemun": 2018,
    "seoul50c_seongbuk": 2019, "seoul50c_seongdong": 2022, "seoul50c_dongdaemun": 2025,
    "naeil_gangnam_nosa": 2013, "naeil_seoul_mainbiz": 2023, "naeil_seoul_west": 2025,
    "naeil_gyeonggi_nosa": 2026, "naeil_chungcheong_nosa": 2026, "naeil_gwangju_nosa": 2023,
    "naeil_jeonbuk_nosa": 2015, "busan_senior_job_center": 2025,
    "gyeonggi_shinjungnyeon_center": 2022, "gwangju_bitgoeul50": 2021,
    "daejeon_jungjangnyeon_center": 2025, "chungnam_imojak_center": 2016,
}  # fmt: skip
# Publication years the URL does not show, taken from the sources' notes and facts.
URL_YEARS = {
    "https://news.kmib.co.kr/article/view.asp?arcid=0018311938&code=61171111&stg=ws_real": 2023,
    "http://www.labortoday.co.kr/news/articleView.html?idxno=157360": 2019,
    "https://www.sisatoday.co.kr/article/179572282579159": 2023,
    "https://newsprime.co.kr/ezview/article_main.html?no=301666": 2015,
    "http://news.kmib.co.kr/article/view.asp?arcid=0015591310&code=61122020": 2021,
    "https://biz.heraldcorp.com/article/10692607": 2026,
    "http://www.ulsanpress.net/news/articleView.html?idxno=314414&replyAll=&reply_sc_order_by=I": 2018,
    "http://img.kwangju.co.kr/article.php?aid=1679215800750001005": 2023,
    "https://www.korea.net/Government/Briefing-Room/Press-Releases/view?articleId=1973&type=O": 2015,
    "http://www.fieldnews.co.kr/news/articleView.html?idxno=141991": 2023,
    "https://www.cctoday.co.kr/news/articleView.html?idxno=2180174": 2023,
    "https://nbnbiz.co.kr/news/articleView.html?idxno=9607": 2021,
    "http://www.ccnnews.co.kr/news/articleView.html?idxno=394027": 2025,
    "http://www.pluskorea.net/308454": 2023,
    "https://www.msnews.co.kr/news/articleViewAmp.html?idxno=19526": 2015,
    "https://kyeongin.com/article/1204631": 2017,
    "http://www.cctimes.kr/news/articleView.html?idxno=380299": 2014,
    "https://www.lifejump.co.kr/NewsView/2H1RL0YNY4/GW02": 2025,
}
# Extra existence evidence from programs.yaml events (2025 장년고용강조주간 행사 주관).
EXTRA_SOURCES = {
    "naeil_gwangju_nosa": ["http://www.hkbs.co.kr/news/articleView.html?idxno=806104"],
    "naeil_jeonbuk_nosa": ["http://www.hkbs.co.kr/news/articleView.html?idxno=806104"],
}
DANGJIN_COPY = (
    "https://github.com/min3076/dangjin2023/blob/43172c028e7236810f870ba9382f04c033183467"
    "/html/kor/sub05/sub05_03_10_04.jsp"
)
BLOG_HOSTS = ("tistory.com", "minjunwoo.com", "tislog.kr", "github.com")
# The unnamed GitHub list of 133 고용센터 ("work24.go.kr 공식, 2026-03 기준") is cited as work24 + a note.
THIRD_PARTY_LIST = "고용센터 133곳"
LIST_NOTE = "기본 주소·전화는 '고용24 2026-03 기준'이라고 적힌 제3자 공개 목록에서 옮겼습니다"
PAJU_NOTE = "제3자 공개 코드에만 나오는 센터입니다. 고용24 센터 찾기로 확인이 필요합니다"
WEB = {"고용센터": WORK24, "전국 상담전화": WORK24, "50플러스캠퍼스": PORTAL_50PLUS}

PHONE = re.compile(r"^\s*(\d{2,4}-\d{3,4}-\d{4}|\d{4})(?!\d)(.*)$")
DATE_IN_URL = re.compile(r"(?<!\d)(20[0-2]\d)/?(0[1-9]|1[0-2])/?(0[1-9]|[12]\d|3[01])")


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((SOURCES / name).read_text(encoding="utf-8"))


def known_years(programs: dict[str, Any], extra: dict[str, Any]) -> dict[str, int]:
    """URL -> year: explicit per-fact years in programs.yaml (facts, events, hotlines), else the
    oldest center record citing the URL (a record's year is its newest source, so an upper bound)."""
    years: dict[str, int] = {}

    def walk(node: Any, year: int | None = None) -> None:
        if isinstance(node, dict):
            year = node.get("year", year) if isinstance(node.get("year"), int) else year
            src = node.get("source")
            for url in [src] if isinstance(src, str) else src if isinstance(src, list) else []:
                if isinstance(url, str) and year:
                    years[url] = min(years.get(url, year), year)
            for value in node.values():
                walk(value, year)
        elif isinstance(node, list):
            for value in node:
                walk(value, year)

    walk({k: programs[k] for k in ("programs", "events", "hotlines")})
    cited: dict[str, int] = {}
    for rec in [*programs["centers"], *extra["centers"]]:
        year = rec.get("year") or PROGRAM_CENTER_YEARS.get(rec["id"])
        for url in rec.get("source") or []:
            if year:
                cited[url] = min(cited.get(url, year), year)
    return {**cited, **years}


def merge(programs: dict[str, Any], extra: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """One record per place: programs.yaml first, centers_extra.yaml (newer) on top."""
    merged: dict[str, dict[str, Any]] = {}
    for rec in programs["centers"]:
        rec = dict(rec, year=PROGRAM_CENTER_YEARS.get(rec["id"]))
        merged[SAME_AS.get(rec["id"], rec["id"])] = rec
    for rec in extra["centers"]:
        old = merged.get(rec["id"], {})
        new = {**old, **{k: v for k, v in rec.items() if v is not None}}
        new["source"] = list(dict.fromkeys([*rec.get("source", []), *old.get("source", [])]))
        new["notes"] = rec.get("notes") or old.get("notes")  # the newer record's remarks win
        new["year"] = max(y for y in (rec.get("year"), old.get("year")) if y)
        if "uncertain" in rec:
            new["uncertain"] = rec["uncertain"]
        merged[rec["id"]] = new
    return {k: v for k, v in merged.items() if k not in SKIP}


def find(idx: DistrictIndex, name: str, region: str, strict: bool = True) -> District | None:
    """idx.find, and with strict=True only inside the center's region (a 고용센터 may serve a
    neighbouring 시·도's 군, e.g. 대구달성 → 경북 고령군; a center itself sits in its region)."""
    found = idx.find(name, None if region == "전국" else region)
    in_region = region == "전국" or (found is not None and same_region(found.region, region))
    return found if found and (in_region or not strict) else None


def name_of(idx: DistrictIndex, text: str, region: str, strict: bool = True) -> str | None:
    """The districts.yaml name for what the sources wrote, or the text itself when the bare name
    would point elsewhere in the region (e.g. "대구 북구" for a 경북 center)."""
    hit = find(idx, text, region, strict)
    if hit is None:
        return None
    return hit.name if find(idx, hit.name, region, strict) is hit else text


def district_of(idx: DistrictIndex, rec: dict[str, Any]) -> str | None:
    """Most specific district named at the start of the address, else the sources' district."""
    if rec["id"] in DISTRICT:
        return DISTRICT[rec["id"]]
    best = None
    for token in re.split(r"[\s,()]+", rec.get("address") or "")[:4]:
        best = name_of(idx, token, rec["region"]) or best
    if best:
        return best
    first = re.sub(r"\(.*?\)", "", str(rec.get("district") or "")).split(",")[0].strip()
    return name_of(idx, first, rec["region"]) if first else None


def serves_of(idx: DistrictIndex, rec: dict[str, Any]) -> list[str]:
    region = rec["region"]
    names = rec.get("jurisdiction") or []
    if not names and "," in str(rec.get("district") or ""):  # one center, several desks
        names = [re.sub(r"\(.*?\)", "", n).strip() for n in rec["district"].split(",")]
    out: list[str] = []
    for name in names:
        if (region, name) in SERVES_FIX:
            out += SERVES_FIX[(region, name)]
        elif name in (idx.regions[region].name, region):  # "대전광역시": the whole 시
            out += [d.name for d in idx.in_region(region) if d.kind != "일반구"]
        elif found := name_of(idx, name, region, strict=False):
            out.append(found)
        else:
            sys.exit(f"{rec['id']}: unknown district {name!r} in {region}")
    return list(dict.fromkeys(out))


def url_year(url: str, fallback: int, known: dict[str, int]) -> int:
    if url in URL_YEARS:
        return URL_YEARS[url]
    if match := DATE_IN_URL.search(url):
        return int(match.group(1))
    return known.get(url, fallback)


Sources = list[dict[str, Any]]


def sources_of(rec: dict[str, Any], known: dict[str, int]) -> tuple[Sources, str | None]:
    """Source list with years, and a note when a value came from a non-URL (third-party) source."""
    out: list[dict[str, Any]] = []
    note = None
    for src in [*rec.get("source", []), *EXTRA_SOURCES.get(rec["id"], [])]:
        if src.startswith("http"):
            url = src
        elif "dangjin2023" in src:
            url = DANGJIN_COPY
        elif THIRD_PARTY_LIST in src:
            url, note = WORK24, LIST_NOTE
        elif "고양·파주" in src and rec["id"] == "naeil_paju":
            url, note = WORK24, PAJU_NOTE
        else:
            continue  # a provenance remark with no address (e.g. "제3자 자료 2건"); other URLs remain
        year = 2026 if url == WORK24 else url_year(url, rec["year"], known)
        blog = url == WORK24 or any(host in url for host in BLOG_HOSTS)
        out.append({"url": url, "year": year, **({"uncertain": True} if blog else {})})
    return list({s["url"]: s for s in out}.values()), note


def phone_of(raw: Any) -> tuple[str | None, str | None]:
    """One number, and the remark that came with it ("(2015년 번호)" → notes)."""
    if not raw:
        return None, None
    match = PHONE.match(str(raw))
    if not match:
        return None, f"전화: {raw}"
    rest = match.group(2).strip(" /")
    rest = rest[1:-1] if rest.startswith("(") and rest.endswith(")") else rest
    return match.group(1), (f"전화 {match.group(1)}: {rest}" if rest else None)


def center(rec: dict[str, Any], idx: DistrictIndex, known: dict[str, int]) -> dict[str, Any]:
    kind = KINDS.get(rec["kind"], rec["kind"])
    assert kind in CENTER_KINDS, (rec["id"], kind)
    phone, phone_note = phone_of(rec.get("phone"))
    sources, source_note = sources_of(rec, known)
    parts = (phone_note, source_note, rec.get("notes"), DISTRICT_NOTES.get(rec["id"]))
    notes = " / ".join(n for n in parts if n) or None
    out = {
        "id": rec["id"],
        "kind": kind,
        "name": rec["name"],
        "region": rec["region"],
        "district": district_of(idx, rec),
        "serves": serves_of(idx, rec),
        "address": rec.get("address"),
        "phone": phone,
        "operator": rec.get("operator"),
        "hours": HOURS.get(rec["id"]),
        "web": WEB.get(kind),
        "sources": sources,
        "verified_on": VERIFIED_ON.get(rec["id"], str(max(s["year"] for s in sources))),
        "uncertain": bool(rec.get("uncertain", False)),
        "notes": notes,
    }
    Center.model_validate(out)
    return out


def main() -> None:
    programs, extra = load("programs.yaml"), load("centers_extra.yaml")
    idx = load_districts(ROOT / "knowledge" / "data" / "districts.yaml")
    known = known_years(programs, extra)
    centers = [center(rec, idx, known) for rec in merge(programs, extra).values()]
    header = (
        "# Generated by scripts/import_centers.py from ../shared/knowledge-sources"
        " (programs.yaml, centers_extra.yaml).\n# Edit the sources or the script's tables, then re-run it.\n"
    )
    body = yaml.safe_dump({"centers": centers}, allow_unicode=True, sort_keys=False, width=120)
    OUT.write_text(header + body, encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(centers)} centers")


if __name__ == "__main__":
    main()
