"""What the store keeps, and the pure functions that fold a new report into it.

Scoring a listing must cost O(1) store work however long the history, so estimates are
maintained on write, at four levels:

- `Contributor`: one per install: how its timings compare with everyone else's (speed, trust).
- `Report`: one per (install, task): that contributor's latest attempt. This is what makes
  "one contributor counts once per task" hold everywhere.
- `TaskAggregate`: one per task, recomputed from the task's reports whenever one changes.
- `GroupAggregate`: one per requester and one per platform: sums over their tasks'
  aggregates. Every field but `first_seen` adds up, so when a task changes the store adds
  `group_delta(old, new)` (SQL `x = x + ?`, MongoDB `$inc`) instead of re-reading the group;
  several writer processes then stay correct without locks.

Nothing here does I/O; the stores load the rows, call these functions and write the result.
"""

from __future__ import annotations

import hashlib
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace

from .money import to_eur

SUBMITTED = "submitted"
#: Attempts that took the worker's time and were not paid (their active time is charged in effective hourly).
UNPAID_OUTCOMES = ("screened_out", "returned", "timed_out")
#: A task's aggregate reads at most this many of its latest reports (bounds write cost).
MAX_REPORTS_PER_TASK = 400


@dataclass(slots=True)
class Contributor:
    """How one install's timings compare with the consensus on the same tasks."""

    install_id: str
    comparisons: int = 0  # submitted reports compared with other contributors' consensus
    agreements: int = 0  # ... whose speed-adjusted residual was within tolerance
    resid_sum: float = 0.0  # sum of log(active / consensus) over comparisons
    discounted: bool = False  # set by maintainers: its reports stop counting, reversibly
    #: A 60-bit sketch of the requesters it agreed with the consensus on (bit = hash of requester).
    #: Trust grows with the number of *different* requesters agreed on, so installs that only
    #: ever report on one requester's tasks stay light.
    agreed_requesters: int = 0


@dataclass(slots=True)
class Report:
    """One contributor's latest attempt at one task."""

    install_id: str
    platform: str
    task_id: str
    requester_id: str | None
    idempotency_key: str  # the timing this attempt came from (outcomes refer to it)
    outcome: str  # submitted | returned | screened_out | timed_out
    active_s: float
    ended_at: float  # POSIX seconds
    reward_amount: str
    currency: str
    advertised_s: int | None = None
    allotted_s: int | None = None
    speed: float = 0.0  # the contributor's log-speed offset when the report was folded
    trust: float = 1.0  # the contributor's weight when the report was folded
    review: str | None = None  # approved | rejected, from /v1/outcomes
    paid_delay_s: float | None = None  # payment time minus ended_at, from /v1/outcomes


@dataclass(slots=True)
class TaskAggregate:
    platform: str
    task_id: str
    requester_id: str | None
    reports: int = 0  # contributors whose latest attempt was submitted
    attempts: int = 0  # contributors with any attempt
    screened_out: int = 0
    returned: int = 0
    timed_out: int = 0
    unpaid_s: float = 0.0  # active seconds spent on screen-outs and returns
    weight: float = 0.0  # trust of the submitted reports that agree with `loc` (Huber weights: outliers count little)
    loc: float | None = None  # robust location of log(active seconds), speed-adjusted
    spread: float | None = None  # robust scale of the same, on the log axis
    advertised_s: int | None = None  # latest advertised duration seen in a report
    allotted_s: int | None = None
    reward_amount: str | None = None  # latest reward seen
    currency: str | None = None
    reviewed: int = 0  # submitted reports with an approve/reject verdict
    rejected: int = 0
    paid: int = 0
    log_paid_delay_sum: float = 0.0  # sum of log1p(payment delay in seconds) over paid reports
    first_seen: float | None = None  # POSIX seconds of the earliest report
    weight_sq: float = 0.0  # sum of squared trusts (effective number of reports = weight^2 / weight_sq)
    reward_eur: float | None = None  # latest reward in EUR, at the rates of when the task was folded


