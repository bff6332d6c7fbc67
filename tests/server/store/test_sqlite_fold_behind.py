"""Fold-behind (server/store/sqlite/fold_behind.py): records acknowledged before they are folded
end in exactly the state of folding each batch on arrival, across restarts, without double counts."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from server.aggregates import MAX_REPORTS_PER_TASK
from server.store.sqlite import SqliteStore
from service_processes import store_state
from store_records import assert_same_state, outcome, timing

INSTALLS = [f"install-{n:03d}" for n in range(8)]
TASKS = [("prolific", f"t{n}") for n in range(6)] + [("prolific", "crowded")]
REQUESTERS = ["r1", "r2"]


def community() -> list[tuple[str, str, list[Any]]]:
    """(install, endpoint, records) in arrival order: later attempts, a task past
    MAX_REPORTS_PER_TASK reports, verdicts arriving before and after their timings,
    conflicting verdicts, and repeats of earlier records."""
    sent: list[tuple[str, str, list[Any]]] = []
    for n in range(MAX_REPORTS_PER_TASK + 5):
        crowd = timing("crowded", active_s=400 + n % 50, minute=n, key=f"crowd-{n:05d}")
        sent.append((f"crowd-{n:03d}", "timings", [crowd]))
    early = {}
    for n, install in enumerate(INSTALLS):
        batch = [timing(f"t{(n + k) % 6}", requester_id=REQUESTERS[k % 2], active_s=250 + 41 * n + 13 * k,
                        minute=1000 + 10 * n + k, outcome="returned" if (n + k) % 5 == 0 else "submitted",
                        key=f"{install}-k{k}") for k in range(4)]
        batch.append(timing("crowded", active_s=300 + n, minute=2000 + n, key=f"{install}-crowded"))
        if n % 3 == 0:
            batch.append(timing("t1", requester_id="r2", active_s=900, minute=3000 + n, key=f"{install}-again"))
        early[install] = batch
        if n % 2 == 0:  # a verdict that arrives before its timing
            sent.append((install, "outcomes", [outcome(batch[0], "rejected")]))
        sent.append((install, "timings", batch))
    for install, batch in early.items():
        sent.append((install, "outcomes", [outcome(batch[0], "approved", days_later=2),
                                           outcome(batch[1], "paid", days_later=3)]))
        sent.append((install, "outcomes", [outcome(batch[0], "rejected", days_later=1)]))  # arrives last, wins
        sent.append((install, "timings", batch[:2]))  # a retried batch
    return sent


async def _ingest(store: SqliteStore, sent: list[tuple[str, str, list[Any]]], *,
                  settle_each: bool) -> list[tuple[int, int]]:
    answers = []
    for install, endpoint, records in sent:
        add = store.add_timings if endpoint == "timings" else store.add_outcomes
        result = await add(install, records)
        answers.append((result.accepted, result.duplicates))
        if settle_each:
            await store.settle()
    return answers


async def _state(store: SqliteStore) -> dict[str, Any]:
    installs = sorted({install for install, _, _ in community()})
    return await store_state(store, installs, TASKS, REQUESTERS)


def _counters(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT name, value FROM counters").fetchall())


async def test_a_backlog_folded_at_once_ends_as_each_batch_folded_on_arrival(tmp_path: Path) -> None:
    reference = SqliteStore(tmp_path / "reference.sqlite3")
    backlog = SqliteStore(tmp_path / "backlog.sqlite3", fold_paused=True)
    await reference.open()
    await backlog.open()
    try:
        want_answers = await _ingest(reference, community(), settle_each=True)
        got_answers = await _ingest(backlog, community(), settle_each=False)
        assert await backlog.fold_lag() > 0
        want, got = await _state(reference), await _state(backlog)
        assert await backlog.fold_lag() == 0
    finally:
        await reference.close()
        await backlog.close()
    assert got_answers == want_answers
    assert want["tasks"][("prolific", "crowded")].attempts == MAX_REPORTS_PER_TASK
    assert any(r.review == "rejected" for reports in want["reports"].values() for r in reports)
    assert_same_state(got, want)


async def test_a_store_reopened_with_unfolded_records_folds_them_once(tmp_path: Path) -> None:
    reference = SqliteStore(tmp_path / "reference.sqlite3")
    await reference.open()
    try:
        await _ingest(reference, community(), settle_each=True)
        want = await _state(reference)
    finally:
        await reference.close()

    path = tmp_path / "s.sqlite3"
    crashed = SqliteStore(path, fold_paused=True)  # as if the process died before folding
    await crashed.open()
    sent = community()
    half = len(sent) // 2
    await _ingest(crashed, sent[:half], settle_each=False)
    await crashed.close()
    counters = _counters(path)
    assert counters["folded"] == 0 < counters["arrivals"]

    reopened = SqliteStore(path)
    await reopened.open()
    try:
        await _ingest(reopened, sent[half:], settle_each=False)
        got = await _state(reopened)
    finally:
        await reopened.close()
    counters = _counters(path)
    assert counters["folded"] == counters["arrivals"]
    assert_same_state(got, want)


async def test_duplicates_across_the_fold_boundary_count_once(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.sqlite3", fold_paused=True)
    await store.open()
    try:
        first = [timing("t1", active_s=500), timing("t2", minute=1)]
        assert (await store.add_timings("install-a", first)).accepted == 2
        unfolded = await store.add_timings("install-a", [first[0], first[0]])  # before the fold
        await store.settle()
        folded = await store.add_timings("install-a", [first[1], timing("t3", minute=2)])  # after it
        await store.settle()
        reports = [await store.reports(("prolific", task)) for task in ("t1", "t2", "t3")]
        count = await store.timing_count()
    finally:
        await store.close()
    assert (unfolded.accepted, unfolded.duplicates) == (0, 2)
    assert (folded.accepted, folded.duplicates) == (1, 1)
    assert [len(task_reports) for task_reports in reports] == [1, 1, 1]
    assert count == 3
