"""Jinja filters: how numbers read on the dashboard."""

from __future__ import annotations

import math
from datetime import UTC, datetime


def percent(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{100 * value:.{digits}f} %"


def amount(value: float | str | None, currency: str = "") -> str:
    if value is None:
        return "–"
    text = f"{float(value):.2f}"
    return f"{text} {currency}".strip()


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def moment(timestamp: float | None) -> str:
    if timestamp is None:
        return "–"
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


FILTERS = {"percent": percent, "amount": amount, "duration": duration, "moment": moment, "exp": math.exp}
