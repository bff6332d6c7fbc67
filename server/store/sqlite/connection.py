"""Opening connections with FairClick's settings, and telling a broken database from a bad record."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..protocol import StoreUnavailable

#: Primary result codes meaning the database itself cannot serve: the service answers 503.
_UNUSABLE = {
    5: "busy",  # SQLITE_BUSY: locked by another process past the busy timeout
    6: "locked",  # SQLITE_LOCKED
    8: "read-only",  # SQLITE_READONLY
    10: "disk I/O error",  # SQLITE_IOERR
    11: "corrupt",  # SQLITE_CORRUPT
    13: "disk full",  # SQLITE_FULL
    14: "cannot open",  # SQLITE_CANTOPEN
    15: "lock protocol",  # SQLITE_PROTOCOL
    26: "not a database",  # SQLITE_NOTADB
}


def is_unusable(error: BaseException) -> bool:
    if not isinstance(error, sqlite3.Error):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in _UNUSABLE
    # Errors raised before SQLite answers (e.g. connecting to a missing folder) carry no code.
    return isinstance(error, sqlite3.OperationalError)


def is_busy(error: BaseException) -> bool:
    """Another connection holds the lock: the database and this connection are fine, only busy."""
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and (code & 0xFF) in {5, 6}


def unavailable(error: BaseException) -> StoreUnavailable:
    return StoreUnavailable(f"SQLite store unavailable: {error}")


@contextmanager
def translated() -> Iterator[None]:
    """Raise StoreUnavailable for errors of the database itself; let others through."""
    try:
        yield
    except sqlite3.Error as error:
        if is_unusable(error):
            raise unavailable(error) from error
        raise


def connect(path: Path, *, busy_timeout_s: float, writer: bool) -> sqlite3.Connection:
    """A connection in autocommit mode: transactions are opened explicitly (BEGIN IMMEDIATE for writes)."""
    with translated():
        conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False,
                               cached_statements=512)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
            # FULL: a commit is on disk (WAL fsynced) before the writer acknowledges it.
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA cache_size = -32768")  # 32 MiB of pages per connection
            conn.execute("PRAGMA temp_store = MEMORY")
            if writer:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if mode.lower() != "wal":
                    raise sqlite3.OperationalError(f"cannot switch {path} to WAL (journal_mode is {mode})")
            else:
                conn.execute("PRAGMA query_only = ON")
        except BaseException:
            conn.close()
            raise
        return conn
