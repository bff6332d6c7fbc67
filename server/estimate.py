"""What a task really takes and pays, from the community's timings: pure functions, no I/O.

The duration of a task is estimated on the log scale (durations are multiplicative and
heavy-tailed: a break doubles a time, it never halves it), as a precision-weighted blend of:

- the task's own reports: the trust-weighted median of speed-adjusted log durations kept
  by `aggregates.task_aggregate`, with a precision growing with the effective number of
  trusted reports (sum of trusts) and shrinking with the spread between them;
- a prior: the listing's advertised duration corrected by its requester's measured /
  advertised ratio, itself shrunk towards the platform's ratio (or, with no advertised
  duration, the requester's or the platform's typical duration). The task's own
  contribution is taken out of its groups first, so that its reports are not counted twice.

The README's "How estimates are made" section gives the formulas.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, get_args

from shared_schema import DurationRange, FlagCount, HourlyRange, Listing, Money, RequesterSummary, Score
from shared_schema.requester import FlagReason

from .aggregates import GroupAggregate, TaskAggregate, contribution

#: z of the 10th and 90th percentiles of a normal: the interval is an 80% one.
Z80 = 1.2816
#: Within-task spread (log-scale standard deviation of speed-adjusted reports) assumed
#: before a platform has measured its own.
DEFAULT_SPREAD = 0.35
#: Pseudo-tasks of the spread's default behind a group's measured within-task spread.
SPREAD_PRIOR_TASKS = 3.0
#: Variance inflation of a weighted median over a mean (pi/2 for normal data).
MEDIAN_EFFICIENCY = math.pi / 2
#: Pseudo-tasks of the platform's ratio behind a requester's ratio (shrinkage towards the platform).
RATIO_PRIOR_TASKS = 2.0
#: Spread (log scale) of measured / advertised between tasks assumed before a group measures it.
DEFAULT_RATIO_SPREAD = 0.3
#: Uncertainty of an advertised duration taken on its own (basis `advertised`): about x1.65 either way.
ADVERTISED_SPREAD = 0.5
#: Prior and reports further apart than this many standard deviations are in conflict (see `duration`).
CONFLICT_K = 1.0
#: Smallest spread used anywhere: two agreeing reports do not make a certainty.
MIN_SPREAD = 0.05

_MONEY_STEP = Decimal("0.01")
_MONEY_MAX = Decimal("99999999.99")


@dataclass(frozen=True, slots=True)
class Duration:
    """A duration estimate on the log axis: `loc` = log seconds, `sd` its standard deviation."""

    loc: float
    sd: float
    basis: str
    reports: int

    @property
    def median_s(self) -> int:
        return _seconds(self.loc)

    @property
    def low_s(self) -> int:
        return _seconds(self.loc - Z80 * self.sd)

    @property
    def high_s(self) -> int:
        return _seconds(self.loc + Z80 * self.sd)


def _seconds(log_s: float) -> int:
    return max(1, round(math.exp(min(log_s, 20.0))))


# --- group statistics ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroupStats:
    """A requester's or platform's figures, read from its additive sums."""

    reports: float
    ratio_w: float
    ratio_mean: float | None  # mean log(measured / advertised) over its tasks
    ratio_var: float | None  # its variance between tasks
    loc_w: float
    loc_mean: float | None  # mean log duration over its tasks
    loc_var: float | None
    spread_w: float
    spread: float | None  # pooled within-task spread


def _mean_var(weight: float, total: float, squares: float) -> tuple[float | None, float | None]:
    if weight <= 1e-9:
        return None, None
    mean = total / weight
    return mean, max(0.0, squares / weight - mean * mean)


def group_stats(group: GroupAggregate | None, minus: TaskAggregate | None = None) -> GroupStats | None:
    """The group's figures without the task `minus` (so a task's reports are never counted twice)."""
    if group is None:
        return None
    sums = {name: float(getattr(group, name)) for name in contribution(None)}
    if minus is not None:
        for name, value in contribution(minus).items():
            sums[name] -= value
    ratio_mean, ratio_var = _mean_var(sums["ratio_w"], sums["ratio_sum"], sums["ratio_sq"])
    loc_mean, loc_var = _mean_var(sums["loc_w"], sums["loc_sum"], sums["loc_sq"])
    spread = sums["spread_sum"] / sums["spread_w"] if sums["spread_w"] > 1e-9 else None
    return GroupStats(max(0.0, sums["reports"]), sums["ratio_w"], ratio_mean, ratio_var,
                      sums["loc_w"], loc_mean, loc_var, sums["spread_w"], spread)


def _within_spread(platform: GroupStats | None) -> float:
    """Spread of speed-adjusted reports within one task, learnt from the platform."""
    if platform is None or platform.spread is None:
        return DEFAULT_SPREAD
    weight = platform.spread_w
    pooled = (weight * platform.spread + SPREAD_PRIOR_TASKS * DEFAULT_SPREAD) / (weight + SPREAD_PRIOR_TASKS)
    return max(MIN_SPREAD, pooled)


def _usable(stats: GroupStats | None, settings: Any) -> GroupStats | None:
    return stats if stats is not None and stats.reports >= settings.min_group_reports else None


def _shrunk(weight: float, mean: float, var: float, prior_mean: float, prior_var: float, prior_weight: float) -> tuple[float, float, float]:
    """(mean, between-task variance, variance of the mean) of a group shrunk towards its parent."""
    shrunk_mean = (weight * mean + prior_weight * prior_mean) / (weight + prior_weight)
    between = (weight * var + prior_weight * prior_var) / (weight + prior_weight)
    return shrunk_mean, between, between / (weight + prior_weight)


def prior(listing: Listing, requester: GroupStats | None, platform: GroupStats | None) -> Duration | None:
    """What the task should take before looking at its own reports."""
    advertised = listing.advertised_duration_s
    if advertised is not None:
        p_mean, p_var = (0.0, ADVERTISED_SPREAD**2)
        basis = "advertised"
        if platform is not None and platform.ratio_mean is not None:
            p_mean, p_var, p_mean_var = _shrunk(platform.ratio_w, platform.ratio_mean, platform.ratio_var or 0.0,
                                                0.0, ADVERTISED_SPREAD**2, RATIO_PRIOR_TASKS)
            p_var += p_mean_var
            basis = "platform"
        if requester is not None and requester.ratio_mean is not None:
            r_mean, r_var, r_mean_var = _shrunk(requester.ratio_w, requester.ratio_mean, requester.ratio_var or 0.0,
                                                p_mean, max(p_var, DEFAULT_RATIO_SPREAD**2), RATIO_PRIOR_TASKS)
            return Duration(math.log(advertised) + r_mean, math.sqrt(r_var + r_mean_var), "requester", 0)
        return Duration(math.log(advertised) + p_mean, math.sqrt(p_var), basis, 0)
    for stats, basis in ((requester, "requester"), (platform, "platform")):
        if stats is not None and stats.loc_mean is not None:
            between = stats.loc_var or 0.0
            return Duration(stats.loc_mean, math.sqrt(between + between / max(stats.loc_w, 1.0)), basis, 0)
    return None


def duration(listing: Listing, task: TaskAggregate | None, requester: GroupAggregate | None,
             platform: GroupAggregate | None, *, settings: Any) -> Duration | None:
    """The expected active duration of the listing's task, or None when nothing is known."""
    platform_stats = _usable(group_stats(platform, task), settings)
    requester_stats = _usable(group_stats(requester, task), settings)
    before = prior(listing, requester_stats, platform_stats)
    if task is None or task.loc is None or task.weight <= 0:
        return before
    spread = _within_spread(platform_stats)
    if task.spread is not None and task.reports > 1:
        # The task's own spread counts as much as its reports allow.
        spread = math.sqrt((SPREAD_PRIOR_TASKS * spread**2 + (task.reports - 1) * task.spread**2)
                           / (SPREAD_PRIOR_TASKS + task.reports - 1))
    spread = max(spread, MIN_SPREAD)
    data_precision = task.weight / (MEDIAN_EFFICIENCY * spread**2)
    if before is None:
        return Duration(task.loc, math.sqrt(1.0 / data_precision), "task", task.reports)
    prior_precision = 1.0 / max(before.sd, MIN_SPREAD) ** 2
    # Huber's rule between the prior and the reports: when they disagree by more than
    # CONFLICT_K standard deviations of their difference, the weaker side's precision is
    # scaled down so that its pull stays bounded. One break-inflated report is not a fact;
    # thirty agreeing reports say this task is not like its requester's others.
    conflict = abs(task.loc - before.loc) / math.sqrt(1.0 / data_precision + 1.0 / prior_precision)
    if conflict > CONFLICT_K:
        if data_precision < prior_precision:
            data_precision *= CONFLICT_K / conflict
        else:
            prior_precision *= CONFLICT_K / conflict
    precision = data_precision + prior_precision
    loc = (task.loc * data_precision + before.loc * prior_precision) / precision
    return Duration(loc, math.sqrt(1.0 / precision), "task", task.reports)


