"""Load on `POST /api/messages`: sequential and N concurrent conversations, plus stack memory.

Starts nothing itself: point it at a running stack (`make run`, or `make bench-api`, which
starts one). Bounded in requests and time; talks only to the given local URL.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
import uuid
from pathlib import Path

import aiohttp

CONVERSATION = [
    "안녕하세요",
    "뭐 할 수 있어요?",
    "만 45세 재직자인데 생애경력설계 받을 수 있나요?",
    "관악구 근처에 상담 받을 곳 있나요",
    "국취제 수당 얼마예요",
    "/request_human",
    "중장년 지원 프로그램 뭐 있어요?",
    "감사합니다",
]


async def conversation(
    session: aiohttp.ClientSession, url: str, turns: int, latencies: list[float], errors: list[int]
) -> None:
    user = f"bench-{uuid.uuid4()}"
    for i in range(turns):
        text = CONVERSATION[i % len(CONVERSATION)]
        started = time.perf_counter()
        try:
            async with session.post(
                f"{url}/api/messages", json={"user_id": user, "text": text}
            ) as resp:
                await resp.read()
                if resp.status != 200:
                    errors.append(resp.status)
        except aiohttp.ClientError:
            errors.append(0)
        latencies.append((time.perf_counter() - started) * 1000)


async def run(url: str, users: int, turns: int) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[int] = []
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(
        timeout=timeout, connector=aiohttp.TCPConnector(limit=users)
    ) as session:
        started = time.perf_counter()
        await asyncio.gather(
            *(conversation(session, url, turns, latencies, errors) for _ in range(users))
        )
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "users": users,
        "requests": len(latencies),
        "errors": len(errors),
        "replies_per_s": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))],
        "p99_ms": latencies[int(0.99 * (len(latencies) - 1))],
    }


def stack_memory_mb(root_pid: int) -> dict[str, float]:
    """Resident memory of a process tree (from /proc), per command."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    result: dict[str, float] = {}
    todo = [root_pid]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:60]
        except OSError:
            continue
        rss = next(
            (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")), 0
        )
        result[f"{pid} {cmd}"] = rss / 1024
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--turns", type=int, default=16)
    parser.add_argument("--stack-pid", type=int)
    parser.add_argument("--out", default="bench-results/api.json")
    args = parser.parse_args()
    results = [asyncio.run(run(args.url, users, args.turns)) for users in args.concurrency]
    print(
        f"{'users':>6}{'requests':>10}{'errors':>8}{'replies/s':>11}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    )
    for r in results:
        print(
            f"{r['users']:>6}{r['requests']:>10}{r['errors']:>8}{r['replies_per_s']:>11.1f}"
            f"{r['p50_ms']:>9.0f}{r['p95_ms']:>9.0f}{r['p99_ms']:>9.0f}"
        )
    report: dict[str, object] = {"load": results}
    if args.stack_pid:
        memory = stack_memory_mb(args.stack_pid)
        report["memory_mb"] = memory
        print(f"resident memory of the stack: {sum(memory.values()):.0f} MB")
        for name, mb in sorted(memory.items(), key=lambda kv: -kv[1]):
            print(f"  {mb:8.0f} MB  {name}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
