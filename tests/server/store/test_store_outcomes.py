"""Contract: verdicts (approved, rejected, paid) reach the report they concern, whenever they arrive."""

import math

import pytest

from server.store import Store

from store_records import outcome, timing

TASK = ("prolific", "t1")


async def _task(store: Store, key: tuple[str, str] = TASK):
    await store.settle()
    return (await store.score_inputs([key], [])).tasks[key]


async def test_an_outcome_after_its_timing_applies_to_the_report(store: Store) -> None:
    done = timing("t1", active_s=600)
    await store.add_timings("install-a", [done])

    result = await store.add_outcomes("install-a", [outcome(done, "rejected"), outcome(done, "paid", days_later=3)])

    assert (result.accepted, result.duplicates) == (2, 0)
    await store.settle()
    [report] = await store.reports(TASK)
    assert report.review == "rejected"
    assert report.paid_delay_s == pytest.approx(3 * 86400)
    task = await _task(store)
    assert (task.reviewed, task.rejected, task.paid) == (1, 1, 1)
    assert task.log_paid_delay_sum == pytest.approx(math.log1p(3 * 86400))
    requester = await store.group(("prolific", "r1"))
    assert requester is not None and (requester.reviewed, requester.rejected, requester.paid) == (1, 1, 1)


async def test_an_outcome_before_its_timing_applies_when_the_timing_arrives(store: Store) -> None:
    done = timing("t1", active_s=600)

    early = await store.add_outcomes("install-a", [outcome(done, "approved"), outcome(done, "paid", days_later=2)])
    waiting = await _task_or_none(store)
    await store.add_timings("install-a", [done])

    assert (early.accepted, early.duplicates) == (2, 0)
    assert waiting is None
    await store.settle()
    [report] = await store.reports(TASK)
    assert (report.review, report.paid_delay_s) == ("approved", pytest.approx(2 * 86400))
    task = await _task(store)
    assert (task.reviewed, task.rejected, task.paid) == (1, 0, 1)


async def _task_or_none(store: Store):
    await store.settle()
    return (await store.score_inputs([TASK], [])).tasks.get(TASK)


async def test_the_same_verdict_twice_counts_once(store: Store) -> None:
    done = timing("t1")
    await store.add_timings("install-a", [done])
    await store.add_outcomes("install-a", [outcome(done, "paid")])
    before = await _task(store)

    again = await store.add_outcomes("install-a", [outcome(done, "paid", days_later=9), outcome(done, "paid")])

    assert (again.accepted, again.duplicates) == (0, 2)
    assert await _task(store) == before


async def test_a_verdict_repeated_inside_one_batch_counts_once(store: Store) -> None:
    done = timing("t1")
    await store.add_timings("install-a", [done])

    result = await store.add_outcomes("install-a", [outcome(done, "approved"), outcome(done, "approved")])

    assert (result.accepted, result.duplicates) == (1, 1)
    assert (await _task(store)).reviewed == 1


async def test_a_verdict_on_a_replaced_attempt_leaves_the_latest_one_alone(store: Store) -> None:
    first = timing("t1", minute=1)
    await store.add_timings("install-a", [first, timing("t1", minute=30, key="second-attempt")])

    result = await store.add_outcomes("install-a", [outcome(first, "rejected")])

    assert result.accepted == 1  # kept: the verdict is true, it concerns an attempt that no longer counts
    await store.settle()
    [report] = await store.reports(TASK)
    assert (report.idempotency_key, report.review) == ("second-attempt", None)
    assert (await _task(store)).rejected == 0


async def test_a_verdict_sent_by_another_install_changes_nothing(store: Store) -> None:
    done = timing("t1")
    await store.add_timings("install-a", [done])

    await store.add_outcomes("install-b", [outcome(done, "rejected")])

    await store.settle()
    [report] = await store.reports(TASK)
    assert report.review is None
    assert (await _task(store)).reviewed == 0
