"""Wages: what the community's tasks pay per hour, per platform, and how that moves week by week."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from aiohttp import web

from . import charts, wage_stats
from .pages import render, settings, store

#: Weeks shown in the charts over time.
WEEKS = 26
MIN_WEEKS = 8


def thresholds(config: object) -> tuple[str, dict[str, float]]:
    """The configured thresholds, labelled, in the default threshold's currency."""
    amount, currency = config.default_threshold  # type: ignore[attr-defined]
    near = float(amount) * config.near_threshold_ratio  # type: ignore[attr-defined]
    return currency, {
        f"below {amount} {currency}": float(amount),
        f"below {near:.2f} {currency} (near)": near,
    }


def week_labels(now: float, weeks: int) -> list[str]:
    today = datetime.fromtimestamp(now, UTC).date()
    monday = today - timedelta(days=today.weekday())
    return [(monday - timedelta(weeks=weeks - 1 - i)).isoformat() for i in range(weeks)]


async def wages(request: web.Request) -> web.StreamResponse:
    now = time.time()
    currency, limits = thresholds(settings(request))
    threshold = next(iter(limits.values()))
    weeks = week_labels(now, WEEKS)
    since = datetime.combine(date.fromisoformat(weeks[0]), datetime.min.time(), UTC).timestamp()
    tasks = await store(request).task_aggregates()
    reports = await store(request).weekly_reports(since)

    def figures() -> tuple[wage_stats.Histogram, list[wage_stats.PlatformWages], list[wage_stats.WeeklyWages]]:
        task_wages = wage_stats.task_wages(tasks, currency)
        return (wage_stats.histogram(task_wages, threshold), wage_stats.per_platform(task_wages, limits),
                wage_stats.weekly(reports, task_wages, limits))

    # Off the event loop: with 100k tasks this is about half a second the API's callers need not wait for.
    histogram, platforms, weekly = await asyncio.to_thread(figures)
    # Start the charts at the first week with data (at least MIN_WEEKS back), not half a year of blanks.
    first = min((row.week for row in weekly if row.week in weeks), default=weeks[-1])
    weeks = weeks[min(weeks.index(first), len(weeks) - MIN_WEEKS):]
    index = {week: i for i, week in enumerate(weeks)}
    medians: dict[str, list[float | None]] = defaultdict(lambda: [None] * len(weeks))
    below: dict[str, list[float | None]] = defaultdict(lambda: [None] * len(weeks))
    first_limit = next(iter(limits))
    for row in weekly:
        if row.week in index:
            medians[row.platform][index[row.week]] = round(row.median, 2)
            below[row.platform][index[row.week]] = round(100 * row.below[first_limit], 1)
    return await render(
        request,
        "wages.html",
        active="wages",
        title="Wages",
        currency=currency,
        limits=list(limits),
        platforms=platforms,
        histogram_chart=charts.hourly_histogram(
            f"Task hourly medians, share of reports ({currency}/h)", "% of the platform's reports", histogram, currency),
        median_chart=charts.weekly_line(f"Median hourly per week ({currency}/h)", f"{currency}/h", weeks, dict(sorted(medians.items()))),
        below_chart=charts.weekly_line(f"Share of reports {first_limit}", "% of reports", weeks, dict(sorted(below.items())), unit="%"),
    )
