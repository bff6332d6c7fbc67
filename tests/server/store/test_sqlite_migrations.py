"""SQLite schema: versioned steps applied once, kept data, columns that follow the records."""

import asyncio
import sqlite3
from dataclasses import dataclass, fields
from pathlib import Path

import pytest

from server.aggregates import Contributor, Report
from server.store.sqlite import SqliteStore
from server.store.sqlite.schema import CONTRIBUTORS, STEPS, NewerStore, Table, add_missing_columns, migrate

from store_records import timing


def _version(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA user_version").fetchone()[0]


async def _open(path: Path, steps=STEPS) -> SqliteStore:
    store = SqliteStore(path, migrations=steps)
    await store.open()
    return store


async def test_a_new_store_is_created_at_the_latest_version_with_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "there.sqlite3"

    store = await _open(path)
    await store.close()

    assert _version(path) == len(STEPS)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_every_record_field_is_a_column(tmp_path: Path) -> None:
    store = await _open(tmp_path / "s.sqlite3")
    await store.close()

    with sqlite3.connect(tmp_path / "s.sqlite3") as conn:
        for table, record in [("contributors", Contributor), ("reports", Report)]:
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
            assert columns == [f.name for f in fields(record)]


async def test_a_store_one_version_behind_gets_the_new_step_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    old = await _open(path)
    await old.add_timings("install-a", [timing("t1", active_s=600)])
    await old.close()
    later_step = lambda conn: conn.execute("CREATE TABLE notes (note TEXT)")  # noqa: E731 - a future release's step

    store = await _open(path, (*STEPS, later_step))
    try:
        assert _version(path) == len(STEPS) + 1
        assert [r.active_s for r in await store.reports(("prolific", "t1"))] == [600.0]
        assert await store.timing_count() == 1
    finally:
        await store.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM notes").fetchone() == (0,)


async def test_a_field_added_to_a_record_needs_one_step(tmp_path: Path) -> None:
    """How a new field with a default reaches existing stores: the file predates it, one step adds it."""
    path = tmp_path / "s.sqlite3"
    store = await _open(path)
    await store.add_timings("install-a", [timing("t1"), timing("t2", minute=1)])
    await store.close()
    # The file as an older FairClick wrote it, before Contributor.agreed_requesters existed.
    with sqlite3.connect(path) as conn:
        conn.execute("ALTER TABLE contributors DROP COLUMN agreed_requesters")

    store = await _open(path, (*STEPS, add_missing_columns(CONTRIBUTORS)))
    try:
        contributor = await store.contributor("install-a")
        assert contributor is not None and contributor.agreed_requesters == 0
        await store.add_timings("install-a", [timing("t3", minute=2)])  # and writes go on
    finally:
        await store.close()


def test_a_field_without_a_default_cannot_be_added(tmp_path: Path) -> None:
    @dataclass
    class Grown:
        install_id: str
        required: int

    with sqlite3.connect(tmp_path / "s.sqlite3") as conn:
        conn.execute("CREATE TABLE grown (install_id TEXT PRIMARY KEY)")
        with pytest.raises(TypeError, match="needs a default"):
            add_missing_columns(Table("grown", Grown, ("install_id",)))(conn)


async def test_opening_an_up_to_date_store_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = await _open(path)
    await store.close()
    applied = []

    store = await _open(path, (*(lambda conn, step=step: applied.append(step) for step in STEPS),))
    await store.close()

    assert applied == []
    assert _version(path) == len(STEPS)


async def test_a_store_from_a_newer_fairclick_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = await _open(path, (*STEPS, lambda conn: None))
    await store.close()

    with pytest.raises(NewerStore, match="newer"):
        await _open(path)

    assert _version(path) == len(STEPS) + 1


async def test_processes_opening_a_new_file_at_once_apply_each_step_once(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    runs = []

    def counted(conn: sqlite3.Connection) -> None:
        runs.append(1)
        STEPS[0](conn)

    stores = [SqliteStore(path, migrations=(counted,)) for _ in range(4)]
    await asyncio.gather(*(store.open() for store in stores))
    for store in stores:
        await store.close()

    assert len(runs) == 1


def test_a_failing_step_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("step failed")

    conn = sqlite3.connect(tmp_path / "s.sqlite3", isolation_level=None)
    try:
        migrate(conn, STEPS)
        with pytest.raises(RuntimeError):
            migrate(conn, (*STEPS, broken))
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(STEPS)
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone() == (0,)
    finally:
        conn.close()


async def test_a_first_version_store_gets_every_later_step(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    first = await _open(path, STEPS[:1])
    await first.close()
    assert _version(path) == 1

    store = await _open(path)
    try:
        assert _version(path) == len(STEPS)
        await store.add_timings("install-a", [timing("t1", active_s=600)])
        await store.settle()
        assert [r.active_s for r in await store.reports(("prolific", "t1"))] == [600.0]
        again = await store.add_timings("install-a", [timing("t2", minute=1)])
        assert (again.accepted, again.duplicates) == (1, 0)
    finally:
        await store.close()
