"""`make bench`'s last step: one table from every benchmark's JSON, written beside them.

Reads bench-results/{nlu,api,alerts}.json (whatever exists), prints one table against DESIGN's
targets and writes bench-results/summary.json.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parents[1] / "bench-results"


def load(name: str) -> Any:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def rows() -> list[tuple[str, str, str, str]]:
    """(area, measure, measured, target)."""
    out: list[tuple[str, str, str, str]] = []
    nlu = load("nlu")
    for index in range(0, len(nlu or []) - 1, 2):
        ours, base = nlu[index], nlu[index + 1]
        name = "messy" if "messy" in str(ours.get("heldout", "")) else "clean"
        out.append(
            (
                "NLU",
                f"intent accuracy (held-out, {name}, {ours['examples']})",
                f"{ours['intent_accuracy']:.1%} (Rasa 기본 {base['intent_accuracy']:.1%})",
                "≥ 95 %",
            )
        )
        out.append(
            (
                "NLU",
                f"entity F1 (canonical, {name})",
                f"{ours['entity_f1']:.3f} (Rasa 기본 {base['entity_f1']:.3f})",
                "≥ 0.92" if name == "messy" else "≥ 0.90",
            )
        )
        out.append(
            (
                "NLU",
                f"parse p50 / p95 ({name})",
                f"{ours['latency_ms_p50']:.1f} / {ours['latency_ms_p95']:.1f} ms",
                "—",
            )
        )
    api = load("api")
    if api:
        by = {(r["target"], r["users"]): r for r in api["load"]}
        for users in (1, 20, 100):
            ours = by.get(("app", users))
            if not ours:
                continue
            plain = by.get(("rasa", users))
            ratio = (
                f" · Rasa 단독 {plain['replies_per_s']:.1f}/s, p95 {plain['p95_ms']:.0f} ms (비율 {ours['replies_per_s'] / plain['replies_per_s']:.2f})"
                if plain
                else ""
            )
            target = "≥ 100/s, p95 ≤ 300 ms" if users == 20 else "—"
            out.append(("API", f"/api/messages {users}명 동시",
                        f"{ours['replies_per_s']:.1f}/s, p50 {ours['p50_ms']:.0f} / p95 {ours['p95_ms']:.0f} / p99 {ours['p99_ms']:.0f} ms, 오류 {ours['errors']}{ratio}", target))  # fmt: skip
        kakao = by.get(("kakao", 20))
        if kakao:
            out.append(
                (
                    "API",
                    "Kakao 스킬 20명 동시",
                    f"p99 {kakao['p99_ms']:.0f} ms, 오류 {kakao['errors']}",
                    "p99 ≤ 1 s",
                )
            )
        if "memory_mb" in api:
            total = sum(api["memory_mb"].values())
            top = max(api["memory_mb"].items(), key=lambda kv: kv[1])
            out.append(
                (
                    "API",
                    "스택 상주 메모리",
                    f"{total:.0f} MB (가장 큰 것: {top[1]:.0f} MB {top[0].split()[1] if len(top[0].split()) > 1 else ''})",
                    "≤ 1.5 GB",
                )
            )
    out += side_by_side_rows(load("side_by_side"), load("turn_cost"))
    alerts = load("alerts")
    if alerts:
        for key, label in (("fan_out_sqlite", "SQLite"), ("fan_out_postgres", "PostgreSQL")):
            if key in alerts:
                r = alerts[key]
                out.append(
                    (
                        "알림",
                        f"{r['subscribers']:,}명 매칭·큐 ({label})",
                        f"{r['seconds']} s ({r['queued']:,}건)",
                        "≤ 10 s",
                    )
                )
        s = alerts["sender"]
        out.append(
            (
                "알림",
                "발송 속도(429 대기 제외)",
                f"{s['rate_per_s']}/s = {s['fraction_of_30']:.0%} (대기 포함 {s.get('rate_including_retry_after_waits', '?')}/s, 429 {s['throttled_429']}회)",
                "≥ 95 % of 30/s",
            )
        )
        c = alerts["sender_killed_and_restarted"]
        out.append(
            (
                "알림",
                "발송기 강제 종료·재시작",
                f"중복 {c['duplicates']}, 누락 {c['lost']} ({c['messages']}건)",
                "0, 0",
            )
        )
    return out


def side_by_side_rows(report: Any, cost: Any) -> list[tuple[str, str, str, str]]:
    """bench/side_by_side.py (stack vs Rasa REST vs `rasa init` bot) and bench/turn_cost.py."""
    out: list[tuple[str, str, str, str]] = []
    if report:
        s = report["summary"]
        by = {
            (r["target"], r["users"]): r
            for r in report["stack"]["load"] + report["starter"]["load"]
        }
        app, starter = by[("app", 20)], by[("starter", 20)]
        out += [
            ("비교", "20명 동시: 전체 스택 / rasa init 봇",
             f"{s['ratio_vs_starter_20']}× ({app['replies_per_s']:.1f}/s 대 {starter['replies_per_s']:.1f}/s, "
             f"p95 {app['p95_ms']:.0f} 대 {starter['p95_ms']:.0f} ms, 오류 {s['errors']})", "≥ 2.5×"),
            ("비교", "5명 동시 p95 (전체 스택)", f"{s['app_p95_ms_5']:.0f} ms", "≤ 500 ms"),
            ("비교", "Kakao 스킬 p99 (5명 / 20명)",
             f"{s['kakao_p99_ms_5']:.0f} / {s['kakao_p99_ms_20']:.0f} ms", "≤ 1 s (5명)"),
            ("비교", "100번째 턴 / 5번째 턴", f"{s['turn100_over_turn5']}×", "≤ 1.3×"),
            ("비교", "PSS (스택 / rasa init 봇)",
             f"{s['stack_pss_mb']:.0f} / {s['starter_pss_mb']:.0f} MB", "≤ 1.5 GB"),
            ("비교", "NLU parse p50 / p95",
             f"{report['stack']['nlu_parse']['p50_ms']} / {report['stack']['nlu_parse']['p95_ms']} ms", "—"),
        ]  # fmt: skip
    if cost:
        out.append(("턴 비용", "CPU ms / 턴 (엔진·액션·앱)",
                     f"{cost['total_cpu_ms_per_turn']} ({', '.join(f'{k} {v}' for k, v in cost['process_cpu_ms_per_turn'].items())})",
                     "—"))  # fmt: skip
    return out


def main() -> int:
    table = rows()
    if not table:
        print(
            "bench-results/에 결과가 없습니다. 먼저 make bench-nlu / bench-api / bench-alerts를 실행하세요."
        )
        return 1
    widths = [max(len(r[i]) for r in table) for i in range(4)]
    header = ("영역", "항목", "측정값", "목표")
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in table:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    (RESULTS / "summary.json").write_text(
        json.dumps([dict(zip(("area", "measure", "measured", "target"), r, strict=True)) for r in table],
                   ensure_ascii=False, indent=2),
        encoding="utf-8",
    )  # fmt: skip
    print("\n(JSON: bench-results/summary.json)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
