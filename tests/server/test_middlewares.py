"""One error shape for every failure, request size limits, and CORS for extension origins only."""

from __future__ import annotations

import io
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from server.app import create_app
from server.middlewares import origin_allowed
from server.settings import defaults
from tests.server.api import MakeClient, assert_error, bearer, dump, timing


async def test_an_unknown_path_is_a_404_in_the_error_shape(client: TestClient) -> None:
    await assert_error(await client.get("/v1/nothing-here"), 404, "not_found")


async def test_a_wrong_method_is_a_405_in_the_error_shape(client: TestClient) -> None:
    response = await client.get("/v1/timings")
    await assert_error(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "POST"


async def test_a_crash_is_a_500_in_the_error_shape_and_logged(
    aiohttp_client: Any, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def crash(request: web.Request) -> web.Response:
        raise RuntimeError("secret internals")

    app = create_app(defaults(db=db_path, access_log=False))
    app.router.add_get("/crash", crash)
    client = await aiohttp_client(app)
    with caplog.at_level(logging.ERROR, logger="fairclick.error"):
        body = await assert_error(await client.get("/crash"), 500, "internal")
    assert "secret internals" not in body["error"]["message"]
    assert any("secret internals" in (record.exc_text or "") for record in caplog.records)


async def test_a_redirect_is_not_turned_into_an_error(aiohttp_client: Any, db_path: Path) -> None:
    async def moved(request: web.Request) -> web.Response:
        raise web.HTTPFound("/healthz")

    app = create_app(defaults(db=db_path, access_log=False))
    app.router.add_get("/moved", moved)
    client = await aiohttp_client(app)
    response = await client.get("/moved", allow_redirects=False)
    assert response.status == 302


# --- body size ----------------------------------------------------------------------------


async def test_a_body_over_the_limit_is_a_413_and_changes_nothing(make_client: MakeClient, db_path: Path) -> None:
    client = await make_client(max_body_bytes=2000)
    token = (await (await client.post("/v1/installs", json={})).json())["token"]
    body = orjson.dumps({"timings": [timing(f"timing-{n:04d}", task_id=f"s{n}") for n in range(10)]})
    assert len(body) > 2000
    before = dump(db_path)
    response = await client.post("/v1/timings", data=body, headers={**bearer(token), "Content-Type": "application/json"})
    await assert_error(response, 413, "body_too_large")
    assert dump(db_path) == before


async def test_a_chunked_body_over_the_limit_is_a_413_too(make_client: MakeClient, db_path: Path) -> None:
    client = await make_client(max_body_bytes=2000)
    token = (await (await client.post("/v1/installs", json={})).json())["token"]
    body = orjson.dumps({"timings": [timing(f"timing-{n:04d}", task_id=f"s{n}") for n in range(10)]})

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the limit must hold while reading
        for start in range(0, len(body), 500):
            yield body[start:start + 500]

    before = dump(db_path)
    response = await client.post("/v1/timings", data=chunks(), headers={**bearer(token), "Content-Type": "application/json"})
    await assert_error(response, 413, "body_too_large")
    assert dump(db_path) == before


async def test_the_default_limit_is_one_mebibyte(client: TestClient, token: str) -> None:
    body = io.BytesIO(orjson.dumps({"listings": [], "padding": "x" * (1024 * 1024)}))
    response = await client.post("/v1/score", data=body, headers={**bearer(token), "Content-Type": "application/json"})
    await assert_error(response, 413, "body_too_large")


# --- CORS ---------------------------------------------------------------------------------

PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type"}


@pytest.mark.parametrize("origin", ["chrome-extension://abcdefghijklmnopabcdefghijklmnop", "moz-extension://0b1e-4c2d"])
async def test_an_extension_origin_passes_the_preflight(client: TestClient, origin: str) -> None:
    response = await client.options("/v1/score", headers={"Origin": origin, **PREFLIGHT})
    assert response.status == 204
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]
    assert response.headers["Vary"] == "Origin"


async def test_a_web_page_origin_fails_the_preflight(client: TestClient) -> None:
    response = await client.options("/v1/score", headers={"Origin": "https://evil.example", **PREFLIGHT})
    await assert_error(response, 403, "forbidden")
    assert "Access-Control-Allow-Origin" not in response.headers


async def test_answers_to_an_extension_carry_cors_headers_even_errors(client: TestClient) -> None:
    origin = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    ok = await client.post("/v1/installs", json={}, headers={"Origin": origin})
    assert ok.headers["Access-Control-Allow-Origin"] == origin
    refused = await client.post("/v1/score", json={}, headers={"Origin": origin})
    await assert_error(refused, 401)
    assert refused.headers["Access-Control-Allow-Origin"] == origin
    assert "Retry-After" in refused.headers["Access-Control-Expose-Headers"]


async def test_answers_to_a_web_page_carry_no_cors_headers(client: TestClient) -> None:
    response = await client.post("/v1/installs", json={}, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


async def test_the_allowed_origins_are_a_setting(make_client: MakeClient) -> None:
    client = await make_client(cors_origins=("https://fairclick.example.org",))
    allowed = await client.options("/v1/score", headers={"Origin": "https://fairclick.example.org", **PREFLIGHT})
    assert allowed.status == 204
    extension = await client.options("/v1/score", headers={"Origin": "chrome-extension://abc", **PREFLIGHT})
    assert extension.status == 403


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("chrome-extension://abcdef", True),
        ("moz-extension://1234-5678", True),
        ("chrome-extension://", False),
        ("chrome-extension://abc/def", False),
        ("https://chrome-extension.evil.example", False),
        ("https://evil.example", False),
        ("null", False),
    ],
)
def test_a_wildcard_only_stands_for_the_part_after_the_scheme(origin: str, allowed: bool) -> None:
    assert origin_allowed(origin, ("chrome-extension://*", "moz-extension://*")) is allowed
