"""The warnings attached to a scored listing: pure functions over its estimate and aggregates.

Each warning is a code, a severity (`info`, `warn`, `danger`) and parameters; the extension
words them in the worker's language. Every threshold comes from the settings table.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from shared_schema import HourlyRange, Listing, Money, Warning

from .aggregates import GroupAggregate, TaskAggregate
from .errors import UnknownCurrency
from .money import to_currency

if TYPE_CHECKING:
    from .estimate import Duration

#: Community flags that mean the requester may harm the worker, not just waste their time.
DANGEROUS_FLAGS = frozenset({"scam", "phishing", "personal_data"})
DAY_S = 86400.0


def threshold_in(currency: str, threshold: Money | None, settings: Any) -> Decimal | None:
    """The worker's hourly threshold in `currency`; None when no rate converts it."""
    if threshold is not None:
        value, source = threshold.value, threshold.currency
    else:
        value, source = settings.default_threshold
    try:
        return to_currency(value, source, currency)
    except UnknownCurrency:
        return None


def below_threshold(hourly: HourlyRange | None, threshold: Money | None, settings: Any) -> Warning | None:
    """`below` when the median hourly wage is under the threshold, `near` under threshold x near ratio."""
    if hourly is None:
        return None
    limit = threshold_in(hourly.currency, threshold, settings)
    if limit is None:
        return None
    median = Decimal(hourly.median)
    params = {"hourly": hourly.median, "threshold": f"{limit:.2f}", "currency": hourly.currency}
    if median < limit:
        return Warning(code="below_threshold", severity="danger", params={**params, "level": "below"})
    if median < limit * Decimal(str(settings.near_threshold_ratio)):
        return Warning(code="below_threshold", severity="warn", params={**params, "level": "near"})
    return None


def duration_underestimated(listing: Listing, estimate: Duration | None, task: TaskAggregate | None,
                            settings: Any) -> Warning | None:
    """Measured (or requester-corrected) duration at least `underestimate_ratio` x the advertised one."""
    advertised = listing.advertised_duration_s or (task.advertised_s if task is not None else None)
    if estimate is None or advertised is None or estimate.basis not in ("task", "requester"):
        return None
    ratio = estimate.median_s / advertised
    if ratio < settings.underestimate_ratio:
        return None
    return Warning(code="duration_underestimated", severity="warn",
                   params={"ratio": round(ratio, 2), "advertised_s": advertised, "measured_s": estimate.median_s,
                           "basis": estimate.basis})


def _observed(task: TaskAggregate | None, requester: GroupAggregate | None, count: str, enough: int):
    """The task when it has `enough` observations of `count`, else its requester, else None."""
    for scope, name in ((task, "task"), (requester, "requester")):
        if scope is not None and getattr(scope, count) >= enough:
            return scope, name
    return None, None


def screen_outs(task: TaskAggregate | None, requester: GroupAggregate | None, settings: Any) -> Warning | None:
    scope, name = _observed(task, requester, "attempts", settings.min_rate_observations)
    if scope is None:
        return None
    rate = scope.screened_out / scope.attempts
    if rate < settings.screen_out_rate_warn:
        return None
    return Warning(code="screen_outs", severity="warn",
                   params={"rate": round(rate, 3), "attempts": int(scope.attempts), "scope": name})


def rejections(task: TaskAggregate | None, requester: GroupAggregate | None, settings: Any) -> Warning | None:
    scope, name = _observed(task, requester, "reviewed", settings.min_rate_observations)
    if scope is None:
        return None
    rate = scope.rejected / scope.reviewed
    if rate < settings.rejection_rate_warn:
        return None
    return Warning(code="rejections", severity="warn",
                   params={"rate": round(rate, 3), "reviewed": int(scope.reviewed), "scope": name})


def median_payment_delay_s(group: TaskAggregate | GroupAggregate) -> float | None:
    """Geometric mean of (1 + delay) minus one (the median when delays are log-normal), to the second."""
    return float(round(math.expm1(group.log_paid_delay_sum / group.paid))) if group.paid > 0 else None


def slow_payment(task: TaskAggregate | None, requester: GroupAggregate | None, settings: Any) -> Warning | None:
    scope, name = _observed(task, requester, "paid", settings.min_rate_observations)
    delay = None if scope is None else median_payment_delay_s(scope)
    if delay is None or delay <= settings.slow_payment_days * DAY_S:
        return None
    return Warning(code="slow_payment", severity="warn",
                   params={"days": round(delay / DAY_S, 1), "paid": int(scope.paid), "scope": name})


def tight_time_allotted(listing: Listing, estimate: Duration | None, settings: Any) -> Warning | None:
    """The time allotted leaves too little margin over what the task may take (the interval's top)."""
    if estimate is None or listing.time_allotted_s is None:
        return None
    if listing.time_allotted_s >= settings.tight_allotted_ratio * estimate.high_s:
        return None
    return Warning(code="tight_time_allotted", severity="warn",
                   params={"allotted_s": listing.time_allotted_s, "duration_high_s": estimate.high_s})


def low_confidence(estimate: Duration | None, settings: Any) -> Warning | None:
    if estimate is None or estimate.reports >= settings.low_confidence_reports:
        return None
    return Warning(code="low_confidence", severity="info", params={"reports": estimate.reports, "basis": estimate.basis})


def new_requester(listing: Listing, requester: GroupAggregate | None, settings: Any, now: float) -> Warning | None:
    if listing.requester_id is None:
        return None
    first_seen = requester.first_seen if requester is not None else None
    if first_seen is not None and now - first_seen >= settings.new_requester_days * DAY_S:
        return None
    days = 0.0 if first_seen is None else max(0.0, (now - first_seen) / DAY_S)
    return Warning(code="new_requester", severity="info", params={"days": round(days, 1)})


def flagged(flags: Mapping[str, int] | None) -> list[Warning]:
    """One warning per approved flag reason: danger for scams, phishing and personal data."""
    return [
        Warning(code="flagged", severity="danger" if reason in DANGEROUS_FLAGS else "warn",
                params={"reason": reason, "count": count})
        for reason, count in sorted((flags or {}).items())
        if count > 0
    ]


def task_warnings(listing: Listing, estimate: Duration | None, hourly: HourlyRange | None,
                  task: TaskAggregate | None, requester: GroupAggregate | None, *, threshold: Money | None,
                  settings: Any, now: float, flags: Mapping[str, int] | None = None) -> list[Warning]:
    """Every warning that applies to the listing, most serious first."""
    found = [
        *flagged(flags),
        below_threshold(hourly, threshold, settings),
        duration_underestimated(listing, estimate, task, settings),
        screen_outs(task, requester, settings),
        rejections(task, requester, settings),
        slow_payment(task, requester, settings),
        tight_time_allotted(listing, estimate, settings),
        low_confidence(estimate, settings),
        new_requester(listing, requester, settings, now),
    ]
    order = {"danger": 0, "warn": 1, "info": 2}
    return sorted((w for w in found if w is not None), key=lambda w: order[w.severity])


__all__ = ["DANGEROUS_FLAGS", "below_threshold", "duration_underestimated", "flagged", "low_confidence",
           "median_payment_delay_s", "new_requester", "rejections", "screen_outs", "slow_payment",
           "task_warnings", "threshold_in", "tight_time_allotted"]
