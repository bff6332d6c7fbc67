"""Contract: stored aggregates are exactly what `server/aggregates.py` computes from the stored reports."""

import asyncio
from collections import defaultdict

from server.aggregates import (
    ADDITIVE,
    Contributor,
    MAX_REPORTS_PER_TASK,
    GroupAggregate,
    contribution,
    contributor_after,
    speed,
    task_aggregate,
    trust,
)
from server.store import Store

from store_records import assert_same_record, timing

TASKS = [("prolific", f"p{n}") for n in range(6)] + [("toloka", f"t{n}") for n in range(3)]


def _requester(task: tuple[str, str]) -> str | None:
    platform, task_id = task
    return None if task_id == "p5" else f"{platform}-req{int(task_id[1:]) % 2}"


async def _ingest_community(store: Store) -> None:
    """Twelve installs, each a batch over most tasks, with speeds, outcomes and repeats that differ."""
    for install in range(12):
        batch = []
        for n, task in enumerate(TASKS):
            if (install + n) % 5 == 0:
                continue  # not everyone did every task
            outcome = "screened_out" if (install * 7 + n) % 11 == 0 else "returned" if (install + n) % 13 == 0 else "submitted"
            active = 300.0 * (1 + n % 3) * (0.6 + 0.1 * install)
            batch.append(timing(task[1], platform=task[0], requester_id=_requester(task), active_s=active,
                                outcome=outcome, minute=install * 10 + n, advertised_s=None if n == 2 else 600 + 60 * n))
        if install % 4 == 0:  # a later attempt by the same install
            batch.append(timing("p1", requester_id=_requester(("prolific", "p1")), active_s=450, minute=500 + install))
        await store.add_timings(f"install-{install:02d}", batch)
    await store.settle()


async def test_each_task_aggregate_is_recomputed_from_its_reports(store: Store) -> None:
    await _ingest_community(store)
    stored = (await store.score_inputs(TASKS, [])).tasks

    assert set(stored) == set(TASKS)
    for key, task in stored.items():
        reports = await store.reports(key)
        assert len({r.install_id for r in reports}) == len(reports)  # one report per contributor
        assert_same_record(task, task_aggregate(key[0], key[1], task.requester_id, reports[-MAX_REPORTS_PER_TASK:]))


async def test_each_group_is_the_sum_of_its_tasks(store: Store) -> None:
    await _ingest_community(store)
    tasks = (await store.score_inputs(TASKS, [])).tasks
    expected: dict[tuple[str, str | None], GroupAggregate] = {}
    sums: dict[tuple[str, str | None], dict[str, float]] = defaultdict(lambda: dict.fromkeys(ADDITIVE, 0.0))
    for task in tasks.values():
        for key in {(task.platform, None), (task.platform, task.requester_id)}:
            for name, value in contribution(task).items():
                sums[key][name] += value
            group = expected.setdefault(key, GroupAggregate(*key))
            if task.first_seen is not None:
                group.first_seen = task.first_seen if group.first_seen is None else min(group.first_seen, task.first_seen)
    for key, group_sums in sums.items():
        for name, value in group_sums.items():
            kind = type(getattr(expected[key], name))
            setattr(expected[key], name, round(value) if kind is int else value)

    stored = (await store.score_inputs([], list(expected))).groups

    assert set(stored) == set(expected)
    for key, group in expected.items():
        assert_same_record(stored[key], group)


async def test_a_task_reported_first_without_its_requester_joins_it_later(store: Store) -> None:
    await store.add_timings("install-a", [timing("t1", requester_id=None, active_s=600)])
    await store.add_timings("install-b", [timing("t1", requester_id="r9", active_s=700, minute=5)])

    await store.settle()
    task = (await store.score_inputs([("prolific", "t1")], [])).tasks[("prolific", "t1")]
    requester = await store.group(("prolific", "r9"))
    platform = await store.group(("prolific", None))

    assert task.requester_id == "r9"
    assert requester is not None and platform is not None
    assert (requester.tasks, requester.reports, requester.attempts) == (1, 2, 2)
    assert (platform.tasks, platform.reports, platform.attempts) == (1, 2, 2)


async def test_a_contributor_is_compared_with_the_others_before_its_report_counts(store: Store) -> None:
    for n in range(7):
        await store.add_timings(f"install-{n}", [timing("t1", active_s=600 + 10 * n, minute=n)])
    await store.add_timings("install-agreeing", [timing("t1", active_s=630, minute=10)])
    await store.add_timings("install-slow", [timing("t1", active_s=2400, minute=11)])

    await store.settle()
    reports = await store.reports(("prolific", "t1"))
    for position, report in enumerate(reports):
        contributor = await store.contributor(report.install_id)
        consensus = task_aggregate("prolific", "t1", "r1", reports[:position])
        assert contributor == contributor_after(Contributor(report.install_id), report, consensus)
        assert (report.speed, report.trust) == (speed(contributor), trust(contributor))
    agreeing, slow = await store.contributor("install-agreeing"), await store.contributor("install-slow")
    assert agreeing is not None and slow is not None
    assert (agreeing.comparisons, agreeing.agreements) == (1, 1)
    assert (slow.comparisons, slow.agreements) == (1, 0)
    assert slow.resid_sum > agreeing.resid_sum


async def test_a_crowded_task_is_computed_from_its_latest_reports(store: Store) -> None:
    crowd = MAX_REPORTS_PER_TASK + 5
    for start in range(0, crowd, 50):
        await asyncio.gather(*(
            store.add_timings(f"install-{n:04d}", [timing("busy", active_s=300 + n, minute=n)])
            for n in range(start, min(start + 50, crowd))
        ))
    # The oldest contributor comes back: its new attempt is the latest, its old one was outside the window.
    await store.add_timings("install-0000", [timing("busy", active_s=5000, minute=10_000, key="comeback")])

    await store.settle()
    reports = await store.reports(("prolific", "busy"))
    task = (await store.score_inputs([("prolific", "busy")], [])).tasks[("prolific", "busy")]

    assert len(reports) == crowd
    assert reports[-1].idempotency_key == "comeback"
    assert task.attempts == MAX_REPORTS_PER_TASK
    assert_same_record(task, task_aggregate("prolific", "busy", "r1", reports[-MAX_REPORTS_PER_TASK:]))
