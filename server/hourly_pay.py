"""What a listing pays per hour: its hourly range and effective hourly wage, as Money amount strings.

An hourly figure is reward x 3600 / seconds, rounded half to even to the cent. The figures are defined by `decimal` arithmetic (`amount(reward * 3600 / Decimal(seconds))`,
28 significant digits, then the cent). Scoring a batch computes four of them per listing, so
the usual case is done with exact integers instead and gives the same string:

- the reward has at most 4 decimals (the wire format) and a float's exact value is
  numerator / 2**k, so the figure in cents is the exact fraction
  reward_units x 36 x 2**k / numerator;
- below 10,000 an hour, Decimal's 28 digits keep at least 24 decimals (an error under
  1e-22 cent), while a fraction that is not exactly half a cent lies at least
  1 / (2 x numerator) >= 5e-17 cent from one (numerator < 2**53): Decimal's intermediate
  rounding can neither create nor cross a tie, so both round to the same cent.

Anything else (larger figures, a reward string outside the wire format) goes through Decimal.
tests/server/test_hourly_pay.py compares both on random and tie-making inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Any

from shared_schema import Money

from .aggregates import GroupAggregate, TaskAggregate

if TYPE_CHECKING:
    from .estimate import Duration

_MONEY_STEP = Decimal("0.01")
_MONEY_MAX = Decimal("99999999.99")
#: Figures below this many cents an hour are computed with integers (see the module's docstring).
_EXACT_BELOW_CENTS = 1_000_000
_MAX_NUMERATOR = 2**53


def amount(value: Decimal) -> str:
    """A Money amount string: two decimals, within the wire format's bounds."""
    return str(min(max(value, Decimal(0)), _MONEY_MAX).quantize(_MONEY_STEP, rounding=ROUND_HALF_EVEN))


def reward_units(reward: str) -> int | None:
    """A wire-format amount ("1.5", "0.1234", "12") in ten-thousandths; None for anything else."""
    whole, _, fraction = reward.partition(".")
    if not reward.isascii() or not whole.isdigit() or len(fraction) > 4 or (fraction and not fraction.isdigit()):
        return None
    return int(whole) * 10_000 + int(fraction.ljust(4, "0"))


def per_hour(reward: str, seconds: float, units: int | None = None) -> str:
    """`reward` earned in `seconds` (at least 1), per hour, as a Money amount string.

    `units` is `reward_units(reward)` when the caller already has it (several figures per reward).
    """
    seconds = max(seconds, 1.0)
    if units is None:
        units = reward_units(reward)
    numerator, power_of_two = seconds.as_integer_ratio()
    if units is not None and numerator < _MAX_NUMERATOR:
        cents, rest = divmod(units * 36 * power_of_two, numerator)
        if cents < _EXACT_BELOW_CENTS:
            twice = 2 * rest
            if twice > numerator or (twice == numerator and cents & 1):
                cents += 1
            return f"{cents // 100}.{cents % 100:02d}"
    return amount(Decimal(reward) * 3600 / Decimal(seconds))


# --- a listing's figures: plain dicts in the wire shape of shared_schema (see estimate.score_batch) ---


def hourly_range(reward: Money, estimate: Duration, units: int | None = None) -> dict[str, str]:
    """The hourly wage's median and 80% interval ({"median", "low", "high", "currency"})."""
    median_s, low_s, high_s = estimate.seconds
    value = reward.amount
    if units is None:
        units = reward_units(value)
    return {"median": per_hour(value, median_s, units), "low": per_hour(value, high_s, units),
            "high": per_hour(value, low_s, units), "currency": reward.currency}


@dataclass(frozen=True, slots=True)
class Unpaid:
    """Unpaid seconds per completed task and the rejection rate, and where they were observed."""

    seconds_per_completion: float
    rejection_rate: float
    scope: str  # task | requester | platform | none


def unpaid(task: TaskAggregate | None, requester: GroupAggregate | None, platform: GroupAggregate | None,
           *, settings: Any) -> Unpaid:
    """The task's own screen-outs, returns and rejections when it has enough attempts, else its requester's."""
    enough = settings.min_rate_observations
    seconds, scope = 0.0, "none"
    if task is not None and task.attempts >= enough and task.reports > 0:
        seconds, scope = task.unpaid_s / task.reports, "task"
    elif requester is not None and requester.attempts >= enough and requester.reports > 0:
        seconds, scope = requester.unpaid_s / requester.reports, "requester"
    rejection = 0.0
    if task is not None and task.reviewed >= enough:
        rejection = task.rejected / task.reviewed
    elif requester is not None and requester.reviewed >= enough:
        rejection = requester.rejected / requester.reviewed
    return Unpaid(max(0.0, seconds), min(1.0, max(0.0, rejection)), scope)


def effective_hourly(reward: Money, estimate: Duration, charges: Unpaid, units: int | None = None) -> dict[str, str]:
    """reward x (1 - rejection rate) / (duration + unpaid seconds per completed task), per hour ({"amount", "currency"})."""
    seconds = estimate.median_s + charges.seconds_per_completion
    rejection = round(charges.rejection_rate, 6)
    if rejection == 0:
        figure = per_hour(reward.amount, seconds, units)
    else:
        paid = reward.value * (1 - Decimal(str(rejection)))
        figure = amount(paid * 3600 / Decimal(max(seconds, 1.0)))
    return {"amount": figure, "currency": reward.currency}


__all__ = ["Unpaid", "amount", "effective_hourly", "hourly_range", "per_hour", "reward_units", "unpaid"]
