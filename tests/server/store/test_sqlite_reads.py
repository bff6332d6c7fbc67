"""Scoring costs O(1) store work: a constant number of statements, each key a primary-key lookup."""

import sqlite3
from pathlib import Path

import pytest

from server.store.sqlite import SqliteStore, reads
from server.store.sqlite.connection import connect

from store_records import timing


@pytest.fixture
async def filled(tmp_path: Path) -> Path:
    path = tmp_path / "s.sqlite3"
    store = SqliteStore(path)
    await store.open()
    for install in range(4):
        await store.add_timings(f"install-{install}", [
            timing(f"t{n}", requester_id=f"r{n % 7}", minute=install * 300 + n) for n in range(250)
        ])
    await store.close()
    return path


def _statements(conn: sqlite3.Connection, tasks: list, groups: list) -> list[str]:
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        reads.score_inputs(conn, tasks, groups)
    finally:
        conn.set_trace_callback(None)
    return seen


def test_the_statements_do_not_grow_with_the_listings(filled: Path) -> None:
    conn = connect(filled, busy_timeout_s=1.0, writer=False)
    try:
        one = _statements(conn, [("prolific", "t1")], [("prolific", "r1"), ("prolific", None)])
        many = _statements(conn, [("prolific", f"t{n}") for n in range(200)],
                           [("prolific", f"r{n}") for n in range(7)] + [("prolific", None)])
    finally:
        conn.close()

    assert len(many) == len(one)


def test_each_key_is_a_primary_key_lookup(filled: Path) -> None:
    conn = connect(filled, busy_timeout_s=1.0, writer=False)
    try:
        plans = [" ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", ("[]",)))
                 for sql in (reads._TASKS, reads._GROUPS)]
    finally:
        conn.close()

    for plan in plans:
        assert "USING PRIMARY KEY" in plan, plan
        assert "SCAN t " not in plan + " " and "SCAN g " not in plan + " ", plan
