"""Several service processes on one store: ingesting the same batches at the same time through
two real `python -m server` processes ends in exactly the state of ingesting them once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import aiohttp
import pytest

from server.store import Store
from server.store.mongo import MongoStore
from server.store.sqlite import SqliteStore
from service_processes import ServiceProcess, create_installs, post, store_state
from store_records import assert_same_state, outcome, timing
from tests.doubles.mongo_fixtures import fresh_database

INSTALLS = [f"install-{n}" for n in range(4)]
REQUESTERS = ["r1", "r2"]
TASKS = [("prolific", f"t{n}") for n in range(12)]


def community() -> list[tuple[str, str, list[Any]]]:
    """(install, endpoint, records) in the order a single process would receive them."""
    sent: list[tuple[str, str, list[Any]]] = []
    for round_number in range(3):
        for n, install in enumerate(INSTALLS):
            batch = [
                timing(f"t{(n * 3 + k) % 12}", requester_id=REQUESTERS[k % 2], active_s=300 + 37 * n + 11 * k,
                       minute=round_number * 100 + k, key=f"{install}-{round_number}-{k:02d}",
                       outcome="screened_out" if (n + k) % 7 == 0 else "submitted")
                for k in range(10)
            ]
            sent.append((install, "timings", batch))
    for install, _, batch in list(sent[:4]):
        sent.append((install, "outcomes", [outcome(record, "approved") for record in batch[:3]]
                     + [outcome(record, "paid", days_later=3) for record in batch[3:5]]))
    return sent


async def ingest_once(store: Store) -> None:
    for install, endpoint, records in community():
        add = store.add_timings if endpoint == "timings" else store.add_outcomes
        await add(install, records)


def _sqlite(request: pytest.FixtureRequest, name: str) -> tuple[Callable[[], Store], list[str]]:
    path = request.getfixturevalue("tmp_path") / f"{name}.sqlite3"
    return (lambda: SqliteStore(path)), ["--db", str(path)]


def _mongo(request: pytest.FixtureRequest, name: str) -> tuple[Callable[[], Store], list[str]]:
    url = request.getfixturevalue("mongo_url")
    database = fresh_database(request, url)
    return (lambda: MongoStore(url, database=database)), ["--mongo-url", url, "--mongo-db", database]


#: Each makes (a maker of store objects over one new store, the service flags that open the same store).
BACKENDS = {"sqlite": _sqlite, "mongo": _mongo}


@pytest.mark.parametrize("backend", ["sqlite", "mongo"])
async def test_two_processes_ingesting_the_same_batches_end_as_one_process_ingesting_them_once(
        backend: str, request: pytest.FixtureRequest) -> None:
    make_store, flags = BACKENDS[backend](request, "shared")
    make_reference, _ = BACKENDS[backend](request, "reference")
    setup = make_store()
    await setup.open()
    tokens = await create_installs(setup, INSTALLS)
    await setup.close()

    services = [ServiceProcess(flags), ServiceProcess(flags)]
    try:
        async with aiohttp.ClientSession() as session:
            for service in services:
                await service.started(session)
            for install, endpoint, records in community():
                body = {endpoint: [record.model_dump(mode="json") for record in records]}
                answers = await asyncio.gather(*(
                    post(session, f"{service.url}/v1/{endpoint}", tokens[install], body) for service in services))
                assert [status for status, _, _ in answers] == [200, 200], [s.log()[-3000:] for s in services]
                # Between them the two processes accepted each record once; the other saw a duplicate.
                assert sum(ack["accepted"] for _, ack, _ in answers) == len(records)
                assert sum(ack["duplicates"] for _, ack, _ in answers) == len(records)
    finally:
        for service in services:
            service.stop()

    shared, reference = make_store(), make_reference()
    await shared.open()
    await reference.open()
    try:
        await ingest_once(reference)
        got = await store_state(shared, INSTALLS, TASKS, REQUESTERS)
        want = await store_state(reference, INSTALLS, TASKS, REQUESTERS)
    finally:
        await shared.close()
        await reference.close()
    assert want["timings"] == 4 * 3 * 10
    assert_same_state(got, want)
