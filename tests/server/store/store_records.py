"""Building v1 records and comparing stored ones, for the store contract suite."""

from __future__ import annotations

import dataclasses
import itertools
import math
from datetime import UTC, datetime, timedelta
from typing import Any

from shared_schema import Money, Outcome, Timing

#: Every record ends some days before the tests run (the models refuse future end times).
EPOCH = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
_keys = itertools.count()


def new_key() -> str:
    return f"key-{next(_keys):08d}"


def timing(task_id: str = "t1", *, platform: str = "prolific", requester_id: str | None = "r1",
           active_s: float = 600.0, outcome: str = "submitted", minute: float = 0.0, key: str | None = None,
           reward: str = "1.50", currency: str = "GBP", advertised_s: int | None = 600,
           allotted_s: int | None = None) -> Timing:
    """A timing ending `minute` minutes after EPOCH (later minutes are later attempts)."""
    ended = EPOCH + timedelta(minutes=minute)
    return Timing(
        idempotency_key=key or new_key(), platform=platform, task_id=task_id, requester_id=requester_id,
        reward=Money(amount=reward, currency=currency), active_s=active_s, wall_s=active_s + 30,
        outcome=outcome, started_at=ended - timedelta(seconds=active_s + 30), ended_at=ended,
        advertised_duration_s=advertised_s, time_allotted_s=allotted_s,
    )


def outcome(of: Timing, status: str, *, days_later: float = 1.0) -> Outcome:
    return Outcome(idempotency_key=of.idempotency_key, platform=of.platform, task_id=of.task_id,
                   requester_id=of.requester_id, status=status, at=of.ended_at + timedelta(days=days_later))


def assert_same_record(stored: Any, expected: Any) -> None:
    """Field by field; floats within rounding (stores may sum in a different order)."""
    assert type(stored) is type(expected), (stored, expected)
    for field in dataclasses.fields(expected):
        got, want = getattr(stored, field.name), getattr(expected, field.name)
        if isinstance(want, float) and isinstance(got, int | float) and not isinstance(got, bool):
            assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9), f"{field.name}: {got} != {want}"
        else:
            assert got == want, f"{field.name}: {got!r} != {want!r}"


def assert_same_state(got: Any, want: Any) -> None:
    if dataclasses.is_dataclass(want):
        assert_same_record(got, want)
    elif isinstance(want, dict):
        assert got.keys() == want.keys()
        for key in want:
            assert_same_state(got[key], want[key])
    elif isinstance(want, list):
        assert len(got) == len(want)
        for one, other in zip(got, want, strict=True):
            assert_same_state(one, other)
    else:
        assert got == want
