"""Every index the MongoDB store relies on, created (idempotently) when the store opens.

Unique indexes are part of correctness, not only speed: (install_id, idempotency_key) makes
ingest idempotent, and the natural keys of reports, tasks and groups make concurrent upserts
of the same record collide instead of creating two. docs/mongodb.md explains each one.
"""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel

INDEXES: dict[str, list[IndexModel]] = {
    "installs": [IndexModel([("token_hash", ASCENDING)], name="token_hash", unique=True)],
    "timings": [
        IndexModel([("install_id", ASCENDING), ("idempotency_key", ASCENDING)], name="install_key", unique=True),
        IndexModel([("install_id", ASCENDING), ("seq", ASCENDING)], name="install_seq"),
    ],
    "outcomes": [
        IndexModel([("install_id", ASCENDING), ("idempotency_key", ASCENDING), ("status", ASCENDING)],
                   name="install_key_status", unique=True),
        IndexModel([("install_id", ASCENDING), ("seq", ASCENDING)], name="install_seq"),
    ],
    "reports": [
        IndexModel([("platform", ASCENDING), ("task_id", ASCENDING), ("install_id", ASCENDING)],
                   name="task_install", unique=True),
        # A task's latest reports, for tasks past aggregates.MAX_REPORTS_PER_TASK.
        IndexModel([("platform", ASCENDING), ("task_id", ASCENDING), ("ended_at", DESCENDING), ("install_id", DESCENDING)],
                   name="task_latest"),
    ],
    "tasks": [
        IndexModel([("platform", ASCENDING), ("task_id", ASCENDING)], name="task", unique=True),
        # Group increments left pending by a crashed writer, found by the install's next lease holder.
        IndexModel([("pending.install", ASCENDING), ("pending.epoch", ASCENDING)], name="pending_install"),
    ],
    "groups": [IndexModel([("platform", ASCENDING), ("requester_id", ASCENDING)], name="group", unique=True)],
    # Leases left by a crashed process (lock_until in the past but not 0), for the sweep.
    "contributors": [IndexModel([("lock_until", ASCENDING)], name="lock_until")],
}


async def create_indexes(db: Any, indexes: dict[str, list[IndexModel]] = INDEXES) -> None:
    for collection, models in indexes.items():
        await db[collection].create_indexes(models)
