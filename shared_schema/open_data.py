"""`GET /v1/open/aggregates.json` (and `.csv`, same columns): the public open-data export.

Aggregates only: a row exists only where at least `min_contributors` distinct installs
reported, its measured values are rounded, and nothing in it is per install.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from .base import Amount, Currency, Platform, RequesterId, Strict, TaskId, bounded

Rate = Annotated[float, Field(ge=0, le=1)]
Count = Annotated[int, Field(ge=0)]


class OpenAggregate(Strict):
    """One platform, requester or task. Hourly figures are in `currency`: EUR for platforms and
    requesters (converted at reference rates), the reward's own currency for tasks."""

    level: Literal["platform", "requester", "task"]
    platform: Platform
    requester_id: RequesterId | None
    task_id: TaskId | None
    #: Distinct installs whose reports count here (at least the export's `min_contributors`).
    contributors: Count
    tasks: Count
    #: Submitted reports, one per contributor and task.
    reports: Count
    currency: Currency | None
    #: Rounded to 0.1.
    hourly_median: Amount | None
    #: Pay over time once the unpaid time of screen-outs, returns and time-outs and the rejections are charged.
    effective_hourly: Amount | None
    #: Typical measured active duration, rounded to 10 s.
    duration_median_s: Count | None
    advertised_duration_s: Count | None
    #: Measured over advertised duration (1.0 = honest), rounded to 0.01.
    duration_ratio: Annotated[float, Field(ge=0)] | None
    screen_out_rate: Rate | None
    return_rate: Rate | None
    rejection_rate: Rate | None


class OpenAggregates(Strict):
    license: Annotated[str, bounded(64)]
    license_url: Annotated[str, bounded(200)]
    attribution: Annotated[str, bounded(200)]
    generated_at: AwareDatetime
    min_contributors: Count
    aggregates: list[OpenAggregate]
