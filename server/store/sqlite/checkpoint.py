"""WAL checkpoints on their own thread, so that a commit never waits for one.

SQLite's automatic checkpoint runs inside the COMMIT that crosses its threshold: that request
then waits for the database file to be written and fsynced. Here a PASSIVE checkpoint (which
neither waits for nor blocks the writer or readers) runs at most every `interval_s` after
commits; the writer keeps a high automatic threshold only as a backstop.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

#: WAL pages past which a commit checkpoints by itself (about 80 MiB): only if this thread falls behind.
BACKSTOP_PAGES = 20_000


class Checkpointer:
    def __init__(self, connect: Callable[[], sqlite3.Connection], *, interval_s: float = 0.5) -> None:
        self._connect = connect
        self._interval_s = interval_s
        self._wanted = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fairclick-sqlite-checkpoint", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def nudge(self) -> None:
        """Some commits happened: checkpoint soon."""
        self._wanted.set()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._stopping.set()
            self._wanted.set()
            self._thread.join()

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            while not self._stopping.is_set():
                self._wanted.wait()
                if self._stopping.wait(self._interval_s):
                    break
                self._wanted.clear()
                try:
                    conn = conn or self._connect()
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                except sqlite3.Error:
                    # The writer's own backstop checkpoint still bounds the WAL; try again after the next commits.
                    log.warning("SQLite checkpoint failed", exc_info=True)
                    if conn is not None:
                        conn.close()
                        conn = None
        finally:
            if conn is not None:
                conn.close()
