"""What the payload models refuse, so that bad input never reaches the store."""

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from shared_schema import Listing, Money, Timing

NOW = datetime.now(UTC)


def timing(**changes: object) -> dict[str, object]:
    base = {
        "idempotency_key": "k-0000001",
        "platform": "prolific",
        "task_id": "study-1",
        "reward": {"amount": "1.50", "currency": "GBP"},
        "active_s": 600,
        "wall_s": 700,
        "outcome": "submitted",
        "started_at": (NOW - timedelta(minutes=15)).isoformat(),
        "ended_at": NOW.isoformat(),
    }
    return {**base, **changes}


def test_a_valid_timing_is_accepted() -> None:
    assert Timing.model_validate(timing()).active_s == 600


@pytest.mark.parametrize(
    "changes",
    [
        {"active_s": 800},  # longer than wall_s
        {"active_s": 13 * 3600, "wall_s": None},  # over 12 h
        {"ended_at": (NOW - timedelta(hours=1)).isoformat()},  # before started_at
        {"started_at": (NOW - timedelta(minutes=2)).isoformat(), "wall_s": None},  # active > elapsed
        {"reward": {"amount": "1.5", "currency": "XYZ"}},  # not ISO 4217
        {"reward": {"amount": 1.5, "currency": "GBP"}},  # money as a float
        {"worker_id": "A1B2C3"},  # unknown field: no field may carry a worker's identity
        {"outcome": "abandoned"},
        {"idempotency_key": "short"},
        {"ended_at": "2026-01-01T10:00:00"},  # no time zone
    ],
)
def test_impossible_timings_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Timing.model_validate(timing(**changes))


def test_money_keeps_its_decimal_value() -> None:
    assert str(Money(amount="0.10", currency="EUR").value * 3) == "0.30"


def test_listing_strings_are_bounded() -> None:
    with pytest.raises(ValidationError):
        Listing.model_validate(
            {"platform": "prolific", "task_id": "x", "title": "t" * 301, "reward": {"amount": "1", "currency": "GBP"}}
        )
