"""Wage figures for the dashboard, from task aggregates (pure functions, no I/O).

A task's hourly median is its reward over the typical duration the community measured
(`exp(loc)`, speed-adjusted), in euros at the rates of when it was folded (`reward_eur`), then
shown in the currency of the configured threshold. Distributions are weighted by reports:
a task 40 workers did counts 40 times as much as a task one worker did.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..aggregates import TaskAggregate, weighted_median
from ..money import to_currency
from ..store.admin import WeeklyReports


@dataclass(frozen=True, slots=True)
class TaskWage:
    platform: str
    task_id: str
    requester_id: str | None
    hourly: float  # in the display currency
    reports: int


def eur_factor(currency: str) -> float:
    """Units of `currency` for one euro (to show EUR aggregates in the threshold's currency)."""
    return float(to_currency(Decimal(1), "EUR", currency))


def task_hourly_eur(task: TaskAggregate) -> float | None:
    if task.loc is None or task.reward_eur is None or task.reports <= 0:
        return None
    return task.reward_eur * 3600.0 / math.exp(task.loc)


def task_wages(tasks: Iterable[TaskAggregate], currency: str) -> list[TaskWage]:
    factor = eur_factor(currency)
    wages = []
    for task in tasks:
        hourly = task_hourly_eur(task)
        if hourly is not None:
            wages.append(TaskWage(task.platform, task.task_id, task.requester_id, hourly * factor, task.reports))
    return wages


def weighted_share_below(values: Sequence[float], weights: Sequence[float], limit: float) -> float | None:
    total = sum(weights)
    if total <= 0:
        return None
    return sum(w for v, w in zip(values, weights, strict=True) if v < limit) / total


def nice_step(span: float, buckets: int) -> float:
    """A round bucket width (1, 2, 2.5 or 5 times a power of ten) giving about `buckets` buckets."""
    raw = max(span / buckets, 1e-9)
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * power:
            return multiple * power
    return 10 * power


@dataclass(frozen=True, slots=True)
class Histogram:
    edges: list[float]  # lower edge of each bucket; the last bucket is open-ended
    shares: dict[str, list[float]]  # platform -> share of its reports in each bucket (0..1)

    def labels(self) -> list[str]:
        def fmt(x: float) -> str:
            return f"{x:g}"

        last = len(self.edges) - 1
        return [f"{fmt(lo)}–{fmt(self.edges[i + 1])}" if i < last else f"≥ {fmt(lo)}" for i, lo in enumerate(self.edges)]


def histogram(wages: Sequence[TaskWage], threshold: float, buckets: int = 12) -> Histogram:
    """Report-weighted distribution of task hourly medians per platform, on shared buckets.

    The buckets span twice the threshold, so the threshold sits mid-chart whatever the currency."""
    step = nice_step(2 * threshold, buckets)
    count = math.ceil(2 * threshold / step) + 1
    edges = [round(i * step, 6) for i in range(count)]
    totals: dict[str, float] = defaultdict(float)
    weights: dict[str, list[float]] = defaultdict(lambda: [0.0] * count)
    for wage in wages:
        index = min(count - 1, int(wage.hourly // step))
        weights[wage.platform][index] += wage.reports
        totals[wage.platform] += wage.reports
    shares = {platform: [w / totals[platform] for w in row] for platform, row in sorted(weights.items())}
    return Histogram(edges, shares)


@dataclass(frozen=True, slots=True)
class PlatformWages:
    platform: str
    tasks: int
    reports: int
    median: float | None
    below: dict[str, float | None]  # threshold label -> share of reports below it


def per_platform(wages: Sequence[TaskWage], thresholds: dict[str, float]) -> list[PlatformWages]:
    by_platform: dict[str, list[TaskWage]] = defaultdict(list)
    for wage in wages:
        by_platform[wage.platform].append(wage)
    rows = []
    for platform, group in sorted(by_platform.items()):
        values = [w.hourly for w in group]
        weights = [float(w.reports) for w in group]
        rows.append(PlatformWages(
            platform,
            len(group),
            sum(w.reports for w in group),
            weighted_median(values, weights),
            {label: weighted_share_below(values, weights, limit) for label, limit in thresholds.items()},
        ))
    return rows


@dataclass(frozen=True, slots=True)
class WeeklyWages:
    week: str
    platform: str
    reports: int
    median: float
    below: dict[str, float]


def weekly(reports: Iterable[WeeklyReports], wages: Sequence[TaskWage], thresholds: dict[str, float]) -> list[WeeklyWages]:
    """Per week and platform: the median hourly and the share below each threshold, weighted by that week's reports.

    A task's hourly is its current estimate; what moves from week to week is which tasks workers did."""
    hourly = {(w.platform, w.task_id): w.hourly for w in wages}
    cells: dict[tuple[str, str], tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for row in reports:
        value = hourly.get((row.platform, row.task_id))
        if value is not None and row.reports > 0:
            values, weights = cells[(row.week, row.platform)]
            values.append(value)
            weights.append(float(row.reports))
    result = []
    for (week, platform), (values, weights) in sorted(cells.items()):
        result.append(WeeklyWages(
            week,
            platform,
            int(sum(weights)),
            weighted_median(values, weights),
            {label: weighted_share_below(values, weights, limit) or 0.0 for label, limit in thresholds.items()},
        ))
    return result
