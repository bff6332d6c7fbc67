"""The default store: one SQLite file, WAL, one writer thread, reads on a thread pool, versioned migrations."""

from .store import SqliteStore

__all__ = ["SqliteStore"]
