"""Read queries; each runs on a reader thread with that thread's own connection (see store.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import orjson

from ...aggregates import Contributor, GroupAggregate, Report
from ..protocol import GroupKey, ScoreInputs, TaskKey
from .admin import flag_counts
from .schema import CONTRIBUTORS, GROUPS, REPORTS, TASKS

# One statement for any number of keys (the key list is one JSON parameter, passed as TEXT:
# SQLite 3.45.0 read BLOBs as binary JSONB), so SQLite's statement cache keeps it prepared,
# and each key is one primary-key lookup.
_TASKS = (f"SELECT {TASKS.select_sql('t')} FROM json_each(?) AS k "
          "JOIN tasks AS t ON t.platform = k.value ->> 0 AND t.task_id = k.value ->> 1")
_GROUPS = (f"SELECT {GROUPS.select_sql('g')} FROM json_each(?) AS k "
           "JOIN groups AS g ON g.platform = k.value ->> 0 AND g.requester_id = k.value ->> 1")


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction: every query inside sees the same committed state."""
    conn.execute("BEGIN")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def install_for_token(conn: sqlite3.Connection, token_hash: str) -> str | None:
    row = conn.execute("SELECT install_id FROM installs WHERE token_hash = ?", (token_hash,)).fetchone()
    return None if row is None else row[0]


def score_inputs(conn: sqlite3.Connection, tasks: Sequence[TaskKey], groups: Sequence[GroupKey]) -> ScoreInputs:
    inputs = ScoreInputs()
    with snapshot(conn):
        if tasks:
            for row in conn.execute(_TASKS, (orjson.dumps([list(key) for key in dict.fromkeys(tasks)]).decode(),)):
                task = TASKS.from_row(row)
                inputs.tasks[(task.platform, task.task_id)] = task
        if groups:
            keys = [[platform, requester_id or ""] for platform, requester_id in dict.fromkeys(groups)]
            for row in conn.execute(_GROUPS, (orjson.dumps(keys).decode(),)):
                group = GROUPS.from_row(row)
                inputs.groups[(group.platform, group.requester_id)] = group
            inputs.flags = flag_counts(conn, groups)
    return inputs


def group(conn: sqlite3.Connection, key: GroupKey) -> GroupAggregate | None:
    row = conn.execute(f"SELECT {GROUPS.select_sql()} FROM groups WHERE platform = ? AND requester_id = ?",
                       (key[0], key[1] or "")).fetchone()
    return None if row is None else GROUPS.from_row(row)


def contributor(conn: sqlite3.Connection, install_id: str) -> Contributor | None:
    row = conn.execute(f"SELECT {CONTRIBUTORS.select_sql()} FROM contributors WHERE install_id = ?",
                       (install_id,)).fetchone()
    return None if row is None else CONTRIBUTORS.from_row(row)


def reports(conn: sqlite3.Connection, key: TaskKey) -> list[Report]:
    """Oldest first, the order the task's aggregate was computed in (fold.report_order)."""
    rows = conn.execute(f"SELECT {REPORTS.select_sql()} FROM reports WHERE platform = ? AND task_id = ? "
                        "ORDER BY ended_at, install_id", key)
    return [REPORTS.from_row(row) for row in rows]


def timing_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT value FROM counters WHERE name = 'timings'").fetchone()[0]


def ping(conn: sqlite3.Connection) -> None:
    # Reading the schema version touches the file, unlike `SELECT 1`.
    conn.execute("PRAGMA user_version").fetchone()
