"""Per-user and per-address request limits, so one client cannot starve the engine.

A sliding window per key kept in memory (one app process); limits come from settings as
"N/seconds" and "0" or "" turns a limit off (load benchmarks).
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass


def slow_down_text(retry_after: int) -> str:
    """What every channel tells a user who writes faster than the limit allows."""
    return f"메시지를 너무 빨리 보내고 계세요. {retry_after}초 뒤에 다시 보내 주세요."


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: float

    @classmethod
    def parse(cls, text: str) -> Limit | None:
        """'30/60' → 30 requests per 60 s; '' or '0' → no limit."""
        text = (text or "").strip()
        if not text or text == "0":
            return None
        count, _, seconds = text.partition("/")
        limit = cls(int(count), float(seconds or 60))
        if limit.count <= 0 or limit.seconds <= 0:
            return None
        return limit


class RateLimiter:
    def __init__(
        self,
        limit: Limit | None,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        self._limit = limit
        self._clock = clock
        self._max_keys = max_keys
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()

    def retry_after(self, key: str) -> int:
        """0 when the request may go ahead (and counts it); else seconds to wait."""
        if self._limit is None:
            return 0
        now = self._clock()
        hits = self._hits.setdefault(key, deque())
        self._hits.move_to_end(key)
        while hits and hits[0] <= now - self._limit.seconds:
            hits.popleft()
        if len(hits) >= self._limit.count:
            return max(1, math.ceil(hits[0] + self._limit.seconds - now))
        hits.append(now)
        while len(self._hits) > self._max_keys:
            self._hits.popitem(last=False)
        return 0

    def blocked_for(self, key: str) -> int:
        """Like `retry_after` but counts nothing: for limits on failures only."""
        if self._limit is None or key not in self._hits:
            return 0
        hits = self._hits[key]
        now = self._clock()
        while hits and hits[0] <= now - self._limit.seconds:
            hits.popleft()
        if len(hits) >= self._limit.count:
            return max(1, math.ceil(hits[0] + self._limit.seconds - now))
        return 0
