"""Folding new timings and outcomes into the aggregates of the tasks they concern.

Pure (no SQL): `ingest.py` loads a `TaskState` per task a batch touches, the functions here
apply `server/aggregates.py` to them, and `ingest.py` writes back what changed. Nothing here
is SQLite-specific; another store can fold the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter

from shared_schema import Timing

from ...aggregates import (
    ADDITIVE,
    MAX_REPORTS_PER_TASK,
    SUBMITTED,
    Contributor,
    Report,
    TaskAggregate,
    contribution,
    contributor_after,
    latest,
    speed,
    task_aggregate,
    trust,
    with_outcome,
)
from ..protocol import GroupKey


def report_order(report: Report) -> tuple[float, str]:
    """Oldest first; `task_aggregate` keeps the last advertised duration and reward it sees."""
    return report.ended_at, report.install_id


@dataclass(slots=True)
class TaskState:
    """A task as one write job sees it: its stored aggregate and the reports it is computed from."""

    platform: str
    task_id: str
    stored: TaskAggregate | None
    #: install_id -> report: the task's latest MAX_REPORTS_PER_TASK reports, plus the writing install's own.
    reports: dict[str, Report] = field(default_factory=dict)
    changed: dict[str, Report] = field(default_factory=dict)
    #: The earliest first_seen the task had at the end of an acknowledged batch folded along with
    #: later ones: a group keeps the earliest first_seen it ever saw, so folding several batches at
    #: once (fold_behind.py) must not skip the states each batch left.
    earliest: float | None = None
    #: The requester a task stored without one got at the end of such a batch (it keeps the first).
    assigned: str | None = None

    @property
    def requester_id(self) -> str | None:
        known = self.stored.requester_id if self.stored is not None else None
        return known if known is not None else self.assigned

    def window(self) -> list[Report]:
        """The reports the task's aggregate is computed from, oldest first."""
        ordered = sorted(self.reports.values(), key=report_order)
        return ordered[-MAX_REPORTS_PER_TASK:]

    def put(self, report: Report) -> None:
        self.reports[report.install_id] = report
        self.changed[report.install_id] = report

    def end_of_batch(self) -> None:
        """Remember what the task's aggregate would keep from now on: its first_seen, its requester."""
        window = self.window()
        if self.requester_id is None:
            self.assigned = next((r.requester_id for r in window if r.requester_id is not None), None)
        reports = window if len(self.reports) > MAX_REPORTS_PER_TASK else self.reports.values()
        first_seen = min((r.ended_at for r in reports if r.trust > 0), default=None)
        if first_seen is not None and (self.earliest is None or first_seen < self.earliest):
            self.earliest = first_seen

    def aggregate(self, requester_id: str | None) -> TaskAggregate:
        return task_aggregate(self.platform, self.task_id, requester_id, self.window())


def report_from_timing(install_id: str, timing: Timing) -> Report:
    return Report(
        install_id=install_id,
        platform=timing.platform,
        task_id=timing.task_id,
        requester_id=timing.requester_id,
        idempotency_key=timing.idempotency_key,
        outcome=timing.outcome,
        active_s=float(timing.active_s),
        ended_at=timing.ended_at.timestamp(),
        reward_amount=timing.reward.amount,
        currency=timing.reward.currency,
        advertised_s=timing.advertised_duration_s,
        allotted_s=timing.time_allotted_s,
    )


def fold_timing(contributor: Contributor, state: TaskState, report: Report,
                verdicts: Iterable[tuple[str, float]] = ()) -> Contributor:
    """Fold one new attempt into its task; return the contributor as it stands afterwards.

    `report` is new (from `report_from_timing`) and is completed in place; `verdicts` are
    outcomes (status, at) that arrived before this timing did.
    """
    old = state.reports.get(report.install_id)
    if latest(old, report) is not report:
        return contributor  # an older attempt arriving late: the latest one already counts
    if report.outcome == SUBMITTED and report.active_s > 0 and (state.reports.keys() - {report.install_id}):
        if old is None and not state.changed and state.stored is not None:
            consensus = state.stored  # the others are exactly the reports the stored aggregate was computed from
        else:
            others = [r for r in state.window() if r.install_id != report.install_id]
            consensus = task_aggregate(state.platform, state.task_id, state.requester_id, others)
        contributor = contributor_after(contributor, report, consensus)
    report.speed, report.trust = speed(contributor), trust(contributor)
    for status, at in verdicts:
        report = with_outcome(report, status, at)
    state.put(report)
    return contributor


def fold_outcome(state: TaskState, install_id: str, idempotency_key: str, status: str, at: float) -> bool:
    """Apply a verdict to the report it concerns; False when that attempt is not the one that counts."""
    report = state.reports.get(install_id)
    if report is None or report.idempotency_key != idempotency_key:
        return False
    state.put(with_outcome(report, status, at))
    return True


_ADDITIVE_FIELDS = itemgetter(*ADDITIVE)


def _vector(task: TaskAggregate | None) -> tuple[float, ...]:
    """aggregates.contribution in ADDITIVE order."""
    return _ADDITIVE_FIELDS(contribution(task))


@dataclass(slots=True)
class GroupDeltas:
    """The increments (in ADDITIVE order) a job adds to requester and platform groups, summed per group."""

    sums: dict[GroupKey, list[float]] = field(default_factory=dict)
    first_seen: dict[GroupKey, float | None] = field(default_factory=dict)

    def add(self, old: TaskAggregate | None, new: TaskAggregate, earliest: float | None = None) -> None:
        # aggregates.group_delta, with each task's contribution computed once for both groups.
        before, after = _vector(old), _vector(new)
        first_seen = new.first_seen if earliest is None or (new.first_seen is not None and new.first_seen < earliest) \
            else earliest
        delta = [b - a for a, b in zip(before, after, strict=True)]
        self._add((new.platform, None), delta, first_seen)
        if old is not None and old.requester_id != new.requester_id:
            if old.requester_id is not None:
                self._add((old.platform, old.requester_id), [-value for value in before], None)
            delta = list(after)  # the new requester gets the task's whole contribution
        if new.requester_id is not None:
            self._add((new.platform, new.requester_id), delta, first_seen)

    def _add(self, key: GroupKey, delta: list[float], first_seen: float | None) -> None:
        sums = self.sums.get(key)
        self.sums[key] = delta if sums is None else [a + b for a, b in zip(sums, delta, strict=True)]
        known = self.first_seen.get(key)
        self.first_seen[key] = first_seen if known is None else known if first_seen is None else min(known, first_seen)


def settle_tasks(states: Iterable[TaskState], deltas: GroupDeltas) -> list[TaskAggregate]:
    """Recompute every task whose reports changed; record the group increments it causes."""
    tasks = []
    for state in states:
        if not state.changed:
            continue
        # A task keeps the first requester it was reported with; one that arrived without one gets it later.
        requester_id = state.requester_id
        if requester_id is None:
            requester_id = next((r.requester_id for r in state.window() if r.requester_id is not None), None)
        task = state.aggregate(requester_id)
        deltas.add(state.stored, task, state.earliest)
        tasks.append(task)
    return tasks
