"""GET /healthz: says which dependency fails, so an operator knows where to look."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from server.app import create_app
from server.settings import defaults
from server.store.sqlite import SqliteStore
from tests.server.api import assert_error, bearer, listing, new_token, timing


async def test_a_working_service_is_healthy(client: Any) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok",
                                     "checks": {"store": {"ok": True, "kind": "sqlite", "error": None, "unfolded": 0}}}


async def test_the_fold_lag_is_reported_and_scores_do_not_wait_for_it(aiohttp_client: Any, tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "fairclick.sqlite3", fold_paused=True)  # as if folding had fallen behind
    await store.open()
    try:
        client = await aiohttp_client(create_app(defaults(db=store.path, access_log=False), store=store))
        token = await new_token(client)
        batch = {"timings": [timing("timing-0001"), timing("timing-0002", task_id="study-2")]}
        assert (await client.post("/v1/timings", json=batch, headers=bearer(token))).status == 200
        health = await (await client.get("/healthz")).json()
        scored = await client.post("/v1/score", json={"listings": [listing()]}, headers=bearer(token))
        assert health["checks"]["store"]["unfolded"] == 2
        assert (await scored.json())["scores"][0]["reports"] == 0  # the latest folded state, at once
        await store.settle()
        health = await (await client.get("/healthz")).json()
        scored = await client.post("/v1/score", json={"listings": [listing()]}, headers=bearer(token))
        assert health["checks"]["store"]["unfolded"] == 0
        assert (await scored.json())["scores"][0]["reports"] == 1
    finally:
        await store.close()


async def test_an_unreachable_store_is_named_with_a_503(aiohttp_client: Any, tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "fairclick.sqlite3")
    await store.open()
    await store.close()  # the service keeps running on a store that no longer answers
    client = await aiohttp_client(create_app(defaults(db=store.path), store=store))
    response = await client.get("/healthz")
    assert response.status == 503
    assert response.headers["Retry-After"].isdigit()
    health = await response.json()
    assert health["status"] == "unavailable"
    assert health["checks"]["store"]["ok"] is False
    assert health["checks"]["store"]["kind"] == "sqlite"
    assert health["checks"]["store"]["error"]


async def test_calls_that_need_the_store_answer_503_with_retry_after(aiohttp_client: Any, tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "fairclick.sqlite3")
    await store.open()
    await store.close()
    client = await aiohttp_client(create_app(defaults(db=store.path), store=store))
    response = await client.post("/v1/installs", json={})
    await assert_error(response, 503, "unavailable")
    assert int(response.headers["Retry-After"]) >= 1