# --- money --------------------------------------------------------------------------------


def amount(value: Decimal) -> str:
    """A Money amount string: two decimals, within the wire format's bounds."""
    return str(min(max(value, Decimal(0)), _MONEY_MAX).quantize(_MONEY_STEP, rounding=ROUND_HALF_EVEN))


def _per_hour(reward: Decimal, seconds: float) -> Decimal:
    return reward * 3600 / Decimal(max(seconds, 1.0))


def hourly_range(reward: Money, estimate: Duration) -> HourlyRange:
    value = reward.value
    return HourlyRange(
        median=amount(_per_hour(value, estimate.median_s)),
        low=amount(_per_hour(value, estimate.high_s)),
        high=amount(_per_hour(value, estimate.low_s)),
        currency=reward.currency,
    )


@dataclass(frozen=True, slots=True)
class Unpaid:
    """Unpaid seconds per completed task and the rejection rate, and where they were observed."""

    seconds_per_completion: float
    rejection_rate: float
    scope: str  # task | requester | platform | none


def unpaid(task: TaskAggregate | None, requester: GroupAggregate | None, platform: GroupAggregate | None,
           *, settings: Any) -> Unpaid:
    """The task's own screen-outs, returns and rejections when it has enough attempts, else its requester's."""
    enough = settings.min_rate_observations
    time_scope = next((s for s in (task, requester) if s is not None and s.attempts >= enough and s.reports > 0), None)
    seconds = time_scope.unpaid_s / time_scope.reports if time_scope is not None else 0.0
    review_scope = next((s for s in (task, requester) if s is not None and s.reviewed >= enough), None)
    rejection = review_scope.rejected / review_scope.reviewed if review_scope is not None else 0.0
    scope = "none" if time_scope is None else ("task" if time_scope is task else "requester")
    return Unpaid(max(0.0, seconds), min(1.0, max(0.0, rejection)), scope)


