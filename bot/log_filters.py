"""Logging filters: protocol-level rejections are warnings, not stack traces, and no text from
a client (a path with `%0A`, a header with an escape sequence) can forge or garble a log line."""

from __future__ import annotations

import logging
import re

# C0 and C1 controls, DEL, the Unicode line/paragraph separators, and lone surrogates (bytes
# that were not UTF-8, which a UTF-8 log stream could not even write)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def printable(text: object) -> str:
    """`text` with every control character written as an escape (`\\n`, `\\x1b`), on one line."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


class EscapeControlCharacters(logging.Filter):
    """On a handler: the formatted message of every record is made printable, so one record is
    always one line whatever a client put in a path or header. Tracebacks stay as they are."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: let logging report it as usual
            return True
        escaped = printable(message)
        if escaped != message:
            record.msg, record.args = escaped, None
        return True


class ClientProtocolErrors(logging.Filter):
    """aiohttp logs a malformed request (too-long line, bad header) it answered with 400, or a
    client that hung up, as an ERROR with a traceback; neither is ours, so each becomes one
    WARNING line."""

    def filter(self, record: logging.LogRecord) -> bool:
        # imported here: the supervisor imports this module and needs no aiohttp
        from aiohttp.http_exceptions import HttpProcessingError

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
    access = logging.getLogger("aiohttp.access")  # if someone turns the access log on
    if not any(isinstance(f, EscapeControlCharacters) for f in access.filters):
        access.addFilter(EscapeControlCharacters())


def escape_on_handlers(logger: logging.Logger | None = None) -> None:
    """Adds `EscapeControlCharacters` to every handler of `logger` (default: the root logger)."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, EscapeControlCharacters) for f in handler.filters):
            handler.addFilter(EscapeControlCharacters())
