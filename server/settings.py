"""Every setting in one table: name, default, cast, help, environment variable, CLI flag.

Read once at start-up; a bad value fails loudly and names its key. The README's
configuration table is checked against this one by `tests/server/test_settings.py`.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, make_dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any


def _money(text: str) -> tuple[Decimal, str]:
    """`"9.40 EUR"` -> (Decimal("9.40"), "EUR")."""
    try:
        amount, currency = text.split()
        value = Decimal(amount)
    except (ValueError, InvalidOperation):
        raise ValueError(f"expected an amount and a currency such as '9.40 EUR', got {text!r}") from None
    if value < 0 or len(currency) != 3 or not currency.isupper():
        raise ValueError(f"expected an amount and an ISO 4217 currency such as '9.40 EUR', got {text!r}")
    return value, currency


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"expected true or false, got {text!r}")


def _optional(text: str) -> str | None:
    return text or None


def _list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    cast: Callable[[str], Any]
    help: str

    @property
    def env(self) -> str:
        return "FAIRCLICK_" + self.name.upper()

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


SETTINGS: tuple[Setting, ...] = (
    # The service
    Setting("host", "127.0.0.1", str, "Address to listen on."),
    Setting("port", "8080", int, "TCP port to listen on."),
    Setting("db", "data/fairclick.sqlite3", Path, "SQLite database file; its folder is created on first start."),
    Setting("mongo_url", "", _optional, "MongoDB connection string; when set, MongoDB is the store instead of SQLite."),
    Setting("mongo_db", "fairclick", str, "MongoDB database name."),
    Setting("mongo_write_concern", "majority", str, "MongoDB write concern for every write ('majority', or a number of nodes)."),
    Setting("log_level", "INFO", str.upper, "Level of the JSON log lines written to standard error."),
    Setting("access_log", "true", _bool, "Write one JSON line per request."),
    # Protection
    Setting("max_body_bytes", "1048576", int, "Largest request body accepted; larger ones get 413."),
    Setting("rate_limit_per_min", "600", int, "Requests per minute allowed per install token (429 past it); 0 disables the limit."),
    Setting("cors_origins", "chrome-extension://*,moz-extension://*", _list, "Origins allowed by CORS, comma-separated; '*' after '://' matches any extension id."),
    Setting("admin_token", "", _optional, "Token that opens the maintainers' dashboard; empty means only tokens made with 'fairclick admin create' work."),
    Setting("dashboard_session_hours", "12", float, "Hours a maintainer's dashboard session lasts before logging in again."),
    # Estimates and warnings
    Setting("default_threshold", "12.02 EUR", _money, "Hourly threshold used when a score request sends none (France's SMIC, gross, 2026)."),
    Setting("near_threshold_ratio", "1.2", float, "An hourly wage under threshold x this ratio is 'near' the threshold."),
    Setting("underestimate_ratio", "1.5", float, "Warn when the measured duration is at least this multiple of the advertised one."),
    Setting("screen_out_rate_warn", "0.2", float, "Warn when at least this share of attempts ended in an unpaid screen-out."),
    Setting("rejection_rate_warn", "0.05", float, "Warn when at least this share of a requester's reviewed work was rejected."),
    Setting("slow_payment_days", "7", float, "Warn when a requester's median delay between submission and payment exceeds this many days."),
    Setting("tight_allotted_ratio", "1.5", float, "Warn when the time allotted is under this multiple of the measured duration's upper bound."),
    Setting("low_confidence_reports", "3", int, "Warn of low confidence when an estimate rests on fewer distinct contributors than this."),
    Setting("new_requester_days", "14", float, "A requester first seen fewer than this many days ago is 'new'."),
    Setting("min_group_reports", "5", int, "Reports a requester or platform needs before its figures are used to correct other tasks."),
    Setting("min_rate_observations", "5", int, "Attempts, reviews or payments needed before a screen-out, rejection or payment-delay figure is used."),
    Setting("score_cache_entries", "50000", int, "Listings' scores kept in memory (about 1.3 KB each) until their task, requester or platform changes; 0 turns the cache off."),
    Setting("score_cache_s", "30", float, "Longest a cached score is kept: the bound on changes this process does not hear of (other processes' writes)."),
    # Open data
    Setting("open_data_min_contributors", "5", int, "Open-data aggregates are published only where at least this many distinct contributors reported."),
)

_FIELDS = [(s.name, Any, field(default=None)) for s in SETTINGS]
Settings = make_dataclass("Settings", _FIELDS, frozen=True)
Settings.__doc__ = "The service's configuration, cast and checked (see SETTINGS)."


def load(overrides: Mapping[str, str | None] | None = None, env: Mapping[str, str] | None = None) -> Any:
    """Settings from defaults, then the environment, then explicit overrides (CLI flags)."""
    env = os.environ if env is None else env
    overrides = overrides or {}
    values = {}
    for setting in SETTINGS:
        raw = overrides.get(setting.name)
        source = setting.flag
        if raw is None:
            raw, source = env.get(setting.env), setting.env
        if raw is None:
            raw, source = setting.default, f"default of {setting.name}"
        try:
            values[setting.name] = setting.cast(raw)
        except (ValueError, TypeError) as exc:
            raise SystemExit(f"fairclick: bad value for {source}: {exc}") from None
    return Settings(**values)


def defaults(**changes: Any) -> Any:
    """Default settings with some values replaced by already-cast ones (for tests and benchmarks)."""
    base = load(env={})
    unknown = set(changes) - {f.name for f in fields(base)}
    if unknown:
        raise TypeError(f"unknown settings: {sorted(unknown)}")
    return Settings(**{**{f.name: getattr(base, f.name) for f in fields(base)}, **changes})


def add_arguments(parser: argparse.ArgumentParser, names: tuple[str, ...] | None = None) -> None:
    for setting in SETTINGS:
        if names is None or setting.name in names:
            parser.add_argument(setting.flag, dest=setting.name, default=None, metavar=setting.name.upper(),
                                help=f"{setting.help} [env {setting.env}, default {setting.default!r}]")
