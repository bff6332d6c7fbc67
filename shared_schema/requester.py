"""`GET /v1/requesters/{platform}/{requester_id}` and `POST /v1/flags`."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from .base import Money, Platform, RequesterId, Strict, TaskId, bounded
from .listing import HourlyRange

FlagReason = Literal["scam", "phishing", "personal_data", "unpaid_screen_out", "broken"]
Rate = Annotated[float, Field(ge=0, le=1)]


class FlagCount(Strict):
    reason: FlagReason
    count: Annotated[int, Field(ge=0)]


class RequesterSummary(Strict):
    platform: Platform
    requester_id: RequesterId
    tasks: Annotated[int, Field(ge=0)]
    reports: Annotated[int, Field(ge=0)]
    hourly: HourlyRange | None
    effective_hourly: Money | None
    #: Measured active duration over advertised duration (1.0 = honest), where both are known.
    duration_ratio: Annotated[float, Field(ge=0)] | None
    screen_out_rate: Rate | None
    return_rate: Rate | None
    rejection_rate: Rate | None
    median_payment_delay_s: Annotated[int, Field(ge=0)] | None
    first_seen: AwareDatetime | None
    flags: list[FlagCount] = []


class FlagRequest(Strict):
    platform: Platform
    requester_id: RequesterId
    task_id: TaskId | None = None
    reason: FlagReason
    comment: Annotated[str, bounded(500)] | None = None


class FlagCreated(Strict):
    flag_id: Annotated[str, bounded(64)]
    status: Literal["pending", "approved", "hidden"]
