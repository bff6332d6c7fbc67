"""Warnings: each fires exactly at its threshold from the settings table, not a hair before."""

from __future__ import annotations

import math
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from server import task_warnings as tw
from server.aggregates import GroupAggregate, TaskAggregate
from server.estimate import Duration
from server.money import to_currency
from server.settings import defaults
from shared_schema import HourlyRange, Money
from tests.server.community import listing

SETTINGS = defaults()
DAY = 86400.0


def hourly(median: str, currency: str = "EUR") -> dict[str, str]:
    """A score's hourly range, in its wire shape (shared_schema.HourlyRange)."""
    return HourlyRange(median=median, low=median, high=median, currency=currency).model_dump()


def duration(seconds: float, basis: str = "task", reports: int = 5, sd: float = 0.1) -> Duration:
    return Duration(math.log(seconds), sd, basis, reports)


def task(**counts: float) -> TaskAggregate:
    return TaskAggregate("prolific", "t", "lab", **counts)  # type: ignore[arg-type]


def group(**counts: float) -> GroupAggregate:
    return GroupAggregate("prolific", "lab", **counts)  # type: ignore[arg-type]


def codes(found: list) -> list[tuple[str, str]]:
    return [(w["code"], w["severity"]) for w in found]


# --- below threshold ----------------------------------------------------------------------


def test_below_and_near_the_request_threshold() -> None:
    limit = Money(amount="10.00", currency="EUR")
    below = tw.below_threshold(hourly("9.99"), limit, SETTINGS)
    assert (below["severity"], below["params"]["level"], below["params"]["threshold"]) == ("danger", "below", "10.00")
    at = tw.below_threshold(hourly("10.00"), limit, SETTINGS)
    assert (at["severity"], at["params"]["level"]) == ("warn", "near")
    assert tw.below_threshold(hourly("11.99"), limit, SETTINGS)["params"]["level"] == "near"
    assert tw.below_threshold(hourly("12.00"), limit, SETTINGS) is None  # 10 x near_threshold_ratio 1.2


def test_the_default_threshold_applies_when_the_request_sends_none() -> None:
    assert tw.below_threshold(hourly("12.01"), None, SETTINGS)["params"]["level"] == "below"
    assert tw.below_threshold(hourly("12.02"), None, SETTINGS)["params"]["level"] == "near"


def test_a_threshold_in_another_currency_is_converted() -> None:
    limit = Money(amount="9.00", currency="EUR")
    in_gbp = to_currency(Decimal("9.00"), "EUR", "GBP")
    just_under = (in_gbp - Decimal("0.01")).quantize(Decimal("0.01"))
    found = tw.below_threshold(hourly(str(just_under), "GBP"), limit, SETTINGS)
    assert found["params"]["level"] == "below" and found["params"]["currency"] == "GBP"
    assert found["params"]["threshold"] == f"{in_gbp:.2f}"


def test_no_threshold_warning_without_a_conversion_rate() -> None:
    assert tw.below_threshold(hourly("0.50", "XOF"), Money(amount="9.00", currency="EUR"), SETTINGS) is None


@settings(max_examples=200, deadline=None)
@given(threshold_cents=st.integers(1, 10_000_00), delta=st.integers(-3, 3))
def test_the_threshold_warning_fires_exactly_at_the_threshold(threshold_cents: int, delta: int) -> None:
    limit = Money(amount=f"{Decimal(threshold_cents) / 100:.2f}", currency="EUR")
    wage = max(0, threshold_cents + delta)
    found = tw.below_threshold(hourly(f"{Decimal(wage) / 100:.2f}"), limit, SETTINGS)
    assert (found is not None and found["params"]["level"] == "below") == (wage < threshold_cents)


# --- durations ----------------------------------------------------------------------------


def test_duration_underestimated_at_exactly_the_ratio() -> None:
    item = listing(advertised_s=600)
    assert tw.duration_underestimated(item, duration(899), None, SETTINGS) is None
    found = tw.duration_underestimated(item, duration(900), None, SETTINGS)
    assert found["params"] == {"ratio": 1.5, "advertised_s": 600, "measured_s": 900, "basis": "task"}
    assert tw.duration_underestimated(item, duration(900, basis="requester"), None, SETTINGS) is not None


