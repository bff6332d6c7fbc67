"""The app factory: the store opened for the app's life, nothing shared between two apps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from server.app import create_app
from server.app_keys import STORE
from server.settings import defaults
from server.store import StoreUnavailable
from server.store.sqlite import SqliteStore
from tests.server.api import bearer


async def test_the_configured_store_is_opened_at_start_and_closed_at_shutdown(db_path: Path) -> None:
    app = create_app(defaults(db=db_path, access_log=False))
    server = TestServer(app)
    await server.start_server()
    store = app[STORE]
    assert isinstance(store, SqliteStore) and store.path == db_path
    await store.ping()
    await server.close()
    with pytest.raises(StoreUnavailable):
        await store.ping()


async def test_a_store_passed_in_stays_open_for_its_owner(db_path: Path) -> None:
    store = SqliteStore(db_path)
    await store.open()
    try:
        server = TestServer(create_app(defaults(db=db_path, access_log=False), store=store))
        await server.start_server()
        await server.close()
        await store.ping()  # raises StoreUnavailable if the app closed a store it does not own
        assert await store.timing_count() == 0
    finally:
        await store.close()


async def test_two_apps_share_no_state(aiohttp_client: Any, tmp_path: Path) -> None:
    first = await aiohttp_client(create_app(defaults(db=tmp_path / "a.sqlite3", access_log=False, rate_limit_per_min=1)))
    second = await aiohttp_client(create_app(defaults(db=tmp_path / "b.sqlite3", access_log=False, rate_limit_per_min=1)))
    token = (await (await first.post("/v1/installs", json={})).json())["token"]
    assert (await first.get("/v1/minimum-wages", headers=bearer(token))).status == 200
    # The token belongs to the first app's store; the second neither knows it nor counted its calls.
    assert (await second.get("/v1/minimum-wages", headers=bearer(token))).status == 401
    assert "/v1/installs" in await (await first.get("/metrics")).text()
    assert "/v1/installs" not in await (await second.get("/metrics")).text()
