"""The single writer: queued jobs commit together, each all-or-nothing, each answered after its COMMIT."""

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from server.store import StoreUnavailable
from server.store.sqlite import SqliteStore
from server.store.sqlite.connection import connect
from server.store.sqlite.writer import Writer

from store_records import timing


@pytest.fixture
async def writer(tmp_path: Path) -> AsyncIterator[Writer]:
    path = tmp_path / "w.sqlite3"

    def open_connection() -> sqlite3.Connection:
        conn = connect(path, busy_timeout_s=1.0, writer=True)
        conn.execute("CREATE TABLE IF NOT EXISTS done (job TEXT PRIMARY KEY)")
        return conn

    # A long window: the jobs a test queues while the writer is busy are certain to share a transaction.
    started = Writer(open_connection, group_window_s=60)
    await asyncio.to_thread(started.start)
    yield started
    await asyncio.to_thread(started.stop)


def _done(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT job FROM done")}


def _insert(name: str):
    return lambda conn: conn.execute("INSERT INTO done (job) VALUES (?)", (name,)).rowcount


async def _queued_behind_a_blocked_job(writer: Writer, jobs: list) -> list[asyncio.Future]:
    """Queue `jobs` while the writer is busy, so that they join its transaction."""
    running, release = threading.Event(), threading.Event()

    def blocker(conn: sqlite3.Connection) -> None:
        running.set()
        release.wait(10)

    first = writer.submit(blocker)
    await asyncio.to_thread(running.wait, 10)
    futures = [writer.submit(job) for job in jobs]
    release.set()
    return [first, *futures]


async def test_a_failing_job_leaves_no_trace_and_its_group_commits(writer: Writer, tmp_path: Path) -> None:
    def half_then_fail(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO done (job) VALUES ('half')")
        raise ValueError("bad record")

    futures = await _queued_behind_a_blocked_job(writer, [_insert("a"), half_then_fail, _insert("c")])
    blocker, *results = await asyncio.gather(*futures, return_exceptions=True)

    assert blocker is None and results[0] == 1 and results[2] == 1
    assert isinstance(results[1], ValueError)
    assert _done(tmp_path / "w.sqlite3") == {"a", "c"}


async def test_an_answer_comes_after_the_commit(writer: Writer, tmp_path: Path) -> None:
    _, *futures = await _queued_behind_a_blocked_job(writer, [_insert(f"job{n}") for n in range(10)])

    for n, future in enumerate(futures):
        await future
        assert f"job{n}" in _done(tmp_path / "w.sqlite3")  # visible to another connection: committed


async def test_a_database_failure_fails_the_jobs_of_its_transaction(writer: Writer, tmp_path: Path) -> None:
    def disk_fails(conn: sqlite3.Connection) -> None:
        error = sqlite3.OperationalError("disk I/O error")
        error.sqlite_errorcode = 10  # SQLITE_IOERR
        raise error

    futures = await _queued_behind_a_blocked_job(writer, [_insert("a"), disk_fails, _insert("c")])
    blocker, *results = await asyncio.gather(*futures, return_exceptions=True)

    # The jobs before it shared the failed transaction: not stored, their callers hear 503.
    # "c" was still queued when the transaction failed: it commits in the next one.
    assert isinstance(blocker, StoreUnavailable)
    assert isinstance(results[0], StoreUnavailable) and isinstance(results[1], StoreUnavailable)
    assert results[2] == 1
    assert _done(tmp_path / "w.sqlite3") == {"c"}


async def test_a_stopped_writer_refuses_jobs(writer: Writer) -> None:
    await asyncio.to_thread(writer.stop)

    with pytest.raises(StoreUnavailable):
        await writer.submit(_insert("late"))


async def test_concurrent_batches_from_many_installs_all_count(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.sqlite3")
    await store.open()
    try:
        results = await asyncio.gather(*(
            store.add_timings(f"install-{n:02d}", [timing("t1", active_s=500 + n, minute=n), timing(f"own-{n}")])
            for n in range(40)
        ))
        await store.settle()
        task = (await store.score_inputs([("prolific", "t1")], [])).tasks[("prolific", "t1")]
        platform = await store.group(("prolific", None))
    finally:
        await store.close()

    assert all((r.accepted, r.duplicates) == (2, 0) for r in results)
    assert (task.reports, task.attempts) == (40, 40)
    assert platform is not None and (platform.tasks, platform.reports) == (41, 80)


async def test_the_writer_reconnects_after_its_connection_broke(writer: Writer, tmp_path: Path) -> None:
    def breaks_the_connection(conn: sqlite3.Connection) -> None:
        conn.close()  # as if the file had gone away under it

    with pytest.raises(StoreUnavailable):
        await writer.submit(breaks_the_connection)

    assert await writer.submit(_insert("after")) == 1
    assert _done(tmp_path / "w.sqlite3") == {"after"}
