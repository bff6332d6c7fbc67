"""The `Store` protocol: everything the service asks of its database.

SQLite (`server/store/sqlite/`, the default) and MongoDB (`server/store/mongo/`) implement
it; `tests/server/store/` holds one contract suite that runs against every implementation.

Rules every implementation keeps:
- A method that returns has made its writes durable (SQLite: committed with
  synchronous=FULL; MongoDB: acknowledged at the configured write concern).
- A batch is all-or-nothing: on error nothing of it is stored.
- Timings are idempotent per (install_id, idempotency_key); outcomes per
  (install_id, idempotency_key, status). A repeat is counted in `duplicates` and changes nothing.
- Aggregates may be folded right behind the acknowledgement (SQLite folds on its writer
  thread within milliseconds): `settle()` returns once everything acknowledged before the
  call is in the aggregates. Reads never wait for folding.
- Aggregates follow `server/aggregates.py`: per-(install, task) reports, task aggregates
  recomputed from reports, group aggregates updated by `group_delta` increments.
- `score_inputs` reads O(1) rows per listing, whatever the history's size.
- Once a change to the aggregates is committed, `changes` publishes it (server/store/changes.py):
  the score cache drops what rested on it.
- Failures of the database itself raise `StoreUnavailable` (the service answers 503).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

from shared_schema import Outcome, Timing

from ..aggregates import Contributor, GroupAggregate, Report, TaskAggregate
from .changes import ChangeFeed

TaskKey = tuple[str, str]  # (platform, task_id)
GroupKey = tuple[str, str | None]  # (platform, requester_id); requester_id None = the platform


class StoreUnavailable(Exception):
    """The database cannot be reached or did not answer in time."""


@dataclass(frozen=True, slots=True)
class IngestResult:
    accepted: int
    duplicates: int


@dataclass(slots=True)
class ScoreInputs:
    """The aggregates a batch of listings needs, fetched in a constant number of queries."""

    tasks: dict[TaskKey, TaskAggregate] = field(default_factory=dict)
    groups: dict[GroupKey, GroupAggregate] = field(default_factory=dict)
    #: Approved community flags per requester: reason -> count (maintained by the dashboard's moderation).
    flags: dict[GroupKey, dict[str, int]] = field(default_factory=dict)


@runtime_checkable
class Store(Protocol):
    #: Told of every committed change to the aggregates made through this store object.
    changes: ChangeFeed

    async def open(self) -> None:
        """Connect; create or migrate the schema and indexes. Safe to call on an existing store."""

    async def close(self) -> None: ...

    async def ping(self) -> None:
        """Raise StoreUnavailable unless the database answers."""

    async def settle(self) -> None:
        """Return once every record acknowledged before the call is folded into the aggregates."""

    # installs
    async def create_install(self, install_id: str, token_hash: str, created_at: datetime) -> None: ...

    async def install_for_token(self, token_hash: str) -> str | None:
        """The install a (hashed) token belongs to, or None."""

    # community data
    async def add_timings(self, install_id: str, timings: Sequence[Timing]) -> IngestResult: ...

    async def add_outcomes(self, install_id: str, outcomes: Sequence[Outcome]) -> IngestResult: ...

    # reads
    async def score_inputs(self, tasks: Sequence[TaskKey], groups: Sequence[GroupKey]) -> ScoreInputs: ...

    async def group(self, key: GroupKey) -> GroupAggregate | None: ...

    async def contributor(self, install_id: str) -> Contributor | None: ...

    async def reports(self, key: TaskKey) -> list[Report]:
        """The task's reports, one per contributor (for tests, the dashboard and migrations)."""

    async def timing_count(self) -> int: ...
