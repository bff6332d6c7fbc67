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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple, get_args

from shared_schema import FlagCount, HourlyRange, Listing, Money, RequesterSummary, Score
from shared_schema.requester import FlagReason

from .aggregates import GroupAggregate, TaskAggregate, contribution
from .hourly_pay import Unpaid, amount, effective_hourly, hourly_range, reward_units, unpaid
from .task_warnings import median_payment_delay_s, task_warnings

if TYPE_CHECKING:
    from .store.protocol import ScoreInputs

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


@dataclass(frozen=True, slots=True)
class Duration:
    """A duration estimate on the log axis: `loc` = log seconds, `sd` its standard deviation."""

    loc: float
    sd: float
    basis: str
    reports: int
    _seconds: tuple[int, int, int] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def seconds(self) -> tuple[int, int, int]:
        """(median, low, high) of the 80% interval in seconds, computed on first use (a score reads them often)."""
        if self._seconds is None:
            seconds = (_seconds(self.loc), _seconds(self.loc - Z80 * self.sd), _seconds(self.loc + Z80 * self.sd))
            object.__setattr__(self, "_seconds", seconds)
            return seconds
        return self._seconds

    @property
    def median_s(self) -> int:
        return self.seconds[0]

    @property
    def low_s(self) -> int:
        return self.seconds[1]

    @property
    def high_s(self) -> int:
        return self.seconds[2]


def _seconds(log_s: float) -> int:
    return max(1, round(math.exp(min(log_s, 20.0))))


# --- group statistics ---------------------------------------------------------------------


class GroupStats(NamedTuple):
    """A requester's or platform's figures, read from its additive sums.

    A NamedTuple rather than a frozen dataclass: two are built per scored listing, and a
    frozen dataclass's __init__ (one object.__setattr__ per field) cost several times more.
    """

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


#: The GroupAggregate sums a group's statistics are read from.
STATS_SUMS = ("reports", "ratio_w", "ratio_sum", "ratio_sq", "loc_w", "loc_sum", "loc_sq", "spread_w", "spread_sum")
_read_sums = attrgetter(*STATS_SUMS)


def group_sums(group: GroupAggregate) -> tuple[float, ...]:
    """The group's STATS_SUMS as floats (computed once per group in a batch)."""
    return tuple(map(float, _read_sums(group)))


def stats_of(sums: tuple[float, ...], minus: Mapping[str, float] | None) -> GroupStats:
    """A group's figures from its sums, without `minus` (a task's `aggregates.contribution`) when given."""
    reports, ratio_w, ratio_sum, ratio_sq, loc_w, loc_sum, loc_sq, spread_w, spread_sum = sums
    if minus is not None:
        reports -= minus["reports"]
        ratio_w -= minus["ratio_w"]
        ratio_sum -= minus["ratio_sum"]
        ratio_sq -= minus["ratio_sq"]
        loc_w -= minus["loc_w"]
        loc_sum -= minus["loc_sum"]
        loc_sq -= minus["loc_sq"]
        spread_w -= minus["spread_w"]
        spread_sum -= minus["spread_sum"]
    ratio_mean, ratio_var = _mean_var(ratio_w, ratio_sum, ratio_sq)
    loc_mean, loc_var = _mean_var(loc_w, loc_sum, loc_sq)
    spread = spread_sum / spread_w if spread_w > 1e-9 else None
    return GroupStats(max(0.0, reports), ratio_w, ratio_mean, ratio_var, loc_w, loc_mean, loc_var, spread_w, spread)


def group_stats(group: GroupAggregate | None, minus: TaskAggregate | None = None) -> GroupStats | None:
    """The group's figures without the task `minus` (so a task's reports are never counted twice)."""
    if group is None:
        return None
    return stats_of(group_sums(group), None if minus is None else contribution(minus))


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


def prior(advertised: int | None, requester: GroupStats | None, platform: GroupStats | None) -> Duration | None:
    """What a task advertised as `advertised` seconds (or not) should take before looking at its own reports."""
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
    return _Scorer(settings, None, 0.0).duration(listing.advertised_duration_s, task, requester, platform)


def blend(advertised: int | None, task: TaskAggregate | None, requester: GroupStats | None,
          platform: GroupStats | None) -> Duration | None:
    """The task's reports blended with its prior (the groups' statistics already without the task)."""
    before = prior(advertised, requester, platform)
    if task is None or task.loc is None or task.weight <= 0:
        return before
    spread = _within_spread(platform)
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


# --- the public functions -----------------------------------------------------------------


