"""POST /v1/score: every listing gets a score, in order, from one store round trip per batch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from aiohttp.test_utils import TestClient

from server.app_keys import STORE
from tests.server.api import MakeClient, assert_error, bearer, dump, listing, new_token, timing


async def score(client: TestClient, token: str, listings: list[dict[str, Any]], **extra: Any) -> list[dict[str, Any]]:
    response = await client.post("/v1/score", json={"listings": listings, **extra}, headers=bearer(token))
    assert response.status == 200, await response.text()
    return (await response.json())["scores"]


async def report(client: TestClient, task_id: str, durations: list[float]) -> None:
    """Each duration from its own install, as separate workers would."""
    for n, active_s in enumerate(durations):
        token = await new_token(client)
        batch = {"timings": [timing(f"timing-{task_id}-{n:03d}", task_id=task_id, active_s=active_s)]}
        response = await client.post("/v1/timings", json=batch, headers=bearer(token))
        assert response.status == 200, await response.text()
    await client.app[STORE].settle()  # scores read the folded estimates, which follow within milliseconds


async def test_scores_come_back_in_the_order_of_the_listings(client: TestClient, token: str) -> None:
    await report(client, "study-known", [900, 960, 1020])
    ids = ["study-a", "study-known", "study-b", "study-c"]
    scores = await score(client, token, [listing(task_id) for task_id in ids])
    assert [s["task_id"] for s in scores] == ids


async def test_a_task_nobody_timed_has_no_hourly_figure(client: TestClient, token: str) -> None:
    [unknown] = await score(client, token, [listing("study-new", requester_id="lab-new")])
    assert unknown["basis"] in {"none", "advertised"}
    assert unknown["reports"] == 0


async def test_timed_tasks_are_scored_from_their_reports(client: TestClient, token: str) -> None:
    await report(client, "study-1", [1200, 1250, 1300, 1180])
    [known] = await score(client, token, [listing("study-1", reward={"amount": "2.00", "currency": "GBP"})])
    assert known["basis"] == "task"
    assert known["reports"] == 4
    assert known["hourly"]["currency"] == "GBP"
    low, median, high = (float(known["hourly"][k]) for k in ("low", "median", "high"))
    assert low <= median <= high
    # The reports (about 20 minutes) pull the estimate above the advertised 10 minutes.
    duration = known["duration_s"]["median"]
    assert 600 < duration <= 1300
    assert median == pytest.approx(2.00 * 3600 / duration, rel=0.01)


async def test_a_low_paying_task_is_flagged_below_the_requests_threshold(client: TestClient, token: str) -> None:
    await report(client, "study-1", [1200, 1250, 1300, 1180, 1220])
    cheap = listing("study-1", reward={"amount": "0.50", "currency": "GBP"})
    [flagged] = await score(client, token, [cheap], threshold={"amount": "10.00", "currency": "GBP"})
    [fine] = await score(client, token, [cheap], threshold={"amount": "0.10", "currency": "GBP"})
    assert "below_threshold" in {w["code"] for w in flagged["warnings"]}
    assert "below_threshold" not in {w["code"] for w in fine["warnings"]}


async def test_a_retried_timings_batch_changes_no_estimate(client: TestClient, token: str) -> None:
    await report(client, "study-1", [1200, 1300])
    batch = {"timings": [timing("timing-retried", active_s=400)]}
    await client.post("/v1/timings", json=batch, headers=bearer(token))
    await client.app[STORE].settle()
    before = await score(client, token, [listing("study-1")])
    retried = await client.post("/v1/timings", json=batch, headers=bearer(token))
    assert await retried.json() == {"accepted": 0, "duplicates": 1}
    await client.app[STORE].settle()
    assert await score(client, token, [listing("study-1")]) == before


async def metric(client: TestClient, name: str) -> float:
    for line in (await (await client.get("/metrics")).text()).splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return 0.0


SCORE_READS = 'fairclick_store_seconds_count{operation="score_inputs"}'
CACHE_HITS = "fairclick_score_cache_hits_total"


async def test_a_batch_costs_one_store_round_trip(client: TestClient, token: str) -> None:
    before = await metric(client, SCORE_READS)
    listings = [listing(f"study-{n}", requester_id=f"lab-{n % 7}") for n in range(100)]
    assert len(await score(client, token, listings)) == 100
    assert await metric(client, SCORE_READS) == before + 1


async def test_a_listing_seen_again_is_answered_from_the_cache_until_its_task_is_timed(
        client: TestClient, token: str) -> None:
    listings = [listing("study-1"), listing("study-2")]
    first = await score(client, token, listings)
    reads = await metric(client, SCORE_READS)
    assert await score(client, token, listings) == first
    assert await metric(client, SCORE_READS) == reads  # no store read, no estimate
    assert await metric(client, CACHE_HITS) == 2
    await report(client, "study-1", [1200, 1250, 1300])
    timed, _ = await score(client, token, listings)
    assert (first[0]["basis"], first[0]["reports"]) != ("task", 3)
    assert (timed["basis"], timed["reports"]) == ("task", 3)


async def test_timings_of_a_requester_reach_the_cached_scores_of_its_other_tasks(
        client: TestClient, token: str) -> None:
    await report(client, "study-1", [1200, 1210, 1190, 1250, 1230, 1180])  # twice the advertised 10 minutes
    [before] = await score(client, token, [listing("study-2")])
    assert before["basis"] == "requester"
    await report(client, "study-3", [3600, 3650, 3700, 3550, 3620, 3680])  # six times
    [after] = await score(client, token, [listing("study-2")])
    assert after["duration_s"]["median"] > before["duration_s"]["median"]


async def test_with_the_cache_off_every_listing_is_estimated_afresh(make_client: MakeClient) -> None:
    client = await make_client(score_cache_entries=0)
    token = await new_token(client)
    for _ in range(2):
        await score(client, token, [listing("study-1")])
    assert await metric(client, SCORE_READS) == 2
    assert await metric(client, CACHE_HITS) == 0


def raw(value: Any) -> bytes:
    return orjson.dumps(value)


BAD_SCORE_REQUESTS = {
    "malformed JSON": (b'{"listings": [}', 400, "malformed_json"),
    "no listings": (raw({"listings": []}), 422, "invalid_input"),
    "listings not a list": (raw({"listings": listing()}), 422, "invalid_input"),
    "too many items": (raw({"listings": [listing(f"t{n}") for n in range(201)]}), 422, "invalid_input"),
    "reward as a float": (raw({"listings": [listing(reward={"amount": 1.5, "currency": "GBP"})]}), 422, "invalid_input"),
    "unknown currency": (raw({"listings": [listing(reward={"amount": "1.50", "currency": "XBT"})]}), 422, "invalid_input"),
    "unknown field": (raw({"listings": [listing(worker_id="A1B2C3")]}), 422, "invalid_input"),
    "impossible duration": (raw({"listings": [listing(advertised_duration_s=-5)]}), 422, "invalid_input"),
    "duration as text": (raw({"listings": [listing(advertised_duration_s="ten minutes")]}), 422, "invalid_input"),
    "threshold in an unknown currency": (
        raw({"listings": [listing()], "threshold": {"amount": "9", "currency": "EURO"}}), 422, "invalid_input",
    ),
}


@pytest.mark.parametrize(("body", "status", "code"), BAD_SCORE_REQUESTS.values(), ids=BAD_SCORE_REQUESTS.keys())
async def test_bad_score_requests_get_a_clear_error_and_change_nothing(
    client: TestClient, token: str, db_path: Path, body: bytes, status: int, code: str
) -> None:
    before = dump(db_path)
    response = await client.post("/v1/score", data=body, headers={**bearer(token), "Content-Type": "application/json"})
    await assert_error(response, status, code)
    assert dump(db_path) == before


async def test_a_threshold_in_a_currency_without_a_rate_is_refused(client: TestClient, token: str) -> None:
    await report(client, "study-1", [1200, 1250, 1300])
    # XAU (gold) is ISO 4217 but has no reference rate to compare a GBP wage with.
    response = await client.post(
        "/v1/score",
        json={"listings": [listing("study-1")], "threshold": {"amount": "0.01", "currency": "XAU"}},
        headers=bearer(token),
    )
    await assert_error(response, 422, "unknown_currency")
