"""The warnings attached to a scored listing: pure functions over its estimate and aggregates.

Each warning is a code, a severity (`info`, `warn`, `danger`) and parameters; the extension
words them in the worker's language. Every threshold comes from the settings table.
Warnings are built as plain dicts in the wire shape of `shared_schema.Warning` (code,
severity, params): a scored batch carries hundreds of them, and building and dumping a
pydantic model each cost about 2 us more than the dict (tests/server/test_estimate.py checks
that every answer still validates as a `shared_schema.Score`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from shared_schema import Listing, Money

from .aggregates import GroupAggregate, TaskAggregate
from .errors import UnknownCurrency
from .money import to_currency

if TYPE_CHECKING:
    from .estimate import Duration

#: A warning in the wire shape of `shared_schema.Warning`: {"code", "severity", "params"}.
Warned = dict[str, Any]
#: Community flags that mean the requester may harm the worker, not just waste their time.
DANGEROUS_FLAGS = frozenset({"scam", "phishing", "personal_data"})
DAY_S = 86400.0


@lru_cache(maxsize=1024)
def _limits(currency: str, amount: str | Decimal, source: str, near_ratio: float) -> tuple[Decimal, Decimal, str] | None:
    """(threshold, near limit) in cents of `currency`, and the threshold as shown; None without a rate.

    Cached: a batch converts the same threshold into the same few reward currencies for every
    listing, and the rates are fixed for the life of the process.
    """
    try:
        limit = to_currency(Decimal(amount), source, currency)
    except UnknownCurrency:
        return None
    near = limit * Decimal(str(near_ratio))
    # scaleb moves the decimal point without rounding: cents compare exactly with these.
    return limit.scaleb(2), near.scaleb(2), f"{limit:.2f}"


def _cents(amount: str) -> int | Decimal:
    """A two-decimal amount string in cents (the estimator's figures always have two decimals)."""
    whole, _, fraction = amount.partition(".")
    if len(fraction) == 2 and whole.isdigit() and fraction.isdigit():
        return int(whole) * 100 + int(fraction)
    return Decimal(amount).scaleb(2)


def below_threshold(hourly: Mapping[str, str] | None, threshold: Money | None, settings: Any) -> Warned | None:
    """`below` when the median hourly wage is under the threshold, `near` under threshold x near ratio.

    `hourly` is the score's hourly range ({"median", "low", "high", "currency"}).
    """
    if hourly is None:
        return None
    currency = hourly["currency"]
    amount, source = (threshold.amount, threshold.currency) if threshold is not None else settings.default_threshold
    limits = _limits(currency, amount, source, settings.near_threshold_ratio)
    if limits is None:
        return None
    limit, near, shown = limits
    median = _cents(hourly["median"])
    if median < limit:
        level, severity = "below", "danger"
    elif median < near:
        level, severity = "near", "warn"
    else:
        return None
    return {"code": "below_threshold", "severity": severity,
            "params": {"hourly": hourly["median"], "threshold": shown, "currency": currency, "level": level}}


def duration_underestimated(listing: Listing, estimate: Duration | None, task: TaskAggregate | None,
                            settings: Any) -> Warned | None:
    """Measured (or requester-corrected) duration at least `underestimate_ratio` x the advertised one."""
    advertised = listing.advertised_duration_s or (task.advertised_s if task is not None else None)
    if estimate is None or advertised is None or estimate.basis not in ("task", "requester"):
        return None
    measured = estimate.median_s
    ratio = measured / advertised
    if ratio < settings.underestimate_ratio:
        return None
    return {"code": "duration_underestimated", "severity": "warn",
            "params": {"ratio": round(ratio, 2), "advertised_s": advertised, "measured_s": measured,
                       "basis": estimate.basis}}


def _observed(task: TaskAggregate | None, requester: GroupAggregate | None, count: str, enough: int):
    """The task when it has `enough` observations of `count`, else its requester, else None."""
    if task is not None and getattr(task, count) >= enough:
        return task, "task"
    if requester is not None and getattr(requester, count) >= enough:
        return requester, "requester"
    return None, None


def _rate_warning(code: str, task: TaskAggregate | None, requester: GroupAggregate | None, *, part: str,
                  whole: str, warn_at: float, settings: Any) -> Warned | None:
    """`code` when `part / whole`, on the task or else its requester, reaches `warn_at`."""
    scope, name = _observed(task, requester, whole, settings.min_rate_observations)
    if scope is None:
        return None
    rate = getattr(scope, part) / getattr(scope, whole)
    if rate < warn_at:
        return None
    return {"code": code, "severity": "warn",
            "params": {"rate": round(rate, 3), whole: int(getattr(scope, whole)), "scope": name}}


def screen_outs(task: TaskAggregate | None, requester: GroupAggregate | None, settings: Any) -> Warned | None:
    return _rate_warning("screen_outs", task, requester, part="screened_out", whole="attempts",
                         warn_at=settings.screen_out_rate_warn, settings=settings)


def rejections(task: TaskAggregate | None, requester: GroupAggregate | None, settings: Any) -> Warned | None:
    return _rate_warning("rejections", task, requester, part="rejected", whole="reviewed",
                         warn_at=settings.rejection_rate_warn, settings=settings)


def median_payment_delay_s(group: TaskAggregate | GroupAggregate) -> float | None:
    """Geometric mean of (1 + delay) minus one (the median when delays are log-normal), to the second."""
    return float(round(math.expm1(group.log_paid_delay_sum / group.paid))) if group.paid > 0 else None


def slow_payment(task: TaskAggregate | None, requester: GroupAggregate | None, settings: Any) -> Warned | None:
    scope, name = _observed(task, requester, "paid", settings.min_rate_observations)
    delay = None if scope is None else median_payment_delay_s(scope)
    if delay is None or delay <= settings.slow_payment_days * DAY_S:
        return None
    return {"code": "slow_payment", "severity": "warn",
            "params": {"days": round(delay / DAY_S, 1), "paid": int(scope.paid), "scope": name}}


def tight_time_allotted(listing: Listing, estimate: Duration | None, settings: Any) -> Warned | None:
    """The time allotted leaves too little margin over what the task may take (the interval's top)."""
    if estimate is None or listing.time_allotted_s is None:
        return None
    high_s = estimate.high_s
    if listing.time_allotted_s >= settings.tight_allotted_ratio * high_s:
        return None
    return {"code": "tight_time_allotted", "severity": "warn",
            "params": {"allotted_s": listing.time_allotted_s, "duration_high_s": high_s}}


def low_confidence(estimate: Duration | None, settings: Any) -> Warned | None:
    if estimate is None or estimate.reports >= settings.low_confidence_reports:
        return None
    return {"code": "low_confidence", "severity": "info", "params": {"reports": estimate.reports, "basis": estimate.basis}}


def new_requester(listing: Listing, requester: GroupAggregate | None, settings: Any, now: float) -> Warned | None:
    if listing.requester_id is None:
        return None
    first_seen = requester.first_seen if requester is not None else None
    if first_seen is not None and now - first_seen >= settings.new_requester_days * DAY_S:
        return None
    days = 0.0 if first_seen is None else max(0.0, (now - first_seen) / DAY_S)
    return {"code": "new_requester", "severity": "info", "params": {"days": round(days, 1)}}


def flagged(flags: Mapping[str, int] | None) -> list[Warned]:
    """One warning per approved flag reason: danger for scams, phishing and personal data."""
    if not flags:
        return []
    return [
        {"code": "flagged", "severity": "danger" if reason in DANGEROUS_FLAGS else "warn",
         "params": {"reason": reason, "count": count}}
        for reason, count in sorted(flags.items())
        if count > 0
    ]


def task_warnings(listing: Listing, estimate: Duration | None, hourly: Mapping[str, str] | None,
                  task: TaskAggregate | None, requester: GroupAggregate | None, *, threshold: Money | None,
                  settings: Any, now: float, flags: Mapping[str, int] | None = None) -> list[Warned]:
    """Every warning that applies to the listing, most serious first (in this order within a severity)."""
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
    danger, warn, info = [], [], []
    for warning in found:
        if warning is not None:
            severity = warning["severity"]
            (danger if severity == "danger" else warn if severity == "warn" else info).append(warning)
    return danger + warn + info


__all__ = ["DANGEROUS_FLAGS", "Warned", "below_threshold", "duration_underestimated", "flagged", "low_confidence",
           "median_payment_delay_s", "new_requester", "rejections", "screen_outs", "slow_payment",
           "task_warnings", "tight_time_allotted"]