class _Scorer:
    """Scores listings against one batch's aggregates, computing what depends only on a group once.

    A group's statistics leave out the scored task's own contribution (its reports must not
    count twice), so they differ per timed task; what is shared is each group's sums, read
    once, and for tasks nobody timed yet the whole statistics of their requester and platform.
    """

    def __init__(self, settings: Any, threshold: Money | None, now: float) -> None:
        self.settings, self.threshold, self.now = settings, threshold, now
        self._sums: dict[tuple[str, str | None], tuple[float, ...]] = {}
        self._whole: dict[tuple[str, str | None], GroupStats | None] = {}

    def _stats(self, group: GroupAggregate | None, minus: Mapping[str, float] | None) -> GroupStats | None:
        if group is None:
            return None
        key = (group.platform, group.requester_id)
        if minus is None and key in self._whole:
            return self._whole[key]
        sums = self._sums.get(key)
        if sums is None:
            sums = self._sums[key] = group_sums(group)
        stats = _usable(stats_of(sums, minus), self.settings)
        if minus is None:
            self._whole[key] = stats
        return stats

    def duration(self, advertised: int | None, task: TaskAggregate | None, requester: GroupAggregate | None,
                 platform: GroupAggregate | None) -> Duration | None:
        minus = None if task is None else contribution(task)
        return blend(advertised, task, self._stats(requester, minus), self._stats(platform, minus))

    def score(self, listing: Listing, task: TaskAggregate | None, requester: GroupAggregate | None,
              platform: GroupAggregate | None, flags: Mapping[str, int] | None) -> dict[str, Any]:
        settings = self.settings
        estimate = self.duration(listing.advertised_duration_s, task, requester, platform)
        hourly = effective = duration_s = None
        if estimate is not None:
            reward = listing.reward
            units = reward_units(reward.amount)
            hourly = hourly_range(reward, estimate, units)
            effective = effective_hourly(reward, estimate, unpaid(task, requester, platform, settings=settings), units)
            median_s, low_s, high_s = estimate.seconds
            duration_s = {"median": median_s, "low": low_s, "high": high_s}
        return {
            "task_id": listing.task_id,
            "hourly": hourly,
            "effective_hourly": effective,
            "duration_s": duration_s,
            "basis": "none" if estimate is None else estimate.basis,
            "reports": 0 if task is None else task.reports,
            "warnings": task_warnings(listing, estimate, hourly, task, requester, threshold=self.threshold,
                                      settings=settings, now=self.now, flags=flags),
        }


def score_batch(listings: Sequence[Listing], inputs: ScoreInputs, *, threshold: Money | None, settings: Any,
                now: float) -> list[dict[str, Any]]:
    """Each listing's score, in order, as a plain dict in the wire shape of `shared_schema.Score`.

    The answer of POST /v1/score: building hundreds of pydantic models per batch (and dumping
    them again) cost more than the estimate itself, so the figures are built as the dicts
    they serialize to; `score` validates the same dict into a `Score` for single use, and
    tests/server/test_estimate.py checks that both agree and validate.
    """
    scorer = _Scorer(settings, threshold, now)
    tasks, groups, flags = inputs.tasks, inputs.groups, inputs.flags
    scores = []
    for listing in listings:
        platform = listing.platform
        requester = (platform, listing.requester_id) if listing.requester_id is not None else None
        scores.append(scorer.score(
            listing,
            tasks.get((platform, listing.task_id)),
            groups.get(requester) if requester is not None else None,
            groups.get((platform, None)),
            flags.get(requester) if requester is not None else None,
        ))
    return scores


def score(listing: Listing, task: TaskAggregate | None, requester: GroupAggregate | None,
          platform: GroupAggregate | None, *, threshold: Money | None, settings: Any, now: float,
          flags: Mapping[str, int] | None = None) -> Score:
    """The listing's expected hourly pay, duration, basis and warnings."""
    return Score.model_validate(_Scorer(settings, threshold, now).score(listing, task, requester, platform, flags))


def _rate(part: float, whole: float) -> float | None:
    return None if whole <= 0 else min(1.0, max(0.0, part / whole))


def requester_summary(group: GroupAggregate, *, settings: Any, now: float,
                      flags: Mapping[str, int] | None = None) -> RequesterSummary:
    """What the community measured about one requester (figures in EUR)."""
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


__all__ = ["Duration", "GroupStats", "Unpaid", "blend", "duration", "effective_hourly", "group_stats", "group_sums",
           "hourly_range", "prior", "requester_summary", "score", "score_batch", "stats_of", "unpaid"]