@dataclass(slots=True)
class GroupAggregate:
    """A requester's (`requester_id` set) or a platform's (`requester_id` None) tasks, summed."""

    platform: str
    requester_id: str | None
    tasks: int = 0  # tasks with at least one submitted report
    reports: int = 0
    attempts: int = 0
    screened_out: int = 0
    returned: int = 0
    timed_out: int = 0
    unpaid_s: float = 0.0
    completed_s: float = 0.0  # sum over tasks of reports x typical active seconds
    loc_w: float = 0.0  # sum of task weights behind loc_sum
    loc_sum: float = 0.0  # weighted sum of task log durations
    ratio_w: float = 0.0  # weight of tasks with an advertised duration
    ratio_sum: float = 0.0  # weighted sum of log(measured / advertised)
    reviewed: int = 0
    rejected: int = 0
    paid: int = 0
    log_paid_delay_sum: float = 0.0
    first_seen: float | None = None  # not additive: the store keeps the minimum
    ratio_sq: float = 0.0  # weighted sum of squared log(measured / advertised): their spread across tasks
    loc_sq: float = 0.0  # weighted sum of squared task log durations
    spread_w: float = 0.0  # weight of tasks with a measured spread
    spread_sum: float = 0.0  # weighted sum of the tasks' log-scale spreads (pooled within-task spread)
    pay_eur: float = 0.0  # sum over tasks of reports x reward in EUR (pay behind completed_s)
    hourly_w: float = 0.0  # weight of tasks with a reward and a duration
    hourly_sum: float = 0.0  # weighted sum of the tasks' log(EUR per hour)
    hourly_sq: float = 0.0  # weighted sum of its squares


#: The GroupAggregate fields a task contributes to by addition.
ADDITIVE = tuple(f.name for f in fields(GroupAggregate) if f.name not in {"platform", "requester_id", "first_seen"})


# --- contributors -------------------------------------------------------------------------

#: log-residual within which a report "agrees" with the consensus (about x1.6 either way).
AGREEMENT_TOLERANCE = 0.5
#: A residual counts at most this much towards a contributor's speed: a break is not slowness.
SPEED_CLIP = 0.7
#: Pseudo-comparisons that pull a new contributor's speed towards 0 (average speed).
SPEED_PRIOR = 5.0
#: Trust of an install that has not agreed with others on two different requesters yet.
NEW_TRUST = 0.1
#: Different requesters an install must have agreed with others on to be fully trusted.
FULL_TRUST_REQUESTERS = 8
#: The consensus a report is compared with must carry at least this much trust (about one
#: established contributor, or several new ones): agreeing with untrusted reports earns nothing.
MIN_CONSENSUS_WEIGHT = 0.5


def speed(contributor: Contributor) -> float:
    """The contributor's typical log(active / consensus), shrunk towards 0 when it has few comparisons."""
    return contributor.resid_sum / (contributor.comparisons + SPEED_PRIOR)


def trust(contributor: Contributor) -> float:
    """Weight of the contributor's reports, from 0 to 1.

    It grows with the number of *different* requesters on whose tasks the contributor agreed
    with an established consensus (agreeing on one requester's tasks, however many, earns
    nothing: a burst of installs reporting for one requester stays light), times the share
    of its compared reports that agreed (Laplace-smoothed).
    """
    if contributor.discounted:
        return 0.0
    earned = min(1.0, max(0, requesters_agreed(contributor) - 1) / (FULL_TRUST_REQUESTERS - 1))
    breadth = NEW_TRUST + (1.0 - NEW_TRUST) * earned
    reliability = (contributor.agreements + 1) / (contributor.comparisons + 1)
    return breadth * reliability


def contributor_after(contributor: Contributor, report: Report, others: TaskAggregate | None) -> Contributor:
    """Compare a new submitted report with the consensus of the *other* contributors on its task."""
    if (report.outcome != SUBMITTED or others is None or others.loc is None or report.active_s <= 0
            or others.weight < MIN_CONSENSUS_WEIGHT):
        return contributor
    resid = math.log(report.active_s) - others.loc
    agrees = abs(resid - speed(contributor)) <= AGREEMENT_TOLERANCE
    return replace(
        contributor,
        comparisons=contributor.comparisons + 1,
        agreements=contributor.agreements + int(agrees),
        resid_sum=contributor.resid_sum + max(-SPEED_CLIP, min(SPEED_CLIP, resid)),
        agreed_requesters=contributor.agreed_requesters | requester_bit(report) if agrees else contributor.agreed_requesters,
    )


#: Bits in `Contributor.agreed_requesters` (below 63, so the sketch fits a signed 64-bit column).
REQUESTER_BITS = 60


