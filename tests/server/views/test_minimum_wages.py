"""GET /v1/minimum-wages: the legal minimum wages table with its sources."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from server import money
from shared_schema import MinimumWages
from tests.server.api import assert_error, bearer


async def test_every_country_of_the_table_is_answered_with_its_source(client: TestClient, token: str) -> None:
    response = await client.get("/v1/minimum-wages", headers=bearer(token))
    assert response.status == 200
    wages = MinimumWages.model_validate(await response.json()).minimum_wages
    assert [w.country for w in wages] == [entry["country"] for entry in money.minimum_wages()]
    france = next(w for w in wages if w.country == "FR")
    assert (france.amount, france.currency, france.period) == ("12.02", "EUR", "hour")
    assert all(w.source for w in wages)
    assert {"FR", "GB", "US", "DE", "ES", "IT", "IN", "PH"} <= {w.country for w in wages}


async def test_the_table_needs_a_token_like_every_v1_call(client: TestClient) -> None:
    await assert_error(await client.get("/v1/minimum-wages"), 401, "unauthorized")
