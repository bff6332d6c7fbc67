"""The middleware stack, outermost first: observe (metrics, access log) -> CORS -> errors.

CORS sits outside the error middleware so that error answers carry CORS headers too (the
extension must be able to read a 429 or a 422); observation sits outside both so that every
answer, preflights and errors included, is counted and logged.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable

import orjson
from aiohttp import web

from . import logs
from .app_keys import ERROR_CODE, METRICS, SETTINGS
from .errors import ApiError, BodyTooLarge, Forbidden, MethodNotAllowed, NotFound, Unavailable
from .store.protocol import StoreUnavailable

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

CORS_METHODS = "GET, POST, OPTIONS"
CORS_HEADERS = "Authorization, Content-Type"
#: Chrome caps a preflight cache at 2 hours; 10 minutes lets an origin change apply soon.
CORS_MAX_AGE_S = "600"


def stack() -> list[Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]]:
    return [observe, cors, errors]


def error_response(error: ApiError) -> web.Response:
    return web.Response(
        body=orjson.dumps(error.body()), status=error.status, content_type="application/json", headers=error.headers
    )


def route_label(request: web.Request) -> str:
    """The route's path template (`/v1/requesters/{platform}/{requester_id}`): bounded label values."""
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "unmatched"


@web.middleware
async def observe(request: web.Request, handler: Handler) -> web.StreamResponse:
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:  # redirects re-raised by the error middleware
        status = exc.status
        raise
    finally:
        elapsed = time.perf_counter() - started
        route = route_label(request)
        request.app[METRICS].observe_request(request.method, route, status, elapsed)
        if request.app[SETTINGS].access_log:
            # The path only: a query string or a header could carry a token.
            logs.ACCESS.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "route": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 3),
                    "error_code": request.get(ERROR_CODE),
                },
            )


def origin_allowed(origin: str, patterns: Iterable[str]) -> bool:
    """`chrome-extension://*` matches any extension id of that scheme; `*` alone matches every origin."""
    for pattern in patterns:
        if pattern == "*" or pattern == origin:
            return True
        if pattern.endswith("://*"):
            scheme = pattern[: -len("*")]
            rest = origin[len(scheme):]
            if origin.startswith(scheme) and rest and "/" not in rest:
                return True
    return False


@web.middleware
async def cors(request: web.Request, handler: Handler) -> web.StreamResponse:
    origin = request.headers.get("Origin")
    if origin is None:
        return await handler(request)
    allowed = origin_allowed(origin, request.app[SETTINGS].cors_origins)
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        if not allowed:
            error = Forbidden(f"origin {origin!r} is not allowed; see the cors_origins setting")
            request[ERROR_CODE] = error.code
            return error_response(error)
        return web.Response(
            status=204,
            headers={
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Allow-Methods": CORS_METHODS,
                "Access-Control-Allow-Headers": CORS_HEADERS,
                "Access-Control-Max-Age": CORS_MAX_AGE_S,
                "Vary": "Origin",
            },
        )
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        if allowed:
            _allow(exc.headers, origin)
        raise
    if allowed:
        _allow(response.headers, origin)
    return response


def _allow(headers: "web.CIMultiDict[str] | object", origin: str) -> None:
    headers["Access-Control-Allow-Origin"] = origin  # type: ignore[index]
    headers["Access-Control-Expose-Headers"] = "Retry-After"  # type: ignore[index]
    headers["Vary"] = "Origin"  # type: ignore[index]


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        error = exc
    except web.HTTPException as exc:
        if exc.status < 400:  # redirects (the dashboard's login) are not errors
            raise
        error = _from_http(exc)
    except StoreUnavailable as exc:
        logs.ERROR.warning("store unavailable", extra={"route": route_label(request), "error": str(exc)})
        error = Unavailable("the store is unavailable; nothing was written, retry later")
    except asyncio.CancelledError:
        raise
    except Exception:
        logs.ERROR.exception("unhandled error", extra={"method": request.method, "route": route_label(request)})
        error = ApiError("internal error; it has been logged", status=500, code="internal")
    request[ERROR_CODE] = error.code
    return error_response(error)


def _from_http(exc: web.HTTPException) -> ApiError:
    if isinstance(exc, web.HTTPNotFound):
        return NotFound("no such endpoint; see /openapi.json")
    if isinstance(exc, web.HTTPMethodNotAllowed):
        allowed = ", ".join(sorted(exc.allowed_methods))
        return MethodNotAllowed(f"{exc.method} is not allowed here; allowed: {allowed}", headers={"Allow": allowed})
    if isinstance(exc, web.HTTPRequestEntityTooLarge):
        return BodyTooLarge(f"the body is larger than the limit; {exc.text}")
    code = exc.reason.lower().replace(" ", "_").replace("-", "_") or "error"
    return ApiError(exc.text or exc.reason, status=exc.status, code=code, headers=_kept_headers(exc))


def _kept_headers(exc: web.HTTPException) -> dict[str, str]:
    return {name: exc.headers[name] for name in ("Retry-After", "Allow", "WWW-Authenticate") if name in exc.headers}
