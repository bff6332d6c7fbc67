"""The MongoDB stand-in, through the real driver: what the store relies on, and the faults it can play."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from pymongo import AsyncMongoClient, MongoClient, ReturnDocument
from pymongo.errors import (
    AutoReconnect,
    DuplicateKeyError,
    NetworkTimeout,
    OperationFailure,
    ServerSelectionTimeoutError,
    WriteConcernError,
)

from .mongo_commands import CommandEngine
from .mongo_standin import MongoStandIn


@pytest.fixture
def standin() -> Iterator[MongoStandIn]:
    with MongoStandIn() as server:
        yield server


@pytest.fixture
async def db(standin: MongoStandIn) -> AsyncIterator[object]:
    client: AsyncMongoClient[dict] = AsyncMongoClient(standin.url, w="majority", retryWrites=True)
    yield client.fairclick
    await client.close()


async def test_documents_round_trip_with_cursors_over_several_batches(db) -> None:
    await db.timings.insert_many([{"n": n, "task": f"t{n % 3}"} for n in range(250)])

    found = await db.timings.find({"task": "t1"}, {"_id": 0, "n": 1}).sort("n", -1).batch_size(20).to_list(None)

    assert [d["n"] for d in found] == sorted((n for n in range(250) if n % 3 == 1), reverse=True)
    assert await db.timings.count_documents({"n": {"$gte": 200}}) == 50
    assert await db.timings.estimated_document_count() == 250


async def test_a_unique_index_refuses_a_second_document_with_the_same_key(db) -> None:
    await db.timings.create_index([("install_id", 1), ("key", 1)], unique=True, name="install_key")
    await db.timings.insert_one({"install_id": "a", "key": "k1"})

    with pytest.raises(DuplicateKeyError):
        await db.timings.insert_one({"install_id": "a", "key": "k1"})
    await db.timings.insert_one({"install_id": "b", "key": "k1"})
    indexes = [index["name"] async for index in await db.timings.list_indexes()]

    assert await db.timings.count_documents({}) == 2
    assert "install_key" in indexes


async def test_update_operators_and_upserts_behave_as_mongodb(db) -> None:
    await db.groups.create_index([("platform", 1), ("requester_id", 1)], unique=True)
    for first_seen in (30.0, 10.0, 20.0):
        await db.groups.update_one({"platform": "prolific", "requester_id": None},
                                   {"$inc": {"reports": 1, "loc_sum": 0.5}, "$min": {"first_seen": first_seen}},
                                   upsert=True)
    # A filtered upsert that does not match an existing group collides with it on the unique index.
    with pytest.raises(DuplicateKeyError):
        await db.groups.update_one({"platform": "prolific", "requester_id": None, "applied.x": {"$exists": True}},
                                   {"$inc": {"reports": 1}}, upsert=True)

    group = await db.groups.find_one({"platform": "prolific"}, {"_id": 0})
    assert group == {"platform": "prolific", "requester_id": None, "reports": 3, "loc_sum": 1.5, "first_seen": 10.0}
    after = await db.groups.find_one_and_update({"platform": "prolific"}, {"$inc": {"reports": 1}},
                                                return_document=ReturnDocument.AFTER)
    assert after["reports"] == 4


async def test_another_client_sees_the_same_data(standin: MongoStandIn, db) -> None:
    await db.installs.insert_one({"_id": "install-a"})

    with MongoClient(standin.url) as other:
        assert other.fairclick.installs.find_one({"_id": "install-a"}) == {"_id": "install-a"}


def test_a_retried_write_with_the_same_transaction_number_runs_once() -> None:
    engine = CommandEngine("127.0.0.1:1")
    session = {"id": b"0123456789abcdef"}

    def increment(txn_number: int) -> dict:
        return engine.execute({"update": "groups", "$db": "fc", "lsid": session, "txnNumber": txn_number,
                               "updates": [{"q": {"_id": "g"}, "u": {"$inc": {"n": 1}}, "upsert": True}]}, 1)

    increment(1)
    increment(1)  # the driver's retry after a lost reply
    increment(2)

    found = engine.execute({"find": "groups", "$db": "fc", "filter": {}}, 1)
    assert found["cursor"]["firstBatch"] == [{"_id": "g", "n": 2}]


async def test_the_driver_sends_retryable_writes_to_it(standin: MongoStandIn, db) -> None:
    await db.groups.update_one({"_id": "g"}, {"$inc": {"n": 1}}, upsert=True)

    assert standin.engine is not None
    assert standin.engine.retryable_writes_seen >= 1


async def test_commands_the_store_does_not_use_are_refused_loudly(db) -> None:
    with pytest.raises(OperationFailure) as refused:
        await db.command("collStats", "timings")
    assert refused.value.code == 59


async def test_transactions_are_refused_rather_than_half_emulated(standin: MongoStandIn, db) -> None:
    client = db.client
    async with client.start_session() as session:
        with pytest.raises(OperationFailure) as refused:
            async with await session.start_transaction():
                await db.timings.insert_one({"n": 1}, session=session)
    assert refused.value.code == 20


async def test_down_then_up_again_keeps_the_data(standin: MongoStandIn, db) -> None:
    await db.timings.insert_one({"_id": "kept"})

    standin.go_down()
    with pytest.raises((ServerSelectionTimeoutError, AutoReconnect)):
        await db.timings.find_one({"_id": "kept"})
    standin.come_up()

    assert await db.timings.find_one({"_id": "kept"}) == {"_id": "kept"}


async def test_a_hung_server_times_out_and_runs_the_command_when_it_resumes(standin: MongoStandIn) -> None:
    client: AsyncMongoClient[dict] = AsyncMongoClient(standin.url, timeoutMS=500)
    await client.admin.command("ping")

    standin.hang()
    with pytest.raises((NetworkTimeout, ServerSelectionTimeoutError, AutoReconnect)):
        await client.fairclick.timings.insert_one({"_id": "late"})
    standin.resume()

    # As with a slow MongoDB, the write the client gave up on may still have been applied.
    with MongoClient(standin.url) as other:
        assert other.fairclick.timings.find_one({"_id": "late"}) == {"_id": "late"}
    await client.close()


async def test_a_lost_majority_applies_the_write_but_reports_a_write_concern_error(standin: MongoStandIn, db) -> None:
    standin.lose_majority()
    with pytest.raises(WriteConcernError):
        await db.timings.insert_one({"_id": "unconfirmed"})
    standin.lose_majority(False)

    assert await db.timings.find_one({"_id": "unconfirmed"}) == {"_id": "unconfirmed"}
