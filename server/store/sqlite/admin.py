"""`SqliteAdmin`: the `AdminStore` protocol (server/store/admin.py) for `SqliteStore`.

A mixin over the store's plumbing (`_write` runs a job on the single writer thread,
`_read` a query on a reader thread). The tables are made by `admin_schema.create_admin_tables`,
one step of `schema.STEPS`. Discounting an install reuses the ingest path's own loading,
folding and saving (`ingest.load_task_states`, `ingest.save`), so the aggregates it writes are
exactly those a later ingest would compute.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import astuple, fields, replace
from functools import partial
from typing import Any, TypeVar

import orjson
from shared_schema import AdapterHealth

from ...aggregates import Contributor, GroupAggregate, TaskAggregate, trust
from ..admin import (
    AdapterHealthDay,
    Burst,
    DailyActivity,
    Flag,
    OpenAggregate,
    PlatformCoverage,
    Session,
    WeeklyReports,
)
from ..protocol import GroupKey
from . import fold_behind, ingest
from .schema import CONTRIBUTORS, GROUPS, TASKS

T = TypeVar("T")

_FLAG_COLUMNS = ", ".join(f.name for f in fields(Flag))
_SESSION_COLUMNS = ", ".join(f.name for f in fields(Session))
_HEALTH_COLUMNS = ", ".join(f.name for f in fields(AdapterHealthDay))
_FLAG_COUNTS = (
    "SELECT f.platform, f.requester_id, f.reason, COUNT(DISTINCT f.install_id) FROM json_each(?) AS k "
    "JOIN flags AS f ON f.platform = k.value ->> 0 AND f.requester_id = k.value ->> 1 AND f.status = 'approved' "
    "GROUP BY f.platform, f.requester_id, f.reason"
)


def flag_counts(conn: sqlite3.Connection, keys: Sequence[GroupKey]) -> dict[GroupKey, dict[str, int]]:
    """Approved flags per requester (reason -> installs), in one statement (also used by `reads.score_inputs`)."""
    wanted = [[platform, requester_id] for platform, requester_id in dict.fromkeys(keys) if requester_id is not None]
    counts: dict[GroupKey, dict[str, int]] = {}
    if wanted:
        for platform, requester_id, reason, count in conn.execute(_FLAG_COUNTS, (orjson.dumps(wanted).decode(),)):
            counts.setdefault((platform, requester_id), {})[reason] = count
    return counts


# --- write jobs (writer thread) -------------------------------------------------------------------


def _add_admin(conn: sqlite3.Connection, name: str, token_hash: str, created_at: float) -> None:
    try:
        conn.execute("INSERT INTO admin_tokens (name, token_hash, created_at) VALUES (?, ?, ?)", (name, token_hash, created_at))
    except sqlite3.IntegrityError:
        raise ValueError(f"a maintainer token named {name!r} already exists") from None


def _revoke_admin(conn: sqlite3.Connection, name: str) -> bool:
    deleted = conn.execute("DELETE FROM admin_tokens WHERE name = ?", (name,)).rowcount
    conn.execute("DELETE FROM dashboard_sessions WHERE admin = ?", (name,))
    return deleted > 0


def _add_session(conn: sqlite3.Connection, session: Session) -> None:
    conn.execute("DELETE FROM dashboard_sessions WHERE expires_at < ?", (session.created_at,))
    conn.execute(f"INSERT INTO dashboard_sessions ({_SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?)", astuple(session))


def _add_flag(conn: sqlite3.Connection, flag: Flag) -> Flag:
    row = conn.execute(
        f"SELECT {_FLAG_COLUMNS} FROM flags WHERE install_id = ? AND platform = ? AND requester_id = ? AND reason = ? "
        "AND status IN ('pending', 'approved')",
        (flag.install_id, flag.platform, flag.requester_id, flag.reason),
    ).fetchone()
    if row is not None:
        return Flag(*row)
    conn.execute(f"INSERT INTO flags ({_FLAG_COLUMNS}) VALUES ({', '.join('?' * len(fields(Flag)))})", astuple(flag))
    return flag


def _moderate_flag(conn: sqlite3.Connection, flag_id: str, status: str, by: str, at: float) -> Flag | None:
    try:
        conn.execute("UPDATE flags SET status = ?, moderated_by = ?, moderated_at = ? WHERE flag_id = ?", (status, by, at, flag_id))
    except sqlite3.IntegrityError:
        raise ValueError("this install already has an open flag for the same requester and reason") from None
    row = conn.execute(f"SELECT {_FLAG_COLUMNS} FROM flags WHERE flag_id = ?", (flag_id,)).fetchone()
    return None if row is None else Flag(*row)


def _add_adapter_health(conn: sqlite3.Connection, event: AdapterHealth, day: str) -> None:
    conn.execute(
        "INSERT INTO adapter_health (adapter, day, events, empty, listings_found, blocks_seen, version) "
        "VALUES (?, ?, 1, ?, ?, ?, ?) ON CONFLICT (adapter, day) DO UPDATE SET events = events + 1, "
        "empty = empty + excluded.empty, listings_found = listings_found + excluded.listings_found, "
        "blocks_seen = blocks_seen + excluded.blocks_seen, version = coalesce(excluded.version, version)",
        (event.adapter, day, int(event.listings_found == 0), event.listings_found, event.blocks_seen, event.adapter_version),
    )


def _set_discounted(conn: sqlite3.Connection, install_id: str, discounted: bool) -> int:
    while fold_behind.fold_chunk(conn):  # exact over everything acknowledged so far
        pass
    row = conn.execute(f"SELECT {CONTRIBUTORS.select_sql()} FROM contributors WHERE install_id = ?", (install_id,)).fetchone()
    if row is None:
        raise KeyError(install_id)
    contributor: Contributor = CONTRIBUTORS.from_row(row)
    if contributor.discounted == discounted:
        return 0
    keys = [tuple(key) for key in conn.execute("SELECT platform, task_id FROM reports WHERE install_id = ?", (install_id,))]
    states = ingest.load_task_states(conn, install_id, keys)
    if discounted:
        conn.executemany(
            "INSERT OR REPLACE INTO discounted_trust (install_id, platform, task_id, idempotency_key, trust) VALUES (?, ?, ?, ?, ?)",
            [(install_id, r.platform, r.task_id, r.idempotency_key, r.trust)
             for s in states.values() if (r := s.reports.get(install_id)) is not None],
        )
    kept = {
        (platform, task_id): (key, value)
        for platform, task_id, key, value in conn.execute(
            "SELECT platform, task_id, idempotency_key, trust FROM discounted_trust WHERE install_id = ?", (install_id,))
    }
    restored = replace(contributor, discounted=False)
    for key, state in states.items():
        own = state.reports.get(install_id)
        if own is None:
            continue
        if discounted:
            value = 0.0
        else:
            # The report it had; one that arrived while discounted gets the install's trust as of now.
            saved = kept.get(key)
            value = saved[1] if saved is not None and saved[0] == own.idempotency_key else trust(restored)
        state.put(replace(own, trust=value))
    if not discounted:
        conn.execute("DELETE FROM discounted_trust WHERE install_id = ?", (install_id,))
    ingest.save(conn, states.values(), replace(contributor, discounted=discounted))
    return len(states)


# --- reads (reader threads) -----------------------------------------------------------------------


def _admin_for_token(conn: sqlite3.Connection, token_hash: str) -> str | None:
    row = conn.execute("SELECT name FROM admin_tokens WHERE token_hash = ?", (token_hash,)).fetchone()
    return None if row is None else row[0]


def _admins(conn: sqlite3.Connection) -> list[tuple[str, float]]:
    return [tuple(row) for row in conn.execute("SELECT name, created_at FROM admin_tokens ORDER BY name")]


def _session(conn: sqlite3.Connection, session_hash: str, now: float) -> Session | None:
    row = conn.execute(f"SELECT {_SESSION_COLUMNS} FROM dashboard_sessions WHERE session_hash = ? AND expires_at > ?",
                       (session_hash, now)).fetchone()
    return None if row is None else Session(*row)


def _flags(conn: sqlite3.Connection, status: str | None, key: GroupKey | None, limit: int, offset: int) -> list[Flag]:
    where, args = [], []
    if status is not None:
        where.append("status = ?")
        args.append(status)
    if key is not None:
        where.append("platform = ? AND requester_id = ?")
        args += [key[0], key[1]]
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    rows = conn.execute(f"SELECT {_FLAG_COLUMNS} FROM flags {clause} ORDER BY created_at DESC, flag_id LIMIT ? OFFSET ?",
                        (*args, limit, offset))
    return [Flag(*row) for row in rows]


def _daily_activity(conn: sqlite3.Connection, since: float) -> list[DailyActivity]:
    rows = conn.execute(
        "SELECT date(ended_at, 'unixepoch') AS day, platform, COUNT(*), COUNT(DISTINCT install_id), "
        "COUNT(DISTINCT task_id), COUNT(DISTINCT requester_id) FROM timings WHERE ended_at >= ? "
        "GROUP BY day, platform ORDER BY day, platform", (since,))
    return [DailyActivity(*row) for row in rows]


def _coverage(conn: sqlite3.Connection, active_since: float) -> list[PlatformCoverage]:
    conn.execute("BEGIN")  # one snapshot for the four counts
    try:
        timings = dict(conn.execute("SELECT platform, COUNT(*) FROM timings GROUP BY platform").fetchall())
        installs = {p: (n, active) for p, n, active in conn.execute(
            "SELECT platform, COUNT(DISTINCT install_id), COUNT(DISTINCT CASE WHEN ended_at >= ? THEN install_id END) "
            "FROM reports GROUP BY platform", (active_since,))}
        tasks = dict(conn.execute("SELECT platform, COUNT(*) FROM tasks WHERE attempts > 0 GROUP BY platform").fetchall())
        requesters = dict(conn.execute(
            "SELECT platform, COUNT(*) FROM groups WHERE requester_id != '' AND attempts > 0 GROUP BY platform").fetchall())
    finally:
        conn.execute("COMMIT")
    return [
        PlatformCoverage(platform, timings.get(platform, 0), installs.get(platform, (0, 0))[0],
                         installs.get(platform, (0, 0))[1], tasks.get(platform, 0), requesters.get(platform, 0))
        for platform in sorted(set(timings) | set(installs))
    ]


def _weekly_reports(conn: sqlite3.Connection, since: float) -> list[WeeklyReports]:
    rows = conn.execute(
        "SELECT date(ended_at, 'unixepoch', '-6 days', 'weekday 1') AS week, platform, task_id, COUNT(*) FROM reports "
        "WHERE ended_at >= ? AND outcome = 'submitted' AND trust > 0 GROUP BY week, platform, task_id", (since,))
    return [WeeklyReports(*row) for row in rows]


def _task_aggregates(conn: sqlite3.Connection, platform: str | None, requester_id: str | None, limit: int) -> list[TaskAggregate]:
    where, args = ["reports > 0"], []
    if platform is not None:
        where.append("platform = ?")
        args.append(platform)
    if requester_id is not None:
        where.append("requester_id = ?")
        args.append(requester_id)
    rows = conn.execute(f"SELECT {TASKS.select_sql()} FROM tasks WHERE {' AND '.join(where)} "
                        "ORDER BY reports DESC, platform, task_id LIMIT ?", (*args, limit))
    return [TASKS.from_row(row) for row in rows]


def _groups(conn: sqlite3.Connection, requesters: bool, platform: str | None, search: str | None, limit: int) -> list[GroupAggregate]:
    where, args = ["requester_id != ''" if requesters else "requester_id = ''", "attempts > 0"], []
    if platform is not None:
        where.append("platform = ?")
        args.append(platform)
    if search:
        where.append("instr(lower(requester_id), lower(?)) > 0")
        args.append(search)
    rows = conn.execute(f"SELECT {GROUPS.select_sql()} FROM groups WHERE {' AND '.join(where)} "
                        "ORDER BY reports DESC, platform, requester_id LIMIT ?", (*args, limit))
    return [GROUPS.from_row(row) for row in rows]


def _contributors(conn: sqlite3.Connection, min_comparisons: int, discounted: bool | None, limit: int) -> list[Contributor]:
    where, args = ["comparisons >= ?"], [min_comparisons]
    if discounted is not None:
        where.append("discounted = ?")
        args.append(int(discounted))
    rows = conn.execute(
        f"SELECT {CONTRIBUTORS.select_sql()} FROM contributors WHERE {' AND '.join(where)} "
        "ORDER BY CAST(agreements AS REAL) / max(comparisons, 1), comparisons DESC, install_id LIMIT ?", (*args, limit))
    return [CONTRIBUTORS.from_row(row) for row in rows]


def _bursts(conn: sqlite3.Connection, since: float, min_new_installs: int) -> list[Burst]:
    rows = conn.execute(
        "SELECT r.platform, r.requester_id, "
        "COUNT(DISTINCT CASE WHEN julianday(i.created_at) >= julianday(?, 'unixepoch') THEN r.install_id END) AS fresh, "
        "COUNT(DISTINCT r.install_id) FROM reports AS r JOIN installs AS i ON i.install_id = r.install_id "
        "WHERE r.ended_at >= ? AND r.requester_id IS NOT NULL GROUP BY r.platform, r.requester_id "
        "HAVING fresh >= ? ORDER BY fresh DESC, r.platform, r.requester_id LIMIT 100",
        (since, since, min_new_installs))
    return [Burst(*row) for row in rows]


def _open_aggregates(conn: sqlite3.Connection, k: int) -> list[OpenAggregate]:
    result: list[OpenAggregate] = []
    conn.execute("BEGIN")  # one snapshot: the three levels agree with each other
    try:
        # Distinct installs whose reports count (a discounted install's do not).
        for row in conn.execute(
            f"SELECT n, {GROUPS.select_sql('g')} FROM (SELECT platform, COUNT(DISTINCT install_id) AS n FROM reports "
            "WHERE trust > 0 GROUP BY platform HAVING n >= ?) AS c JOIN groups AS g "
            "ON g.platform = c.platform AND g.requester_id = '' ORDER BY g.platform", (k,)):
            result.append(OpenAggregate("platform", row[0], group=GROUPS.from_row(row[1:])))
        for row in conn.execute(
            f"SELECT n, {GROUPS.select_sql('g')} FROM (SELECT t.platform, t.requester_id, COUNT(DISTINCT r.install_id) AS n "
            "FROM reports AS r JOIN tasks AS t ON t.platform = r.platform AND t.task_id = r.task_id "
            "WHERE r.trust > 0 AND t.requester_id IS NOT NULL GROUP BY t.platform, t.requester_id HAVING n >= ?) AS c "
            "JOIN groups AS g ON g.platform = c.platform AND g.requester_id = c.requester_id "
            "ORDER BY g.platform, g.requester_id", (k,)):
            result.append(OpenAggregate("requester", row[0], group=GROUPS.from_row(row[1:])))
        for row in conn.execute(
            f"SELECT n, {TASKS.select_sql('t')} FROM (SELECT platform, task_id, COUNT(*) AS n FROM reports "
            "WHERE trust > 0 GROUP BY platform, task_id HAVING n >= ?) AS c JOIN tasks AS t "
            "ON t.platform = c.platform AND t.task_id = c.task_id ORDER BY t.platform, t.task_id", (k,)):
            result.append(OpenAggregate("task", row[0], task=TASKS.from_row(row[1:])))
    finally:
        conn.execute("COMMIT")
    return result


def _is_empty(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT EXISTS (SELECT 1 FROM installs) OR EXISTS (SELECT 1 FROM timings) "
                       "OR EXISTS (SELECT 1 FROM flags)").fetchone()
    return not row[0]


class SqliteAdmin:
    """The AdminStore half of SqliteStore."""

    _write: Callable[..., Any]
    _read: Callable[..., Any]

    # maintainers and sessions
    async def add_admin(self, name: str, token_hash: str, created_at: float) -> None:
        await self._write(partial(_add_admin, name=name, token_hash=token_hash, created_at=created_at),
                          changes_estimates=False)

    async def admin_for_token(self, token_hash: str) -> str | None:
        return await self._read(_admin_for_token, token_hash)

    async def admins(self) -> list[tuple[str, float]]:
        return await self._read(_admins)

    async def revoke_admin(self, name: str) -> bool:
        return await self._write(partial(_revoke_admin, name=name), changes_estimates=False)

    async def add_session(self, session: Session) -> None:
        await self._write(partial(_add_session, session=session), changes_estimates=False)

    async def session(self, session_hash: str, now: float) -> Session | None:
        return await self._read(_session, session_hash, now)

    async def delete_session(self, session_hash: str) -> None:
        await self._write(lambda conn: conn.execute("DELETE FROM dashboard_sessions WHERE session_hash = ?",
                                                    (session_hash,)), changes_estimates=False)

    # flags
    async def add_flag(self, flag: Flag) -> Flag:
        return await self._write(partial(_add_flag, flag=flag))

    async def flag(self, flag_id: str) -> Flag | None:
        found = await self._read(lambda conn: conn.execute(f"SELECT {_FLAG_COLUMNS} FROM flags WHERE flag_id = ?", (flag_id,)).fetchone())
        return None if found is None else Flag(*found)

    async def flags(self, *, status: str | None = None, key: GroupKey | None = None, limit: int = 100, offset: int = 0) -> list[Flag]:
        return await self._read(_flags, status, key, limit, offset)

    async def flag_totals(self) -> dict[str, int]:
        return dict(await self._read(lambda conn: conn.execute("SELECT status, COUNT(*) FROM flags GROUP BY status").fetchall()))

    async def moderate_flag(self, flag_id: str, status: str, *, by: str, at: float) -> Flag | None:
        return await self._write(partial(_moderate_flag, flag_id=flag_id, status=status, by=by, at=at))

    async def flag_counts(self, keys: Sequence[GroupKey]) -> dict[GroupKey, dict[str, int]]:
        return await self._read(flag_counts, list(keys))

    # adapter health
    async def add_adapter_health(self, event: AdapterHealth, day: str) -> None:
        await self._write(partial(_add_adapter_health, event=event, day=day), changes_estimates=False)

    async def adapter_health(self, since_day: str) -> list[AdapterHealthDay]:
        rows = await self._read(lambda conn: conn.execute(
            f"SELECT {_HEALTH_COLUMNS} FROM adapter_health WHERE day >= ? ORDER BY adapter, day", (since_day,)).fetchall())
        return [AdapterHealthDay(*row) for row in rows]

    # activity
    async def daily_activity(self, since: float) -> list[DailyActivity]:
        return await self._read(_daily_activity, since)

    async def coverage(self, active_since: float) -> list[PlatformCoverage]:
        return await self._read(_coverage, active_since)

    async def weekly_reports(self, since: float) -> list[WeeklyReports]:
        return await self._read(_weekly_reports, since)

    async def task_aggregates(self, *, platform: str | None = None, requester_id: str | None = None, limit: int = 100_000) -> list[TaskAggregate]:
        return await self._read(_task_aggregates, platform, requester_id, limit)

    async def groups(self, *, requesters: bool, platform: str | None = None, search: str | None = None, limit: int = 2000) -> list[GroupAggregate]:
        return await self._read(_groups, requesters, platform, search, limit)

    # contributors
    async def contributors(self, *, min_comparisons: int = 0, discounted: bool | None = None, limit: int = 500) -> list[Contributor]:
        return await self._read(_contributors, min_comparisons, discounted, limit)

    async def bursts(self, since: float, *, min_new_installs: int) -> list[Burst]:
        return await self._read(_bursts, since, min_new_installs)

    async def set_discounted(self, install_id: str, discounted: bool) -> int:
        return await self._write(partial(_set_discounted, install_id=install_id, discounted=discounted))

    # open data and demo
    async def open_aggregates(self, min_contributors: int) -> list[OpenAggregate]:
        return await self._read(_open_aggregates, min_contributors)

    async def is_empty(self) -> bool:
        return await self._read(_is_empty)
