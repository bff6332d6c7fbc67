"""The OpenAPI 3.1 document, generated from the route table and the pydantic models.

Nothing here is written by hand per endpoint: a route's request, path-parameter and response
models give its schemas, its `auth` flag its security, and what the shared machinery of
`server/views/endpoint.py` can answer (400, 401, 413, 422, 429, 503) its error responses.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from shared_schema import ErrorBody

from .views.endpoint import Route

REF_TEMPLATE = "#/components/schemas/{model}"
ERROR_DESCRIPTIONS = {
    400: "The body is not valid JSON.",
    401: "No token, or an unknown one.",
    404: "Not found.",
    413: "The body is larger than the service accepts.",
    422: "The JSON does not match the contract; `details` lists each problem. Nothing was written.",
    429: "Too many requests for this token; retry after `Retry-After` seconds.",
    503: "The store is unavailable; nothing was written; retry after `Retry-After` seconds.",
}


def _version() -> str:
    try:
        return metadata.version("fairclick")
    except metadata.PackageNotFoundError:  # run from a checkout that was not pip-installed
        pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
        return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])


def document(routes: Iterable[Route]) -> dict[str, Any]:
    return _document(tuple(routes))


@cache
def _document(routes: tuple[Route, ...]) -> dict[str, Any]:
    models: list[tuple[type[BaseModel], str]] = [(ErrorBody, "serialization")]
    for route in routes:
        if route.request is not None:
            models.append((route.request, "validation"))
        if route.response is not None:
            models.append((route.response, "serialization"))
    refs, definitions = models_json_schema(list(dict.fromkeys(models)), ref_template=REF_TEMPLATE)
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, refs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "FairClick",
            "version": _version(),
            "summary": "What a crowdwork task really pays per hour, measured by the workers who did it.",
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "paths": paths,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The token answered by POST /v1/installs.",
                }
            },
        },
    }


def _operation(route: Route, refs: dict[tuple[type[BaseModel], str], Any]) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": route.name,
        "summary": route.summary,
        "tags": [route.tag],
        "security": [{"bearer": []}] if route.auth else [],
        "responses": {str(route.status): _answer(route, refs)},
    }
    if route.params is not None:
        operation["parameters"] = _path_parameters(route)
    if route.request is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": refs[(route.request, "validation")]}},
        }
    for status in _error_statuses(route):
        operation["responses"][str(status)] = {
            "description": ERROR_DESCRIPTIONS.get(status, "An error."),
            "content": {"application/json": {"schema": refs[(ErrorBody, "serialization")]}},
        }
    return operation


def _answer(route: Route, refs: dict[tuple[type[BaseModel], str], Any]) -> dict[str, Any]:
    description = route.summary
    if route.response is not None:
        return {"description": description, "content": {route.media_type: {"schema": refs[(route.response, "serialization")]}}}
    schema = {"type": "object"} if route.media_type == "application/json" else {"type": "string"}
    return {"description": description, "content": {route.media_type: {"schema": schema}}}


def _path_parameters(route: Route) -> list[dict[str, Any]]:
    assert route.params is not None
    properties = route.params.model_json_schema(ref_template=REF_TEMPLATE)["properties"]
    names = re.findall(r"\{(\w+)", route.path)
    return [{"name": name, "in": "path", "required": True, "schema": properties[name]} for name in names]


def _error_statuses(route: Route) -> list[int]:
    statuses = set(route.errors)
    if route.auth:
        statuses |= {401, 429}
    if route.request is not None:
        statuses |= {400, 413, 422}
    if route.params is not None:
        statuses.add(422)
    if route.path.startswith("/v1/"):
        statuses.add(503)
    return sorted(statuses)
