"""`GET /v1/open/aggregates.json` and `.csv`: the public open-data export (no token).

Per platform, requester and task, only where at least `open_data_min_contributors` distinct
installs reported (a discounted install does not count); measured values rounded; nothing
per install. Published under the Open Database License (ODbL 1.0), see the README.

The export reads whole tables, so it is computed at most once per `CACHE_S` per process and
every caller in between gets the same bytes: a public endpoint must not become a way to
keep the store's readers busy.
"""

from __future__ import annotations

import asyncio
import csv
import io
import math
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from aiohttp import web

from shared_schema import OpenAggregate, OpenAggregates

from .. import estimate
from ..aggregates import GroupAggregate, TaskAggregate
from ..app_keys import METRICS, SETTINGS, STORE
from ..store.admin import AdminStore
from ..store.admin import OpenAggregate as StoredAggregate
from .endpoint import Inputs

LICENSE = "ODbL-1.0"
LICENSE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
ATTRIBUTION = "FairClick community timings"
CACHE_S = 300.0
COLUMNS = tuple(OpenAggregate.model_fields)


def _amount(value: float | None) -> str | None:
    if value is None or not math.isfinite(value) or value < 0:
        return None
    return str(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN))


def _rate(part: float, whole: float) -> float | None:
    return None if whole <= 0 else round(min(1.0, max(0.0, part / whole)), 2)


def _seconds(value: float | None) -> int | None:
    return None if value is None else int(round(value / 10.0) * 10)


def _group_row(level: str, stored: StoredAggregate, settings: Any, now: float) -> OpenAggregate:
    group: GroupAggregate = stored.group  # type: ignore[assignment]
    # The same formulas as /v1/requesters (figures in EUR); a platform is summarised like a requester.
    summary = estimate.requester_summary(replace(group, requester_id=group.requester_id or "-"), settings=settings, now=now)
    typical = math.exp(group.loc_sum / group.loc_w) if group.loc_w > 1e-9 else None
    return OpenAggregate(
        level=level,  # type: ignore[arg-type]
        platform=group.platform,
        requester_id=group.requester_id,
        task_id=None,
        contributors=stored.contributors,
        tasks=summary.tasks,
        reports=summary.reports,
        currency="EUR",
        hourly_median=_amount(float(summary.hourly.median)) if summary.hourly else None,
        effective_hourly=_amount(float(summary.effective_hourly.amount)) if summary.effective_hourly else None,
        duration_median_s=_seconds(typical),
        advertised_duration_s=None,
        duration_ratio=None if summary.duration_ratio is None else round(summary.duration_ratio, 2),
        screen_out_rate=_rate(group.screened_out, group.attempts),
        return_rate=_rate(group.returned, group.attempts),
        rejection_rate=_rate(group.rejected, group.reviewed),
    )


def _task_row(stored: StoredAggregate) -> OpenAggregate:
    task: TaskAggregate = stored.task  # type: ignore[assignment]
    duration = math.exp(task.loc) if task.loc is not None else None
    reward = float(task.reward_amount) if task.reward_amount is not None else None
    hourly = effective = None
    if duration and reward is not None:
        hourly = reward * 3600.0 / duration
        rejected = task.rejected / task.reviewed if task.reviewed else 0.0
        paid_time = task.reports * duration + task.unpaid_s
        effective = reward * task.reports * (1.0 - rejected) * 3600.0 / paid_time if paid_time > 0 else None
    ratio = duration / task.advertised_s if duration and task.advertised_s else None
    return OpenAggregate(
        level="task",
        platform=task.platform,
        requester_id=task.requester_id,
        task_id=task.task_id,
        contributors=stored.contributors,
        tasks=1,
        reports=task.reports,
        currency=task.currency,  # type: ignore[arg-type]
        hourly_median=_amount(hourly),
        effective_hourly=_amount(effective),
        duration_median_s=_seconds(duration),
        advertised_duration_s=task.advertised_s,
        duration_ratio=None if ratio is None else round(ratio, 2),
        screen_out_rate=_rate(task.screened_out, task.attempts),
        return_rate=_rate(task.returned, task.attempts),
        rejection_rate=_rate(task.rejected, task.reviewed),
    )


def build(stored: list[StoredAggregate], *, min_contributors: int, settings: Any, now: float) -> OpenAggregates:
    rows = [
        _task_row(item) if item.level == "task" else _group_row(item.level, item, settings, now)
        for item in stored
        if item.contributors >= min_contributors  # the store filters too; the export never trusts one check
    ]
    return OpenAggregates(
        license=LICENSE,
        license_url=LICENSE_URL,
        attribution=ATTRIBUTION,
        generated_at=datetime.fromtimestamp(now, UTC),
        min_contributors=min_contributors,
        aggregates=rows,
    )


def to_csv(export: OpenAggregates) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in export.aggregates:
        values = row.model_dump(mode="json")
        writer.writerow(["" if values[name] is None else values[name] for name in COLUMNS])
    return out.getvalue().encode()


@dataclass(slots=True)
class _Rendered:
    made_at: float
    min_contributors: int
    json: bytes
    csv: bytes


def _render(stored: list[StoredAggregate], k: int, settings: Any, now: float) -> _Rendered:
    export = build(stored, min_contributors=k, settings=settings, now=now)
    return _Rendered(now, k, export.model_dump_json().encode(), to_csv(export))


class OpenDataCache:
    """The latest export of this process, recomputed when older than `ttl_s`; one computation at a time."""

    def __init__(self, ttl_s: float = CACHE_S) -> None:
        self.ttl_s = ttl_s
        self._rendered: _Rendered | None = None
        self._lock = asyncio.Lock()

    async def get(self, request: web.Request) -> _Rendered:
        settings = request.app[SETTINGS]
        k = settings.open_data_min_contributors
        async with self._lock:
            now = time.time()
            cached = self._rendered
            if cached is None or cached.min_contributors != k or now - cached.made_at >= self.ttl_s:
                store: AdminStore = request.app[STORE]  # type: ignore[assignment]
                stored = await request.app[METRICS].timed("open_aggregates", store.open_aggregates(k))
                # Off the event loop: 100k tasks take seconds to build and serialise.
                cached = self._rendered = await asyncio.to_thread(_render, stored, k, settings, now)
            return cached


OPEN_DATA = web.AppKey("open_data", OpenDataCache)


def _answer(body: bytes, content_type: str, made_at: float, ttl_s: float) -> web.Response:
    response = web.Response(body=body, content_type=content_type, charset="utf-8")
    response.headers["Cache-Control"] = f"public, max-age={max(0, int(made_at + ttl_s - time.time()))}"
    response.headers["Link"] = f'<{LICENSE_URL}>; rel="license"'
    # Open data: any web page may read it.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


async def open_aggregates_json(request: web.Request, inputs: Inputs) -> web.Response:
    cache = request.app[OPEN_DATA]
    rendered = await cache.get(request)
    return _answer(rendered.json, "application/json", rendered.made_at, cache.ttl_s)


async def open_aggregates_csv(request: web.Request, inputs: Inputs) -> web.Response:
    cache = request.app[OPEN_DATA]
    rendered = await cache.get(request)
    response = _answer(rendered.csv, "text/csv", rendered.made_at, cache.ttl_s)
    response.headers["Content-Disposition"] = 'attachment; filename="fairclick-aggregates.csv"'
    return response
