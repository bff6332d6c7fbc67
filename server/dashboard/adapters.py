"""Adapter health: which site adapters stopped reading listings, and since when.

The extension sends `POST /v1/adapter-health` when an adapter matched a page; the store
sums the events per adapter and day. A day on which every event read no listing is a
failing day; an adapter whose latest reported day fails "stopped matching", since the first
failing day after the last day it read listings.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from aiohttp import web

from ..store.admin import AdapterHealthDay
from . import charts
from .overview import day_labels
from .pages import render, store

#: Days of events shown and considered.
DAYS = 60
CHART_DAYS = 30

STOPPED, PARTIAL, OK = "stopped matching", "partly failing", "ok"


@dataclass(frozen=True, slots=True)
class AdapterStatus:
    adapter: str
    status: str
    since: str | None  # first failing day of the current failure
    last_ok: str | None  # last day it read listings
    last_seen: str
    version: str | None
    events: int  # in the window
    empty: int  # ... that read nothing


def statuses(days: Iterable[AdapterHealthDay]) -> list[AdapterStatus]:
    """One status per adapter, the failing ones first."""
    by_adapter: dict[str, list[AdapterHealthDay]] = defaultdict(list)
    for day in days:
        by_adapter[day.adapter].append(day)
    result = []
    for adapter, rows in by_adapter.items():
        rows.sort(key=lambda r: r.day)
        latest = rows[-1]
        good = [r.day for r in rows if r.empty < r.events]
        last_ok = good[-1] if good else None
        failing_after = [r.day for r in rows if r.empty > 0 and (last_ok is None or r.day > last_ok)]
        if latest.empty == 0:
            status = OK
        elif latest.empty >= latest.events:
            status = STOPPED
        else:
            status = PARTIAL
        if status == PARTIAL:
            # Still reads some pages: "since" is the start of the current run of days with failures.
            run = []
            for row in reversed(rows):
                if row.empty == 0:
                    break
                run.append(row.day)
            since = run[-1]
        else:
            since = failing_after[0] if status == STOPPED and failing_after else None
        result.append(AdapterStatus(
            adapter, status, since, last_ok, latest.day, latest.version,
            sum(r.events for r in rows), sum(r.empty for r in rows),
        ))
    order = {STOPPED: 0, PARTIAL: 1, OK: 2}
    return sorted(result, key=lambda s: (order[s.status], s.adapter))


async def adapter_health(request: web.Request) -> web.StreamResponse:
    now = time.time()
    window = day_labels(now, DAYS)
    days = await store(request).adapter_health(window[0])
    adapters = statuses(days)
    chart_days = window[-CHART_DAYS:]
    index = {day: i for i, day in enumerate(chart_days)}
    failing = {s.adapter for s in adapters if s.status != OK or s.empty}
    empty: dict[str, list[float | None]] = defaultdict(lambda: [0] * len(chart_days))
    for row in days:
        if row.adapter in failing and row.day in index:
            empty[row.adapter][index[row.day]] = row.empty
    return await render(
        request,
        "adapters.html",
        active="adapter_health",
        title="Adapter health",
        adapters=adapters,
        window=DAYS,
        empty_chart=charts.daily_line("Pages where an adapter read no listing, per day", "pages", chart_days,
                                      dict(sorted(empty.items()))),
    )
