"""Load on `POST /api/messages`: sequential and N concurrent conversations, plus stack memory.

Conversations mix real Korean questions, booking steps and button presses ("press" = send the
payload of a button from the previous reply). The same load also goes, in the same run, to the
engine's own REST channel (plain Rasa serving the same model and actions), so the cost of our
layers is a ratio, and to the Kakao skill webhook (DESIGN: p99 ≤ 1 s).

Starts nothing itself: point it at a running stack (`make bench-api` starts one). Bounded in
requests and time; talks only to the given local URLs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
import uuid
from pathlib import Path

import aiohttp

PRESS = "<press first button>"
CONVERSATIONS = [
    ["안녕하세요", PRESS, PRESS, "만 45세 재직자인데 생애경력설계 받을 수 있나요?",
     "관악구 근처에 상담 받을 곳 있나요", "국취제 수당 얼마예요", "/request_human", "감사합니다"],
    ["상담 예약하고 싶어요", "관악구요", PRESS, "다음주 화요일 오후 2시", "네 동의합니다",
     "홍길동입니다", "010-1234-5678", "처음으로"],
    ["경력지원제 받을 수 있어요?", "쉰셋이요", PRESS, "서울", "중장년 지원 프로그램 뭐 있어요?",
     PRESS, "이번 달 채용박람회 있어요?", "예약 확인"],
]  # fmt: skip


def request_for(target: str, url: str, user: str, text: str) -> tuple[str, dict[str, object]]:
    if target == "rasa":  # Rasa's REST channel behind the engine token, same model
        return f"{url}/webhooks/ieum_rest/webhook", {"sender": f"web:{user}", "message": text}
    if target == "kakao":
        return f"{url}/webhooks/kakao", {
            "userRequest": {
                "utterance": text,
                "user": {"id": user.replace("-", "")[:60], "type": "botUserKey"},
            },
            "action": {"clientExtra": {"payload": text} if text.startswith("/") else {}},
        }
    return f"{url}/api/messages", {"user_id": user, "text": text}


def buttons_in(target: str, body: object) -> list[str]:
    """Payloads of the buttons in a reply, whatever the channel's shape."""
    if target == "kakao" and isinstance(body, dict):
        return [q["extra"]["payload"] for q in body.get("template", {}).get("quickReplies", [])]
    replies = body.get("replies", []) if isinstance(body, dict) else body
    found: list[str] = []
    for reply in replies if isinstance(replies, list) else []:
        if not isinstance(reply, dict):
            continue
        buttons = reply.get("buttons") or (reply.get("custom") or {}).get("buttons") or []
        found += [b["payload"] for b in buttons if isinstance(b, dict) and b.get("payload")]
    return found


async def conversation(
    session: aiohttp.ClientSession,
    target: str,
    url: str,
    script: list[str],
    turns: int,
    latencies: list[float],
    errors: list[int],
) -> None:
    user = f"bench-{uuid.uuid4()}"
    last_buttons: list[str] = []
    for i in range(turns):
        text = script[i % len(script)]
        if text == PRESS:
            text = last_buttons[0] if last_buttons else "도움말"
        endpoint, body = request_for(target, url, user, text)
        headers = {"Authorization": f"Bearer {os.environ.get('RASA_TOKEN', '')}"}
        started = time.perf_counter()
        try:
            async with session.post(
                endpoint, json=body, headers=headers if target == "rasa" else None
            ) as resp:
                payload = await resp.json(content_type=None)
                if resp.status != 200:
                    errors.append(resp.status)
                last_buttons = buttons_in(target, payload)
        except (TimeoutError, aiohttp.ClientError, ValueError):
            errors.append(0)
            last_buttons = []
        latencies.append((time.perf_counter() - started) * 1000)


async def run(url: str, users: int, turns: int, target: str = "app") -> dict[str, float]:
    latencies: list[float] = []
    errors: list[int] = []
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(
        timeout=timeout, connector=aiohttp.TCPConnector(limit=users)
    ) as session:
        # one unmeasured turn first: the engine's first inference builds TensorFlow's graph
        await conversation(session, target, url, ["안녕하세요"], 1, [], [])
        started = time.perf_counter()
        await asyncio.gather(
            *(
                conversation(
                    session,
                    target,
                    url,
                    CONVERSATIONS[n % len(CONVERSATIONS)],
                    turns,
                    latencies,
                    errors,
                )
                for n in range(users)
            )
        )
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "target": target,
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
    parser.add_argument("--rasa-url", help="the engine, to load its own REST channel alongside")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 20, 100])
    parser.add_argument("--turns", type=int, default=16)
    parser.add_argument("--stack-pid", type=int)
    parser.add_argument("--out", default="bench-results/api.json")
    args = parser.parse_args()
    results = []
    for users in args.concurrency:
        results.append(asyncio.run(run(args.url, users, args.turns, "app")))
        if args.rasa_url:
            results.append(asyncio.run(run(args.rasa_url, users, args.turns, "rasa")))
    results.append(asyncio.run(run(args.url, 20, args.turns, "kakao")))
    print(
        f"{'target':>8}{'users':>6}{'requests':>10}{'errors':>8}{'replies/s':>11}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    )
    for r in results:
        print(
            f"{r['target']:>8}{r['users']:>6}{r['requests']:>10}{r['errors']:>8}{r['replies_per_s']:>11.1f}"
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
