"""Currency conversion and the minimum wages table, as read from server/data/."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from importlib import resources

import pytest

from server import money
from server.errors import UnknownCurrency
from shared_schema import CURRENCIES

#: Currencies crowd workers are paid or live in, which a threshold may come in.
NEEDED = {"EUR", "GBP", "USD", "CAD", "AUD", "CHF", "INR", "PHP", "BRL", "MXN", "PLN", "RON", "HUF", "IDR", "ZAR"}


def rates_file() -> dict:
    return json.loads(resources.files("server").joinpath("data", "currency_rates.json").read_text())


def test_rates_say_where_they_come_from_and_of_what_date() -> None:
    table = rates_file()
    assert table["base"] == "EUR" and table["rates"]["EUR"] == "1"
    assert "European Central Bank" in table["source"]
    assert date.fromisoformat(table["date"]) == date.fromisoformat(money.rates_date())
    assert NEEDED <= set(money.rates())
    assert set(money.rates()) <= set(CURRENCIES)


def test_a_gbp_amount_in_eur_uses_the_reference_rate() -> None:
    gbp_per_eur = money.rates()["GBP"]
    assert money.to_currency(Decimal("10"), "GBP", "EUR") == Decimal("10") / gbp_per_eur
    assert money.to_currency(Decimal("10"), "EUR", "GBP") == Decimal("10") * gbp_per_eur


def test_conversion_between_two_foreign_currencies_goes_through_the_euro() -> None:
    rates = money.rates()
    assert money.to_currency(Decimal("7.25"), "USD", "INR") == Decimal("7.25") * rates["INR"] / rates["USD"]
    back = money.to_currency(money.to_currency(Decimal("7.25"), "USD", "INR"), "INR", "USD")
    assert abs(back - Decimal("7.25")) < Decimal("1e-20")


def test_the_same_currency_is_returned_unchanged() -> None:
    assert money.to_currency(Decimal("3.1415"), "XOF", "XOF") == Decimal("3.1415")


def test_an_unknown_currency_is_a_clear_error() -> None:
    with pytest.raises(UnknownCurrency, match="no conversion rate for 'XOF'"):
        money.to_currency(Decimal("1"), "XOF", "EUR")
    with pytest.raises(ValueError):  # pure code may catch it as a ValueError
        money.to_currency(Decimal("1"), "EUR", "XOF")


def test_to_eur_is_none_for_an_unknown_currency() -> None:
    assert money.to_eur(1.0, "XOF") is None
    assert money.to_eur(money_float := 9.0, "EUR") == money_float


def test_minimum_wages_cover_the_countries_workers_asked_for() -> None:
    wages = {entry["country"]: entry for entry in money.minimum_wages()}
    assert {"FR", "GB", "US", "DE", "ES", "IT", "IN", "PH"} <= set(wages)
    assert wages["FR"]["amount"] == "12.02" and wages["FR"]["currency"] == "EUR"
    assert wages["US"]["amount"] == "7.25" and wages["US"]["currency"] == "USD"
    for entry in wages.values():
        assert Decimal(entry["amount"]) > 0
        assert entry["period"] == "hour"
        assert entry["currency"] in money.rates(), f"{entry['country']}: its currency must be convertible"
        assert len(entry["source"]) > 20
        date.fromisoformat(entry["date"])
        if not entry["statutory"]:
            assert "erived" in entry["note"] or "not a legal minimum" in entry["note"], entry["country"]


def test_countries_without_a_national_hourly_figure_say_so() -> None:
    wages = {entry["country"]: entry for entry in money.minimum_wages()}
    for country in ("ES", "IT", "IN", "PH"):
        assert wages[country]["statutory"] is False
    assert Decimal(wages["ES"]["amount"]) == (Decimal(17094) / Decimal("1826.45")).quantize(Decimal("0.01"))
    assert wages["PH"]["amount"] == "86.88"  # 695 PHP a day / 8 hours


def test_the_default_threshold_is_france_s_minimum_wage() -> None:
    from server.settings import defaults

    wages = {entry["country"]: entry for entry in money.minimum_wages()}
    assert defaults().default_threshold == (Decimal(wages["FR"]["amount"]), wages["FR"]["currency"])


def test_minimum_wages_cannot_be_changed_by_a_caller() -> None:
    money.minimum_wages()[0]["amount"] = "0.01"
    assert money.minimum_wages()[0]["amount"] != "0.01"