def test_duration_underestimated_needs_a_measurement() -> None:
    item = listing(advertised_s=600)
    assert tw.duration_underestimated(item, duration(5000, basis="platform"), None, SETTINGS) is None
    assert tw.duration_underestimated(listing(advertised_s=None), duration(5000), None, SETTINGS) is None
    assert tw.duration_underestimated(listing(advertised_s=None), duration(5000), task(advertised_s=600), SETTINGS)


def test_tight_time_allotted_against_the_interval_top() -> None:
    estimate = duration(600, sd=0.0)
    assert tw.tight_time_allotted(listing(allotted_s=899), estimate, SETTINGS)["params"] == {
        "allotted_s": 899, "duration_high_s": 600}
    assert tw.tight_time_allotted(listing(allotted_s=900), estimate, SETTINGS) is None
    assert tw.tight_time_allotted(listing(allotted_s=None), estimate, SETTINGS) is None


# --- rates --------------------------------------------------------------------------------


def test_screen_outs_fire_at_the_rate_on_the_task_then_the_requester() -> None:
    assert tw.screen_outs(task(attempts=10, screened_out=1), None, SETTINGS) is None
    found = tw.screen_outs(task(attempts=10, screened_out=2), None, SETTINGS)
    assert (found["severity"], found["params"]) == ("warn", {"rate": 0.2, "attempts": 10, "scope": "task"})
    few = task(attempts=4, screened_out=4)
    assert tw.screen_outs(few, None, SETTINGS) is None  # 4 attempts are below min_rate_observations
    assert tw.screen_outs(few, group(attempts=20, screened_out=4), SETTINGS)["params"]["scope"] == "requester"


def test_rejections_fire_at_the_rate() -> None:
    assert tw.rejections(None, group(reviewed=100, rejected=4), SETTINGS) is None
    assert tw.rejections(None, group(reviewed=100, rejected=5), SETTINGS)["params"]["rate"] == 0.05
    assert tw.rejections(None, group(reviewed=4, rejected=4), SETTINGS) is None


def test_slow_payment_fires_past_the_days() -> None:
    def paid_after(days: float) -> GroupAggregate:
        return group(paid=5, log_paid_delay_sum=5 * math.log1p(days * DAY))

    assert tw.slow_payment(None, paid_after(7), SETTINGS) is None
    found = tw.slow_payment(None, paid_after(7.01), SETTINGS)
    assert found["params"] == {"days": 7.0, "paid": 5, "scope": "requester"}
    assert tw.median_payment_delay_s(paid_after(3)) == 3 * DAY


# --- confidence, novelty, flags -----------------------------------------------------------


def test_low_confidence_under_the_report_count() -> None:
    assert tw.low_confidence(duration(600, reports=2), SETTINGS)["params"] == {"reports": 2, "basis": "task"}
    assert tw.low_confidence(duration(600, reports=3), SETTINGS) is None
    assert tw.low_confidence(duration(600, basis="requester", reports=0), SETTINGS)["severity"] == "info"
    assert tw.low_confidence(None, SETTINGS) is None


def test_new_requester_until_the_days_have_passed() -> None:
    now = 1.9e9
    item = listing()
    assert tw.new_requester(item, None, SETTINGS, now)["params"] == {"days": 0.0}
    assert tw.new_requester(item, group(first_seen=now - 13.9 * DAY), SETTINGS, now)["params"] == {"days": 13.9}
    assert tw.new_requester(item, group(first_seen=now - 14 * DAY), SETTINGS, now) is None
    assert tw.new_requester(listing(requester=None), None, SETTINGS, now) is None


def test_flags_are_dangerous_for_scams_phishing_and_personal_data() -> None:
    found = tw.flagged({"scam": 1, "broken": 3, "phishing": 0, "personal_data": 2, "unpaid_screen_out": 1})
    assert codes(found) == [("flagged", "warn"), ("flagged", "danger"), ("flagged", "danger"), ("flagged", "warn")]
    assert [w["params"]["reason"] for w in found] == ["broken", "personal_data", "scam", "unpaid_screen_out"]


def test_all_warnings_together_most_serious_first() -> None:
    found = tw.task_warnings(
        listing(advertised_s=300, allotted_s=700), duration(600, reports=1), hourly("5.00", "GBP"),
        task(attempts=10, screened_out=5), None, threshold=None, settings=SETTINGS, now=1.9e9, flags={"scam": 1})
    assert codes(found) == [
        ("flagged", "danger"), ("below_threshold", "danger"), ("duration_underestimated", "warn"),
        ("screen_outs", "warn"), ("tight_time_allotted", "warn"), ("low_confidence", "info"), ("new_requester", "info")]
