"""Hourly pay strings: the integer fast path gives exactly the Decimal definition's string."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from server.hourly_pay import per_hour, reward_units
from shared_schema import Money

MAX = Decimal("99999999.99")


def by_definition(reward: str, seconds: float) -> str:
    """The figure as `decimal` defines it (28 significant digits, then the cent, half to even)."""
    value = Decimal(reward) * 3600 / Decimal(max(seconds, 1.0))
    return str(min(max(value, Decimal(0)), MAX).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))


#: Every amount the wire format allows (shared_schema.base.Amount), small ones most often.
rewards = st.one_of(
    st.integers(0, 5_000).map(lambda cents: f"{cents // 100}.{cents % 100:02d}"),
    st.tuples(st.integers(0, 99_999_999), st.integers(0, 9_999), st.integers(0, 4)).map(
        lambda parts: f"{parts[0]}.{parts[1]:04d}"[: len(str(parts[0])) + 1 + parts[2]].rstrip(".")),
)
#: Durations as the estimator passes them: whole seconds (1 .. e^20), or seconds plus unpaid seconds.
seconds = st.one_of(
    st.integers(1, round(math.exp(20))),
    st.floats(0.0, 1e10, allow_nan=False),
    st.builds(lambda whole, part: whole + part, st.integers(1, 100_000), st.floats(0.0, 1.0)),
)


@settings(max_examples=3000, deadline=None)
@given(reward=rewards, duration=seconds)
@example(reward="1.50", duration=3600)
@example(reward="99999999.9999", duration=1)  # far above the integer path: Decimal, clamped to the maximum
@example(reward="0", duration=0.25)
def test_per_hour_is_the_decimal_figure(reward: str, duration: float) -> None:
    Money(amount=reward, currency="EUR")  # the strategy only makes wire-format amounts
    assert per_hour(reward, duration) == by_definition(reward, duration)


@settings(max_examples=1000, deadline=None)
@given(half_cents=st.integers(0, 999_999).map(lambda k: 2 * k + 1), multiple=st.integers(1, 2_000))
def test_exact_half_cents_round_to_even_as_decimal_does(half_cents: int, multiple: int) -> None:
    # reward x 3600 / s = half_cents / 2 cents exactly when s = 72 m and reward = half_cents x m ten-thousandths.
    duration = 72 * multiple
    units = half_cents * multiple
    if units >= 10**12:
        return
    reward = f"{units // 10_000}.{units % 10_000:04d}"
    figure = per_hour(reward, duration)
    assert figure == by_definition(reward, duration)
    cents = Decimal(figure) * 100
    assert cents % 2 == 0  # half a cent went to the even neighbour


def test_amounts_outside_the_wire_format_take_the_decimal_path() -> None:
    assert reward_units("1.5") == 15_000
    assert reward_units("12") == 120_000
    for odd in ("1.23456", ".5", "1e3", "-1", "١٢", "1.٥", ""):
        assert reward_units(odd) is None, odd
    assert per_hour("1.23456", 600) == by_definition("1.23456", 600)
    assert per_hour("1e3", 7) == by_definition("1e3", 7)
