"""Bearer tokens: every /v1 call but POST /v1/installs needs one, and a wrong one changes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from server import auth
from server.errors import Unauthorized
from server.routes import ROUTES
from tests.server.api import assert_error, dump, listing, timing

PROTECTED = [route for route in ROUTES if route.auth]
SAMPLE_BODIES = {"/v1/score": {"listings": [listing()]}, "/v1/timings": {"timings": [timing()]}}


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)[^}]*\}", "sample", path)


def test_every_v1_route_but_installs_needs_a_token() -> None:
    open_v1 = {(r.method, r.path) for r in ROUTES if r.path.startswith("/v1/") and not r.auth}
    assert open_v1 <= {("POST", "/v1/installs"), ("GET", "/v1/open/aggregates.csv"), ("GET", "/v1/open/aggregates.json")}


@pytest.mark.parametrize("route", PROTECTED, ids=[f"{r.method} {r.path}" for r in PROTECTED])
@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer not-a-token-we-made", "Bearer " + "x" * 200],
)
async def test_calls_without_a_valid_token_get_401_and_change_nothing(
    client: TestClient, db_path: Path, route: object, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    before = dump(db_path)
    response = await client.request(
        route.method, concrete(route.path), json=SAMPLE_BODIES.get(route.path, {}), headers=headers  # type: ignore[attr-defined]
    )
    await assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert dump(db_path) == before


def test_a_bearer_header_is_read_case_insensitively_and_trimmed() -> None:
    assert auth.bearer_token("bearer  abc ") == "abc"
    with pytest.raises(Unauthorized):
        auth.bearer_token("Bearer tökén")


def test_tokens_are_random_and_stored_as_sha256() -> None:
    tokens = {auth.new_install()[1] for _ in range(100)}
    assert len(tokens) == 100
    assert auth.token_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
