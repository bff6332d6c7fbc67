"""Building blocks shared by every v1 payload: strict models, bounded strings, money."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

import pycountry
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

#: ISO 4217 codes, from pycountry's copy of the standard (not hand-maintained).
CURRENCIES: tuple[str, ...] = tuple(sorted(c.alpha_3 for c in pycountry.currencies))


class Strict(BaseModel):
    """Unknown fields are an error, not silently dropped: a typo must not lose data."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def bounded(max_length: int, *, min_length: int = 1, pattern: str | None = None) -> object:
    return StringConstraints(min_length=min_length, max_length=max_length, pattern=pattern)


#: `prolific`, `mturk`, `toloka`, `generic:example.com` ...
Platform = Annotated[str, bounded(80, pattern=r"^[a-z0-9][a-z0-9_.:-]*$")]
TaskId = Annotated[str, bounded(128)]
RequesterId = Annotated[str, bounded(128)]
Title = Annotated[str, bounded(300)]
Currency = Literal[CURRENCIES]  # type: ignore[valid-type]
#: A non-negative decimal string with at most 4 decimals: money is never a float on the wire.
Amount = Annotated[str, bounded(16, pattern=r"^(0|[1-9][0-9]{0,7})(\.[0-9]{1,4})?$")]
IdempotencyKey = Annotated[str, bounded(128, min_length=8, pattern=r"^[A-Za-z0-9_-]+$")]

MAX_ACTIVE_S = 12 * 3600
MAX_WALL_S = 7 * 24 * 3600


class Money(Strict):
    amount: Amount = Field(examples=["1.50"])
    currency: Currency = Field(examples=["GBP"])

    @property
    def value(self) -> Decimal:
        return Decimal(self.amount)


class Error(Strict):
    code: Annotated[str, bounded(64)]
    message: Annotated[str, bounded(2000)]
    details: list[dict[str, object]] | None = None


class ErrorBody(Strict):
    """Every error the service answers: `{"error": {"code", "message"}}`."""

    error: Error
