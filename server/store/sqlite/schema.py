"""The SQLite layout: tables whose columns are the fields of `server/aggregates.py`, and
versioned migrations.

Columns are derived from the dataclasses by name, so a field added to a record later with a
default needs only one more migration step (`add_missing_columns`), never a rewrite here.
`PRAGMA user_version` holds the number of steps applied; `migrate` applies the missing ones
in one transaction, so opening an up-to-date store changes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import MISSING, dataclass, field, fields
from operator import attrgetter
from typing import Any

from ...aggregates import Contributor, GroupAggregate, Report, TaskAggregate
from .admin_schema import create_admin_tables

_AFFINITY = {"str": "TEXT", "int": "INTEGER", "float": "REAL", "bool": "INTEGER"}


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: str  # str | int | float | bool
    nullable: bool
    default: Any

    def ddl(self) -> str:
        sql = f"{self.name} {_AFFINITY[self.kind]}"
        if not self.nullable:
            sql += " NOT NULL"
        if self.default is not None:
            sql += f" DEFAULT {int(self.default) if self.kind == 'bool' else repr(self.default)}"
        return sql


def _column(record_field: Any) -> Column:
    # aggregates.py uses `from __future__ import annotations`: the types are strings such as "float | None".
    annotation = record_field.type
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", str(annotation))
    parts = [part.strip() for part in text.split("|")]
    kinds = [part for part in parts if part != "None"]
    if len(kinds) != 1 or kinds[0] not in _AFFINITY:
        raise TypeError(f"no SQLite column type for {record_field.name}: {record_field.type}")
    default = None if record_field.default is MISSING else record_field.default
    return Column(record_field.name, kinds[0], "None" in parts, default)


@dataclass(frozen=True)
class Table:
    """A table holding one record type of `server/aggregates.py`, one column per field."""

    name: str
    record: type
    key: tuple[str, ...]
    #: Key columns where the record's None is stored as '' (SQLite treats NULLs in a key as distinct).
    empty_for_none: tuple[str, ...] = ()
    #: Integer counters grow by SQL `x = x + ?` with float deltas (aggregates.group_delta): read them back as int.
    summed: bool = False
    columns: tuple[Column, ...] = field(init=False)
    names: tuple[str, ...] = field(init=False)
    _get: Callable[[Any], tuple[Any, ...]] = field(init=False, repr=False, compare=False)
    _blank_keys: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _casts: tuple[tuple[int, str, bool], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        columns = tuple(_column(f) for f in fields(self.record))
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "names", tuple(column.name for column in columns))
        # Rows are read and written for every timing: precompute what differs from a plain tuple.
        object.__setattr__(self, "_get", attrgetter(*self.names))
        object.__setattr__(self, "_blank_keys", tuple(i for i, c in enumerate(columns) if c.name in self.empty_for_none))
        object.__setattr__(self, "_casts", tuple(
            (i, column.kind, column.name in self.empty_for_none) for i, column in enumerate(columns)
            if column.kind == "bool" or (column.kind == "int" and self.summed) or column.name in self.empty_for_none
        ))

    def create_sql(self) -> str:
        body = [column.ddl() for column in self.columns]
        if self.empty_for_none:
            body = [f"{column.name} TEXT NOT NULL" if column.name in self.empty_for_none else sql
                    for column, sql in zip(self.columns, body, strict=True)]
        return f"CREATE TABLE IF NOT EXISTS {self.name} ({', '.join(body)}, PRIMARY KEY ({', '.join(self.key)})) WITHOUT ROWID"

    def select_sql(self, alias: str = "") -> str:
        prefix = f"{alias}." if alias else ""
        return ", ".join(prefix + name for name in self.names)

    def replace_sql(self) -> str:
        return f"INSERT OR REPLACE INTO {self.name} ({', '.join(self.names)}) VALUES ({', '.join('?' * len(self.columns))})"

    def to_row(self, record: Any) -> tuple[Any, ...]:
        row = self._get(record)
        if not self._blank_keys:
            return row
        values = list(row)
        for index in self._blank_keys:
            if values[index] is None:
                values[index] = ""
        return tuple(values)

    def from_row(self, row: Sequence[Any]) -> Any:
        if not self._casts:
            return self.record(*row)
        values = list(row)
        for index, kind, blank_is_none in self._casts:
            value = values[index]
            if value is None:
                continue
            if blank_is_none and value == "":
                values[index] = None
            elif kind == "bool":
                values[index] = bool(value)
            elif kind == "int" and not isinstance(value, int):
                values[index] = round(value)
        return self.record(*values)

CONTRIBUTORS = Table("contributors", Contributor, ("install_id",))
REPORTS = Table("reports", Report, ("platform", "task_id", "install_id"))
TASKS = Table("tasks", TaskAggregate, ("platform", "task_id"))
GROUPS = Table("groups", GroupAggregate, ("platform", "requester_id"), empty_for_none=("requester_id",), summed=True)
RECORD_TABLES = (CONTRIBUTORS, REPORTS, TASKS, GROUPS)

#: The raw records as they arrived: the durable log every aggregate is derived from.
TIMING_COLUMNS = (
    "install_id", "idempotency_key", "platform", "task_id", "requester_id", "reward_amount", "currency",
    "active_s", "wall_s", "outcome", "started_at", "ended_at", "advertised_s", "allotted_s",
    "assignment_hash", "received_at",
)
OUTCOME_COLUMNS = ("install_id", "idempotency_key", "status", "platform", "task_id", "requester_id", "at", "received_at")


def _create_v1(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE IF NOT EXISTS installs (install_id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, "
                 "created_at TEXT NOT NULL)")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS timings (install_id TEXT NOT NULL, idempotency_key TEXT NOT NULL, "
        "platform TEXT NOT NULL, task_id TEXT NOT NULL, requester_id TEXT, reward_amount TEXT NOT NULL, "
        "currency TEXT NOT NULL, active_s REAL NOT NULL, wall_s REAL, outcome TEXT NOT NULL, started_at REAL NOT NULL, "
        "ended_at REAL NOT NULL, advertised_s INTEGER, allotted_s INTEGER, assignment_hash TEXT, "
        "received_at REAL NOT NULL, PRIMARY KEY (install_id, idempotency_key)) WITHOUT ROWID"
    )
    conn.execute(
        "CREATE TABLE IF NOT EXISTS outcomes (install_id TEXT NOT NULL, idempotency_key TEXT NOT NULL, "
        "status TEXT NOT NULL, platform TEXT NOT NULL, task_id TEXT NOT NULL, requester_id TEXT, at REAL NOT NULL, "
        "received_at REAL NOT NULL, PRIMARY KEY (install_id, idempotency_key, status)) WITHOUT ROWID"
    )
    conn.execute("CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID")
    conn.execute("INSERT OR IGNORE INTO counters (name, value) VALUES ('timings', 0)")
    for table in RECORD_TABLES:
        conn.execute(table.create_sql())
    # A task's latest reports, for tasks past aggregates.MAX_REPORTS_PER_TASK.
    conn.execute("CREATE INDEX IF NOT EXISTS reports_latest ON reports (platform, task_id, ended_at DESC, install_id DESC)")


def add_missing_columns(table: Table) -> Callable[[sqlite3.Connection], None]:
    """A migration step for a field added to `table.record` (it must have a default)."""

    def step(conn: sqlite3.Connection) -> None:
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({table.name})")}
        for column in table.columns:
            if column.name not in present:
                if not column.nullable and column.default is None:
                    raise TypeError(f"{table.record.__name__}.{column.name} needs a default to be added to a store")
                conn.execute(f"ALTER TABLE {table.name} ADD COLUMN {column.ddl()}")

    return step


def _add_arrival_order(conn: sqlite3.Connection) -> None:
    """Fold-behind: raw records carry `seq`, their place in one arrival order shared by timings and
    outcomes; `counters.folded` is the last seq folded into the aggregates (see fold_behind.py).

    Records stored before this step were folded on arrival: their seq stays NULL, below any watermark.
    """
    for table in ("timings", "outcomes"):
        conn.execute(f"ALTER TABLE {table} ADD COLUMN seq INTEGER")
        conn.execute(f"CREATE INDEX IF NOT EXISTS {table}_seq ON {table} (seq) WHERE seq IS NOT NULL")
    conn.execute("INSERT OR IGNORE INTO counters (name, value) VALUES ('arrivals', 0), ('folded', 0)")


#: Step n brings a store from user_version n-1 to n. Append only; never edit a released step.
STEPS: tuple[Callable[[sqlite3.Connection], None], ...] = (_create_v1, create_admin_tables, _add_arrival_order)


class NewerStore(RuntimeError):
    """The file was written by a newer FairClick; opening it could corrupt it."""


def migrate(conn: sqlite3.Connection, steps: Sequence[Callable[[sqlite3.Connection], None]] = STEPS) -> int:
    """Apply the steps this file lacks, all in one transaction; return the resulting version.

    BEGIN IMMEDIATE makes concurrent openers (several service processes) wait for each other,
    and the version is read inside the transaction so each step runs once.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(steps):
            raise NewerStore(f"store schema version {version} is newer than this FairClick's ({len(steps)})")
        for step in steps[version:]:
            step(conn)
        if version < len(steps):
            conn.execute(f"PRAGMA user_version = {len(steps)}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(steps)

