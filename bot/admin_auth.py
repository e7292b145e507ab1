"""The one admin check: every `/admin/*` request (API and pages) goes through `check_admin`.

How a request is let in:
- a signed-in browser: the `ieum_admin` cookie names a live server-side session (random id,
  8 hours, ended by logout). Such a session keeps working even while its address is locked, so
  a counselor is never locked out by someone else's wrong guesses from the same office network;
  a session id cannot be guessed, so this does not help an attacker.
- `Authorization: Bearer <ADMIN_TOKEN>` (scripts, the API).
Wrong tokens (Bearer, the login form) and unknown session cookies count as failures per client
address (`bot.client_address`, trusted proxies honoured); after 10 a minute that address gets
429 for any token, the right one included, so guessing stops. Other addresses are unaffected.
A state-changing request (POST/PUT/DELETE/PATCH) signed in by cookie must also come from our
own pages (Origin, or Referer, naming this host); with the Bearer token it needs nothing more.

New admin handlers use the decorators: `@admin_api` (JSON 401/403/429) or `@admin_page`
(the sign-in form on 401).
"""

from __future__ import annotations

import functools
import html
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from email.utils import formatdate
from urllib.parse import urlsplit

from aiohttp import web

from bot.client_address import client_address, from_trusted_proxy, is_https
from bot.http_json import json_error
from bot.keys import ADMIN_FAIL_LIMIT_KEY, SETTINGS_KEY
from bot.log_filters import printable
from bot.secret_check import bearer_token, same_secret

logger = logging.getLogger(__name__)

COOKIE = "ieum_admin"
SESSION_SECONDS = 8 * 3600
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class AdminSessions:
    """Signed-in browsers: random session ids with an absolute expiry, in this process's memory."""

    def __init__(
        self,
        ttl: float = SESSION_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        max_sessions: int = 1000,
    ) -> None:
        self.ttl = ttl
        self._clock = clock
        self._max = max_sessions
        self._expires: OrderedDict[str, float] = OrderedDict()

    def create(self) -> str:
        now = self._clock()
        for sid in [s for s, until in self._expires.items() if until <= now]:
            del self._expires[sid]
        while len(self._expires) >= self._max:
            self._expires.popitem(last=False)  # the oldest sign-in goes first
        sid = secrets.token_urlsafe(32)
        self._expires[sid] = now + self.ttl
        return sid

    def valid(self, sid: str) -> bool:
        until = self._expires.get(sid)
        if until is None:
            return False
        if until <= self._clock():
            del self._expires[sid]
            return False
        return True

    def end(self, sid: str) -> bool:
        return self._expires.pop(sid, None) is not None


ADMIN_SESSIONS_KEY = web.AppKey("admin_sessions", AdminSessions)


def setup_admin_auth(app: web.Application) -> None:
    if ADMIN_SESSIONS_KEY not in app:
        app[ADMIN_SESSIONS_KEY] = AdminSessions()


# ── the check ────────────────────────────────────────────────────────────────────────────


class AdminDenied(Exception):
    """Why an admin request was refused: 401 (no or wrong credentials), 403, 429."""

    def __init__(self, status: int, message: str, retry_after: int = 0) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


def _fail_key(request: web.Request) -> str:
    return f"admin:{client_address(request)}"


def _locked(request: web.Request) -> None:
    wait = request.app[ADMIN_FAIL_LIMIT_KEY].blocked_for(_fail_key(request))
    if wait:
        raise AdminDenied(429, f"잘못된 시도가 많아요. {wait}초 뒤에 다시 해 주세요.", wait)


def _failed(request: web.Request, what: str) -> None:
    request.app[ADMIN_FAIL_LIMIT_KEY].retry_after(_fail_key(request))  # counts the failure
    logger.warning("admin %s rejected: %s %s", what, request.method, printable(request.path))


def verify_admin_token(request: web.Request, token: str) -> None:
    """A token typed or sent by a client: counted when wrong; AdminDenied unless right."""
    _locked(request)
    if not same_secret(token, request.app[SETTINGS_KEY].admin_token):
        _failed(request, "token")
        raise AdminDenied(401, "관리자 토큰이 필요합니다.")


def request_host(request: web.Request) -> str:
    """The host the browser used: Host, or X-Forwarded-Host from a trusted proxy."""
    if from_trusted_proxy(request):
        forwarded = request.headers.get("X-Forwarded-Host", "").split(",")[0].strip()
        if forwarded:
            return forwarded.lower()
    return (request.host or "").lower()


def same_origin(request: web.Request) -> bool:
    """The request was sent by a page of this site (Origin, else Referer, names our host)."""
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    if not source or source == "null":
        return False
    try:
        parts = urlsplit(source)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and parts.netloc.lower() == request_host(request)


def authorize_admin(request: web.Request) -> str:
    """THE admin check. Returns how the request signed in ("session" or "bearer") or raises
    AdminDenied. Every admin handler and page calls this (directly or via the decorators)."""
    settings = request.app[SETTINGS_KEY]
    sid = request.cookies.get(COOKIE, "")
    if sid and settings.admin_token and request.app[ADMIN_SESSIONS_KEY].valid(sid):
        if request.method not in SAFE_METHODS and not same_origin(request):
            logger.warning(
                "admin %s %s refused: cookie without a same-origin Origin/Referer",
                request.method,
                printable(request.path),
            )
            raise AdminDenied(403, "이 요청은 관리자 화면에서만 보낼 수 있어요.")
        return "session"
    token = bearer_token(request)
    if token:
        verify_admin_token(request, token)
        return "bearer"
    _locked(request)
    if sid:  # a session id we do not know: expired, logged out, or guessed
        _failed(request, "session")
    raise AdminDenied(401, "관리자 토큰이 필요합니다.")


