"""Currency conversion and legal minimum wages, from the data files in `server/data/`.

Both files are data, not code: each says where its figures come from and of what date,
and updating them is a data change. They are read once, on first use.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

from .errors import UnknownCurrency

@cache
def _load(name: str) -> dict[str, Any]:
    # `server/data/` ships as package data of `server` (see pyproject.toml), not as a package.
    return json.loads(resources.files("server").joinpath("data", name).read_text(encoding="utf-8"))


@cache
def rates() -> dict[str, Decimal]:
    """Units of each currency for 1 EUR."""
    table = _load("currency_rates.json")
    try:
        parsed = {code: Decimal(rate) for code, rate in table["rates"].items()}
    except (InvalidOperation, TypeError) as exc:  # a broken data file must fail loudly at start
        raise RuntimeError(f"server/data/currency_rates.json: bad rate: {exc}") from None
    if parsed.get(table["base"]) != 1 or any(rate <= 0 for rate in parsed.values()):
        raise RuntimeError("server/data/currency_rates.json: the base must be 1 and every rate positive")
    return parsed


def rates_date() -> str:
    """The date of the reference rates in use (YYYY-MM-DD)."""
    return str(_load("currency_rates.json")["date"])


def _rate(currency: str) -> Decimal:
    try:
        return rates()[currency]
    except KeyError:
        raise UnknownCurrency(
            f"no conversion rate for {currency!r}; known currencies: {', '.join(sorted(rates()))}"
        ) from None


def to_currency(amount: Decimal, from_currency: str, to_currency: str) -> Decimal:
    """`amount` in `from_currency` expressed in `to_currency` (through the euro reference rates)."""
    if from_currency == to_currency:
        return amount
    return amount * _rate(to_currency) / _rate(from_currency)


def to_eur(amount: float, currency: str) -> float | None:
    """A float conversion for aggregates (never shown as money); None for a currency without a rate."""
    rate = rates().get(currency)
    return None if rate is None else amount / float(rate)


@cache
def _wages() -> tuple[dict[str, Any], ...]:
    table = _load("minimum_wages.json")
    wages = []
    for entry in table["wages"]:
        Decimal(entry["amount"])  # every amount is a decimal string; fail at start otherwise
        wages.append(dict(entry))
    return tuple(wages)


def minimum_wages() -> list[dict[str, Any]]:
    """Legal minimum hourly wages by country: country, amount, currency, period, source, date (and notes)."""
    return [dict(entry) for entry in _wages()]


__all__ = ["minimum_wages", "rates", "rates_date", "to_currency", "to_eur"]
