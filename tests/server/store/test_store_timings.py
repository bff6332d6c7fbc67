"""Contract: ingesting timings is idempotent, all-or-nothing, and counts each contributor once per task."""

import pytest

from server.store import Store
from shared_schema import Money

from store_records import timing

PROLIFIC = "prolific"


async def _state(store: Store, tasks: list[tuple[str, str]]) -> tuple:
    """Everything a score or a requester page could read about these tasks, once folded."""
    await store.settle()
    groups = [(platform, requester) for platform, _ in tasks for requester in (None, "r1", "r2")]
    inputs = await store.score_inputs(tasks, groups)
    reports = [await store.reports(task) for task in tasks]
    return inputs.tasks, inputs.groups, reports, await store.timing_count()


async def test_a_batch_is_accepted_once(store: Store) -> None:
    batch = [timing("t1", minute=1), timing("t2", minute=2), timing("t3", minute=3)]

    first = await store.add_timings("install-a", batch)
    again = await store.add_timings("install-a", batch)

    assert (first.accepted, first.duplicates) == (3, 0)
    assert (again.accepted, again.duplicates) == (0, 3)
    assert await store.timing_count() == 3


async def test_a_retried_batch_changes_no_estimate(store: Store) -> None:
    await store.add_timings("install-b", [timing("t1", active_s=500), timing("t2", active_s=900)])
    batch = [timing("t1", active_s=700, minute=5), timing("t2", active_s=1200, minute=6, outcome="returned")]
    await store.add_timings("install-a", batch)
    tasks = [(PROLIFIC, "t1"), (PROLIFIC, "t2")]
    before = await _state(store, tasks)
    contributor_before = await store.contributor("install-a")

    result = await store.add_timings("install-a", batch)

    assert (result.accepted, result.duplicates) == (0, 2)
    assert await _state(store, tasks) == before
    await store.settle()
    assert await store.contributor("install-a") == contributor_before


async def test_a_key_repeated_inside_one_batch_counts_once(store: Store) -> None:
    first = timing("t1", key="same-key-1", active_s=600)
    repeat = timing("t1", key="same-key-1", active_s=900, minute=10)

    result = await store.add_timings("install-a", [first, repeat, timing("t2")])

    assert (result.accepted, result.duplicates) == (2, 1)
    await store.settle()
    reports = await store.reports((PROLIFIC, "t1"))
    assert [(r.idempotency_key, r.active_s) for r in reports] == [("same-key-1", 600.0)]


async def test_the_same_key_from_another_install_is_another_timing(store: Store) -> None:
    await store.add_timings("install-a", [timing("t1", key="shared-key")])
    result = await store.add_timings("install-b", [timing("t1", key="shared-key")])

    assert (result.accepted, result.duplicates) == (1, 0)
    await store.settle()
    assert (await store.score_inputs([(PROLIFIC, "t1")], [])).tasks[(PROLIFIC, "t1")].reports == 2


async def test_a_batch_that_fails_partway_stores_nothing(store: Store) -> None:
    await store.add_timings("install-b", [timing("t1", minute=1)])
    good = [timing("t1", minute=2), timing("t2", minute=3)]
    # Past validation (model_copy does not validate), so it fails inside the store, after the good ones.
    broken = timing("t3", minute=4).model_copy(update={"reward": Money.model_construct(amount="lots", currency="GBP")})
    tasks = [(PROLIFIC, "t1"), (PROLIFIC, "t2"), (PROLIFIC, "t3")]
    before = await _state(store, tasks)

    with pytest.raises(Exception):  # noqa: B017 - the contract is "nothing stored", whatever the error
        await store.add_timings("install-a", [*good, broken])

    assert await _state(store, tasks) == before
    await store.settle()
    assert await store.contributor("install-a") is None
    result = await store.add_timings("install-a", good)
    assert (result.accepted, result.duplicates) == (2, 0)


