"""Helpers for API tests: payload builders, the error-shape assertion, a dump of the store."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from shared_schema import ErrorBody

#: The `make_client` fixture: `await make_client(**settings_changes)` -> a client of a fresh service.
MakeClient = Callable[..., Awaitable[TestClient]]


async def new_token(client: TestClient) -> str:
    response = await client.post("/v1/installs", json={"extension_version": "0.1.0"})
    assert response.status == 201, await response.text()
    return (await response.json())["token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The one error shape: `{"error": {"code", "message"}}` (and `details` for validation errors)."""
    assert response.status == status, await response.text()
    assert response.content_type == "application/json"
    body = await response.json()
    ErrorBody.model_validate(body)
    assert body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code, body
    return body


def dump(db_path: Path) -> list[str]:
    """Every row of the store as SQL: equal dumps before and after a request = nothing was written."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


NOW = datetime.now(UTC).replace(microsecond=0)


def listing(task_id: str = "study-1", **changes: Any) -> dict[str, Any]:
    base = {
        "platform": "prolific",
        "task_id": task_id,
        "requester_id": "lab-7",
        "title": "A ten-minute survey about sleep",
        "reward": {"amount": "1.50", "currency": "GBP"},
        "advertised_duration_s": 600,
    }
    return {**base, **changes}


def timing(key: str = "timing-0001", task_id: str = "study-1", active_s: float = 900, **changes: Any) -> dict[str, Any]:
    ended = NOW - timedelta(minutes=5)
    base = {
        "idempotency_key": key,
        "platform": "prolific",
        "task_id": task_id,
        "requester_id": "lab-7",
        "reward": {"amount": "1.50", "currency": "GBP"},
        "active_s": active_s,
        "wall_s": active_s + 60,
        "outcome": "submitted",
        "started_at": (ended - timedelta(seconds=active_s + 60)).isoformat(),
        "ended_at": ended.isoformat(),
        "advertised_duration_s": 600,
    }
    return {**base, **changes}


def outcome(key: str = "timing-0001", task_id: str = "study-1", **changes: Any) -> dict[str, Any]:
    base = {
        "idempotency_key": key,
        "platform": "prolific",
        "task_id": task_id,
        "requester_id": "lab-7",
        "status": "approved",
        "at": NOW.isoformat(),
    }
    return {**base, **changes}
