"""Write jobs: each runs on the writer thread inside its own SAVEPOINT (see writer.py).

A batch costs a constant number of statements plus one per task past
MAX_REPORTS_PER_TASK reports: keys are passed as one JSON array and joined with json_each.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Sequence
from datetime import datetime

import orjson
from shared_schema import Outcome, Timing

from ...aggregates import ADDITIVE, MAX_REPORTS_PER_TASK, Contributor
from ..protocol import IngestResult, TaskKey
from .fold import GroupDeltas, TaskState, fold_outcome, fold_timing, report_from_timing, settle_tasks
from .schema import CONTRIBUTORS, OUTCOME_COLUMNS, REPORTS, TASKS, TIMING_COLUMNS

_INSERT_TIMING = f"INSERT INTO timings ({', '.join(TIMING_COLUMNS)}) VALUES ({', '.join('?' * len(TIMING_COLUMNS))})"
_INSERT_OUTCOME = f"INSERT INTO outcomes ({', '.join(OUTCOME_COLUMNS)}) VALUES ({', '.join('?' * len(OUTCOME_COLUMNS))})"
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
                "ON r.platform = k.value ->> 0 AND r.task_id = k.value ->> 1 AND r.install_id = ?")


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
    states = {key: TaskState(key[0], key[1], None) for key in keys}
    if not keys:
        return states
    small, crowded = [], []
    for row in conn.execute(_TASKS_BY_KEY, (_keys_json(keys),)):
        task = TASKS.from_row(row)
        state = states[(task.platform, task.task_id)]
        state.stored = task
        (crowded if task.attempts >= MAX_REPORTS_PER_TASK else small).append((task.platform, task.task_id))
    if small:
        for row in conn.execute(_REPORTS_OF_TASKS, (_keys_json(small),)):
            report = REPORTS.from_row(row)
            states[(report.platform, report.task_id)].reports[report.install_id] = report
    if crowded:
        # Only the latest reports count; the writing install's own report is needed even when older.
        for key in crowded:
            for row in conn.execute(_LATEST_REPORTS, key):
                report = REPORTS.from_row(row)
                states[key].reports[report.install_id] = report
        for row in conn.execute(_OWN_REPORTS, (_keys_json(crowded), install_id)):
            report = REPORTS.from_row(row)
            states[(report.platform, report.task_id)].reports[report.install_id] = report
    return states


def load_contributor(conn: sqlite3.Connection, install_id: str) -> Contributor:
    row = conn.execute(f"SELECT {CONTRIBUTORS.select_sql()} FROM contributors WHERE install_id = ?",
                       (install_id,)).fetchone()
    return Contributor(install_id) if row is None else CONTRIBUTORS.from_row(row)


# --- writing ------------------------------------------------------------------------------------


def save(conn: sqlite3.Connection, states: Iterable[TaskState], contributor: Contributor | None = None) -> None:
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


def _timing_row(install_id: str, timing: Timing, received_at: float) -> tuple[object, ...]:
    return (
        install_id, timing.idempotency_key, timing.platform, timing.task_id, timing.requester_id,
        timing.reward.amount, timing.reward.currency, float(timing.active_s),
        None if timing.wall_s is None else float(timing.wall_s), timing.outcome,
        timing.started_at.timestamp(), timing.ended_at.timestamp(), timing.advertised_duration_s,
        timing.time_allotted_s, timing.assignment_hash, received_at,
    )


def add_timings(conn: sqlite3.Connection, install_id: str, timings: Sequence[Timing]) -> IngestResult:
    keys = [timing.idempotency_key for timing in timings]
    seen = {row[0] for row in conn.execute(
        "SELECT idempotency_key FROM timings WHERE install_id = ? AND idempotency_key IN (SELECT value FROM json_each(?))",
        (install_id, _keys_json(keys)))}
    fresh = []
    for timing in timings:
        if timing.idempotency_key not in seen:
            seen.add(timing.idempotency_key)  # a repeat inside the batch is a duplicate too
            fresh.append(timing)
    if not fresh:
        return IngestResult(accepted=0, duplicates=len(timings))
    received_at = time.time()
    conn.executemany(_INSERT_TIMING, [_timing_row(install_id, timing, received_at) for timing in fresh])
    conn.execute("UPDATE counters SET value = value + ? WHERE name = 'timings'", (len(fresh),))

    verdicts: dict[str, list[tuple[str, float]]] = {}
    for key, status, at in conn.execute(
        "SELECT idempotency_key, status, at FROM outcomes WHERE install_id = ? "
        "AND idempotency_key IN (SELECT value FROM json_each(?)) ORDER BY at, status",
        (install_id, _keys_json(timing.idempotency_key for timing in fresh)),
    ):
        verdicts.setdefault(key, []).append((status, at))

    states = load_task_states(conn, install_id, list(dict.fromkeys((t.platform, t.task_id) for t in fresh)))
    contributor = load_contributor(conn, install_id)
    for timing in fresh:
        report = report_from_timing(install_id, timing)
        contributor = fold_timing(contributor, states[(timing.platform, timing.task_id)], report,
                                  verdicts.get(timing.idempotency_key, ()))
    save(conn, states.values(), contributor)
    return IngestResult(accepted=len(fresh), duplicates=len(timings) - len(fresh))


def add_outcomes(conn: sqlite3.Connection, install_id: str, outcomes: Sequence[Outcome]) -> IngestResult:
    seen = {tuple(row) for row in conn.execute(
        "SELECT idempotency_key, status FROM outcomes WHERE install_id = ? "
        "AND idempotency_key IN (SELECT value FROM json_each(?))",
        (install_id, _keys_json({outcome.idempotency_key for outcome in outcomes})))}
    fresh = []
    for outcome in outcomes:
        if (outcome.idempotency_key, outcome.status) not in seen:
            seen.add((outcome.idempotency_key, outcome.status))
            fresh.append(outcome)
    if not fresh:
        return IngestResult(accepted=0, duplicates=len(outcomes))
    received_at = time.time()
    conn.executemany(_INSERT_OUTCOME, [
        (install_id, o.idempotency_key, o.status, o.platform, o.task_id, o.requester_id, o.at.timestamp(), received_at)
        for o in fresh
    ])
    # The timing says which task a verdict concerns; one that has not arrived yet gets it on arrival.
    tasks_of = {key: (platform, task_id) for key, platform, task_id in conn.execute(
        "SELECT idempotency_key, platform, task_id FROM timings WHERE install_id = ? "
        "AND idempotency_key IN (SELECT value FROM json_each(?))",
        (install_id, _keys_json({outcome.idempotency_key for outcome in fresh})))}
    known = [outcome for outcome in fresh if outcome.idempotency_key in tasks_of]
    if known:
        states = load_task_states(conn, install_id, list(dict.fromkeys(tasks_of[o.idempotency_key] for o in known)))
        for outcome in known:
            fold_outcome(states[tasks_of[outcome.idempotency_key]], install_id, outcome.idempotency_key,
                         outcome.status, outcome.at.timestamp())
        save(conn, states.values())
    return IngestResult(accepted=len(fresh), duplicates=len(outcomes) - len(fresh))
