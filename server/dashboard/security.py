"""Who may use the dashboard: maintainer tokens, sessions, cookies, CSRF and Origin checks.

- A maintainer logs in with FAIRCLICK_ADMIN_TOKEN or a token made by `fairclick admin create`
  (the store keeps only its SHA-256). A session is then a random cookie value whose hash the
  store keeps with an expiry and a per-session CSRF token.
- The cookie is HttpOnly and SameSite=Strict, Secure when the request came over TLS (directly
  or through a proxy that says so in X-Forwarded-Proto), and scoped to /dashboard.
- Every state-changing request must carry the session's CSRF token in its form, and, when the
  browser says where it comes from (Origin, else Referer), come from this very origin.
- The login form itself is protected by a double-submit cookie, since there is no session yet.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from urllib.parse import urlsplit

from aiohttp import web

from ..store.admin import AdminStore, Session

SESSION_COOKIE = "fairclick_dashboard"
LOGIN_CSRF_COOKIE = "fairclick_login_csrf"
COOKIE_PATH = "/dashboard"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: The name `FAIRCLICK_ADMIN_TOKEN` logs in as.
SETTINGS_ADMIN = "admin token (FAIRCLICK_ADMIN_TOKEN)"
#: Longest token the login form accepts; ours are 43 characters.
MAX_TOKEN_LENGTH = 256


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison that treats a missing value as a mismatch."""
    return a is not None and b is not None and hmac.compare_digest(a.encode(), b.encode())


async def maintainer_for(token: str, store: AdminStore, settings_token: str | None) -> str | None:
    """The maintainer a token belongs to, or None."""
    token = token.strip()
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    if settings_token and same(digest(token), digest(settings_token)):
        return SETTINGS_ADMIN
    return await store.admin_for_token(digest(token))


def behind_tls(request: web.Request) -> bool:
    forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
    return request.secure or forwarded == "https"


def own_origin(request: web.Request) -> str:
    scheme = "https" if behind_tls(request) else "http"
    host = request.headers.get("X-Forwarded-Host", "").split(",")[0].strip() or request.host
    return f"{scheme}://{host}".lower()


def origin_ok(request: web.Request) -> bool:
    """False when the browser says the request comes from another origin.

    Browsers send Origin on every POST; Referer is the fallback for old ones. A request with
    neither (curl, scripts) is judged by its CSRF token alone.
    """
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin.lower() == own_origin(request)
    referer = request.headers.get("Referer")
    if referer:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}".lower() == own_origin(request)
    return True


def set_cookie(response: web.StreamResponse, request: web.Request, name: str, value: str, *, max_age: int | None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=COOKIE_PATH,
        httponly=True,
        samesite="Strict",
        secure=behind_tls(request),
    )


def clear_cookie(response: web.StreamResponse, name: str) -> None:
    response.del_cookie(name, path=COOKIE_PATH)


def session_key(cookie: str, settings_token: str | None) -> str:
    """What the store keeps of a session cookie.

    A session opened with FAIRCLICK_ADMIN_TOKEN is keyed by the cookie *and* that token, so
    changing or removing the token ends every session opened with it (as revoking does for a
    token made by `fairclick admin create`), and the store holds nothing from which to guess it.
    """
    return digest(cookie if settings_token is None else f"{cookie}\x00{settings_token}")


async def open_session(store: AdminStore, admin: str, hours: float, settings_token: str | None) -> tuple[str, Session]:
    """A new session: (cookie value, what the store keeps)."""
    cookie = new_secret()
    now = time.time()
    bound = settings_token if admin == SETTINGS_ADMIN else None
    session = Session(session_key(cookie, bound), admin, new_secret(), now, now + hours * 3600.0)
    await store.add_session(session)
    return cookie, session


async def current_session(request: web.Request, store: AdminStore, settings_token: str | None) -> Session | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie or len(cookie) > MAX_TOKEN_LENGTH:
        return None
    now = time.time()
    session = await store.session(session_key(cookie, None), now)
    if session is not None and session.admin != SETTINGS_ADMIN:
        return session
    if settings_token:
        session = await store.session(session_key(cookie, settings_token), now)
        if session is not None and session.admin == SETTINGS_ADMIN:
            return session
    return None


def client_address(request: web.Request) -> str:
    # The peer address, not X-Forwarded-For: a client could rotate that header to dodge the
    # slow-down. Behind a proxy every client shares the proxy's address (see the README).
    return request.remote or "unknown"


def safe_next(target: str | None) -> str:
    """Where to go after logging in: only a path inside the dashboard (no open redirect)."""
    if target and target.startswith(COOKIE_PATH + "/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return COOKIE_PATH + "/"
