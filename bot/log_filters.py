"""Logging filters: protocol-level rejections are warnings, not stack traces."""

from __future__ import annotations

import logging

from aiohttp.http_exceptions import HttpProcessingError


class ClientProtocolErrors(logging.Filter):
    """aiohttp logs a malformed request (too-long line, bad header) it answered with 400, or a
    client that hung up, as an ERROR with a traceback; neither is ours, so each becomes one
    WARNING line."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError) and 400 <= (error.code or 400) < 500:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg, record.args = (
                "rejected a malformed HTTP request: %s %s",
                (error.code, type(error).__name__),
            )
            record.exc_info, record.exc_text = None, None
        elif isinstance(error, ConnectionError):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg, record.args = (
                "the client went away mid-request: %s",
                (type(error).__name__,),
            )
            record.exc_info, record.exc_text = None, None
        return True


def install() -> None:
    logger = logging.getLogger("aiohttp.server")
    if not any(isinstance(f, ClientProtocolErrors) for f in logger.filters):
        logger.addFilter(ClientProtocolErrors())