def requester_bit(report: Report) -> int:
    """The report's requester as one bit of a stable 60-bit sketch (same in every process)."""
    key = f"{report.platform}\x00{report.requester_id or report.task_id}".encode()
    return 1 << (int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big") % REQUESTER_BITS)


def requesters_agreed(contributor: Contributor) -> int:
    """About how many different requesters the contributor agreed with others on (saturates near 60)."""
    return contributor.agreed_requesters.bit_count()


# --- reports ------------------------------------------------------------------------------


def latest(old: Report | None, new: Report) -> Report:
    """The report to keep for (install, task): the latest attempt; a late-arriving older one changes nothing."""
    if old is None or new.ended_at >= old.ended_at:
        return new
    return old


def with_outcome(report: Report, status: str, at: float) -> Report:
    """Apply a later verdict (`approved`, `rejected`, `paid`) to the report it concerns."""
    if status == "paid":
        return replace(report, paid_delay_s=max(0.0, at - report.ended_at))
    return replace(report, review=status)


# --- tasks --------------------------------------------------------------------------------


def weighted_median(values: Sequence[float], weights: Sequence[float]) -> float:
    """The value splitting the weight in halves; the midpoint when two values share it exactly."""
    pairs = sorted(zip(values, weights, strict=True))
    total = sum(w for _, w in pairs)
    if total <= 0:
        return statistics.median(values)
    half, running = total / 2, 0.0
    for index, (value, weight) in enumerate(pairs):
        running += weight
        if running > half + 1e-9 * total:
            return value
        if running >= half - 1e-9 * total and index + 1 < len(pairs):
            return (value + pairs[index + 1][0]) / 2
    return pairs[-1][0]


#: Huber's tuning constant: reports within HUBER_K scales of the location count fully, the
#: others with a bounded pull (95% efficiency on clean data, bounded influence of a break).
HUBER_K = 1.0
#: Smallest scale used to decide what is an outlier (log axis): a few near-identical reports
#: must not turn an ordinary one into an outlier.
MIN_SCALE = 0.15


def robust_location(values: Sequence[float], weights: Sequence[float]) -> tuple[float, float | None, float]:
    """Weighted Huber location, MAD-based spread (None for one value) and agreeing weight of log durations.

    The agreeing weight is the reports' weight as Huber counts it at the location: an
    outlier (a break, a faked time) adds little to the precision it claims.
    """
    loc = weighted_median(values, weights)
    if len(values) < 2:
        return loc, None, sum(weights)
    scale = max(1.4826 * weighted_median([abs(x - loc) for x in values], weights), MIN_SCALE)
    pairs = list(zip(values, weights, strict=True))
    limit = HUBER_K * scale
    pulls = list(weights)
    for _ in range(30):  # iteratively reweighted; converges in a handful of steps
        pulls = [w if abs(x - loc) <= limit else w * limit / abs(x - loc) for x, w in pairs]
        total = sum(pulls)
        if total <= 0:
            break
        moved = sum(p * x for p, (x, _) in zip(pulls, pairs, strict=True)) / total
        converged = abs(moved - loc) < 1e-7
        loc = moved
        if converged:
            break
    return loc, 1.4826 * weighted_median([abs(x - loc) for x in values], weights), sum(pulls)


def task_aggregate(platform: str, task_id: str, requester_id: str | None, reports: Iterable[Report]) -> TaskAggregate:
    """Recompute a task's aggregate from its reports (one per contributor)."""
    task = TaskAggregate(platform, task_id, requester_id)
    logs: list[float] = []
    weights: list[float] = []
    for report in reports:
        if report.trust <= 0:
            continue  # a discounted install's reports stop counting altogether (trust() is 0 only then)
        task.attempts += 1
        task.first_seen = report.ended_at if task.first_seen is None else min(task.first_seen, report.ended_at)
        if report.advertised_s is not None:
            task.advertised_s = report.advertised_s
        if report.allotted_s is not None:
            task.allotted_s = report.allotted_s
        task.reward_amount, task.currency = report.reward_amount, report.currency
        if report.outcome in UNPAID_OUTCOMES:
            task.unpaid_s += report.active_s
            task.screened_out += report.outcome == "screened_out"
            task.returned += report.outcome == "returned"
            task.timed_out += report.outcome == "timed_out"
        elif report.outcome == SUBMITTED and report.active_s > 0:
            task.reports += 1
            if report.trust > 0:
                logs.append(math.log(report.active_s) - report.speed)
                weights.append(report.trust)
            if report.review is not None:
                task.reviewed += 1
                task.rejected += report.review == "rejected"
            if report.paid_delay_s is not None:
                task.paid += 1
                task.log_paid_delay_sum += math.log1p(report.paid_delay_s)
    if task.reward_amount is not None and task.currency is not None:
        task.reward_eur = to_eur(float(task.reward_amount), task.currency)
    if logs:
        task.loc, task.spread, task.weight = robust_location(logs, weights)
        task.weight_sq = sum(w * w for w in weights)
    return task


def without(task_reports: Sequence[Report], install_id: str) -> list[Report]:
    return [r for r in task_reports if r.install_id != install_id]


@dataclass(slots=True)
class Folded:
    """What folding one report changes: the contributor, the task's reports and aggregate, the group delta."""

    contributor: Contributor
    reports: list[Report]
    task: TaskAggregate
    delta: dict[str, float]
    changed: bool


def fold(contributor: Contributor, task_reports: Sequence[Report], task: TaskAggregate | None, report: Report) -> Folded:
    """The reference sequence a store runs for one new report (the stores and bench/ follow it).

    `task_reports` are the task's current reports (one per contributor) and `task` its stored
    aggregate (None for a new task). The store then writes the contributor, the kept report,
    the task aggregate, and adds `delta` to the requester's and the platform's groups.
    """
    old = next((r for r in task_reports if r.install_id == report.install_id), None)
    # The same timing twice (a retried batch that slipped past the store's key check) changes nothing.
    same = old is not None and old.idempotency_key == report.idempotency_key
    if same or latest(old, report) is not report:
        unchanged = task or task_aggregate(report.platform, report.task_id, report.requester_id, task_reports)
        return Folded(contributor, list(task_reports), unchanged, {}, False)
    others = without(task_reports, report.install_id)
    consensus = task_aggregate(report.platform, report.task_id, report.requester_id, others)
    contributor = contributor_after(contributor, report, consensus)
    kept = replace(report, speed=speed(contributor), trust=trust(contributor))
    reports = [*others, kept][-MAX_REPORTS_PER_TASK:]
    after = task_aggregate(report.platform, report.task_id, report.requester_id, reports)
    return Folded(contributor, reports, after, group_delta(task, after), True)


# --- groups -------------------------------------------------------------------------------


def contribution(task: TaskAggregate | None) -> dict[str, float]:
    """What one task adds to its requester's and its platform's GroupAggregate."""
    if task is None:
        return dict.fromkeys(ADDITIVE, 0.0)
    has_loc = task.loc is not None
    ratio = has_loc and task.advertised_s is not None
    weight = min(task.weight, 3.0)  # one task cannot dominate its requester
    log_ratio = task.loc - math.log(task.advertised_s) if ratio else 0.0
    has_spread = task.spread is not None
    has_hourly = has_loc and task.reward_eur is not None and task.reward_eur > 0
    log_hourly = math.log(task.reward_eur * 3600.0) - task.loc if has_hourly else 0.0
    return {
        "tasks": float(task.reports > 0),
        "reports": task.reports,
        "attempts": task.attempts,
        "screened_out": task.screened_out,
        "returned": task.returned,
        "timed_out": task.timed_out,
        "unpaid_s": task.unpaid_s,
        "completed_s": task.reports * math.exp(task.loc) if has_loc else 0.0,
        "loc_w": weight if has_loc else 0.0,
        "loc_sum": weight * task.loc if has_loc else 0.0,
        "ratio_w": weight if ratio else 0.0,
        "ratio_sum": weight * log_ratio,
        "reviewed": task.reviewed,
        "rejected": task.rejected,
        "paid": task.paid,
        "log_paid_delay_sum": task.log_paid_delay_sum,
        "ratio_sq": weight * log_ratio**2,
        "loc_sq": weight * task.loc**2 if has_loc else 0.0,
        "spread_w": weight if has_spread else 0.0,
        "spread_sum": weight * task.spread if has_spread else 0.0,
        "pay_eur": task.reports * task.reward_eur if has_loc and task.reward_eur is not None else 0.0,
        "hourly_w": weight if has_hourly else 0.0,
        "hourly_sum": weight * log_hourly,
        "hourly_sq": weight * log_hourly**2,
    }


def group_delta(old: TaskAggregate | None, new: TaskAggregate) -> dict[str, float]:
    """Increments to apply to the task's requester and platform groups; zero entries dropped."""
    before, after = contribution(old), contribution(new)
    return {name: after[name] - before[name] for name in ADDITIVE if after[name] != before[name]}


def apply_delta(group: GroupAggregate, delta: Mapping[str, float], first_seen: float | None) -> GroupAggregate:
    """In-memory equivalent of the store's increment (for tests, benchmarks and migrations)."""
    changed = {name: getattr(group, name) + value for name, value in delta.items()}
    if first_seen is not None:
        changed["first_seen"] = first_seen if group.first_seen is None else min(group.first_seen, first_seen)
    return replace(group, **changed)


def as_row(record: object) -> dict[str, object]:
    """A record as a flat dict (SQLite row / MongoDB document body)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}  # type: ignore[arg-type]


__all__ = [
    "ADDITIVE",
    "Contributor",
    "GroupAggregate",
    "Report",
    "TaskAggregate",
    "apply_delta",
    "as_row",
    "contribution",
    "contributor_after",
    "fold",
    "group_delta",
    "latest",
    "speed",
    "task_aggregate",
    "trust",
    "with_outcome",
    "without",
]
