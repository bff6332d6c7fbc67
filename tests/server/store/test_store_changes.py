"""Contract: a store tells its listeners what changed once it is committed (the score cache relies on it)."""

import asyncio

from server.store import Store
from server.store.changes import Changes

from store_records import outcome, timing


def covers(heard: list[Changes], task: tuple[str, str], group: tuple[str, str | None]) -> bool:
    return any(c.everything or (task in c.tasks and group in c.groups) for c in heard)


async def heard_after(store: Store, write: object) -> list[Changes]:
    heard: list[Changes] = []
    stop = store.changes.subscribe(heard.append)
    try:
        await write  # type: ignore[misc]
        await store.settle()
        for _ in range(3):  # a store folding on another thread hands its news to the loop
            await asyncio.sleep(0)
    finally:
        stop()
    return heard


async def test_folded_timings_are_published_with_their_task_requester_and_platform(store: Store) -> None:
    heard = await heard_after(store, store.add_timings("install-a", [timing("t1", requester_id="r1")]))
    assert covers(heard, ("prolific", "t1"), ("prolific", "r1"))
    assert covers(heard, ("prolific", "t1"), ("prolific", None))
    # A store may say "everything" (MongoDB does: it cannot hear other processes anyway), never a wrong task.
    assert not any(("prolific", "t2") in c.tasks for c in heard)


async def test_an_outcome_that_changes_a_task_is_published(store: Store) -> None:
    done = timing("t1", requester_id="r1")
    await store.add_timings("install-a", [done])
    await store.settle()
    heard = await heard_after(store, store.add_outcomes("install-a", [outcome(done, "rejected")]))
    assert covers(heard, ("prolific", "t1"), ("prolific", "r1"))


async def test_a_listener_that_stopped_hears_nothing(store: Store) -> None:
    heard: list[Changes] = []
    store.changes.subscribe(heard.append)()
    await store.add_timings("install-a", [timing("t1")])
    await store.settle()
    await asyncio.sleep(0)
    assert heard == []
