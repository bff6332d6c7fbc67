"""Logging in and out of the dashboard."""

from __future__ import annotations

import math

import aiohttp_jinja2
from aiohttp import web

from . import security
from .guard import CSRF_FIELD, SESSION, THROTTLE
from .pages import settings, store

#: A login form stays usable this long (the cookie that protects it expires then).
LOGIN_FORM_TTL_S = 3600


def _form(request: web.Request, *, status: int = 200, message: str | None = None, headers: dict[str, str] | None = None) -> web.Response:
    csrf = security.new_secret()
    response = aiohttp_jinja2.render_template(
        "login.html",
        request,
        {"title": "Log in", "csrf_token": csrf, "next": security.safe_next(request.query.get("next")), "message": message},
        status=status,
    )
    if headers:
        response.headers.update(headers)
    security.set_cookie(response, request, security.LOGIN_CSRF_COOKIE, csrf, max_age=LOGIN_FORM_TTL_S)
    return response


async def login_form(request: web.Request) -> web.StreamResponse:
    if await security.current_session(request, store(request), settings(request).admin_token) is not None:
        raise web.HTTPSeeOther(location=security.safe_next(request.query.get("next")))
    return _form(request)


async def login_submit(request: web.Request) -> web.StreamResponse:
    throttle = request.app[THROTTLE]
    address = security.client_address(request)
    wait_s = throttle.retry_after(address)
    if wait_s > 0:
        retry = max(1, math.ceil(wait_s))
        return _form(request, status=429, headers={"Retry-After": str(retry)},
                     message=f"Too many wrong tokens from your address: wait {retry} s before trying again.")
    if not security.origin_ok(request):
        return _form(request, status=403, message="This login came from another site; it was refused.")
    form = await request.post()
    if not security.same(_text(form.get(CSRF_FIELD)), request.cookies.get(security.LOGIN_CSRF_COOKIE)):
        return _form(request, status=403, message="The login form expired; try again.")
    admin = await security.maintainer_for(_text(form.get("token")) or "", store(request), settings(request).admin_token)
    if admin is None:
        lockout = throttle.failed(address)
        message = "That token does not open the dashboard."
        if lockout > 0:
            message += f" Too many wrong tokens: wait {math.ceil(lockout)} s before the next try."
        return _form(request, status=401, message=message)
    throttle.succeeded(address)
    config = settings(request)
    cookie, session = await security.open_session(store(request), admin, config.dashboard_session_hours, config.admin_token)
    response = web.HTTPSeeOther(location=security.safe_next(_text(form.get("next"))))
    security.set_cookie(response, request, security.SESSION_COOKIE, cookie, max_age=int(session.expires_at - session.created_at))
    security.clear_cookie(response, security.LOGIN_CSRF_COOKIE)
    raise response


async def logout(request: web.Request) -> web.StreamResponse:
    await store(request).delete_session(request[SESSION].session_hash)
    response = web.HTTPSeeOther(location=str(request.app.router["login_form"].url_for()))
    security.clear_cookie(response, security.SESSION_COOKIE)
    raise response


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
