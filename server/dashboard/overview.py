"""Overview: how much data arrives, from how many installs, covering which tasks and requesters."""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from aiohttp import web

from . import charts
from .pages import render, store

#: The overview's window.
DAYS = 30


def day_labels(now: float, days: int) -> list[str]:
    today = datetime.fromtimestamp(now, UTC).date()
    return [(today - timedelta(days=days - 1 - i)).isoformat() for i in range(days)]


async def overview(request: web.Request) -> web.StreamResponse:
    now = time.time()
    since = now - DAYS * 86400
    days = day_labels(now, DAYS)
    activity = await store(request).daily_activity(since)
    coverage = await store(request).coverage(active_since=since)
    index = {day: i for i, day in enumerate(days)}
    timings: dict[str, list[float | None]] = defaultdict(lambda: [0] * len(days))
    installs: dict[str, list[float | None]] = defaultdict(lambda: [0] * len(days))
    for row in activity:
        if row.day in index:
            timings[row.platform][index[row.day]] = row.timings
            installs[row.platform][index[row.day]] = row.installs
    return await render(
        request,
        "overview.html",
        active="overview",
        title="Overview",
        days=DAYS,
        coverage=coverage,
        totals={
            "timings": sum(c.timings for c in coverage),
            "tasks": sum(c.tasks for c in coverage),
            "requesters": sum(c.requesters for c in coverage),
        },
        timings_chart=charts.daily_line("Timings received per day", "timings", days, dict(sorted(timings.items()))),
        installs_chart=charts.daily_line("Active installs per day", "installs", days, dict(sorted(installs.items()))),
    )
