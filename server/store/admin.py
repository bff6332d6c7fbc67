"""The `AdminStore` protocol: what the maintainers' dashboard, community flags, adapter-health
events, the open-data export and the demo seed ask of the database.

Kept apart from `Store` (the hot path of the extension's calls) so that the scoring and ingest
contract stays small; both SQLite and MongoDB implement it as a mixin of their store class
(`server/store/sqlite/admin.py`, `server/store/mongo/admin.py`).

Rules beyond those of `Store`:
- Secrets (admin tokens, session ids) are stored as SHA-256 hex digests, never in clear.
- A community flag is unique per (install, platform, requester, reason) while it is pending or
  approved: a repeat answers the existing flag and changes nothing. Only approved flags count,
  once per install, in `flag_counts` (and so in `ScoreInputs.flags`).
- `set_discounted` is reversible and exact: discounting an install zeroes the trust of its
  reports (keeping the values it had), recomputes every task it reported on and applies the
  group deltas; undoing it restores the kept trust values and recomputes again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from shared_schema import AdapterHealth

from ..aggregates import Contributor, GroupAggregate, TaskAggregate
from .protocol import GroupKey

FLAG_STATUSES = ("pending", "approved", "hidden")


@dataclass(slots=True)
class Flag:
    """A community flag on a requester (and maybe one of its tasks)."""

    flag_id: str
    install_id: str
    platform: str
    requester_id: str
    task_id: str | None
    reason: str  # scam | phishing | personal_data | unpaid_screen_out | broken
    comment: str | None
    status: str  # pending | approved | hidden
    created_at: float  # POSIX seconds
    moderated_at: float | None = None
    moderated_by: str | None = None


@dataclass(slots=True)
class AdapterHealthDay:
    """The health events one adapter sent on one UTC day, summed."""

    adapter: str
    day: str  # YYYY-MM-DD, UTC
    events: int = 0
    empty: int = 0  # events where the adapter matched a page but read no listing
    listings_found: int = 0
    blocks_seen: int = 0
    version: str | None = None  # the latest adapter version that reported that day


@dataclass(slots=True)
class DailyActivity:
    """What arrived on one UTC day for one platform (by the timings' `ended_at`)."""

    day: str  # YYYY-MM-DD
    platform: str
    timings: int
    installs: int  # distinct installs that sent a timing that day
    tasks: int
    requesters: int


@dataclass(slots=True)
class PlatformCoverage:
    platform: str
    timings: int
    installs: int  # distinct installs that ever reported on the platform
    active_installs: int  # ... of which reported since `active_since`
    tasks: int
    requesters: int


@dataclass(slots=True)
class WeeklyReports:
    """How many reports a task received in one week (weeks start on Monday, UTC)."""

    week: str  # YYYY-MM-DD of the Monday
    platform: str
    task_id: str
    reports: int


@dataclass(slots=True)
class Burst:
    """Many installs that are new to the service all reporting on one requester."""

    platform: str
    requester_id: str
    new_installs: int  # installs created since `since` that reported on this requester since then
    installs: int  # every install that reported on this requester since then


@dataclass(slots=True)
class OpenAggregate:
    """A task, requester or platform aggregate with the number of distinct contributors behind it."""

    level: str  # platform | requester | task
    contributors: int
    group: GroupAggregate | None = None  # for platform and requester levels
    task: TaskAggregate | None = None  # for the task level


@dataclass(slots=True)
class Session:
    """A maintainer's dashboard session; `session_hash` is the SHA-256 of the cookie's value."""

    session_hash: str
    admin: str
    csrf_token: str
    created_at: float
    expires_at: float


@runtime_checkable
class AdminStore(Protocol):
    # maintainers and their sessions
    async def add_admin(self, name: str, token_hash: str, created_at: float) -> None:
        """Raise ValueError when `name` is taken."""

    async def admin_for_token(self, token_hash: str) -> str | None: ...

    async def admins(self) -> list[tuple[str, float]]:
        """(name, created_at) of every maintainer token."""

    async def revoke_admin(self, name: str) -> bool:
        """Delete the token and every session it opened; False when there was none."""

    async def add_session(self, session: Session) -> None: ...

    async def session(self, session_hash: str, now: float) -> Session | None:
        """The session if it exists and has not expired."""

    async def delete_session(self, session_hash: str) -> None: ...

    # community flags
    async def add_flag(self, flag: Flag) -> Flag:
        """Store a new pending flag, or return the install's pending/approved one for the same reason."""

    async def flag(self, flag_id: str) -> Flag | None: ...

    async def flags(self, *, status: str | None = None, key: GroupKey | None = None, limit: int = 100, offset: int = 0) -> list[Flag]:
        """Newest first."""

    async def flag_totals(self) -> dict[str, int]:
        """status -> number of flags."""

    async def moderate_flag(self, flag_id: str, status: str, *, by: str, at: float) -> Flag | None: ...

    async def flag_counts(self, keys: Sequence[GroupKey]) -> dict[GroupKey, dict[str, int]]:
        """Approved flags per requester: reason -> distinct installs; requesters without any are left out."""

    # adapter health
    async def add_adapter_health(self, event: AdapterHealth, day: str) -> None: ...

    async def adapter_health(self, since_day: str) -> list[AdapterHealthDay]: ...

    # activity and coverage
    async def daily_activity(self, since: float) -> list[DailyActivity]: ...

    async def coverage(self, active_since: float) -> list[PlatformCoverage]: ...

    async def weekly_reports(self, since: float) -> list[WeeklyReports]: ...

    async def task_aggregates(self, *, platform: str | None = None, requester_id: str | None = None, limit: int = 100_000) -> list[TaskAggregate]:
        """Tasks with at least one submitted report, most reported first."""

    async def groups(self, *, requesters: bool, platform: str | None = None, search: str | None = None, limit: int = 2000) -> list[GroupAggregate]:
        """Requester groups (`requesters=True`) or platform groups, most reported first.

        `search` matches a substring of the requester id, case-insensitively."""

    # contributors
    async def contributors(self, *, min_comparisons: int = 0, discounted: bool | None = None, limit: int = 500) -> list[Contributor]: ...

    async def bursts(self, since: float, *, min_new_installs: int) -> list[Burst]: ...

    async def set_discounted(self, install_id: str, discounted: bool) -> int:
        """Discount (or restore) an install's reports; answers how many tasks were recomputed.

        Raise KeyError for an unknown install."""

    # open data and demo
    async def open_aggregates(self, min_contributors: int) -> list[OpenAggregate]:
        """Platform, requester and task aggregates with at least `min_contributors` distinct installs behind them."""

    async def is_empty(self) -> bool:
        """True when the store holds no install, timing or flag (the demo seed refuses anything else)."""


__all__ = [
    "FLAG_STATUSES",
    "AdapterHealthDay",
    "AdminStore",
    "Burst",
    "DailyActivity",
    "Flag",
    "OpenAggregate",
    "PlatformCoverage",
    "Session",
    "WeeklyReports",
]
