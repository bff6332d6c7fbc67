"""GET /v1/requesters/{platform}/{requester_id}: a requester's measured record, or 404."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from server.app_keys import STORE
from shared_schema import RequesterSummary
from tests.server.api import assert_error, bearer, dump, new_token, timing


async def test_a_requester_with_timings_has_a_summary(client: TestClient, token: str) -> None:
    for n, (task_id, outcome) in enumerate([("s1", "submitted"), ("s2", "submitted"), ("s3", "screened_out")]):
        worker = await new_token(client)
        batch = {"timings": [timing(f"timing-{n:04d}", task_id=task_id, outcome=outcome, active_s=300 + 60 * n)]}
        assert (await client.post("/v1/timings", json=batch, headers=bearer(worker))).status == 200
    await client.app[STORE].settle()
    response = await client.get("/v1/requesters/prolific/lab-7", headers=bearer(token))
    assert response.status == 200, await response.text()
    summary = RequesterSummary.model_validate(await response.json())
    assert (summary.platform, summary.requester_id) == ("prolific", "lab-7")
    assert summary.reports == 2
    assert summary.screen_out_rate == pytest.approx(1 / 3)


async def test_an_unknown_requester_is_a_404_in_the_error_shape(client: TestClient, token: str) -> None:
    response = await client.get("/v1/requesters/prolific/nobody", headers=bearer(token))
    await assert_error(response, 404, "requester_not_found")


async def test_ids_are_read_from_the_path_as_sent(client: TestClient, token: str) -> None:
    worker = await new_token(client)
    batch = {"timings": [timing("timing-0001", requester_id="Lab 7 (Oxford)")]}
    await client.post("/v1/timings", json=batch, headers=bearer(worker))
    await client.app[STORE].settle()
    response = await client.get("/v1/requesters/prolific/Lab%207%20(Oxford)", headers=bearer(token))
    assert response.status == 200
    assert (await response.json())["requester_id"] == "Lab 7 (Oxford)"


@pytest.mark.parametrize(
    "path",
    [
        "/v1/requesters/Not%20A%20Platform/lab-7",  # platforms are lower-case ids
        "/v1/requesters/prolific/" + "x" * 129,  # ids are bounded
    ],
)
async def test_impossible_ids_are_refused(client: TestClient, token: str, db_path: Path, path: str) -> None:
    before = dump(db_path)
    await assert_error(await client.get(path, headers=bearer(token)), 422, "invalid_input")
    assert dump(db_path) == before


async def test_a_requester_summary_is_read_only(client: TestClient, token: str) -> None:
    await assert_error(await client.post("/v1/requesters/prolific/lab-7", json={}, headers=bearer(token)), 405)
