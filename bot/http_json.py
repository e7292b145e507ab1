"""Reading JSON bodies safely: size limit, strict UTF-8, clear Korean errors."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web


class BadRequestBody(Exception):
    """The request body cannot be used; carries the HTTP status and a Korean message."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


def json_reply(data: Any, status: int = 200, **kwargs: Any) -> web.Response:
    """JSON with Korean kept readable (no \\uXXXX escapes)."""
    return web.json_response(data, status=status, dumps=_dumps, **kwargs)


def json_error(status: int, message: str, **extra: Any) -> web.Response:
    return json_reply({"error": message, **extra}, status=status)


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


async def read_json(request: web.Request, limit: int) -> Any:
    """Reads at most `limit` bytes of JSON; raises BadRequestBody (413/400) otherwise."""
    if request.content_length is not None and request.content_length > limit:
        raise BadRequestBody(
            413, f"요청 본문이 너무 큽니다. {limit // 1024} KiB 이하로 보내 주세요."
        )
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await request.content.read(8192)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise BadRequestBody(
                413, f"요청 본문이 너무 큽니다. {limit // 1024} KiB 이하로 보내 주세요."
            )
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        raise BadRequestBody(400, "요청 본문이 비어 있습니다. JSON으로 보내 주세요.")
    try:
        text = raw.decode("utf-8")
        return json.loads(text)
    except UnicodeDecodeError as exc:
        raise BadRequestBody(400, "요청 본문이 UTF-8 JSON이 아닙니다.") from exc
    except (json.JSONDecodeError, RecursionError) as exc:
        raise BadRequestBody(400, "요청 본문이 올바른 JSON이 아닙니다.") from exc