def effective_hourly(reward: Money, estimate: Duration, charges: Unpaid) -> Money:
    """reward x (1 - rejection rate) / (duration + unpaid seconds per completed task), per hour."""
    paid = reward.value * (1 - Decimal(str(round(charges.rejection_rate, 6))))
    return Money(amount=amount(_per_hour(paid, estimate.median_s + charges.seconds_per_completion)),
                 currency=reward.currency)


# --- the public functions -----------------------------------------------------------------


def score(listing: Listing, task: TaskAggregate | None, requester: GroupAggregate | None,
          platform: GroupAggregate | None, *, threshold: Money | None, settings: Any, now: float,
          flags: Mapping[str, int] | None = None) -> Score:
    """The listing's expected hourly pay, duration, basis and warnings."""
    from .task_warnings import task_warnings  # it imports this module's Duration

    estimate = duration(listing, task, requester, platform, settings=settings)
    hourly = effective = None
    if estimate is not None:
        hourly = hourly_range(listing.reward, estimate)
        effective = effective_hourly(listing.reward, estimate, unpaid(task, requester, platform, settings=settings))
    warnings = task_warnings(listing, estimate, hourly, task, requester, threshold=threshold,
                             settings=settings, now=now, flags=flags)
    return Score(
        task_id=listing.task_id,
        hourly=hourly,
        effective_hourly=effective,
        duration_s=None if estimate is None else DurationRange(
            median=estimate.median_s, low=estimate.low_s, high=estimate.high_s),
        basis="none" if estimate is None else estimate.basis,
        reports=0 if task is None else task.reports,
        warnings=warnings,
    )


