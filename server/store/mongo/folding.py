"""Loading the tasks a batch touches, folding the batch into them, and writing the result.

The folding itself is the SQLite store's (`server/store/sqlite/fold.py`, pure functions over
`server/aggregates.py`), so both stores compute the same aggregates from the same records.
What differs is the writing: see task_writes.py for how a recomputed task and its group
increments are written exactly once by several processes without transactions.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from typing import Any

from pymongo import ReplaceOne

from ...aggregates import MAX_REPORTS_PER_TASK, Contributor, Report, TaskAggregate
from ..protocol import StoreUnavailable, TaskKey
from ..sqlite.fold import GroupDeltas, TaskState, settle_tasks
from .documents import from_document, projection, task_filter, to_document
from .errors import translated
from .task_writes import TaskWrite, write_tasks

#: How long one batch keeps recomputing after losing races to other writers before answering 503.
CONTENTION_BUDGET_S = 20.0
_TASK_FIELDS = {**projection(TaskAggregate), "rev": 1}

#: Folds a batch into loaded task states, in memory; returns the contributor afterwards.
Fold = Callable[[dict[TaskKey, TaskState], Contributor], Contributor]


class TaskLocks:
    """Writers of one process that touch the same task take turns (optimistic concurrency then
    only has to settle races between processes, not a crowd of requests inside one)."""

    def __init__(self) -> None:
        self._locks: dict[TaskKey, asyncio.Lock] = {}
        self._users: Counter[TaskKey] = Counter()

    @contextlib.asynccontextmanager
    async def holding(self, keys: Iterable[TaskKey]) -> AsyncIterator[None]:
        ordered = sorted(set(keys))  # one global order: no two batches wait for each other in a cycle
        self._users.update(ordered)
        acquired: list[asyncio.Lock] = []
        try:
            for key in ordered:
                lock = self._locks.setdefault(key, asyncio.Lock())
                await lock.acquire()
                acquired.append(lock)
            yield
        finally:
            for lock in reversed(acquired):
                lock.release()
            for key in ordered:
                self._users[key] -= 1
                if not self._users[key]:
                    del self._users[key]
                    self._locks.pop(key, None)


async def load_states(db: Any, install_id: str, keys: Sequence[TaskKey]) -> tuple[dict[TaskKey, TaskState], dict[TaskKey, int]]:
    """Each task's stored aggregate and revision, and the reports it is computed from (as SQLite loads them)."""
    states = {key: TaskState(key[0], key[1], None) for key in keys}
    revisions = dict.fromkeys(keys, 0)
    if not keys:
        return states, revisions
    small, crowded = [], []
    with translated():
        async for document in db.tasks.find(task_filter(keys), _TASK_FIELDS):
            task = from_document(TaskAggregate, document)
            key = (task.platform, task.task_id)
            states[key].stored, revisions[key] = task, int(document["rev"])
            (crowded if task.attempts >= MAX_REPORTS_PER_TASK else small).append(key)
        report_fields = projection(Report)
        if small:
            async for document in db.reports.find(task_filter(small), report_fields):
                report = from_document(Report, document)
                states[(report.platform, report.task_id)].reports[report.install_id] = report
        for key in crowded:
            # Only the latest reports count; the writing install's own one is needed even when older.
            query = {"platform": key[0], "task_id": key[1]}
            latest = db.reports.find(query, report_fields).sort([("ended_at", -1), ("install_id", -1)])
            async for document in latest.limit(MAX_REPORTS_PER_TASK):
                report = from_document(Report, document)
                states[key].reports[report.install_id] = report
            own = await db.reports.find_one({**query, "install_id": install_id}, report_fields)
            if own is not None:
                states[key].reports[install_id] = from_document(Report, own)
    return states, revisions


def plan(states: dict[TaskKey, TaskState], revisions: dict[TaskKey, int]) -> tuple[list[Report], list[TaskWrite]]:
    """The reports to store and the tasks to write after a fold (tasks that did not change are left alone)."""
    changed = [state for state in states.values() if state.changed]
    tasks = settle_tasks(changed, GroupDeltas())
    reports = [report for state in changed for report in state.changed.values()]
    writes = [
        TaskWrite(state.stored, task, revisions[(state.platform, state.task_id)])
        for state, task in zip(changed, tasks, strict=True)
        if task != state.stored
    ]
    return reports, writes


async def write_reports(db: Any, reports: Sequence[Report]) -> None:
    requests = [
        ReplaceOne({"platform": r.platform, "task_id": r.task_id, "install_id": r.install_id}, to_document(r), upsert=True)
        for r in reports
    ]
    if requests:
        with translated():
            await db.reports.bulk_write(requests, ordered=False)


class Folding:
    """One batch's fold for one install: computed first in memory, then written, recomputed on races."""

    def __init__(self, db: Any, install_id: str, epoch: int, keys: Sequence[TaskKey], fold: Fold) -> None:
        self.db, self.install_id, self.epoch = db, install_id, epoch
        self.keys = list(dict.fromkeys(keys))
        self.fold = fold
        self._own_before: dict[TaskKey, Report | None] = {}
        self._computed: tuple[Contributor, list[Report], list[TaskWrite]] | None = None

    async def compute(self, contributor: Contributor) -> Contributor:
        """Fold in memory; any error here (bad data) leaves the database untouched."""
        self._start = contributor
        states, revisions = await load_states(self.db, self.install_id, self.keys)
        self._own_before = {key: state.reports.get(self.install_id) for key, state in states.items()}
        after = self.fold(states, contributor)
        self._computed = (after, *plan(states, revisions))
        return after

    async def write(self, name: str) -> Contributor:
        """Store the computed fold; recompute and write again the tasks another process changed meanwhile."""
        assert self._computed is not None, "compute() first"
        after, reports, writes = self._computed
        deadline = time.monotonic() + CONTENTION_BUDGET_S
        round_number = 0
        while True:
            await write_reports(self.db, reports)
            outcome = await write_tasks(self.db, writes, install_id=self.install_id, epoch=self.epoch,
                                        name=f"{name}-{round_number}")
            if not outcome.conflicts:
                return after
            if time.monotonic() > deadline:
                raise StoreUnavailable("too many concurrent writers on the same tasks; retry shortly")
            # Many installs finishing one popular task at once: spread their retries out (full jitter).
            round_number += 1
            await asyncio.sleep(random.uniform(0, min(0.5, 0.002 * 2 ** min(round_number, 10))))
            states, revisions = await load_states(self.db, self.install_id, self.keys)
            for key, own in self._own_before.items():
                # Fold again from this install's reports as they were before the batch, as the first time.
                if own is None:
                    states[key].reports.pop(self.install_id, None)
                else:
                    states[key].reports[self.install_id] = own
            after = self.fold(states, self._start)
            reports, writes = plan(states, revisions)
