"""`fairclick migrate --from sqlite:PATH --to mongodb://HOST/...`: copy a SQLite store into MongoDB.

Copies installs, raw timings and outcomes, reports, contributors and task, requester and
platform aggregates as they are (nothing is recomputed), into a MongoDB database that must be
empty, then reads both back and checks they hold the same records. Stop the service first:
records that arrive during the copy would be missed. The SQLite file is only read.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from .store.mongo import MongoStore
from .store.sqlite import SqliteStore
from .store.mongo.documents import to_document
from .store.sqlite.schema import CONTRIBUTORS, GROUPS, OUTCOME_COLUMNS, REPORTS, TASKS, TIMING_COLUMNS, Table

CHUNK = 1000


class MigrationError(Exception):
    """The copy was refused or did not verify; the message says why."""


def _rows(conn: sqlite3.Connection, sql: str) -> Iterator[list[Any]]:
    cursor = conn.execute(sql)
    while chunk := cursor.fetchmany(CHUNK):
        yield chunk


def _records(conn: sqlite3.Connection, table: Table) -> Iterator[list[Any]]:
    for chunk in _rows(conn, f"SELECT {table.select_sql()} FROM {table.name}"):
        yield [table.from_row(row) for row in chunk]


def _group_document(group: Any) -> dict[str, Any]:
    document = to_document(group)
    if document["first_seen"] is None:
        del document["first_seen"]  # MongoDB's $min keeps a null forever: leave the key out until known
    return document


async def copy(source: Path, url: str, database: str) -> dict[str, int]:
    if not source.is_file():
        raise MigrationError(f"no SQLite store at {source}")
    # Fold what a stopped service acknowledged but had not folded yet: the copy carries aggregates.
    folding = SqliteStore(source)
    await folding.open()
    try:
        await folding.settle()
    finally:
        await folding.close()
    conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    target = MongoStore(url, database=database, sweep_every_s=None)
    await target.open()
    counts: dict[str, int] = {}
    try:
        db = target.db
        for name in ("installs", "timings", "outcomes", "contributors", "reports", "tasks", "groups"):
            if await db[name].find_one({}, {"_id": 1}) is not None:
                raise MigrationError(f"the MongoDB database {database!r} is not empty ({name} has documents)")

        async def insert(name: str, documents: list[dict[str, Any]]) -> None:
            if documents:
                await db[name].insert_many(documents, ordered=False)
                counts[name] = counts.get(name, 0) + len(documents)

        for chunk in _rows(conn, "SELECT install_id, token_hash, created_at FROM installs"):
            await insert("installs", [{"_id": i, "install_id": i, "token_hash": h, "created_at": c} for i, h, c in chunk])
        # Copied records carry seq 0: below every lease epoch's numbers, so never taken for unfolded ones.
        for chunk in _rows(conn, f"SELECT {', '.join(TIMING_COLUMNS)} FROM timings"):
            await insert("timings", [{**dict(zip(TIMING_COLUMNS, row, strict=True)), "seq": 0} for row in chunk])
        for chunk in _rows(conn, f"SELECT {', '.join(OUTCOME_COLUMNS)} FROM outcomes"):
            await insert("outcomes", [{**dict(zip(OUTCOME_COLUMNS, row, strict=True)), "seq": 0} for row in chunk])
        for records in _records(conn, CONTRIBUTORS):
            await insert("contributors", [{"_id": c.install_id, **to_document(c), "epoch": 0, "lock_until": 0,
                                           "timings_through": 0, "outcomes_through": 0} for c in records])
        for records in _records(conn, REPORTS):
            await insert("reports", [to_document(r) for r in records])
        for records in _records(conn, TASKS):
            await insert("tasks", [{**to_document(t), "rev": 1, "pending": []} for t in records])
        for records in _records(conn, GROUPS):
            await insert("groups", [_group_document(g) for g in records])
        await verify(conn, target)
    finally:
        conn.close()
        await target.close()
    return counts


def _same(got: Any, want: Any) -> bool:
    for field in fields(want):
        a, b = getattr(got, field.name), getattr(want, field.name)
        if isinstance(b, float) and isinstance(a, int | float):
            if not math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12):
                return False
        elif a != b:
            return False
    return True


async def verify(conn: sqlite3.Connection, target: MongoStore) -> None:
    """Every record of the source, read back from MongoDB through the store, is the same."""
    timings = conn.execute("SELECT count(*) FROM timings").fetchone()[0]
    if await target.timing_count() != timings:
        raise MigrationError(f"MongoDB holds {await target.timing_count()} timings, the source {timings}")
    for records in _records(conn, TASKS):
        inputs = await target.score_inputs([(t.platform, t.task_id) for t in records], [])
        for task in records:
            copied = inputs.tasks.get((task.platform, task.task_id))
            if copied is None or not _same(copied, task):
                raise MigrationError(f"task {task.platform}/{task.task_id} differs after the copy")
            for report, original in zip(await target.reports((task.platform, task.task_id)),
                                        sorted(_task_reports(conn, task), key=lambda r: (r.ended_at, r.install_id)),
                                        strict=False):
                if not _same(report, original):
                    raise MigrationError(f"a report of {task.platform}/{task.task_id} differs after the copy")
    for records in _records(conn, GROUPS):
        for group in records:
            copied = await target.group((group.platform, group.requester_id))
            if copied is None or not _same(copied, group):
                raise MigrationError(f"group {group.platform}/{group.requester_id} differs after the copy")
    for records in _records(conn, CONTRIBUTORS):
        for contributor in records:
            copied = await target.contributor(contributor.install_id)
            if copied is None or not _same(copied, contributor):
                raise MigrationError(f"contributor {contributor.install_id} differs after the copy")


def _task_reports(conn: sqlite3.Connection, task: Any) -> list[Any]:
    rows = conn.execute(f"SELECT {REPORTS.select_sql()} FROM reports WHERE platform = ? AND task_id = ?",
                        (task.platform, task.task_id))
    return [REPORTS.from_row(row) for row in rows]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fairclick migrate", description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", required=True, metavar="sqlite:PATH",
                        help="the SQLite store to copy, e.g. sqlite:data/fairclick.sqlite3")
    parser.add_argument("--to", dest="target", required=True, metavar="mongodb://...",
                        help="the MongoDB connection string (an empty database)")
    parser.add_argument("--mongo-db", default="fairclick", help="MongoDB database name (default: fairclick)")
    args = parser.parse_args(argv)
    if not args.source.startswith("sqlite:"):
        parser.error("--from must be sqlite:PATH (copying out of MongoDB is not supported)")
    if not args.target.startswith(("mongodb://", "mongodb+srv://")):
        parser.error("--to must be a mongodb:// or mongodb+srv:// connection string")
    try:
        counts = asyncio.run(copy(Path(args.source.removeprefix("sqlite:")), args.target, args.mongo_db))
    except MigrationError as error:
        print(f"fairclick migrate: {error}", file=sys.stderr)
        return 1
    summary = ", ".join(f"{count} {name}" for name, count in counts.items()) or "nothing (the store is empty)"
    print(f"copied and verified: {summary}")
    return 0
