"""Telling, from per-day event counts, which adapter stopped matching and since when."""

from __future__ import annotations

from server.dashboard.adapters import OK, PARTIAL, STOPPED, statuses
from server.store.admin import AdapterHealthDay


def day(adapter: str, date: str, events: int, empty: int) -> AdapterHealthDay:
    return AdapterHealthDay(adapter, date, events, empty, 5 * (events - empty), 0, "1.0")


def test_stopped_since_the_first_failure_after_the_last_good_day() -> None:
    found = statuses([
        day("prolific", "2026-11-01", 4, 0),
        day("prolific", "2026-11-03", 2, 1),  # a bad page among good ones
        day("prolific", "2026-11-04", 3, 0),
        day("prolific", "2026-11-06", 2, 2),
        day("prolific", "2026-11-09", 5, 5),
    ])
    assert [(s.adapter, s.status, s.since, s.last_ok, s.last_seen, s.events, s.empty) for s in found] == [
        ("prolific", STOPPED, "2026-11-06", "2026-11-04", "2026-11-09", 16, 8)]


def test_never_worked_partly_failing_and_healthy_adapters_in_that_order() -> None:
    found = statuses([
        day("ok", "2026-11-09", 3, 0),
        day("partial", "2026-11-07", 3, 0),
        day("partial", "2026-11-08", 3, 1),
        day("partial", "2026-11-09", 3, 2),
        day("broken", "2026-11-08", 1, 1),
        day("broken", "2026-11-09", 1, 1),
    ])
    assert [(s.adapter, s.status, s.since, s.last_ok) for s in found] == [
        ("broken", STOPPED, "2026-11-08", None),
        ("partial", PARTIAL, "2026-11-08", "2026-11-09"),
        ("ok", OK, None, "2026-11-09"),
    ]