def _rate(part: float, whole: float) -> float | None:
    return None if whole <= 0 else min(1.0, max(0.0, part / whole))


def requester_summary(group: GroupAggregate, *, settings: Any, now: float,
                      flags: Mapping[str, int] | None = None) -> RequesterSummary:
    """What the community measured about one requester (figures in EUR)."""
    from .task_warnings import median_payment_delay_s

    hourly = effective = None
    mean, var = _mean_var(group.hourly_w, group.hourly_sum, group.hourly_sq)
    if mean is not None and var is not None:
        # The range is where 80% of its tasks' hourly wages lie, not the uncertainty of the mean.
        spread = math.sqrt(var + var / max(group.hourly_w, 1.0))
        hourly = HourlyRange(
            median=amount(Decimal(str(math.exp(mean)))),
            low=amount(Decimal(str(math.exp(mean - Z80 * spread)))),
            high=amount(Decimal(str(math.exp(mean + Z80 * spread)))),
            currency="EUR",
        )
    rejection = _rate(group.rejected, group.reviewed) if group.reviewed >= settings.min_rate_observations else None
    if hourly is not None and mean is not None and group.completed_s > 0:
        # The same typical hourly wage as `hourly`, charged with the share of time that went unpaid
        # (screen-outs, returns, time-outs) and with rejections; pooled pay / pooled time would be
        # another average, and could then read above the median it is meant to discount.
        paid_share = group.completed_s / (group.completed_s + max(0.0, group.unpaid_s))
        value = math.exp(mean) * paid_share * (1.0 - (rejection or 0.0))
        effective = Money(amount=amount(Decimal(str(value))), currency="EUR")
    ratio = math.exp(group.ratio_sum / group.ratio_w) if group.ratio_w > 1e-9 else None
    delay = median_payment_delay_s(group)
    reasons = get_args(FlagReason)
    return RequesterSummary(
        platform=group.platform,
        requester_id=group.requester_id or "",
        tasks=max(0, round(group.tasks)),
        reports=max(0, round(group.reports)),
        hourly=hourly,
        effective_hourly=effective,
        duration_ratio=None if ratio is None else round(ratio, 3),
        screen_out_rate=_rate(group.screened_out, group.attempts),
        return_rate=_rate(group.returned, group.attempts),
        rejection_rate=_rate(group.rejected, group.reviewed),
        median_payment_delay_s=None if delay is None else max(0, round(delay)),
        first_seen=None if group.first_seen is None else datetime.fromtimestamp(group.first_seen, UTC),
        flags=[FlagCount(reason=reason, count=count) for reason, count in sorted((flags or {}).items())
               if reason in reasons and count > 0],
    )


__all__ = ["Duration", "GroupStats", "duration", "effective_hourly", "group_stats", "hourly_range",
           "requester_summary", "score", "unpaid"]
