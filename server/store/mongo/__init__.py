"""The MongoDB store (PyMongo's async API): chosen with `--mongo-url` / `FAIRCLICK_MONGO_URL`."""

from .store import MongoStore

__all__ = ["MongoStore"]
