"""GET /metrics: what an operator graphs — requests and latency per route, timings ingested, store latency."""

from __future__ import annotations

from aiohttp.test_utils import TestClient
from prometheus_client.parser import text_string_to_metric_families

from tests.server.api import bearer, listing, timing


async def samples(client: TestClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = await client.get("/metrics")
    assert response.status == 200
    assert response.content_type == "text/plain"
    found = {}
    for family in text_string_to_metric_families(await response.text()):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


async def test_requests_are_counted_and_timed_per_route(client: TestClient, token: str) -> None:
    for _ in range(2):
        await client.post("/v1/score", json={"listings": [listing()]}, headers=bearer(token))
    await client.get("/v1/requesters/prolific/nobody", headers=bearer(token))
    found = await samples(client)
    assert value(found, "fairclick_requests_total", method="POST", route="/v1/score", status="200") == 2
    assert value(found, "fairclick_requests_total", method="POST", route="/v1/installs", status="201") == 1
    # One label value per route template, not per requester: bounded cardinality.
    assert value(found, "fairclick_requests_total", method="GET",
                 route="/v1/requesters/{platform}/{requester_id}", status="404") == 1
    assert value(found, "fairclick_request_seconds_count", method="POST", route="/v1/score") == 2
    assert value(found, "fairclick_request_seconds_sum", method="POST", route="/v1/score") > 0


async def test_ingested_timings_and_store_latency_are_reported(client: TestClient, token: str) -> None:
    batch = {"timings": [timing("timing-0001"), timing("timing-0002", task_id="study-2")]}
    await client.post("/v1/timings", json=batch, headers=bearer(token))
    await client.post("/v1/timings", json=batch, headers=bearer(token))  # a retry: duplicates, not ingested
    found = await samples(client)
    assert value(found, "fairclick_timings_ingested_total") == 2
    assert value(found, "fairclick_timing_duplicates_total") == 2
    assert value(found, "fairclick_store_seconds_count", operation="add_timings") == 2
    assert value(found, "fairclick_store_seconds_count", operation="create_install") == 1


async def test_failed_requests_are_counted_with_their_status(client: TestClient) -> None:
    await client.post("/v1/score", json={})
    found = await samples(client)
    assert value(found, "fairclick_requests_total", method="POST", route="/v1/score", status="401") == 1
