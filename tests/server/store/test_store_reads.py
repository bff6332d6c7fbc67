"""Contract: reads return exactly what was asked for, and a reopened store has everything."""

from collections.abc import Callable
from datetime import UTC, datetime

from server.store import Store

from store_records import outcome, timing


async def test_score_inputs_returns_exactly_the_requested_rows(store: Store) -> None:
    await store.add_timings("install-a", [
        timing("1", platform="prolific", requester_id="r1"),
        timing("2", platform="prolific", requester_id="r2"),
        timing("1", platform="toloka", requester_id="r1"),
        timing("3", platform="toloka", requester_id=None),
    ])

    await store.settle()
    inputs = await store.score_inputs(
        [("prolific", "1"), ("toloka", "3"), ("prolific", "unknown"), ("prolific", "1")],
        [("prolific", "r1"), ("toloka", None), ("toloka", "r2"), ("mturk", None)],
    )

    assert set(inputs.tasks) == {("prolific", "1"), ("toloka", "3")}
    assert set(inputs.groups) == {("prolific", "r1"), ("toloka", None)}
    for (platform, task_id), task in inputs.tasks.items():
        assert (task.platform, task.task_id) == (platform, task_id)
    assert inputs.tasks[("toloka", "3")].requester_id is None
    for (platform, requester_id), group in inputs.groups.items():
        assert (group.platform, group.requester_id) == (platform, requester_id)
    assert inputs.groups[("prolific", "r1")].reports == 1  # toloka's r1 is another requester
    assert inputs.groups[("toloka", None)].reports == 2


async def test_score_inputs_of_nothing_is_empty(store: Store) -> None:
    await store.add_timings("install-a", [timing("1")])

    await store.settle()
    inputs = await store.score_inputs([], [])

    assert (inputs.tasks, inputs.groups) == ({}, {})


async def test_unknown_keys_read_as_nothing(store: Store) -> None:
    assert await store.group(("prolific", "nobody")) is None
    assert await store.group(("prolific", None)) is None
    assert await store.contributor("install-unknown") is None
    assert await store.reports(("prolific", "unknown")) == []
    assert await store.timing_count() == 0


async def test_a_reopened_store_has_everything(make_store: Callable[[], Store]) -> None:
    first = make_store()
    await first.open()
    done = timing("1", active_s=700)
    await first.create_install("install-a", "hash-a", datetime(2026, 6, 1, tzinfo=UTC))
    await first.add_timings("install-a", [done, timing("2", outcome="screened_out", active_s=90)])
    await first.add_timings("install-b", [timing("1", active_s=650, minute=3)])
    await first.add_outcomes("install-a", [outcome(done, "approved")])
    await first.add_outcomes("install-b", [outcome(timing("9"), "paid")])  # its timing has not arrived yet
    tasks, groups = [("prolific", "1"), ("prolific", "2")], [("prolific", "r1"), ("prolific", None)]
    await first.settle()
    before = (await first.score_inputs(tasks, groups), [await first.reports(key) for key in tasks],
              await first.contributor("install-a"), await first.timing_count())
    await first.close()

    second = make_store()
    await second.open()
    await second.open()  # opening an open store changes nothing
    try:
        after = (await second.score_inputs(tasks, groups), [await second.reports(key) for key in tasks],
                 await second.contributor("install-a"), await second.timing_count())
        assert after == before
        assert await second.install_for_token("hash-a") == "install-a"
        again = await second.add_timings("install-a", [done])
        assert (again.accepted, again.duplicates) == (0, 1)
    finally:
        await second.close()
