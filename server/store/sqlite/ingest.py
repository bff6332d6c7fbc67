"""Write jobs: each runs on the writer thread inside its own SAVEPOINT (see writer.py).

Ingest only appends the raw records; `fold_behind.py` folds them into the aggregates right
behind, with the loading and saving here. Loading a set of tasks costs a constant number of
statements plus one per task past MAX_REPORTS_PER_TASK reports: keys are passed as one JSON
array and joined with json_each.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Sequence
from datetime import datetime

import orjson
from shared_schema import Outcome, Timing

from ...aggregates import ADDITIVE, MAX_REPORTS_PER_TASK, Contributor
from ..changes import Changes
from ..protocol import IngestResult, TaskKey
from .fold import GroupDeltas, TaskState, settle_tasks
from .schema import CONTRIBUTORS, OUTCOME_COLUMNS, REPORTS, TASKS, TIMING_COLUMNS

_INSERT_TIMING = (f"INSERT OR IGNORE INTO timings ({', '.join(TIMING_COLUMNS)}, seq) "
                  f"VALUES ({', '.join('?' * (len(TIMING_COLUMNS) + 1))})")
_INSERT_OUTCOME = (f"INSERT OR IGNORE INTO outcomes ({', '.join(OUTCOME_COLUMNS)}, seq) "
                   f"VALUES ({', '.join('?' * (len(OUTCOME_COLUMNS) + 1))})")
_UPSERT_GROUP = (
    f"INSERT INTO groups (platform, requester_id, {', '.join(ADDITIVE)}, first_seen) "
    f"VALUES (?, ?, {', '.join('?' * len(ADDITIVE))}, ?) "
    f"ON CONFLICT (platform, requester_id) DO UPDATE SET "
    + ", ".join(f"{name} = {name} + excluded.{name}" for name in ADDITIVE)
    # Not additive: the earliest wins (SQLite's min() of a NULL is NULL, hence the coalesces).
    + ", first_seen = min(coalesce(first_seen, excluded.first_seen), coalesce(excluded.first_seen, first_seen))"
)
_TASKS_BY_KEY = (f"SELECT {TASKS.select_sql('t')} FROM json_each(?) AS k "
                 "JOIN tasks AS t ON t.platform = k.value ->> 0 AND t.task_id = k.value ->> 1")
_REPORTS_OF_TASKS = (f"SELECT {REPORTS.select_sql('r')} FROM json_each(?) AS k "
                     "JOIN reports AS r ON r.platform = k.value ->> 0 AND r.task_id = k.value ->> 1")
_LATEST_REPORTS = (f"SELECT {REPORTS.select_sql()} FROM reports WHERE platform = ? AND task_id = ? "
                   f"ORDER BY ended_at DESC, install_id DESC LIMIT {MAX_REPORTS_PER_TASK}")
_OWN_REPORTS = (f"SELECT {REPORTS.select_sql('r')} FROM json_each(?) AS k JOIN reports AS r "
                "ON r.platform = k.value ->> 0 AND r.task_id = k.value ->> 1 AND r.install_id = k.value ->> 2")


def create_install(conn: sqlite3.Connection, install_id: str, token_hash: str, created_at: datetime) -> None:
    try:
        conn.execute("INSERT INTO installs (install_id, token_hash, created_at) VALUES (?, ?, ?)",
                     (install_id, token_hash, created_at.isoformat()))
    except sqlite3.IntegrityError:
        raise ValueError("an install with this id or token already exists") from None


# --- loading ------------------------------------------------------------------------------------


def _keys_json(keys: Iterable[object]) -> str:
    # As TEXT: SQLite 3.45.0 read a BLOB argument of the JSON functions as binary JSONB.
    return orjson.dumps(list(keys)).decode()


def load_task_states(conn: sqlite3.Connection, install_id: str, keys: Sequence[TaskKey]) -> dict[TaskKey, TaskState]:
    return load_states(conn, keys, [(key, install_id) for key in keys])


def load_states(conn: sqlite3.Connection, keys: Sequence[TaskKey],
                writers: Iterable[tuple[TaskKey, str]]) -> dict[TaskKey, TaskState]:
    """The tasks `keys` with their reports; `writers` are the (task, install) pairs being folded."""
    states = {key: TaskState(key[0], key[1], None) for key in keys}
    if not keys:
        return states
    small, crowded = [], set()
    for row in conn.execute(_TASKS_BY_KEY, (_keys_json(keys),)):
        task = TASKS.from_row(row)
        state = states[(task.platform, task.task_id)]
        state.stored = task
        if task.attempts >= MAX_REPORTS_PER_TASK:
            crowded.add((task.platform, task.task_id))
        else:
            small.append((task.platform, task.task_id))
    if small:
        for row in conn.execute(_REPORTS_OF_TASKS, (_keys_json(small),)):
            report = REPORTS.from_row(row)
            states[(report.platform, report.task_id)].reports[report.install_id] = report
    if crowded:
        # Only the latest reports count; a writing install's own report is needed even when older.
        for key in crowded:
            for row in conn.execute(_LATEST_REPORTS, key):
                report = REPORTS.from_row(row)
                states[key].reports[report.install_id] = report
        own = {(*key, install_id) for key, install_id in writers if key in crowded}
        for row in conn.execute(_OWN_REPORTS, (_keys_json(own),)):
            report = REPORTS.from_row(row)
            states[(report.platform, report.task_id)].reports[report.install_id] = report
    return states


def load_contributor(conn: sqlite3.Connection, install_id: str) -> Contributor:
    row = conn.execute(f"SELECT {CONTRIBUTORS.select_sql()} FROM contributors WHERE install_id = ?",
                       (install_id,)).fetchone()
    return Contributor(install_id) if row is None else CONTRIBUTORS.from_row(row)


# --- writing ------------------------------------------------------------------------------------


def save(conn: sqlite3.Connection, states: Iterable[TaskState], contributor: Contributor | None = None,
         contributors: Iterable[Contributor] = ()) -> Changes:
    """Write back what changed; returns the tasks and groups whose aggregates it changed."""
    states = list(states)
    deltas = GroupDeltas()
    tasks = settle_tasks(states, deltas)
    conn.executemany(REPORTS.replace_sql(), [REPORTS.to_row(r) for s in states for r in s.changed.values()])
    conn.executemany(TASKS.replace_sql(), [TASKS.to_row(task) for task in tasks])
    conn.executemany(_UPSERT_GROUP, [
        (platform, requester_id or "", *sums, deltas.first_seen[(platform, requester_id)])
        for (platform, requester_id), sums in deltas.sums.items()
    ])
    if contributor is not None:
        conn.execute(CONTRIBUTORS.replace_sql(), CONTRIBUTORS.to_row(contributor))
    conn.executemany(CONTRIBUTORS.replace_sql(), [CONTRIBUTORS.to_row(c) for c in contributors])
    return Changes(frozenset((task.platform, task.task_id) for task in tasks), frozenset(deltas.sums))


def _next_seq(conn: sqlite3.Connection) -> int:
    """The next place in the arrival order shared by timings and outcomes."""
    return conn.execute("SELECT value FROM counters WHERE name = 'arrivals'").fetchone()[0] + 1


def _taken(conn: sqlite3.Connection, last: int) -> None:
    conn.execute("UPDATE counters SET value = ? WHERE name = 'arrivals'", (last,))


def _amount(amount: str) -> None:
    # Folding reads the amount as a number: a record it could not fold must never be acknowledged.
    try:
        float(amount)
    except (TypeError, ValueError):
        raise ValueError(f"reward amount {amount!r} is not a decimal number") from None


def add_timings(conn: sqlite3.Connection, install_id: str, timings: Sequence[Timing]) -> IngestResult:
    """Append the raw timings (the writer folds them right behind: fold_behind.py).

    INSERT OR IGNORE on the (install_id, idempotency_key) key: a repeat, inside the batch or of
    an earlier one, inserts nothing and is counted from the statement's change count. Its
    seq is left unused: gaps in the arrival order are harmless.
    """
    for t in timings:
        _amount(t.reward.amount)
    received_at = time.time()
    seq = _next_seq(conn)
    cursor = conn.executemany(_INSERT_TIMING, [
        (install_id, t.idempotency_key, t.platform, t.task_id, t.requester_id, t.reward.amount, t.reward.currency,
         float(t.active_s), None if t.wall_s is None else float(t.wall_s), t.outcome, t.started_at.timestamp(),
         t.ended_at.timestamp(), t.advertised_duration_s, t.time_allotted_s, t.assignment_hash, received_at, n)
        for n, t in enumerate(timings, seq)
    ])
    accepted = cursor.rowcount
    if accepted:  # a retried batch changes nothing at all
        _taken(conn, seq + len(timings) - 1)
        conn.execute("UPDATE counters SET value = value + ? WHERE name = 'timings'", (accepted,))
    return IngestResult(accepted=accepted, duplicates=len(timings) - accepted)


def add_outcomes(conn: sqlite3.Connection, install_id: str, outcomes: Sequence[Outcome]) -> IngestResult:
    """Append the raw outcomes, idempotent per (install_id, idempotency_key, status); folded behind like timings."""
    received_at = time.time()
    seq = _next_seq(conn)
    cursor = conn.executemany(_INSERT_OUTCOME, [
        (install_id, o.idempotency_key, o.status, o.platform, o.task_id, o.requester_id, o.at.timestamp(),
         received_at, n)
        for n, o in enumerate(outcomes, seq)
    ])
    if cursor.rowcount:
        _taken(conn, seq + len(outcomes) - 1)
    return IngestResult(accepted=cursor.rowcount, duplicates=len(outcomes) - cursor.rowcount)
