"""`SqliteStore`: the default store, one SQLite file (see server/store/protocol.py for the contract)."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from shared_schema import Outcome, Timing

from ...aggregates import Contributor, GroupAggregate, Report
from ..changes import EVERYTHING, ChangeFeed, Changes
from ..protocol import GroupKey, IngestResult, ScoreInputs, StoreUnavailable, TaskKey
from . import fold_behind, ingest, reads
from .admin import SqliteAdmin
from .checkpoint import BACKSTOP_PAGES, Checkpointer
from .connection import connect, is_unusable, translated, unavailable
from .schema import STEPS, migrate
from .writer import Writer

T = TypeVar("T")

#: Seconds a write waits for another process holding the file's write lock before answering 503.
BUSY_TIMEOUT_S = 5.0
READER_THREADS = 2


class _Readers:
    """A small thread pool, each thread with its own read-only connection, so reads never block the event loop."""

    def __init__(self, connect_reader: Callable[[], sqlite3.Connection]) -> None:
        self._connect = connect_reader
        self._pool = ThreadPoolExecutor(READER_THREADS, thread_name_prefix="fairclick-sqlite-read")
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: set[sqlite3.Connection] = set()

    async def run(self, query: Callable[..., T], *args: Any) -> T:
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, self._call, query, args)
        except RuntimeError as error:  # the pool was shut down: the store is closed
            raise StoreUnavailable("SQLite store is closed") from error

    def _call(self, query: Callable[..., T], args: tuple[Any, ...]) -> T:
        conn = getattr(self._local, "conn", None)
        try:
            if conn is None:
                conn = self._local.conn = self._connect()
                with self._lock:
                    self._connections.add(conn)
            with translated():
                return query(conn, *args)
        except (sqlite3.Error, StoreUnavailable) as error:
            if conn is not None and (isinstance(error, StoreUnavailable) or is_unusable(error)):
                self._drop(conn)  # reconnect on the next read, e.g. once the disk is back
            raise

    def _drop(self, conn: sqlite3.Connection) -> None:
        self._local.conn = None
        with self._lock:
            self._connections.discard(conn)
        conn.close()

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()


class SqliteStore(SqliteAdmin):
    """One SQLite file in WAL mode: every write through one writer thread, reads on a thread pool.

    Several processes may open the same file: writes take the file's lock with BEGIN IMMEDIATE
    and wait up to `busy_timeout_s` for each other.
    """

    def __init__(self, path: str | Path, *, busy_timeout_s: float = BUSY_TIMEOUT_S,
                 migrations: Sequence[Callable[[sqlite3.Connection], None]] = STEPS, fold_paused: bool = False) -> None:
        self.path = Path(path)
        #: A test hook: acknowledged records stay unfolded until settle() (as when a process dies first).
        self._fold_paused = fold_paused
        self._busy_timeout_s = busy_timeout_s
        self._migrations = tuple(migrations)
        self._writer: Writer | None = None
        self._readers: _Readers | None = None
        self._checkpointer: Checkpointer | None = None
        self.changes = ChangeFeed()
        #: What the writer thread's folds changed, published once their transaction is committed.
        self._folded: list[Changes] = []

    def __repr__(self) -> str:
        return f"SqliteStore({str(self.path)!r})"

    # --- lifecycle ------------------------------------------------------------------------------

    def _connect_writer(self) -> sqlite3.Connection:
        conn = connect(self.path, busy_timeout_s=self._busy_timeout_s, writer=True)
        try:
            with translated():
                migrate(conn, self._migrations)
                conn.execute(f"PRAGMA wal_autocheckpoint = {BACKSTOP_PAGES}")
        except BaseException:
            conn.close()
            raise
        return conn

    def _connect_reader(self) -> sqlite3.Connection:
        return connect(self.path, busy_timeout_s=self._busy_timeout_s, writer=False)

    async def open(self) -> None:
        if self._writer is not None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise unavailable(error) from error
        checkpointer = Checkpointer(self._connect_reader)
        writer = Writer(self._connect_writer, after_commit=partial(self._committed, checkpointer.nudge),
                        background=self._fold_chunk)
        writer.paused = self._fold_paused
        await asyncio.to_thread(writer.start)
        checkpointer.start()
        self._writer, self._readers, self._checkpointer = writer, _Readers(self._connect_reader), checkpointer

    async def close(self) -> None:
        writer, readers, checkpointer = self._writer, self._readers, self._checkpointer
        self._writer = self._readers = self._checkpointer = None
        if writer is not None:
            await asyncio.to_thread(writer.stop)
        if checkpointer is not None:
            await asyncio.to_thread(checkpointer.stop)
        if readers is not None:
            await asyncio.to_thread(readers.close)

    async def ping(self) -> None:
        if self._writer is None or not self._writer.alive:
            raise StoreUnavailable("SQLite store is not open")
        await self._read(reads.ping)

    async def settle(self) -> None:
        """Return once every record acknowledged before the call is folded into the aggregates."""
        if self._writer is None:
            raise StoreUnavailable("SQLite store is not open")
        await self._writer.settle()

    async def fold_lag(self) -> int:
        """Acknowledged records not folded into the aggregates yet (normally 0 within milliseconds)."""
        return await self._read(fold_behind.unfolded_records)

    # --- plumbing -------------------------------------------------------------------------------

    def _fold_chunk(self, conn: sqlite3.Connection, limit: int) -> bool:
        """The writer thread's background job: fold behind, noting what changed."""
        return fold_behind.fold_chunk(conn, limit, changed=self._folded)

    def _committed(self, nudge: Callable[[], None]) -> None:
        """After each commit, on the writer thread: tell the listeners what the folds committed."""
        nudge()
        if self._folded:
            # A rolled-back fold's changes may be published with the next commit: one needless drop, never a stale score.
            folded, self._folded = self._folded, []
            self.changes.publish_threadsafe(Changes(frozenset().union(*(c.tasks for c in folded)),
                                                    frozenset().union(*(c.groups for c in folded))))

    async def _write(self, job: Callable[[sqlite3.Connection], T], *, changes_estimates: bool = True) -> T:
        """Run `job` on the writer thread. A job that may change estimates (the default) is published
        as EVERYTHING; ingest, which only appends raw records (folded behind), says it does not."""
        if self._writer is None:
            raise StoreUnavailable("SQLite store is not open")
        try:
            return await self._writer.submit(job)
        finally:
            if changes_estimates:
                self.changes.publish(EVERYTHING)

    async def _read(self, query: Callable[..., T], *args: Any) -> T:
        if self._readers is None:
            raise StoreUnavailable("SQLite store is not open")
        return await self._readers.run(query, *args)

    # --- installs -------------------------------------------------------------------------------

    async def create_install(self, install_id: str, token_hash: str, created_at: datetime) -> None:
        await self._write(partial(ingest.create_install, install_id=install_id, token_hash=token_hash,
                                  created_at=created_at), changes_estimates=False)

    async def install_for_token(self, token_hash: str) -> str | None:
        return await self._read(reads.install_for_token, token_hash)

    # --- community data -------------------------------------------------------------------------

    async def add_timings(self, install_id: str, timings: Sequence[Timing]) -> IngestResult:
        if not timings:
            return IngestResult(accepted=0, duplicates=0)
        return await self._write(partial(ingest.add_timings, install_id=install_id, timings=list(timings)),
                                 changes_estimates=False)

    async def add_outcomes(self, install_id: str, outcomes: Sequence[Outcome]) -> IngestResult:
        if not outcomes:
            return IngestResult(accepted=0, duplicates=0)
        return await self._write(partial(ingest.add_outcomes, install_id=install_id, outcomes=list(outcomes)),
                                 changes_estimates=False)

    # --- reads ----------------------------------------------------------------------------------

    async def score_inputs(self, tasks: Sequence[TaskKey], groups: Sequence[GroupKey]) -> ScoreInputs:
        if not tasks and not groups:
            return ScoreInputs()
        return await self._read(reads.score_inputs, list(tasks), list(groups))

    async def group(self, key: GroupKey) -> GroupAggregate | None:
        return await self._read(reads.group, key)

    async def contributor(self, install_id: str) -> Contributor | None:
        return await self._read(reads.contributor, install_id)

    async def reports(self, key: TaskKey) -> list[Report]:
        return await self._read(reads.reports, key)

    async def timing_count(self) -> int:
        return await self._read(reads.timing_count)
