"""MongoDB failing under a real running service: writes answer 503 with Retry-After, /healthz
names the store, nothing acknowledged is lost, a retried batch counts once, and the service
recovers by itself when MongoDB is back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import pytest

from server.store.mongo import MongoStore
from service_processes import ServiceProcess, create_installs, post, store_state
from store_records import timing
from tests.doubles.mongo_standin import MongoStandIn
from test_processes import assert_same_state

INSTALL = "install-f"
TASKS = [("prolific", f"t{n}") for n in range(5)]
#: Bounded waits for the service to come back; not timing assertions.
RECOVERY_WAIT_S = 90.0


def batch(number: int) -> list[Any]:
    return [timing(f"t{k % 5}", active_s=400 + 10 * k + number, minute=number * 50 + k, key=f"fault-{number}-{k:02d}")
            for k in range(8)]


@pytest.fixture
def standin() -> Iterator[MongoStandIn]:
    with MongoStandIn() as server:
        yield server


@pytest.fixture
async def service(standin: MongoStandIn) -> AsyncIterator[tuple[ServiceProcess, str]]:
    # Short driver time-outs so that each fault shows within seconds.
    url = standin.url + "&timeoutMS=2000"
    store = MongoStore(url, database="faults")
    await store.open()
    token = (await create_installs(store, [INSTALL]))[INSTALL]
    await store.close()
    process = ServiceProcess(["--mongo-url", url, "--mongo-db", "faults"])
    try:
        yield process, token
    finally:
        process.stop()


async def send(session: aiohttp.ClientSession, service: ServiceProcess, token: str, records: list[Any]) -> tuple[int, Any, Any]:
    return await post(session, f"{service.url}/v1/timings", token,
                      {"timings": [record.model_dump(mode="json") for record in records]})


async def until_healthy(session: aiohttp.ClientSession, service: ServiceProcess) -> None:
    deadline = asyncio.get_running_loop().time() + RECOVERY_WAIT_S
    while asyncio.get_running_loop().time() < deadline:
        async with session.get(f"{service.url}/healthz") as response:
            if response.status == 200:
                return
        await asyncio.sleep(0.2)
    raise AssertionError(f"the service did not recover:\n{service.log()[-3000:]}")


async def until_accepted(session: aiohttp.ClientSession, service: ServiceProcess, token: str, records: list[Any]) -> Any:
    """The extension's outbox: resend the same batch, honouring Retry-After, until acknowledged."""
    deadline = asyncio.get_running_loop().time() + RECOVERY_WAIT_S
    while asyncio.get_running_loop().time() < deadline:
        status, body, headers = await send(session, service, token, records)
        if status == 200:
            return body
        assert status == 503, body
        await asyncio.sleep(min(float(headers["Retry-After"]), 0.5))
    raise AssertionError(f"the batch was never acknowledged:\n{service.log()[-3000:]}")


async def assert_unavailable(session: aiohttp.ClientSession, service: ServiceProcess, token: str,
                             records: list[Any]) -> None:
    status, body, headers = await send(session, service, token, records)
    assert status == 503, body
    assert body["error"]["code"] == "unavailable"
    assert int(headers["Retry-After"]) > 0


async def test_mongodb_down_hung_or_without_majority_then_back(standin: MongoStandIn, service) -> None:
    process, token = service
    async with aiohttp.ClientSession() as session:
        await process.started(session)
        first = await send(session, process, token, batch(1))
        assert first[0] == 200 and first[1] == {"accepted": 8, "duplicates": 0}

        standin.go_down()
        await assert_unavailable(session, process, token, batch(2))
        async with session.get(f"{process.url}/healthz") as response:
            health = await response.json()
            assert response.status == 503 and response.headers["Retry-After"]
        assert health["status"] == "unavailable"
        assert health["checks"]["store"]["ok"] is False and health["checks"]["store"]["kind"] == "mongo"
        standin.come_up()
        await until_healthy(session, process)
        assert (await until_accepted(session, process, token, batch(2)))["accepted"] == 8

        standin.hang()
        await assert_unavailable(session, process, token, batch(3))
        standin.resume()  # the writes it was holding now run: the retry must not count them twice
        await until_healthy(session, process)
        await until_accepted(session, process, token, batch(3))

        standin.lose_majority()  # every write reaches the primary, none is confirmed
        await assert_unavailable(session, process, token, batch(4))
        standin.lose_majority(False)
        await until_accepted(session, process, token, batch(4))
        again = await send(session, process, token, batch(4))
        assert again[0] == 200 and again[1] == {"accepted": 0, "duplicates": 8}
    process.stop()

    # Exactly the state of the four batches ingested once, without faults.
    url = standin.url
    survivor, reference = MongoStore(url, database="faults"), MongoStore(url, database="reference")
    await survivor.open()
    await reference.open()
    try:
        for number in (1, 2, 3, 4):
            await reference.add_timings(INSTALL, batch(number))
        got = await store_state(survivor, [INSTALL], TASKS, ["r1"])
        want = await store_state(reference, [INSTALL], TASKS, ["r1"])
    finally:
        await survivor.close()
        await reference.close()
    assert got["timings"] == 32
    assert_same_state(got, want)
