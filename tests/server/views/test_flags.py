"""`POST /v1/flags`: workers flag requesters; approved flags warn in /v1/score and the summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from server.app_keys import STORE
from tests.server.api import assert_error, bearer, dump, listing, new_token, timing


def flag(**changes: Any) -> dict[str, Any]:
    return {"platform": "prolific", "requester_id": "lab-7", "reason": "personal_data",
            "comment": "The first question asks for my home address.", **changes}


async def approve(client: TestClient, flag_id: str) -> None:
    assert await client.app[STORE].moderate_flag(flag_id, "approved", by="test", at=0.0) is not None


async def test_a_flag_waits_for_moderation(client: TestClient, token: str) -> None:
    response = await client.post("/v1/flags", json=flag(task_id="study-1"), headers=bearer(token))
    assert response.status == 201
    body = await response.json()
    assert body["status"] == "pending" and len(body["flag_id"]) == 32
    stored = await client.app[STORE].flag(body["flag_id"])
    assert (stored.requester_id, stored.task_id, stored.reason, stored.comment) == (
        "lab-7", "study-1", "personal_data", "The first question asks for my home address.")


async def test_the_same_flag_twice_is_one_flag(client: TestClient, token: str) -> None:
    first = await (await client.post("/v1/flags", json=flag(), headers=bearer(token))).json()
    again = await client.post("/v1/flags", json=flag(comment="again"), headers=bearer(token))
    assert again.status == 201 and await again.json() == first
    assert await client.app[STORE].flag_totals() == {"pending": 1}
    other = await (await client.post("/v1/flags", json=flag(reason="scam"), headers=bearer(token))).json()
    assert other["flag_id"] != first["flag_id"]


async def test_flagging_needs_an_install_token(client: TestClient) -> None:
    await assert_error(await client.post("/v1/flags", json=flag()), 401, "unauthorized")


@pytest.mark.parametrize("bad", [
    flag(reason="annoying"),
    flag(comment="x" * 501),
    flag(requester_id=""),
    flag(worker_id="A1B2C3"),
    {"platform": "prolific", "reason": "scam"},
])
async def test_a_bad_flag_is_refused_and_nothing_is_written(client: TestClient, token: str, db_path: Path,
                                                            bad: dict[str, Any]) -> None:
    before = dump(db_path)
    await assert_error(await client.post("/v1/flags", json=bad, headers=bearer(token)), 422, "invalid_input")
    assert dump(db_path) == before


async def test_approved_flags_warn_in_scores_and_show_in_the_summary(client: TestClient, token: str) -> None:
    assert (await client.post("/v1/timings", json={"timings": [timing()]}, headers=bearer(token))).status == 200
    await client.app[STORE].settle()
    first = await (await client.post("/v1/flags", json=flag(), headers=bearer(token))).json()
    other_token = await new_token(client)
    second = await (await client.post("/v1/flags", json=flag(comment=None), headers=bearer(other_token))).json()
    hidden = await (await client.post("/v1/flags", json=flag(reason="scam"), headers=bearer(other_token))).json()

    async def warnings() -> list[dict[str, Any]]:
        response = await client.post("/v1/score", json={"listings": [listing()]}, headers=bearer(token))
        return [w for w in (await response.json())["scores"][0]["warnings"] if w["code"] == "flagged"]

    assert await warnings() == []  # pending flags count nowhere
    await approve(client, first["flag_id"])
    await approve(client, second["flag_id"])
    await client.app[STORE].moderate_flag(hidden["flag_id"], "hidden", by="test", at=0.0)
    assert await warnings() == [{"code": "flagged", "severity": "danger", "params": {"reason": "personal_data", "count": 2}}]
    summary = await (await client.get("/v1/requesters/prolific/lab-7", headers=bearer(token))).json()
    assert summary["flags"] == [{"reason": "personal_data", "count": 2}]
    # A listing of another requester is not touched by this one's flags.
    response = await client.post("/v1/score", json={"listings": [listing(requester_id="lab-8")]}, headers=bearer(token))
    assert not [w for w in (await response.json())["scores"][0]["warnings"] if w["code"] == "flagged"]
