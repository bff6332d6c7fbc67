"""POST /v1/installs: a token handed out once, kept only as its hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from tests.server.api import assert_error, bearer, dump


async def test_an_install_gets_a_token_that_opens_the_other_calls(client: TestClient) -> None:
    response = await client.post("/v1/installs", json={"extension_version": "0.3.1"})
    assert response.status == 201
    created = await response.json()
    assert set(created) == {"install_id", "token"}
    assert len(created["token"]) >= 40  # 32 random bytes, URL-safe base64
    assert (await client.get("/v1/minimum-wages", headers=bearer(created["token"]))).status == 200


async def test_an_empty_body_is_enough(client: TestClient) -> None:
    assert (await client.post("/v1/installs")).status == 201


async def test_every_install_gets_its_own_token(client: TestClient) -> None:
    first = await (await client.post("/v1/installs", json={})).json()
    second = await (await client.post("/v1/installs", json={})).json()
    assert first["install_id"] != second["install_id"]
    assert first["token"] != second["token"]


async def test_only_the_hash_of_a_token_is_stored(client: TestClient, db_path: Path) -> None:
    token = (await (await client.post("/v1/installs", json={})).json())["token"]
    stored = "\n".join(dump(db_path))
    assert token not in stored
    assert hashlib.sha256(token.encode()).hexdigest() in stored


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "malformed_json"),
        (b'{"extension_version": 3}', 422, "invalid_input"),
        (b'{"extension_version": "' + b"9" * 40 + b'"}', 422, "invalid_input"),
        (b'{"worker_id": "A1B2C3"}', 422, "invalid_input"),
        (b"[]", 422, "invalid_input"),
    ],
)
async def test_bad_input_creates_no_install(
    client: TestClient, db_path: Path, body: bytes, status: int, code: str
) -> None:
    before = dump(db_path)
    response = await client.post("/v1/installs", data=body, headers={"Content-Type": "application/json"})
    await assert_error(response, status, code)
    assert dump(db_path) == before