def _json_denied(denied: AdminDenied) -> web.Response:
    response = json_error(denied.status, denied.message)
    if denied.status == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    if denied.retry_after:
        response.headers["Retry-After"] = str(denied.retry_after)
    return response


def check_admin(request: web.Request) -> web.Response | None:
    """None when the request may go ahead; else the JSON 401/403/429 to return."""
    try:
        authorize_admin(request)
    except AdminDenied as denied:
        return _json_denied(denied)
    return None


def check_admin_page(request: web.Request) -> web.Response | None:
    """Like `check_admin`, for HTML pages: the sign-in form instead of a JSON 401."""
    try:
        authorize_admin(request)
    except AdminDenied as denied:
        if denied.status == 403:
            return _json_denied(denied)
        response = login_form(error=False, status=denied.status, note=denied.message)
        if denied.retry_after:
            response.headers["Retry-After"] = str(denied.retry_after)
        if request.cookies.get(COOKIE):
            response.del_cookie(COOKIE, path="/admin")
        return response
    return None


def admin_api(handler: Handler) -> Handler:
    """Decorator for JSON admin endpoints: runs `handler` only for a signed-in admin."""

    @functools.wraps(handler)
    async def wrapper(request: web.Request) -> web.StreamResponse:
        if (denied := check_admin(request)) is not None:
            return denied
        return await handler(request)

    return wrapper


def admin_page(handler: Handler) -> Handler:
    """Decorator for admin HTML pages: the sign-in form unless signed in."""

    @functools.wraps(handler)
    async def wrapper(request: web.Request) -> web.StreamResponse:
        if (denied := check_admin_page(request)) is not None:
            return denied
        return await handler(request)

    return wrapper


# ── pages: sign in and out ───────────────────────────────────────────────────────────────


def html_page(title: str, body: str) -> web.Response:
    """The shell of every admin page (no caching, no framing)."""
    return web.Response(
        text=(
            '<!doctype html><html lang="ko"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title>"
            '<link rel="stylesheet" href="/static/admin.css"></head>'
            f"<body><main>{body}</main></body></html>"
        ),
        content_type="text/html",
        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY"},
    )


def login_form(error: bool = False, status: int = 401, note: str = "") -> web.Response:
    """The sign-in form; served with 401 wherever a page needs the admin token."""
    message = "토큰이 맞지 않아요. 다시 입력해 주세요." if error else ""
    if status == 429:
        message = note or "잘못된 시도가 많아요. 잠시 뒤에 다시 해 주세요."
    alert = f'<p class="error" role="alert">{html.escape(message)}</p>' if message else ""
    response = html_page(
        "이음 상담 예약 관리",
        "<h1>이음 상담 예약 관리</h1>" + alert + '<form method="post" action="/admin/login">'
        '<label for="token">관리자 토큰</label>'
        '<input id="token" name="token" type="password" autocomplete="current-password" required>'
        '<button type="submit">들어가기</button></form>',
    )
    response.set_status(status)
    return response


def logout_button() -> str:
    """A sign-out form for the top of every admin page."""
    return (
        '<form method="post" action="/admin/logout" class="logout">'
        '<button type="submit">로그아웃</button></form>'
    )


def _cross_site_form(request: web.Request) -> bool:
    """A form post that names another site (a browser always sends Origin on POST)."""
    has_source = bool(request.headers.get("Origin") or request.headers.get("Referer"))
    return has_source and not same_origin(request)


async def login(request: web.Request) -> web.StreamResponse:
    """`POST /admin/login` (form `token`): a new server-side session in an HttpOnly cookie."""
    if _cross_site_form(request):
        return json_error(403, "이 요청은 관리자 화면에서만 보낼 수 있어요.")
    form = await request.post()
    token = form.get("token", "")
    try:
        verify_admin_token(request, token if isinstance(token, str) else "")
    except AdminDenied as denied:
        response = login_form(error=denied.status == 401, status=denied.status, note=denied.message)
        if denied.retry_after:
            response.headers["Retry-After"] = str(denied.retry_after)
        return response
    sessions = request.app[ADMIN_SESSIONS_KEY]
    response = web.HTTPFound("/admin/day")
    response.set_cookie(
        COOKIE,
        sessions.create(),
        httponly=True,
        secure=is_https(request),
        samesite="Strict",
        path="/admin",
        max_age=int(sessions.ttl),
        expires=formatdate(time.time() + sessions.ttl, usegmt=True),
    )
    logger.info("admin signed in from the login form")
    raise response


async def logout(request: web.Request) -> web.StreamResponse:
    """`POST /admin/logout`: ends the session on the server and clears the cookie."""
    if not same_origin(request):
        return json_error(403, "이 요청은 관리자 화면에서만 보낼 수 있어요.")
    sid = request.cookies.get(COOKIE, "")
    if sid:
        request.app[ADMIN_SESSIONS_KEY].end(sid)
    response = web.HTTPFound("/admin/day")
    response.del_cookie(COOKIE, path="/admin")
    raise response
