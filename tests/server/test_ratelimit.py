"""Per-token rate limit: a flood gets 429 with Retry-After; other tokens and a 0 setting are unaffected."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from server.ratelimit import RateLimiter
from tests.server.api import MakeClient, assert_error, bearer, new_token


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_a_burst_then_refills_with_time() -> None:
    clock = Clock()
    limiter = RateLimiter(60, clock=clock)  # one a second, bursts of 60
    assert all(limiter.take("a") == 0.0 for _ in range(60))
    wait = limiter.take("a")
    assert 0 < wait <= 1.0
    assert limiter.retry_after(wait) == 1
    assert limiter.take("b") == 0.0  # another key has its own bucket
    clock.now += 1.0
    assert limiter.take("a") == 0.0
    assert limiter.take("a") > 0


def test_zero_disables_the_limit() -> None:
    limiter = RateLimiter(0)
    assert all(limiter.take("a") == 0.0 for _ in range(10_000))


def test_idle_buckets_are_forgotten_when_there_are_too_many() -> None:
    clock = Clock()
    limiter = RateLimiter(60, clock=clock)
    limiter.MAX_KEYS = 10
    for n in range(10):
        limiter.take(f"old-{n}")
    clock.now += 120  # every old bucket has refilled
    limiter.take("new")
    assert set(limiter._buckets) == {"new"}


async def test_a_flood_from_one_token_gets_429_with_retry_after(make_client: MakeClient) -> None:
    client: TestClient = await make_client(rate_limit_per_min=3)
    token, other = await new_token(client), await new_token(client)
    for _ in range(3):
        assert (await client.get("/v1/minimum-wages", headers=bearer(token))).status == 200
    response = await client.get("/v1/minimum-wages", headers=bearer(token))
    await assert_error(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) >= 1
    assert (await client.get("/v1/minimum-wages", headers=bearer(other))).status == 200


async def test_a_flood_of_new_installs_is_limited_too(make_client: MakeClient) -> None:
    client: TestClient = await make_client(rate_limit_per_min=2)
    assert [(await client.post("/v1/installs", json={})).status for _ in range(2)] == [201, 201]
    await assert_error(await client.post("/v1/installs", json={}), 429, "rate_limited")


async def test_a_limit_of_zero_lets_load_tests_through(make_client: MakeClient) -> None:
    client: TestClient = await make_client(rate_limit_per_min=0)
    token = await new_token(client)
    statuses = {(await client.get("/v1/minimum-wages", headers=bearer(token))).status for _ in range(50)}
    assert statuses == {200}
