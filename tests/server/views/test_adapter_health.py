"""`POST /v1/adapter-health`: counted per adapter and day, nothing else kept."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from server.app_keys import STORE
from tests.server.api import assert_error, bearer, dump


async def test_events_are_counted_per_adapter_and_day(client: TestClient, token: str) -> None:
    events = [{"adapter": "prolific", "adapter_version": "1.2.0", "listings_found": 0, "blocks_seen": 6},
              {"adapter": "prolific", "adapter_version": "1.2.0", "listings_found": 0},
              {"adapter": "prolific", "listings_found": 14, "blocks_seen": 14},
              {"adapter": "toloka", "listings_found": 3}]
    for event in events:
        response = await client.post("/v1/adapter-health", json=event, headers=bearer(token))
        assert response.status == 202 and await response.read() == b""
    today = datetime.now(UTC).date().isoformat()
    days = await client.app[STORE].adapter_health(today)
    assert [(d.adapter, d.day, d.events, d.empty, d.listings_found, d.blocks_seen, d.version) for d in days] == [
        ("prolific", today, 3, 2, 14, 20, "1.2.0"), ("toloka", today, 1, 0, 3, 0, None)]


async def test_an_event_needs_an_install_token(client: TestClient) -> None:
    await assert_error(await client.post("/v1/adapter-health", json={"adapter": "x", "listings_found": 0}), 401)


@pytest.mark.parametrize("bad", [
    {"adapter": "Prolific Adapter!", "listings_found": 0},
    {"adapter": "prolific", "listings_found": -1},
    {"adapter": "prolific", "listings_found": 0, "url": "https://app.prolific.com/studies"},
    {"adapter": "prolific"},
])
async def test_a_bad_event_is_refused_and_nothing_is_written(client: TestClient, token: str, db_path: Path,
                                                             bad: dict[str, object]) -> None:
    before = dump(db_path)
    await assert_error(await client.post("/v1/adapter-health", json=bad, headers=bearer(token)), 422, "invalid_input")
    assert dump(db_path) == before
