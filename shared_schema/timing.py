"""`POST /v1/timings` and `POST /v1/outcomes`: what a worker's extension measured."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, model_validator

from .base import (
    MAX_ACTIVE_S,
    MAX_WALL_S,
    IdempotencyKey,
    Money,
    Platform,
    RequesterId,
    Strict,
    TaskId,
    bounded,
)

MAX_TIMINGS = 500
MAX_OUTCOMES = 500
#: A browser clock may run ahead; a record ending further in the future than this is refused.
MAX_FUTURE_SKEW = timedelta(days=1)
#: Active time is measured by the browser; allow this much clock slack against the timestamps.
CLOCK_SLACK_S = 60

TimingOutcome = Literal["submitted", "returned", "screened_out", "timed_out"]
OutcomeStatus = Literal["approved", "rejected", "paid"]
#: Hex SHA-256 of a submission/assignment id keyed with the install's secret; never the raw id.
IdHash = Annotated[str, bounded(64, min_length=64, pattern=r"^[0-9a-f]{64}$")]


class Timing(Strict):
    """How long one worker spent on one task, and how it ended."""

    idempotency_key: IdempotencyKey
    platform: Platform
    task_id: TaskId
    requester_id: RequesterId | None = None
    reward: Money
    active_s: Annotated[float, Field(ge=0, le=MAX_ACTIVE_S)]
    wall_s: Annotated[float, Field(ge=0, le=MAX_WALL_S)] | None = None
    outcome: TimingOutcome
    started_at: AwareDatetime
    ended_at: AwareDatetime
    #: What the listing advertised when the worker took the task (for measured/advertised ratios).
    advertised_duration_s: Annotated[int, Field(ge=1, le=MAX_WALL_S)] | None = None
    time_allotted_s: Annotated[int, Field(ge=1, le=MAX_WALL_S)] | None = None
    assignment_hash: IdHash | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Timing:
        elapsed = (self.ended_at - self.started_at).total_seconds()
        if elapsed < 0:
            raise ValueError("ended_at is before started_at")
        if self.wall_s is not None and self.active_s > self.wall_s:
            raise ValueError("active_s is longer than wall_s")
        if self.active_s > elapsed + CLOCK_SLACK_S:
            raise ValueError("active_s is longer than the time between started_at and ended_at")
        if elapsed > MAX_WALL_S + CLOCK_SLACK_S:
            raise ValueError("started_at and ended_at are more than 7 days apart")
        if self.ended_at > datetime.now(UTC) + MAX_FUTURE_SKEW:
            raise ValueError("ended_at is in the future")
        return self


class TimingBatch(Strict):
    timings: Annotated[list[Timing], Field(min_length=1, max_length=MAX_TIMINGS)]


class Outcome(Strict):
    """What happened to a submitted task later. `idempotency_key` is the timing's key."""

    idempotency_key: IdempotencyKey
    platform: Platform
    task_id: TaskId
    requester_id: RequesterId | None = None
    status: OutcomeStatus
    at: AwareDatetime


class OutcomeBatch(Strict):
    outcomes: Annotated[list[Outcome], Field(min_length=1, max_length=MAX_OUTCOMES)]


class IngestAck(Strict):
    """`accepted` records are durable; `duplicates` were already stored and changed nothing."""

    accepted: Annotated[int, Field(ge=0)]
    duplicates: Annotated[int, Field(ge=0)]

