"""Ingesting timings and outcomes: idempotent, and all-or-nothing as the client sees it.

Under the install's lease (install_lock.py), a batch goes through these steps:

1. Finish whatever an earlier holder of the lease left half-done (`recover`).
2. Read which idempotency keys are already stored; the rest are fresh.
3. Fold the fresh records in memory. Bad data fails here, before anything is written.
4. Insert the raw records, numbered `epoch * SEQ_SPAN + position` (arrival order). The unique
   index on (install_id, idempotency_key[, status]) is what makes any retry safe.
5. Write the reports, the tasks and their group increments (task_writes.py).
6. Save the contributor with the watermark "folded through record n" and free the lease, in
   one update filtered on the lease's epoch. Only then is the batch acknowledged.

If the process dies or MongoDB fails between 4 and 6, the client gets an error (or nothing)
and retries; the raw records are stored, their keys are now duplicates, and the retry's step
1 folds every record past the watermark before answering, so the batch is counted exactly
once whether the retry comes from the same process, another one, or the periodic sweep of
abandoned leases (store.py). Reports are idempotent (the latest attempt wins), tasks are
recomputed from reports, and group increments are applied once per token, so re-running
steps 4-6 never counts anything twice. One difference from an uninterrupted fold remains:
when the interrupted batch held two attempts of one task by this install, the recovery sees
only the later one, so the contributor's agreement counters skip the earlier attempt.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from pymongo.errors import BulkWriteError

from shared_schema import Outcome, Timing

from ...aggregates import Contributor, Report
from ..protocol import IngestResult, TaskKey
from ..sqlite.fold import TaskState, fold_outcome, fold_timing, report_from_timing
from . import install_lock
from .documents import from_document, to_document
from .errors import translated
from .folding import Folding, TaskLocks
from .task_writes import recover_pending

#: Record numbers per lease epoch; larger than the biggest batch (shared_schema.MAX_TIMINGS).
SEQ_SPAN = 1000


def timing_document(install_id: str, timing: Timing, seq: int, received_at: float) -> dict[str, Any]:
    return {
        "install_id": install_id, "idempotency_key": timing.idempotency_key, "seq": seq,
        "platform": timing.platform, "task_id": timing.task_id, "requester_id": timing.requester_id,
        "reward_amount": timing.reward.amount, "currency": timing.reward.currency,
        "active_s": float(timing.active_s), "wall_s": None if timing.wall_s is None else float(timing.wall_s),
        "outcome": timing.outcome, "started_at": timing.started_at.timestamp(), "ended_at": timing.ended_at.timestamp(),
        "advertised_s": timing.advertised_duration_s, "allotted_s": timing.time_allotted_s,
        "assignment_hash": timing.assignment_hash, "received_at": received_at,
    }


def outcome_document(install_id: str, outcome: Outcome, seq: int, received_at: float) -> dict[str, Any]:
    return {
        "install_id": install_id, "idempotency_key": outcome.idempotency_key, "status": outcome.status, "seq": seq,
        "platform": outcome.platform, "task_id": outcome.task_id, "requester_id": outcome.requester_id,
        "at": outcome.at.timestamp(), "received_at": received_at,
    }


def report_from_document(install_id: str, document: dict[str, Any]) -> Report:
    return Report(
        install_id=install_id, platform=document["platform"], task_id=document["task_id"],
        requester_id=document["requester_id"], idempotency_key=document["idempotency_key"],
        outcome=document["outcome"], active_s=document["active_s"], ended_at=document["ended_at"],
        reward_amount=document["reward_amount"], currency=document["currency"],
        advertised_s=document["advertised_s"], allotted_s=document["allotted_s"],
    )


class Ingest:
    """One lease's worth of work for one install."""

    def __init__(self, db: Any, lease: install_lock.Lease, locks: TaskLocks) -> None:
        self.db, self.lease, self.locks = db, lease, locks
        self.install_id = lease.install_id
        document = lease.document
        # A contributor exists once it has sent a timing (the lease alone creates a bare document).
        self.has_contributor = "comparisons" in document
        self.contributor = (from_document(Contributor, document) if self.has_contributor
                            else Contributor(lease.install_id))
        self.timings_through = lease.timings_through
        self.outcomes_through = lease.outcomes_through
        self.wrote = False

    # --- folding ----------------------------------------------------------------------------

    async def _verdicts(self, keys: Sequence[str]) -> dict[str, list[tuple[str, float]]]:
        verdicts: dict[str, list[tuple[str, float]]] = {}
        with translated():
            cursor = self.db.outcomes.find({"install_id": self.install_id, "idempotency_key": {"$in": list(keys)}},
                                           {"idempotency_key": 1, "status": 1, "at": 1})
            found = sorted([(d["at"], d["status"], d["idempotency_key"]) async for d in cursor])
        for at, status, key in found:
            verdicts.setdefault(key, []).append((status, at))
        return verdicts

    async def _fold_reports(self, reports: list[Report], verdicts: dict[str, list[tuple[str, float]]]) -> Folding:
        def fold(states: dict[TaskKey, TaskState], contributor: Contributor) -> Contributor:
            for report in reports:
                contributor = fold_timing(contributor, states[(report.platform, report.task_id)], report,
                                          verdicts.get(report.idempotency_key, ()))
            return contributor

        folding = Folding(self.db, self.install_id, self.lease.epoch, [(r.platform, r.task_id) for r in reports], fold)
        await folding.compute(self.contributor)
        return folding

    async def _fold_outcomes(self, outcomes: list[tuple[TaskKey, str, str, float]]) -> Folding:
        def fold(states: dict[TaskKey, TaskState], contributor: Contributor) -> Contributor:
            for key, idempotency_key, status, at in outcomes:
                fold_outcome(states[key], self.install_id, idempotency_key, status, at)
            return contributor

        folding = Folding(self.db, self.install_id, self.lease.epoch, [o[0] for o in outcomes], fold)
        await folding.compute(self.contributor)
        return folding

    async def _tasks_of(self, keys: Sequence[str]) -> dict[str, TaskKey]:
        with translated():
            cursor = self.db.timings.find({"install_id": self.install_id, "idempotency_key": {"$in": list(keys)}},
                                          {"idempotency_key": 1, "platform": 1, "task_id": 1})
            return {d["idempotency_key"]: (d["platform"], d["task_id"]) async for d in cursor}

    # --- step 1 -----------------------------------------------------------------------------

    async def recover(self) -> None:
        """Finish an earlier holder's interrupted batch: pending group increments, then unfolded records."""
        await recover_pending(self.db, self.install_id, self.lease.epoch)
        with translated():
            timings = await self.db.timings.find(
                {"install_id": self.install_id, "seq": {"$gt": self.timings_through}}).sort("seq", 1).to_list(None)
            outcomes = await self.db.outcomes.find(
                {"install_id": self.install_id, "seq": {"$gt": self.outcomes_through}}).sort("seq", 1).to_list(None)
        if timings:
            self.wrote = True
            reports = [report_from_document(self.install_id, d) for d in timings]
            verdicts = await self._verdicts([r.idempotency_key for r in reports])
            async with self.locks.holding((r.platform, r.task_id) for r in reports):
                folding = await self._fold_reports(reports, verdicts)
                self.contributor = await folding.write("recover-timings")
            self.has_contributor = True
            self.timings_through = max(d["seq"] for d in timings)
        if outcomes:
            self.wrote = True
            tasks_of = await self._tasks_of([d["idempotency_key"] for d in outcomes])
            known = [(tasks_of[d["idempotency_key"]], d["idempotency_key"], d["status"], d["at"])
                     for d in outcomes if d["idempotency_key"] in tasks_of]
            if known:
                async with self.locks.holding(o[0] for o in known):
                    folding = await self._fold_outcomes(known)
                    await folding.write("recover-outcomes")
            self.outcomes_through = max(d["seq"] for d in outcomes)

    # --- steps 2-5 --------------------------------------------------------------------------

    async def add_timings(self, timings: Sequence[Timing]) -> IngestResult:
        keys = [t.idempotency_key for t in timings]
        with translated():
            seen = {d["idempotency_key"] async for d in self.db.timings.find(
                {"install_id": self.install_id, "idempotency_key": {"$in": keys}}, {"idempotency_key": 1})}
        fresh = []
        for timing in timings:
            if timing.idempotency_key not in seen:
                seen.add(timing.idempotency_key)  # a repeat inside the batch is a duplicate too
                fresh.append(timing)
        if fresh:
            reports = [report_from_timing(self.install_id, t) for t in fresh]
            verdicts = await self._verdicts([t.idempotency_key for t in fresh])
            first = self.lease.epoch * SEQ_SPAN
            received_at = time.time()
            async with self.locks.holding((r.platform, r.task_id) for r in reports):
                folding = await self._fold_reports(reports, verdicts)
                await self._insert(self.db.timings, [timing_document(self.install_id, t, first + i, received_at)
                                                     for i, t in enumerate(fresh)])
                self.contributor = await folding.write("timings")
            self.has_contributor = True
            self.timings_through = first + len(fresh) - 1
        return IngestResult(accepted=len(fresh), duplicates=len(timings) - len(fresh))

    async def add_outcomes(self, outcomes: Sequence[Outcome]) -> IngestResult:
        keys = list({o.idempotency_key for o in outcomes})
        with translated():
            seen = {(d["idempotency_key"], d["status"]) async for d in self.db.outcomes.find(
                {"install_id": self.install_id, "idempotency_key": {"$in": keys}}, {"idempotency_key": 1, "status": 1})}
        fresh = []
        for outcome in outcomes:
            if (outcome.idempotency_key, outcome.status) not in seen:
                seen.add((outcome.idempotency_key, outcome.status))
                fresh.append(outcome)
        if fresh:
            # The timing says which task a verdict concerns; one that has not arrived yet gets it on arrival.
            tasks_of = await self._tasks_of([o.idempotency_key for o in fresh])
            known = [(tasks_of[o.idempotency_key], o.idempotency_key, o.status, o.at.timestamp())
                     for o in fresh if o.idempotency_key in tasks_of]
            first = self.lease.epoch * SEQ_SPAN
            received_at = time.time()
            async with self.locks.holding(o[0] for o in known):
                folding = await self._fold_outcomes(known) if known else None
                await self._insert(self.db.outcomes, [outcome_document(self.install_id, o, first + i, received_at)
                                                      for i, o in enumerate(fresh)])
                if folding is not None:
                    await folding.write("outcomes")
            self.outcomes_through = first + len(fresh) - 1
        return IngestResult(accepted=len(fresh), duplicates=len(outcomes) - len(fresh))

    async def _insert(self, collection: Any, documents: list[dict[str, Any]]) -> None:
        self.wrote = True
        try:
            with translated():
                await collection.insert_many(documents, ordered=False)
        except BulkWriteError as error:
            # Only this lease's holder inserts this install's records, so a duplicate here can only be
            # our own earlier attempt at the same insert (a retried write whose first reply was lost).
            if any(e.get("code") != 11000 for e in error.details.get("writeErrors", [])):
                raise

    # --- step 6 -----------------------------------------------------------------------------

    async def finish(self) -> None:
        changes: dict[str, Any] = {"timings_through": self.timings_through, "outcomes_through": self.outcomes_through}
        if self.has_contributor:
            changes.update(to_document(self.contributor))
        await install_lock.release(self.db.contributors, self.lease, changes)
