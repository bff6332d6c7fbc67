"""POST /v1/timings and /v1/outcomes: durable, all-or-nothing, idempotent per install and key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from aiohttp.test_utils import TestClient

from server.app_keys import STORE
from server.store.sqlite import SqliteStore
from tests.server.api import assert_error, bearer, dump, new_token, outcome, timing


async def stored_timings(db_path: Path) -> int:
    store = SqliteStore(db_path)
    await store.open()
    try:
        return await store.timing_count()
    finally:
        await store.close()


async def test_timings_are_acknowledged_and_stored(client: TestClient, token: str, db_path: Path) -> None:
    batch = {"timings": [timing(f"timing-{n:04d}", task_id=f"study-{n}") for n in range(3)]}
    response = await client.post("/v1/timings", json=batch, headers=bearer(token))
    assert response.status == 200
    assert await response.json() == {"accepted": 3, "duplicates": 0}
    assert await stored_timings(db_path) == 3


async def test_a_retried_batch_is_counted_once(client: TestClient, token: str, db_path: Path) -> None:
    batch = {"timings": [timing("timing-0001"), timing("timing-0002", task_id="study-2")]}
    await client.post("/v1/timings", json=batch, headers=bearer(token))
    await client.app[STORE].settle()
    before = dump(db_path)
    response = await client.post("/v1/timings", json=batch, headers=bearer(token))
    assert await response.json() == {"accepted": 0, "duplicates": 2}
    assert await stored_timings(db_path) == 2
    assert dump(db_path) == before


async def test_the_same_key_from_another_install_is_another_timing(client: TestClient, token: str) -> None:
    batch = {"timings": [timing("timing-0001")]}
    await client.post("/v1/timings", json=batch, headers=bearer(token))
    other = await new_token(client)
    response = await client.post("/v1/timings", json=batch, headers=bearer(other))
    assert await response.json() == {"accepted": 1, "duplicates": 0}


async def test_outcomes_are_acknowledged_once(client: TestClient, token: str) -> None:
    await client.post("/v1/timings", json={"timings": [timing("timing-0001")]}, headers=bearer(token))
    batch = {"outcomes": [outcome("timing-0001", status="approved"), outcome("timing-0001", status="paid")]}
    first = await client.post("/v1/outcomes", json=batch, headers=bearer(token))
    assert await first.json() == {"accepted": 2, "duplicates": 0}
    again = await client.post("/v1/outcomes", json=batch, headers=bearer(token))
    assert await again.json() == {"accepted": 0, "duplicates": 2}


def raw(value: Any) -> bytes:
    return orjson.dumps(value)


BAD_TIMINGS = {
    "malformed JSON": (b'{"timings": [', 400),
    "not an object": (b'"timings"', 422),
    "no timings": (raw({"timings": []}), 422),
    "wrong type": (raw({"timings": [{**timing(), "active_s": "ten minutes"}]}), 422),
    "money as a float": (raw({"timings": [timing(reward={"amount": 1.5, "currency": "GBP"})]}), 422),
    "unknown field": (raw({"timings": [timing(worker_id="A1B2C3")]}), 422),
    "unknown top-level field": (raw({"timings": [timing()], "install": "x"}), 422),
    "active longer than wall": (raw({"timings": [timing(active_s=900, wall_s=600)]}), 422),
    "active over 12 hours": (raw({"timings": [timing(active_s=13 * 3600, wall_s=None)]}), 422),
    "unknown currency": (raw({"timings": [timing(reward={"amount": "1.50", "currency": "XBT"})]}), 422),
    "too many items": (raw({"timings": [timing(f"timing-{n:04d}") for n in range(501)]}), 422),
    # All or nothing: one bad record keeps the good ones out too.
    "one bad record among good ones": (
        raw({"timings": [timing("timing-0001"), timing("timing-0002", outcome="abandoned")]}),
        422,
    ),
}

BAD_OUTCOMES = {
    "malformed JSON": (b"{outcomes", 400),
    "unknown status": (raw({"outcomes": [outcome(status="lost")]}), 422),
    "no time zone": (raw({"outcomes": [outcome(at="2026-01-01T10:00:00")]}), 422),
    "unknown field": (raw({"outcomes": [outcome(amount="1.00")]}), 422),
    "too many items": (raw({"outcomes": [outcome(f"timing-{n:04d}") for n in range(501)]}), 422),
}


@pytest.mark.parametrize(("body", "status"), BAD_TIMINGS.values(), ids=BAD_TIMINGS.keys())
async def test_bad_timings_change_nothing(
    client: TestClient, token: str, db_path: Path, body: bytes, status: int
) -> None:
    before = dump(db_path)
    response = await client.post("/v1/timings", data=body, headers={**bearer(token), "Content-Type": "application/json"})
    error = await assert_error(response, status)
    if status == 422:
        assert error["error"]["details"], error
    assert dump(db_path) == before


@pytest.mark.parametrize(("body", "status"), BAD_OUTCOMES.values(), ids=BAD_OUTCOMES.keys())
async def test_bad_outcomes_change_nothing(
    client: TestClient, token: str, db_path: Path, body: bytes, status: int
) -> None:
    await client.post("/v1/timings", json={"timings": [timing("timing-0001")]}, headers=bearer(token))
    await client.app[STORE].settle()
    before = dump(db_path)
    response = await client.post("/v1/outcomes", data=body, headers={**bearer(token), "Content-Type": "application/json"})
    await assert_error(response, status)
    assert dump(db_path) == before


async def test_a_validation_error_says_where_the_problem_is(client: TestClient, token: str) -> None:
    batch = {"timings": [timing("timing-0001"), timing("timing-0002", reward={"amount": "1.50", "currency": "XBT"})]}
    response = await client.post("/v1/timings", json=batch, headers=bearer(token))
    error = (await assert_error(response, 422))["error"]
    assert error["details"][0]["loc"] == ["timings", 1, "reward", "currency"]
    assert "ISO 4217" in error["message"]
