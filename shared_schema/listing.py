"""`POST /v1/score`: listings in, scores out."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .base import (
    MAX_WALL_S,
    Amount,
    Currency,
    Money,
    Platform,
    RequesterId,
    Strict,
    TaskId,
    Title,
    bounded,
)

MAX_LISTINGS = 200

Basis = Literal["task", "requester", "platform", "advertised", "none"]
Severity = Literal["info", "warn", "danger"]
WarningCode = Literal[
    "below_threshold",
    "duration_underestimated",
    "screen_outs",
    "rejections",
    "slow_payment",
    "tight_time_allotted",
    "low_confidence",
    "new_requester",
    "flagged",
]


class Listing(Strict):
    """One task as a platform's list page shows it."""

    platform: Platform
    task_id: TaskId
    requester_id: RequesterId | None = None
    requester_name: Annotated[str, bounded(200)] | None = None
    title: Title | None = None
    reward: Money
    advertised_duration_s: Annotated[int, Field(ge=1, le=MAX_WALL_S)] | None = None
    #: The limit the requester set (MTurk's "Time Allotted"), never an advertised duration.
    time_allotted_s: Annotated[int, Field(ge=1, le=MAX_WALL_S)] | None = None


class ScoreRequest(Strict):
    listings: Annotated[list[Listing], Field(min_length=1, max_length=MAX_LISTINGS)]
    threshold: Money | None = None


class HourlyRange(Strict):
    """An hourly wage with its 80% interval, in `currency` (the listing's reward currency)."""

    median: Amount
    low: Amount
    high: Amount
    currency: Currency


class DurationRange(Strict):
    median: Annotated[int, Field(ge=0)]
    low: Annotated[int, Field(ge=0)]
    high: Annotated[int, Field(ge=0)]


ParamValue = str | int | float | bool | None


class Warning(Strict):  # noqa: A001 - the contract's own name
    code: WarningCode
    severity: Severity
    params: Annotated[dict[Annotated[str, bounded(40)], ParamValue], Field(max_length=16)] = {}


class Score(Strict):
    task_id: TaskId
    hourly: HourlyRange | None
    #: Hourly pay once the unpaid time of screen-outs and returns and the rejection rate are charged.
    effective_hourly: Money | None = None
    duration_s: DurationRange | None
    basis: Basis
    #: Distinct contributors whose timings this estimate rests on.
    reports: Annotated[int, Field(ge=0)]
    warnings: list[Warning]


class ScoreResponse(Strict):
    scores: list[Score]
