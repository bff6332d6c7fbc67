"""The single writer: one thread owns the write connection and runs every write job.

Jobs queue up while a transaction commits; the next transaction takes all of them at once
(group commit), so one fsync serves many requests. Each job runs inside its own SAVEPOINT,
so a job that fails leaves no trace while the others of its group commit; a caller's future
resolves only after the COMMIT that made its job durable.

Between groups the thread runs its `background` job (folding the raw records into the
aggregates, fold_behind.py) in transactions of its own: a chunk of up to FOLD_IDLE records
whenever no job has come for IDLE_GRACE_S, and a slice of FOLD_UNDER_LOAD records at least
every FOLD_EVERY_S while jobs keep coming. Acknowledgements never wait long for
folding, and folding keeps going under any load (and catches up once the load eases).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ..protocol import StoreUnavailable
from .connection import is_busy, is_unusable, unavailable

log = logging.getLogger(__name__)

T = TypeVar("T")
Job = Callable[[sqlite3.Connection], T]

#: Most jobs committed together, and the time after which no more join: they bound how long a
#: transaction holds the file's write lock and how long the first job's answer waits.
MAX_GROUP = 32
GROUP_WINDOW_S = 0.05
#: Under a steady queue, the background job still runs at least this often, on this many records.
FOLD_EVERY_S = 0.01
FOLD_UNDER_LOAD = 32
#: Records per background transaction when no job is waiting (bounds how long a job arriving meanwhile waits).
FOLD_IDLE = 500
#: An empty queue right after a commit is often a caller about to send its next job: wait this long first.
IDLE_GRACE_S = 0.02
#: With nothing to do, look for records other processes left unfolded this often.
IDLE_CHECK_S = 1.0
#: After a failed background transaction (another process holding the lock, a disk error), wait this long.
FOLD_RETRY_S = 0.2


@dataclass(slots=True)
class _Pending:
    job: Job[Any]
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]


_STOP = object()


@dataclass(slots=True)
class _Settle:
    """A request to run the background job until it has caught up with what was committed before it."""

    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[None]


def _settle(pending: _Pending | _Settle, outcome: tuple[bool, Any]) -> None:
    def settle() -> None:
        if pending.future.done():  # the caller was cancelled; the job's effect stands (ingest is idempotent)
            return
        ok, value = outcome
        if ok:
            pending.future.set_result(value)
        else:
            pending.future.set_exception(value)

    try:
        pending.loop.call_soon_threadsafe(settle)
    except RuntimeError:  # the caller's loop is closed: nobody is waiting
        pass


class Writer:
    def __init__(self, connect: Callable[[], sqlite3.Connection], *, name: str = "fairclick-sqlite-writer",
                 after_commit: Callable[[], None] = lambda: None, group_window_s: float = GROUP_WINDOW_S,
                 background: Callable[[sqlite3.Connection, int], bool] | None = None) -> None:
        self._connect = connect
        self._background = background
        #: A test hook: while True the background job only runs for settle() (as if the process died first).
        self.paused = False
        self._behind = background is not None  # records may be waiting (e.g. left by a killed process)
        self._last_background = 0.0
        self._retry_at = 0.0
        self._under_load = False  # whether the next background run is a slice taken from waiting jobs
        self._last_job = 0.0
        self._group_window_s = group_window_s
        self._after_commit = after_commit
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._started = threading.Event()
        self._start_error: BaseException | None = None
        self._stopping = False
        # Held while checking `alive` and queueing, and while draining at the end, so no job queued
        # after the thread's last look is left waiting forever.
        self._gate = threading.Lock()

    def start(self) -> None:
        """Open the write connection on the writer thread; raise if it cannot be opened."""
        self._thread.start()
        self._started.wait()
        if self._start_error is not None:
            raise self._start_error

    @property
    def alive(self) -> bool:
        return self._thread.is_alive() and not self._stopping

    def submit(self, job: Job[T]) -> asyncio.Future[T]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        with self._gate:
            if not self.alive:
                future.set_exception(StoreUnavailable("SQLite store is closed"))
                return future
            self._queue.put(_Pending(job, loop, future))
        return future

    def settle(self) -> asyncio.Future[None]:
        """A future resolved once the background job has caught up with everything committed before the call."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._gate:
            if not self.alive:
                future.set_exception(StoreUnavailable("SQLite store is closed"))
                return future
            self._queue.put(_Settle(loop, future))
        return future

    def stop(self) -> None:
        """Finish the queued jobs, then close the connection (blocking: call it off the event loop)."""
        if self._thread.is_alive():
            with self._gate:
                self._stopping = True
                self._queue.put(_STOP)
            self._thread.join()

    # --- the writer thread --------------------------------------------------------------------

    def _run(self) -> None:
        conn: sqlite3.Connection | None
        try:
            conn = self._connect()
        except BaseException as error:  # noqa: BLE001 - handed to start()'s caller
            self._start_error = error
            self._started.set()
            return
        self._started.set()
        try:
            while True:
                first = self._next()
                if first is None:  # time for the background job
                    conn = self._catch_up(conn, settle=None, once=True)
                    continue
                if first is _STOP:
                    break
                if conn is None:  # the last transaction broke the connection: a fresh one, once the file is back
                    try:
                        conn = self._connect()
                    except BaseException as error:  # noqa: BLE001 - the caller hears 503 and retries
                        _settle(first, (False, error if isinstance(error, StoreUnavailable) else unavailable(error)))
                        continue
                if isinstance(first, _Settle):
                    conn = self._catch_up(conn, settle=first, once=False)
                    continue
                stop, broken = self._transaction(conn, first)
                self._last_job = time.monotonic()
                if broken:
                    conn.close()
                    conn = None
                elif self._background is not None:
                    self._behind = True
                if stop:
                    break
            if conn is not None and not self.paused:
                self._catch_up(conn, settle=None, once=False)  # a clean stop leaves nothing unfolded
        finally:
            if conn is not None:
                conn.close()
            self._fail_queued()

    def _next(self) -> Any:
        """The next queued item, or None when the background job should run now (`_under_load` says how much)."""
        while True:
            if not self._behind or self.paused:
                try:
                    item = self._queue.get(timeout=None if self.paused or self._background is None else IDLE_CHECK_S)
                except queue.Empty:
                    self._behind = True  # another process on the file may have acknowledged records and died
                    continue
                self._last_job = time.monotonic()
                return item
            now = time.monotonic()
            if now < self._retry_at:
                wake = self._retry_at
            elif now - self._last_job >= IDLE_GRACE_S and self._queue.empty():
                self._under_load = False  # nothing came for a while: a full chunk
                return None
            elif now - self._last_background >= FOLD_EVERY_S:
                self._under_load = True  # jobs keep coming: a slice, then back to them
                return None
            else:
                wake = min(self._last_job + IDLE_GRACE_S, self._last_background + FOLD_EVERY_S)
            try:
                item = self._queue.get(timeout=max(0.0, wake - now))
            except queue.Empty:
                continue
            self._last_job = time.monotonic()
            return item

    def _catch_up(self, conn: sqlite3.Connection | None, *, settle: _Settle | None,
                  once: bool) -> sqlite3.Connection | None:
        """Run the background job, once or until it has caught up; return the connection (None if broken)."""
        while self._background is not None:
            if conn is None:
                try:
                    conn = self._connect()
                except BaseException as error:  # noqa: BLE001 - retried later; a settle() caller hears 503
                    self._failed(settle, error)
                    return None
            self._last_background = time.monotonic()
            try:
                conn.execute("BEGIN IMMEDIATE")
                more = self._background(conn, FOLD_UNDER_LOAD if once and self._under_load else FOLD_IDLE)
                conn.execute("COMMIT")
            except BaseException as error:  # noqa: BLE001 - the records stay stored; folding retries
                self._rollback(conn)
                if not is_unusable(error) and not isinstance(error, StoreUnavailable):
                    log.exception("SQLite background transaction failed")
                self._failed(settle, error)
                if not is_busy(error):
                    conn.close()
                    return None
                return conn
            self._after_commit()
            self._behind = more
            if once or not more:
                break
        if settle is not None:
            _settle(settle, (True, None))
        return conn

    def _failed(self, settle: _Settle | None, error: BaseException) -> None:
        self._behind = True
        self._retry_at = time.monotonic() + FOLD_RETRY_S
        if settle is not None:
            _settle(settle, (False, error if isinstance(error, StoreUnavailable) else unavailable(error)))

    def _transaction(self, conn: sqlite3.Connection, first: _Pending) -> tuple[bool, bool]:
        """Run `first` and the jobs queued behind it in one transaction.

        Returns (told to stop, connection broken).
        """
        group, outcomes, stop, broken = [first], [], False, False
        try:
            conn.execute("BEGIN IMMEDIATE")
            began = time.monotonic()
            while True:
                outcomes.append(self._run_job(conn, group[-1].job))
                # Jobs taken later wait for this COMMIT too: bound how long the first one waits.
                if len(group) >= MAX_GROUP or time.monotonic() - began >= self._group_window_s:
                    break
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is _STOP:
                    stop = True
                    break
                group.append(more)
            conn.execute("COMMIT")
            self._after_commit()
        except BaseException as error:  # noqa: BLE001 - every caller of the group must hear about it
            self._rollback(conn)
            failure = error if isinstance(error, StoreUnavailable) else unavailable(error)
            if not is_unusable(error) and not isinstance(error, StoreUnavailable):
                log.exception("SQLite write transaction failed")
            # Another process holding the lock leaves the connection sound; any other failure may not have.
            broken = not is_busy(error)
            # Nothing of the group is stored: jobs that had succeeded fail too (their callers retry).
            outcomes = [(False, failure)] * len(group)
        for pending, outcome in zip(group, outcomes, strict=True):
            _settle(pending, outcome)
        return stop, broken

    @staticmethod
    def _run_job(conn: sqlite3.Connection, job: Job[Any]) -> tuple[bool, Any]:
        conn.execute("SAVEPOINT job")
        try:
            result = job(conn)
        except Exception as error:
            if is_unusable(error):
                raise  # the database itself failed: abandon the whole transaction
            conn.execute("ROLLBACK TO job")
            conn.execute("RELEASE job")
            return False, error
        conn.execute("RELEASE job")
        return True, result

    @staticmethod
    def _rollback(conn: sqlite3.Connection) -> None:
        try:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        except sqlite3.Error:  # a closed or broken connection: the transaction died with it
            log.warning("SQLite rollback failed", exc_info=True)

    def _fail_queued(self) -> None:
        with self._gate:
            self._stopping = True
            while True:
                try:
                    pending = self._queue.get_nowait()
                except queue.Empty:
                    return
                if pending is not _STOP:
                    _settle(pending, (False, StoreUnavailable("SQLite store is closed")))
