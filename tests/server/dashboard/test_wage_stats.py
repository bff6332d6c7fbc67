"""Report-weighted wage figures from task aggregates."""

from __future__ import annotations

import math

import pytest

from server.aggregates import TaskAggregate
from server.dashboard.wage_stats import histogram, nice_step, per_platform, task_wages, weekly
from server.store.admin import WeeklyReports


def task(task_id: str, *, platform: str = "p", reward_eur: float, seconds: float, reports: int) -> TaskAggregate:
    return TaskAggregate(platform, task_id, "r", reports=reports, attempts=reports, loc=math.log(seconds), reward_eur=reward_eur)


TASKS = [task("cheap", reward_eur=1.0, seconds=600, reports=4), task("fair", reward_eur=3.0, seconds=600, reports=1),
         task("unmeasured", reward_eur=1.0, seconds=600, reports=0), TaskAggregate("p", "no-reward", None, reports=3)]


def test_task_hourly_is_reward_over_the_measured_duration_in_the_display_currency() -> None:
    wages = {w.task_id: w for w in task_wages(TASKS, "EUR")}
    assert set(wages) == {"cheap", "fair"}
    assert wages["cheap"].hourly == pytest.approx(6.0) and wages["fair"].hourly == pytest.approx(18.0)
    in_gbp = {w.task_id: w.hourly for w in task_wages(TASKS, "GBP")}
    assert 4 < in_gbp["cheap"] < 6  # a euro is worth less than a pound


def test_medians_and_shares_are_weighted_by_reports() -> None:
    [row] = per_platform(task_wages(TASKS, "EUR"), {"below 12": 12.0, "below 20": 20.0})
    assert (row.tasks, row.reports, row.median) == (2, 5, pytest.approx(6.0))
    assert row.below == {"below 12": pytest.approx(0.8), "below 20": pytest.approx(1.0)}


def test_the_histogram_puts_the_threshold_mid_chart() -> None:
    result = histogram(task_wages(TASKS, "EUR"), threshold=12.02)  # France's SMIC, the default
    assert result.edges[:3] == [0.0, 2.5, 5.0] and result.edges[-1] == 25.0
    assert result.labels()[2] == "5–7.5" and result.labels()[-1] == "≥ 25"
    assert result.shares["p"][2] == pytest.approx(0.8) and result.shares["p"][7] == pytest.approx(0.2)
    over = histogram([*task_wages(TASKS, "EUR"), *task_wages([task("rich", reward_eur=100, seconds=60, reports=5)], "EUR")], 12.02)
    assert over.shares["p"][-1] == pytest.approx(0.5)  # everything past the last edge lands in the open bucket


def test_weekly_figures_follow_which_tasks_were_done_each_week() -> None:
    wages = task_wages(TASKS, "EUR")
    rows = weekly([WeeklyReports("2026-11-02", "p", "cheap", 3), WeeklyReports("2026-11-09", "p", "fair", 2),
                   WeeklyReports("2026-11-09", "p", "cheap", 1), WeeklyReports("2026-11-09", "p", "gone", 9)],
                  wages, {"below 12": 12.0})
    assert [(r.week, r.reports, round(r.median, 2), round(r.below["below 12"], 3)) for r in rows] == [
        ("2026-11-02", 3, 6.0, 1.0), ("2026-11-09", 3, 18.0, 0.333)]


@pytest.mark.parametrize(("span", "count", "step"), [(24.04, 12, 2.5), (100, 10, 10), (7, 6, 2), (0.3, 6, 0.05)])
def test_nice_steps(span: float, count: int, step: float) -> None:
    assert nice_step(span, count) == pytest.approx(step)
