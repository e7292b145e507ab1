"""Closed-loop load of typed questions (no buttons) on any of the servers the bench compares.

Each simulated user sends its next message as soon as the previous reply arrives. The same
Korean messages go to every target, so replies/s compare the servers, not the scripts:
`app` (POST /api/messages), `rasa` (the engine's own REST channel behind its token, same model
and actions), `starter` (Rasa's plain REST channel of a `rasa init` project), `kakao` (the skill
webhook)."""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from typing import Any

import aiohttp

CONVERSATIONS = [
    ["안녕하세요", "중장년 지원 프로그램 뭐 있어요?", "전직스쿨 신청은 어떻게 해요?",
     "관악구 근처 중장년센터 어디예요?", "이번 달 채용박람회 있어요?", "감사합니다"],
    ["국민내일배움카드가 뭐예요?", "만 45세 재직자인데 생애경력설계 받을 수 있나요?",
     "부평 근처 중장년센터 어디예요?", "실업급여 얼마나 받을 수 있어요", "상담사 연결해 주세요",
     "안녕히 계세요"],
    ["뭐 물어볼 수 있어요?", "중장년 경력지원제 신청 방법 알려주세요", "예약 확인",
     "해운대구 고용센터 전화번호요", "오늘 날씨 어때?", "고맙습니다"],
]  # fmt: skip
# one long conversation: the same five questions over and over, so turn 5 and turn 100 say the same
LONG_CYCLE = ["중장년 지원 프로그램 뭐 있어요?", "전직스쿨 신청은 어떻게 해요?",
              "관악구 근처 중장년센터 어디예요?", "이번 달 채용박람회 있어요?",
              "국민내일배움카드가 뭐예요?"]  # fmt: skip


# the app's apologies when the engine or an action failed (bot/gateway.py): counted as errors
APOLOGIES = ("죄송합니다. 지금 잠시 답변을 드릴 수 없어요", "죄송해요, 잠시 문제가 생겨")


def request_for(target: str, url: str, user: str, text: str) -> tuple[str, dict[str, Any]]:
    if target == "rasa":
        return f"{url}/webhooks/ieum_rest/webhook", {"sender": f"web:{user}", "message": text}
    if target == "starter":
        return f"{url}/webhooks/rest/webhook", {"sender": user, "message": text}
    if target == "kakao":
        return f"{url}/webhooks/kakao", {
            "userRequest": {
                "utterance": text,
                "user": {"id": user.replace("-", "")[:60], "type": "botUserKey"},
            },
            "action": {"clientExtra": {}},
        }
    return f"{url}/api/messages", {"user_id": user, "text": text}


def percentile(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(q * (len(sorted_values) - 1) + 0.5))]


async def _conversation(
    session: aiohttp.ClientSession,
    target: str,
    url: str,
    script: list[str],
    turns: int,
    token: str,
    latencies: list[float],
    errors: list[str],
    user: str | None = None,
) -> None:
    user = user or f"bench-{uuid.uuid4()}"
    headers = {"Authorization": f"Bearer {token}"} if target == "rasa" else None
    for i in range(turns):
        endpoint, body = request_for(target, url, user, script[i % len(script)])
        started = time.perf_counter()
        try:
            async with session.post(endpoint, json=body, headers=headers) as resp:
                payload = await resp.json(content_type=None)
                if resp.status != 200:
                    errors.append(f"HTTP {resp.status}")
                elif target == "app" and any(
                    r.get("text", "").startswith(APOLOGIES) for r in payload.get("replies", [])
                ):
                    errors.append("apology")
        except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
            errors.append(type(exc).__name__)
        latencies.append((time.perf_counter() - started) * 1000)


async def closed_loop(
    target: str, url: str, users: int, turns: int, token: str = ""
) -> dict[str, Any]:
    """`users` conversations at once, `turns` messages each; latency percentiles and rate."""
    latencies: list[float] = []
    errors: list[str] = []
    async with aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=60), connector=aiohttp.TCPConnector(limit=users)
    ) as session:
        # one unmeasured turn: the first inference builds TensorFlow's graph
        await _conversation(session, target, url, ["안녕하세요"], 1, token, [], [])
        started = time.perf_counter()
        await asyncio.gather(
            *(
                _conversation(
                    session, target, url, CONVERSATIONS[n % len(CONVERSATIONS)], turns, token,
                    latencies, errors,
                )
                for n in range(users)
            )
        )  # fmt: skip
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "target": target,
        "users": users,
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "replies_per_s": round(len(latencies) / elapsed, 2),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
    }


async def long_conversation(target: str, url: str, turns: int, token: str = "") -> list[float]:
    """Latency of each turn of one conversation (sequential), in ms."""
    latencies: list[float] = []
    errors: list[str] = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        await _conversation(
            session, target, url, LONG_CYCLE, turns, token, latencies, errors,
            user=f"long-{uuid.uuid4()}",
        )  # fmt: skip
    if errors:
        raise RuntimeError(f"long conversation errors: {errors[:5]}")
    return latencies
