"""Every route of the table, present and future: bad bodies get the error shape and change nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from server.routes import ROUTES
from tests.server.api import assert_error, bearer, dump

WITH_BODY = [route for route in ROUTES if route.request is not None]
IDS = [f"{route.method} {route.path}" for route in WITH_BODY]
BAD_BODIES = {
    "malformed JSON": (b'{"a": ', 400, "malformed_json"),
    "JSON with a trailing comma": (b'{"a": 1,}', 400, "malformed_json"),
    "NaN is not JSON": (b'{"a": NaN}', 400, "malformed_json"),
    "not an object": (b"[1, 2, 3]", 422, "invalid_input"),
    "an unknown field": (b'{"worker_email": "someone@example.org"}', 422, "invalid_input"),
}


def test_every_route_is_routed_once() -> None:
    keys = [(route.method, route.path) for route in ROUTES]
    assert len(keys) == len(set(keys))
    assert len({route.name for route in ROUTES}) == len(ROUTES)  # operationIds are unique


@pytest.mark.parametrize("route", WITH_BODY, ids=IDS)
@pytest.mark.parametrize(("body", "status", "code"), BAD_BODIES.values(), ids=BAD_BODIES.keys())
async def test_a_bad_body_gets_the_error_shape_and_changes_nothing(
    client: TestClient, token: str, db_path: Path, route: Any, body: bytes, status: int, code: str
) -> None:
    before = dump(db_path)
    headers = {**bearer(token), "Content-Type": "application/json"}
    response = await client.request(route.method, route.path, data=body, headers=headers)
    error = await assert_error(response, status, code)
    if status == 422:
        assert error["error"]["details"]
    assert dump(db_path) == before