async def test_a_contributor_counts_once_per_task_with_its_latest_attempt(store: Store) -> None:
    await store.add_timings("install-a", [timing("t1", active_s=300, minute=1)])
    await store.add_timings("install-a", [timing("t1", active_s=800, minute=20, key="later-attempt")])

    await store.settle()
    reports = await store.reports((PROLIFIC, "t1"))
    task = (await store.score_inputs([(PROLIFIC, "t1")], [])).tasks[(PROLIFIC, "t1")]
    platform = await store.group((PROLIFIC, None))

    assert [(r.install_id, r.idempotency_key, r.active_s) for r in reports] == [("install-a", "later-attempt", 800.0)]
    assert (task.reports, task.attempts) == (1, 1)
    assert platform is not None and (platform.reports, platform.attempts, platform.tasks) == (1, 1, 1)


async def test_an_older_attempt_arriving_late_changes_nothing(store: Store) -> None:
    await store.add_timings("install-b", [timing("t1", active_s=400, minute=1)])
    await store.add_timings("install-a", [timing("t1", active_s=800, minute=20, key="latest-attempt")])
    tasks = [(PROLIFIC, "t1")]
    before = await _state(store, tasks)
    contributor_before = await store.contributor("install-a")

    result = await store.add_timings("install-a", [timing("t1", active_s=100, minute=5, key="older-attempt")])

    assert (result.accepted, result.duplicates) == (1, 0)  # kept as a record, but it is not the latest
    after = await _state(store, tasks)
    assert after[:3] == before[:3]
    assert after[3] == before[3] + 1
    await store.settle()
    assert await store.contributor("install-a") == contributor_before


async def test_attempts_of_one_batch_on_one_task_keep_the_latest(store: Store) -> None:
    batch = [timing("t1", minute=9, key="attempt-late", active_s=500),
             timing("t1", minute=3, key="attempt-early", active_s=200)]

    await store.add_timings("install-a", batch)

    await store.settle()
    reports = await store.reports((PROLIFIC, "t1"))
    assert [r.idempotency_key for r in reports] == ["attempt-late"]


async def test_screen_outs_and_returns_count_as_unpaid_time_not_as_reports(store: Store) -> None:
    await store.add_timings("install-a", [timing("t1", outcome="screened_out", active_s=120)])
    await store.add_timings("install-b", [timing("t1", outcome="returned", active_s=300)])
    await store.add_timings("install-c", [timing("t1", outcome="submitted", active_s=900)])

    await store.settle()
    task = (await store.score_inputs([(PROLIFIC, "t1")], [])).tasks[(PROLIFIC, "t1")]
    requester = await store.group((PROLIFIC, "r1"))

    assert (task.reports, task.attempts, task.screened_out, task.returned) == (1, 3, 1, 1)
    assert task.unpaid_s == pytest.approx(420.0)
    assert requester is not None
    assert (requester.screened_out, requester.returned, requester.unpaid_s) == (1, 1, pytest.approx(420.0))


async def test_a_timed_out_attempt_is_not_a_report(store: Store) -> None:
    await store.add_timings("install-a", [timing("t1", outcome="timed_out", active_s=1800)])

    await store.settle()
    task = (await store.score_inputs([(PROLIFIC, "t1")], [])).tasks[(PROLIFIC, "t1")]

    assert (task.reports, task.attempts, task.timed_out, task.loc) == (0, 1, 1, None)


async def test_a_screen_out_after_a_submission_replaces_it(store: Store) -> None:
    await store.add_timings("install-a", [timing("t1", outcome="submitted", active_s=600, minute=1)])
    await store.add_timings("install-a", [timing("t1", outcome="screened_out", active_s=60, minute=30)])

    await store.settle()
    task = (await store.score_inputs([(PROLIFIC, "t1")], [])).tasks[(PROLIFIC, "t1")]
    platform = await store.group((PROLIFIC, None))

    assert (task.reports, task.attempts, task.screened_out, task.loc) == (0, 1, 1, None)
    assert platform is not None and (platform.tasks, platform.reports, platform.screened_out) == (0, 0, 1)


async def test_an_empty_batch_is_nothing(store: Store) -> None:
    result = await store.add_timings("install-a", [])

    assert (result.accepted, result.duplicates) == (0, 0)
    assert await store.timing_count() == 0

