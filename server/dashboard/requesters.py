"""Requesters: a sortable, searchable table, and a page per requester.

Sorting and searching happen on the server (a GET form whose column headers are submit
buttons), so the table works with the keyboard and without any script.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from aiohttp import web

from shared_schema import RequesterSummary

from .. import estimate
from ..money import to_currency
from . import charts, wage_stats
from .guard import refusal
from .pages import render, settings, store
from .wages import thresholds

PAGE_SIZE = 50
#: Requesters read for one table view (most reported first); a search narrows them.
MAX_ROWS = 2000
MAX_QUERY = 128


@dataclass(frozen=True, slots=True)
class RequesterRow:
    summary: RequesterSummary
    hourly: float | None  # median hourly in the display currency (for sorting)
    effective: float | None
    flags: int


def _converted(amount: str | None, currency: str | None, target: str) -> float | None:
    if amount is None or currency is None:
        return None
    try:
        return float(to_currency(Decimal(amount), currency, target))
    except ValueError:  # a currency without a rate: shown, but sorted last
        return None


def row_for(summary: RequesterSummary, currency: str) -> RequesterRow:
    hourly = summary.hourly
    effective = summary.effective_hourly
    return RequesterRow(
        summary,
        _converted(hourly.median, hourly.currency, currency) if hourly else None,
        _converted(effective.amount, effective.currency, currency) if effective else None,
        sum(flag.count for flag in summary.flags),
    )


#: Sort key name -> (header label, value of a row; None sorts last either way).
COLUMNS: dict[str, tuple[str, Callable[[RequesterRow], Any]]] = {
    "requester": ("Requester", lambda r: r.summary.requester_id.lower()),
    "platform": ("Platform", lambda r: r.summary.platform),
    "tasks": ("Tasks", lambda r: r.summary.tasks),
    "reports": ("Reports", lambda r: r.summary.reports),
    "hourly": ("Hourly median", lambda r: r.hourly),
    "effective": ("Effective hourly", lambda r: r.effective),
    "screen_outs": ("Screen-outs", lambda r: r.summary.screen_out_rate),
    "rejections": ("Rejections", lambda r: r.summary.rejection_rate),
    "flags": ("Flags", lambda r: r.flags),
}
DEFAULT_SORT = "-reports"


def parse_sort(text: str | None) -> tuple[str, bool]:
    """`"-hourly"` -> ("hourly", descending); anything unknown -> the default order."""
    text = text or DEFAULT_SORT
    descending = text.startswith("-")
    column = text.lstrip("-")
    if column not in COLUMNS:
        return parse_sort(DEFAULT_SORT)
    return column, descending


def sort_rows(rows: list[RequesterRow], column: str, descending: bool) -> list[RequesterRow]:
    value = COLUMNS[column][1]
    present = [r for r in rows if value(r) is not None]
    missing = [r for r in rows if value(r) is None]
    return sorted(present, key=value, reverse=descending) + missing


async def summaries(request: web.Request, groups: list[Any]) -> list[RequesterSummary]:
    keys = [(g.platform, g.requester_id) for g in groups]
    flags = await store(request).flag_counts(keys)
    config, now = settings(request), time.time()
    return [
        estimate.requester_summary(g, settings=config, now=now, flags=flags.get((g.platform, g.requester_id)))
        for g in groups
    ]


def _page(text: str | None) -> int:
    try:
        return max(1, int(text or "1"))
    except ValueError:
        return 1


async def requester_table(request: web.Request) -> web.StreamResponse:
    query = request.query.get("q", "").strip()[:MAX_QUERY]
    platform = request.query.get("platform", "").strip()[:80] or None
    column, descending = parse_sort(request.query.get("sort"))
    currency, _ = thresholds(settings(request))
    platforms = [g.platform for g in await store(request).groups(requesters=False)]
    groups = await store(request).groups(requesters=True, platform=platform, search=query or None, limit=MAX_ROWS)
    rows = sort_rows([row_for(s, currency) for s in await summaries(request, groups)], column, descending)
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(_page(request.query.get("page")), pages)
    return await render(
        request,
        "requesters.html",
        active="requester_table",
        title="Requesters",
        rows=rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        total=len(rows),
        truncated=len(groups) >= MAX_ROWS,
        page=page,
        pages=pages,
        query=query,
        platform=platform,
        platforms=platforms,
        columns=COLUMNS,
        sort_column=column,
        descending=descending,
        currency=currency,
    )


async def requester_page(request: web.Request) -> web.StreamResponse:
    platform, requester_id = request.match_info["platform"], request.match_info["requester_id"]
    group = await store(request).group((platform, requester_id))
    if group is None:
        return refusal(request, 404, f"No requester {requester_id!r} on {platform!r} yet.")
    summary = (await summaries(request, [group]))[0]
    currency, limits = thresholds(settings(request))
    tasks = await store(request).task_aggregates(platform=platform, requester_id=requester_id, limit=500)
    task_wages = wage_stats.task_wages(tasks, currency)
    histogram = wage_stats.histogram(task_wages, next(iter(limits.values())))
    hourly = {w.task_id: w.hourly for w in task_wages}
    flags = await store(request).flags(key=(platform, requester_id), limit=200)
    return await render(
        request,
        "requester.html",
        active="requester_table",
        title=f"Requester {requester_id}",
        summary=summary,
        tasks=tasks,
        hourly=hourly,
        flags=flags,
        currency=currency,
        histogram_chart=charts.hourly_histogram(
            f"This requester's task hourly medians, share of reports ({currency}/h)", "% of reports", histogram,
            currency),
    )
