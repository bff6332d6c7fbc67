"""The SVG charts: the numbers drawn, text escaped, no script."""

from __future__ import annotations

from server.dashboard import charts
from tests.server.dashboard.dashboard_client import chart_values


def test_a_chart_draws_each_value_and_keeps_the_table_of_them() -> None:
    chart = charts.daily_line("Timings", "timings", ["2026-11-01", "2026-11-02"], {"a": [3, 5], "b": [0, 2]})
    assert chart_values(chart.svg) == ["3", "5", "0", "2"]
    assert chart.rows() == [("2026-11-01", ["3", "0"]), ("2026-11-02", ["5", "2"])]
    assert chart.legend() == [("a", "series-1"), ("b", "series-2")]
    assert 'role="img" aria-label="Timings"' in chart.svg


def test_names_are_escaped_and_no_script_is_embedded() -> None:
    hostile = '</desc><script>alert(1)</script>'
    chart = charts.bars("Wages", "bucket", "%", [hostile], {hostile: [1.0]}, unit="%")
    assert "<script" not in chart.svg
    assert "&lt;/desc&gt;&lt;script&gt;" in chart.svg
    assert chart.rows() == [(hostile, ["1.0 %"])]  # the template escapes it in the table


def test_an_empty_chart_says_so() -> None:
    chart = charts.daily_line("Timings", "timings", ["2026-11-01"], {})
    assert "No data yet" in chart.svg and chart_values(chart.svg) == []


def test_count_axes_use_whole_numbers() -> None:
    assert charts.count_ticks({"a": [0, 1, 3]}) == [0, 1, 2, 3, 4]
    assert charts.count_ticks({"a": [None, 0]}) == [0, 1]
