"""How one row of the route table becomes an aiohttp handler.

A `Route` declares method, path, view, request model, path-parameter model, response model,
status and whether a bearer token is needed. `handler_for(route)` wraps the view so that
every endpoint authenticates, rate-limits, reads and validates its input, and serializes its
answer the same way; a view only receives validated `Inputs` and returns a pydantic model
(or a ready `web.StreamResponse` for non-JSON answers such as /metrics). The same table
feeds /openapi.json (`server/openapi.py`), so documentation cannot drift from behaviour.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from aiohttp import web
from pydantic import BaseModel, ValidationError

from .. import auth
from ..app_keys import METRICS, RATE_LIMITER, SETTINGS, STORE, TOKENS
from ..errors import BodyTooLarge, InvalidInput, MalformedJson, RateLimited, Unauthorized

#: Errors listed in a 422 answer; a batch of 500 broken records does not need 500 lines.
MAX_DETAILS = 50


@dataclass(frozen=True, slots=True)
class Inputs:
    """What a view receives: everything already authenticated and validated."""

    body: Any = None  # an instance of the route's `request` model
    params: Any = None  # an instance of the route's `params` model (path parameters)
    install_id: str | None = None  # the caller's install, on routes with `auth`


View = Callable[[web.Request, Inputs], Awaitable[Any]]


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    view: View
    summary: str
    request: type[BaseModel] | None = None
    params: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    auth: bool = True
    #: Media type of a non-JSON answer (the view then returns a web.Response itself).
    media_type: str = "application/json"
    tag: str = "v1"
    #: Error statuses this route can answer besides the ones every route can (documented in OpenAPI).
    errors: tuple[int, ...] = ()

    @property
    def name(self) -> str:
        return self.view.__name__


def handler_for(route: Route) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handler(request: web.Request) -> web.StreamResponse:
        install_id = await authenticate(request) if route.auth else None
        params = validate(route.params, dict(request.match_info)) if route.params is not None else None
        body = await read_body(request, route.request) if route.request is not None else None
        result = await route.view(request, Inputs(body=body, params=params, install_id=install_id))
        if isinstance(result, web.StreamResponse):
            return result
        return json_response(result, status=route.status)

    handler.__name__ = route.name
    handler.__doc__ = route.summary
    return handler


async def authenticate(request: web.Request) -> str:
    """The caller's install id, or 401; spends one of the token's rate-limit tokens first."""
    app = request.app
    token = auth.bearer_token(request.headers.get("Authorization"))
    hashed = auth.token_hash(token)
    # Limit before the store lookup, so a flood of one (even unknown) token never reaches the store.
    limit(request, f"token:{hashed}")
    install_id = app[TOKENS].get(hashed)
    if install_id is None:
        install_id = await app[METRICS].timed("install_for_token", app[STORE].install_for_token(hashed))
        if install_id is None:
            raise Unauthorized("unknown token; get one from POST /v1/installs")
        app[TOKENS].put(hashed, install_id)
    return install_id


def limit(request: web.Request, key: str) -> None:
    limiter = request.app[RATE_LIMITER]
    wait_s = limiter.take(key)
    if wait_s > 0:
        retry_after = limiter.retry_after(wait_s)
        raise RateLimited(
            f"more than {limiter.per_minute} requests per minute; retry in {retry_after} s", retry_after_s=retry_after
        )


async def read_raw(request: web.Request) -> bytes:
    """The request body: 413 past `max_body_bytes`."""
    max_bytes = request.app[SETTINGS].max_body_bytes
    if request.content_length is not None and request.content_length > max_bytes:
        raise BodyTooLarge(f"the body is {request.content_length} bytes; the limit is {max_bytes}")
    return await request.read()  # aiohttp raises 413 itself past client_max_size (chunked bodies)


def parse_json(raw: bytes) -> Any:
    """The body parsed with orjson (an empty body is `{}`); 400 when it is not JSON."""
    if not raw.strip():
        return {}
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise MalformedJson(f"the body is not valid JSON: {exc}") from None


async def read_json(request: web.Request) -> Any:
    return parse_json(await read_raw(request))


async def read_body(request: web.Request, model: type[BaseModel]) -> Any:
    """The body as an instance of `model`: 413, 400 or 422 as `read_json` and `validate` answer.

    A valid body is parsed and validated in one pass by pydantic-core (a 500-timing batch costs
    about a third of orjson + `model_validate`); a body it refuses takes the orjson path, so every
    error keeps the shape and message it always had.
    """
    raw = await read_raw(request)
    if raw.strip():
        try:
            return model.model_validate_json(raw)
        except ValidationError:
            pass
    return validate(model, parse_json(raw))


def validate(model: type[BaseModel], value: Any) -> Any:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        details = error_details(exc)
        first = details[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise InvalidInput(f"{where}: {first['message']}{more}", details=details) from None


def error_details(exc: ValidationError) -> list[dict[str, Any]]:
    details = []
    for error in exc.errors(include_url=False, include_context=False, include_input=False)[:MAX_DETAILS]:
        loc = list(error["loc"])
        message = error["msg"]
        if loc and loc[-1] == "currency" and error["type"] == "literal_error":
            # pydantic would list all ~180 ISO 4217 codes here.
            message = "not an ISO 4217 currency code"
        details.append({"loc": loc, "type": error["type"], "message": message[:300]})
    return details


def json_response(result: Any, *, status: int = 200, headers: Mapping[str, str] | None = None) -> web.Response:
    if isinstance(result, BaseModel):
        # Python-mode dump + orjson is about twice as fast as JSON-mode (measured on /v1/score answers);
        # the fields are str, int, float, bool, date and datetime, which orjson writes as JSON does.
        result = result.model_dump()
    body = orjson.dumps(result, option=orjson.OPT_UTC_Z)
    return web.Response(body=body, status=status, content_type="application/json", headers=headers)
