"""Stores: the `Store` protocol and `open_store(settings)`, which picks the implementation."""

from __future__ import annotations

from typing import Any

from .protocol import GroupKey, IngestResult, ScoreInputs, Store, StoreUnavailable, TaskKey


def open_store(settings: Any) -> Store:
    """The configured store, not yet opened: MongoDB when `mongo_url` is set, else SQLite."""
    if settings.mongo_url:
        from .mongo import MongoStore

        return MongoStore(settings.mongo_url, database=settings.mongo_db, write_concern=settings.mongo_write_concern)
    from .sqlite import SqliteStore

    return SqliteStore(settings.db)


__all__ = ["GroupKey", "IngestResult", "ScoreInputs", "Store", "StoreUnavailable", "TaskKey", "open_store"]
