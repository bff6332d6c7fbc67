"""`GET /v1/open/aggregates.{json,csv}`: public aggregates, only where at least k installs reported."""

from __future__ import annotations

import csv
import io
from typing import Any

from aiohttp.test_utils import TestClient

from server.app_keys import STORE
from server.views.open_data import COLUMNS
from shared_schema import OpenAggregates
from tests.server.api import MakeClient, bearer, timing


async def contribute(client: TestClient, task_id: str, requester_id: str, *, installs: int, active_s: float) -> list[str]:
    """`installs` new installs each report `task_id`; answers their install ids."""
    ids = []
    for n in range(installs):
        created = await (await client.post("/v1/installs", json={})).json()
        ids.append(created["install_id"])
        body = {"timings": [timing(f"{task_id}-{n:04d}", task_id=task_id, requester_id=requester_id,
                                   active_s=active_s + n, reward={"amount": "1.00", "currency": "EUR"})]}
        assert (await client.post("/v1/timings", json=body, headers=bearer(created["token"]))).status == 200
    await client.app[STORE].settle()
    return ids


async def community(client: TestClient) -> list[str]:
    """'wide' (lab-7) has five contributors, 'narrow' (lab-9) four: the platform has nine."""
    return [*await contribute(client, "wide", "lab-7", installs=5, active_s=600),
            *await contribute(client, "narrow", "lab-9", installs=4, active_s=1200)]


def keys(export: dict[str, Any]) -> set[tuple[str, str | None, str | None]]:
    return {(row["level"], row["requester_id"], row["task_id"]) for row in export["aggregates"]}


async def test_aggregates_under_k_contributors_are_left_out(client: TestClient) -> None:
    install_ids = await community(client)
    response = await client.get("/v1/open/aggregates.json")  # no token: open data is public
    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "opendatacommons.org/licenses/odbl" in response.headers["Link"]
    raw = await response.read()
    export = OpenAggregates.model_validate_json(raw).model_dump(mode="json")
    assert export["license"] == "ODbL-1.0" and export["min_contributors"] == 5
    assert keys(export) == {("platform", None, None), ("requester", "lab-7", None), ("task", "lab-7", "wide")}
    rows = {row["level"]: row for row in export["aggregates"]}
    assert rows["platform"]["contributors"] == 9 and rows["task"]["contributors"] == 5
    assert all(install_id.encode() not in raw for install_id in install_ids)  # nothing per install


async def test_measured_values_are_rounded(client: TestClient) -> None:
    await community(client)
    export = await (await client.get("/v1/open/aggregates.json")).json()
    task = next(row for row in export["aggregates"] if row["level"] == "task")
    # Five reports of 600 to 604 s for 1.00 EUR: about 6 EUR/h, published to 0.1 and to 10 s.
    assert task["duration_median_s"] == 600 and task["hourly_median"] == "6.0" and task["currency"] == "EUR"
    for row in export["aggregates"]:
        assert row["duration_median_s"] % 10 == 0
        assert len(row["hourly_median"].partition(".")[2]) <= 1
        assert row["screen_out_rate"] in (None, 0.0) or round(row["screen_out_rate"], 2) == row["screen_out_rate"]


async def test_the_csv_has_the_same_rows_and_documented_columns(client: TestClient) -> None:
    await community(client)
    export = await (await client.get("/v1/open/aggregates.json")).json()
    response = await client.get("/v1/open/aggregates.csv")
    assert response.status == 200 and response.content_type == "text/csv"
    assert "fairclick-aggregates.csv" in response.headers["Content-Disposition"]
    table = list(csv.reader(io.StringIO(await response.text())))
    assert tuple(table[0]) == COLUMNS
    by_key = {(row[0], row[2] or None, row[3] or None): dict(zip(COLUMNS, row, strict=True)) for row in table[1:]}
    assert set(by_key) == keys(export)
    for row in export["aggregates"]:
        from_csv = by_key[(row["level"], row["requester_id"], row["task_id"])]
        assert from_csv["contributors"] == str(row["contributors"])
        assert from_csv["hourly_median"] == (row["hourly_median"] or "")


async def test_k_is_a_setting(make_client: MakeClient) -> None:
    client = await make_client(open_data_min_contributors=4)
    await community(client)
    export = await (await client.get("/v1/open/aggregates.json")).json()
    assert ("task", "lab-9", "narrow") in keys(export) and export["min_contributors"] == 4


async def test_the_export_is_computed_at_most_once_per_cache_period(client: TestClient) -> None:
    await community(client)
    first = await (await client.get("/v1/open/aggregates.json")).read()
    await contribute(client, "later", "lab-7", installs=5, active_s=300)
    assert await (await client.get("/v1/open/aggregates.json")).read() == first
    assert "max-age=" in (await client.get("/v1/open/aggregates.csv")).headers["Cache-Control"]
