"""The dashboard's one middleware: no session, no page; no CSRF token, no change.

It runs before every dashboard handler, so a route added later is protected without a
line of its own; only the names in `PUBLIC_ROUTES` (login form, stylesheet) pass without a
session. Every answer also gets headers that keep the pages out of frames and caches and
forbid scripts altogether.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from ..app_keys import SETTINGS, STORE
from ..store.admin import Session
from . import security
from .throttle import LoginThrottle

THROTTLE = web.AppKey("dashboard_login_throttle", LoginThrottle)
SESSION = web.RequestKey("dashboard_session", Session)
#: Form field carrying the per-session CSRF token.
CSRF_FIELD = "csrf_token"

#: The pages draw with server-side SVG and use no script: none may run, even an injected one.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'none'; img-src 'self' data:; "
    # pygal's SVG carries its own <style> element and style attributes.
    "style-src 'self' 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _route_name(request: web.Request) -> str | None:
    resource = request.match_info.route.resource
    return resource.name if resource is not None else None


def refusal(request: web.Request, status: int, message: str) -> web.Response:
    """A plain-text refusal: no template, so nothing of the page leaks before the session is known."""
    return web.Response(status=status, text=message + "\n", content_type="text/plain")


def to_login(request: web.Request) -> web.StreamResponse:
    if request.method in security.SAFE_METHODS:
        login = request.app.router["login_form"].url_for().with_query(next=str(request.rel_url))
        raise web.HTTPSeeOther(location=str(login))
    return refusal(request, 401, "Log in to the dashboard first.")


async def csrf_problem(request: web.Request, session: Session) -> str | None:
    if not security.origin_ok(request):
        return "This request came from another site; it was refused."
    form = await request.post()
    token = form.get(CSRF_FIELD)
    if not isinstance(token, str) or not security.same(token, session.csrf_token):
        return "This form has expired or did not come from the dashboard; reload the page and try again."
    return None


async def _guarded(request: web.Request, handler: Handler) -> web.StreamResponse:
    from .routes import PUBLIC_ROUTES  # the route table imports the views, which import this module

    unmatched = request.match_info.http_exception
    if unmatched is not None and request.path == security.COOKIE_PATH:  # /dashboard, typed without its slash
        raise web.HTTPMovedPermanently(location=security.COOKIE_PATH + "/")
    if unmatched is not None:  # answered here, as a page would be, not as an API error
        return refusal(request, unmatched.status, "No such dashboard page." if unmatched.status == 404 else unmatched.reason)
    if _route_name(request) in PUBLIC_ROUTES:
        return await handler(request)
    session = await security.current_session(request, request.config_dict[STORE], request.config_dict[SETTINGS].admin_token)
    if session is None:
        return to_login(request)
    if request.method not in security.SAFE_METHODS:
        problem = await csrf_problem(request, session)
        if problem is not None:
            return refusal(request, 403, problem)
    request[SESSION] = session
    return await handler(request)


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await _guarded(request, handler)
    except web.HTTPException as exc:
        exc.headers.update(SECURITY_HEADERS)
        raise
    response.headers.update(SECURITY_HEADERS)
    return response
