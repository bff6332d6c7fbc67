"""`GET /v1/minimum-wages`: legal minimum hourly wages, for the extension's default threshold."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from .base import Amount, Currency, Strict, bounded


class MinimumWage(Strict):
    """One country's minimum wage, with where the figure comes from and since when it applies."""

    country: Annotated[str, bounded(2, min_length=2, pattern=r"^[A-Z]{2}$")]
    name: Annotated[str, bounded(100)]
    amount: Amount
    currency: Currency
    period: Literal["hour"]
    #: False where the country has no national hourly minimum and the figure is derived (see `note`).
    statutory: bool
    date: date
    source: Annotated[str, bounded(500)]
    note: Annotated[str, bounded(500)] | None = None


class MinimumWages(Strict):
    minimum_wages: list[MinimumWage]
