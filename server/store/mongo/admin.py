"""`MongoAdmin`: the `AdminStore` protocol (server/store/admin.py) for `MongoStore`.

Collections: `admin_tokens` (by name), `dashboard_sessions` (by session hash), `flags` (by flag
id), `adapter_health` (one document per adapter and day, grown by `$inc`), `discounted_trust`
(the trust a discounted install's reports had). Their indexes are in `ADMIN_INDEXES`.

"One open flag per install, requester and reason" is a unique sparse index on `open`, a key
set only while the flag is pending or approved: no multi-document transaction needed.
Discounting an install takes the install's lease and folds through the ingest path's own
`Folding` (revisions, exactly-once group increments), so it is as safe against concurrent
writers and crashes as ingest is. The dashboard's statistics read whole collections: they
are maintainers' reads, not the extension's hot path.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel, ReturnDocument
from pymongo.errors import DuplicateKeyError

from shared_schema import AdapterHealth

from ...aggregates import Contributor, GroupAggregate, Report, TaskAggregate, trust
from ..admin import AdapterHealthDay, Burst, DailyActivity, Flag, OpenAggregate, PlatformCoverage, Session, WeeklyReports
from ..changes import EVERYTHING, ChangeFeed
from ..protocol import GroupKey, TaskKey
from ..sqlite.fold import TaskState
from . import install_lock
from .documents import from_document, projection
from .errors import translated
from .folding import Folding
from .ingest import Ingest

ADMIN_INDEXES: dict[str, list[IndexModel]] = {
    "admin_tokens": [IndexModel([("token_hash", ASCENDING)], name="token_hash", unique=True)],
    "dashboard_sessions": [IndexModel([("admin", ASCENDING)], name="admin")],
    "flags": [
        IndexModel([("open", ASCENDING)], name="one_open_flag", unique=True, sparse=True),
        IndexModel([("status", ASCENDING), ("created_at", DESCENDING)], name="status_created"),
        IndexModel([("platform", ASCENDING), ("requester_id", ASCENDING), ("status", ASCENDING)], name="requester_status"),
    ],
    "discounted_trust": [IndexModel([("install_id", ASCENDING)], name="install")],
}
OPEN_STATUSES = ("pending", "approved")
DAY_S = 86400.0
WEEK_S = 7 * DAY_S
#: 1970-01-05, the first Monday of the POSIX epoch: weeks start on Mondays, as on the dashboard.
FIRST_MONDAY_S = 4 * DAY_S
_FLAG_FIELDS = {"_id": 0, **{f.name: 1 for f in dataclasses.fields(Flag)}}
_SESSION_FIELDS = {"_id": 0, **{f.name: 1 for f in dataclasses.fields(Session)}}


def _open_key(flag: Flag) -> str:
    return "\x1f".join((flag.install_id, flag.platform, flag.requester_id, flag.reason))


def _flag(document: dict[str, Any]) -> Flag:
    return Flag(**{f.name: document.get(f.name) for f in dataclasses.fields(Flag)})


def _day(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).date().isoformat()


def _keys_filter(keys: Sequence[GroupKey]) -> dict[str, Any]:
    return {"$or": [{"platform": platform, "requester_id": requester_id} for platform, requester_id in keys]}


class MongoAdmin:
    """The AdminStore half of MongoStore."""

    db: Any
    _task_locks: Any
    changes: ChangeFeed

    # --- maintainers and sessions -------------------------------------------------------------

    async def add_admin(self, name: str, token_hash: str, created_at: float) -> None:
        try:
            with translated():
                await self.db.admin_tokens.insert_one({"_id": name, "name": name, "token_hash": token_hash,
                                                       "created_at": created_at})
        except DuplicateKeyError:
            raise ValueError(f"a maintainer token named {name!r} already exists") from None

    async def admin_for_token(self, token_hash: str) -> str | None:
        with translated():
            document = await self.db.admin_tokens.find_one({"token_hash": token_hash}, {"name": 1})
        return None if document is None else document["name"]

    async def admins(self) -> list[tuple[str, float]]:
        with translated():
            documents = await self.db.admin_tokens.find({}, {"name": 1, "created_at": 1}).sort("name", 1).to_list(None)
        return [(d["name"], d["created_at"]) for d in documents]

    async def revoke_admin(self, name: str) -> bool:
        with translated():
            deleted = (await self.db.admin_tokens.delete_one({"_id": name})).deleted_count
            await self.db.dashboard_sessions.delete_many({"admin": name})
        return deleted > 0

    async def add_session(self, session: Session) -> None:
        with translated():
            await self.db.dashboard_sessions.delete_many({"expires_at": {"$lt": session.created_at}})
            await self.db.dashboard_sessions.insert_one({"_id": session.session_hash, **dataclasses.asdict(session)})

    async def session(self, session_hash: str, now: float) -> Session | None:
        with translated():
            document = await self.db.dashboard_sessions.find_one({"_id": session_hash, "expires_at": {"$gt": now}},
                                                                 _SESSION_FIELDS)
        return None if document is None else Session(**document)

    async def delete_session(self, session_hash: str) -> None:
        with translated():
            await self.db.dashboard_sessions.delete_one({"_id": session_hash})

    # --- flags --------------------------------------------------------------------------------

    async def _open_flag(self, flag: Flag) -> Flag | None:
        with translated():
            document = await self.db.flags.find_one({"open": _open_key(flag)}, _FLAG_FIELDS)
        return None if document is None else _flag(document)

    async def add_flag(self, flag: Flag) -> Flag:
        existing = await self._open_flag(flag)
        if existing is not None:
            return existing
        try:
            with translated():
                await self.db.flags.insert_one({"_id": flag.flag_id, **dataclasses.asdict(flag), "open": _open_key(flag)})
        except DuplicateKeyError:
            # The same flag arrived twice at once (a retry racing the original): the first one stands.
            existing = await self._open_flag(flag)
            if existing is None:
                raise
            return existing
        return flag

    async def flag(self, flag_id: str) -> Flag | None:
        with translated():
            document = await self.db.flags.find_one({"_id": flag_id}, _FLAG_FIELDS)
        return None if document is None else _flag(document)

    async def flags(self, *, status: str | None = None, key: GroupKey | None = None, limit: int = 100, offset: int = 0) -> list[Flag]:
        query: dict[str, Any] = {}
        if status is not None:
            query["status"] = status
        if key is not None:
            query.update(platform=key[0], requester_id=key[1])
        with translated():
            cursor = self.db.flags.find(query, _FLAG_FIELDS).sort([("created_at", -1), ("flag_id", 1)]).skip(offset).limit(limit)
            return [_flag(d) async for d in cursor]

    async def flag_totals(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        with translated():
            async for document in await self.db.flags.aggregate([{"$group": {"_id": "$status", "n": {"$sum": 1}}}]):
                totals[document["_id"]] = document["n"]
        return totals

    async def moderate_flag(self, flag_id: str, status: str, *, by: str, at: float) -> Flag | None:
        try:
            return await self._moderate_flag(flag_id, status, by=by, at=at)
        finally:
            self.changes.publish(EVERYTHING)  # an approved flag warns on its requester's tasks

    async def _moderate_flag(self, flag_id: str, status: str, *, by: str, at: float) -> Flag | None:
        current = await self.flag(flag_id)
        if current is None:
            return None
        change: dict[str, Any] = {"$set": {"status": status, "moderated_by": by, "moderated_at": at}}
        if status in OPEN_STATUSES:
            change["$set"]["open"] = _open_key(current)
        else:
            change["$unset"] = {"open": ""}
        try:
            with translated():
                document = await self.db.flags.find_one_and_update({"_id": flag_id}, change, projection=_FLAG_FIELDS,
                                                                   return_document=ReturnDocument.AFTER)
        except DuplicateKeyError:
            raise ValueError("this install already has an open flag for the same requester and reason") from None
        return None if document is None else _flag(document)

    async def flag_counts(self, keys: Sequence[GroupKey]) -> dict[GroupKey, dict[str, int]]:
        wanted = [key for key in dict.fromkeys(keys) if key[1] is not None]
        if not wanted:
            return {}
        installs: dict[GroupKey, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        with translated():
            async for d in self.db.flags.find({"status": "approved", **_keys_filter(wanted)},
                                              {"platform": 1, "requester_id": 1, "reason": 1, "install_id": 1}):
                installs[(d["platform"], d["requester_id"])][d["reason"]].add(d["install_id"])
        return {key: {reason: len(ids) for reason, ids in reasons.items()} for key, reasons in installs.items()}

    # --- adapter health ------------------------------------------------------------------------

    async def add_adapter_health(self, event: AdapterHealth, day: str) -> None:
        change: dict[str, Any] = {
            "$inc": {"events": 1, "empty": int(event.listings_found == 0), "listings_found": event.listings_found,
                     "blocks_seen": event.blocks_seen},
            "$setOnInsert": {"adapter": event.adapter, "day": day},
        }
        if event.adapter_version is not None:
            change["$set"] = {"version": event.adapter_version}
        with translated():
            await self.db.adapter_health.update_one({"_id": f"{event.adapter}\x1f{day}"}, change, upsert=True)

    async def adapter_health(self, since_day: str) -> list[AdapterHealthDay]:
        with translated():
            cursor = self.db.adapter_health.find({"day": {"$gte": since_day}}).sort([("adapter", 1), ("day", 1)])
            return [AdapterHealthDay(d["adapter"], d["day"], d["events"], d["empty"], d["listings_found"],
                                     d["blocks_seen"], d.get("version")) async for d in cursor]

    # --- activity ------------------------------------------------------------------------------

    async def daily_activity(self, since: float) -> list[DailyActivity]:
        cells: dict[tuple[str, str], list[set[Any]]] = defaultdict(lambda: [set(), set(), set()])
        counts: dict[tuple[str, str], int] = defaultdict(int)
        with translated():
            cursor = self.db.timings.find({"ended_at": {"$gte": since}},
                                          {"_id": 0, "install_id": 1, "platform": 1, "task_id": 1, "requester_id": 1, "ended_at": 1})
            async for d in cursor:
                key = (_day(d["ended_at"]), d["platform"])
                counts[key] += 1
                installs, tasks, requesters = cells[key]
                installs.add(d["install_id"])
                tasks.add(d["task_id"])
                if d.get("requester_id") is not None:
                    requesters.add(d["requester_id"])
        return [DailyActivity(day, platform, counts[(day, platform)], *(len(s) for s in cells[(day, platform)]))
                for day, platform in sorted(counts)]

    async def coverage(self, active_since: float) -> list[PlatformCoverage]:
        with translated():
            timings = {d["_id"]: d["n"] async for d in await self.db.timings.aggregate(
                [{"$group": {"_id": "$platform", "n": {"$sum": 1}}}])}
            installs: dict[str, set[str]] = defaultdict(set)
            active: dict[str, set[str]] = defaultdict(set)
            async for d in self.db.reports.find({}, {"_id": 0, "platform": 1, "install_id": 1, "ended_at": 1}):
                installs[d["platform"]].add(d["install_id"])
                if d["ended_at"] >= active_since:
                    active[d["platform"]].add(d["install_id"])
            tasks = {d["_id"]: d["n"] async for d in await self.db.tasks.aggregate(
                [{"$match": {"attempts": {"$gt": 0}}}, {"$group": {"_id": "$platform", "n": {"$sum": 1}}}])}
            requesters = {d["_id"]: d["n"] async for d in await self.db.groups.aggregate(
                [{"$match": {"requester_id": {"$ne": None}, "attempts": {"$gt": 0}}},
                 {"$group": {"_id": "$platform", "n": {"$sum": 1}}}])}
        return [PlatformCoverage(p, timings.get(p, 0), len(installs[p]), len(active[p]), tasks.get(p, 0), requesters.get(p, 0))
                for p in sorted(set(timings) | set(installs))]

    async def weekly_reports(self, since: float) -> list[WeeklyReports]:
        counts: dict[tuple[str, str, str], int] = defaultdict(int)
        with translated():
            async for d in self.db.reports.find({"ended_at": {"$gte": since}, "outcome": "submitted", "trust": {"$gt": 0}},
                                                {"_id": 0, "platform": 1, "task_id": 1, "ended_at": 1}):
                monday = FIRST_MONDAY_S + (d["ended_at"] - FIRST_MONDAY_S) // WEEK_S * WEEK_S
                counts[(_day(monday), d["platform"], d["task_id"])] += 1
        return [WeeklyReports(week, platform, task_id, n) for (week, platform, task_id), n in sorted(counts.items())]

    async def task_aggregates(self, *, platform: str | None = None, requester_id: str | None = None, limit: int = 100_000) -> list[TaskAggregate]:
        query: dict[str, Any] = {"reports": {"$gt": 0}}
        if platform is not None:
            query["platform"] = platform
        if requester_id is not None:
            query["requester_id"] = requester_id
        with translated():
            cursor = self.db.tasks.find(query, projection(TaskAggregate)).sort(
                [("reports", -1), ("platform", 1), ("task_id", 1)]).limit(limit)
            return [from_document(TaskAggregate, d) async for d in cursor]

    async def groups(self, *, requesters: bool, platform: str | None = None, search: str | None = None, limit: int = 2000) -> list[GroupAggregate]:
        query: dict[str, Any] = {"requester_id": {"$ne": None} if requesters else None, "attempts": {"$gt": 0}}
        if platform is not None:
            query["platform"] = platform
        if search:
            query["requester_id"] = {"$ne": None, "$regex": re.escape(search), "$options": "i"}
        with translated():
            cursor = self.db.groups.find(query, projection(GroupAggregate)).sort(
                [("reports", -1), ("platform", 1), ("requester_id", 1)]).limit(limit)
            return [from_document(GroupAggregate, d) async for d in cursor]

    # --- contributors ---------------------------------------------------------------------------

    async def contributors(self, *, min_comparisons: int = 0, discounted: bool | None = None, limit: int = 500) -> list[Contributor]:
        query: dict[str, Any] = {"comparisons": {"$gte": min_comparisons}}
        if discounted is not None:
            query["discounted"] = True if discounted else {"$ne": True}
        with translated():
            found = [from_document(Contributor, d) async for d in self.db.contributors.find(query, projection(Contributor))]
        found.sort(key=lambda c: (c.agreements / max(c.comparisons, 1), -c.comparisons, c.install_id))
        return found[:limit]

    async def bursts(self, since: float, *, min_new_installs: int) -> list[Burst]:
        reporters: dict[GroupKey, set[str]] = defaultdict(set)
        with translated():
            async for d in self.db.reports.find({"ended_at": {"$gte": since}, "requester_id": {"$ne": None}},
                                                {"_id": 0, "platform": 1, "requester_id": 1, "install_id": 1}):
                reporters[(d["platform"], d["requester_id"])].add(d["install_id"])
            everyone = list({i for ids in reporters.values() for i in ids})
            created = {d["_id"]: d["created_at"] async for d in self.db.installs.find({"_id": {"$in": everyone}}, {"created_at": 1})}
        cutoff = datetime.fromtimestamp(since, UTC)
        bursts = []
        for (platform, requester_id), ids in reporters.items():
            fresh = sum(1 for i in ids if i in created and datetime.fromisoformat(created[i]) >= cutoff)
            if fresh >= min_new_installs:
                bursts.append(Burst(platform, requester_id, fresh, len(ids)))  # type: ignore[arg-type]
        bursts.sort(key=lambda b: (-b.new_installs, b.platform, b.requester_id))
        return bursts[:100]

    async def set_discounted(self, install_id: str, discounted: bool) -> int:
        try:
            return await self._set_discounted(install_id, discounted)
        finally:
            self.changes.publish(EVERYTHING)

    async def _set_discounted(self, install_id: str, discounted: bool) -> int:
        known = await self.contributor(install_id)  # type: ignore[attr-defined]
        if known is None:
            raise KeyError(install_id)
        lease = await install_lock.take(self.db.contributors, install_id)
        ingest = Ingest(self.db, lease, self._task_locks)
        try:
            await ingest.recover()
            if ingest.contributor.discounted == discounted:
                await ingest.finish()
                return 0
            keys = await self._reported_tasks(install_id)
            if discounted:
                await self._keep_trust(install_id)
            kept = await self._kept_trust(install_id)
            restored = trust(dataclasses.replace(ingest.contributor, discounted=False))

            def fold(states: dict[TaskKey, TaskState], contributor: Contributor) -> Contributor:
                for key, state in states.items():
                    own = state.reports.get(install_id)
                    if own is None:
                        continue
                    saved = kept.get(key)
                    value = 0.0 if discounted else (
                        saved[1] if saved is not None and saved[0] == own.idempotency_key else restored)
                    state.put(dataclasses.replace(own, trust=value))
                return dataclasses.replace(contributor, discounted=discounted)

            async with self._task_locks.holding(keys):
                folding = Folding(self.db, install_id, lease.epoch, keys, fold)
                await folding.compute(ingest.contributor)
                ingest.wrote = True
                ingest.contributor = await folding.write("discount" if discounted else "restore")
            ingest.has_contributor = True
            await ingest.finish()
        except BaseException:
            await install_lock.abandon(self.db.contributors, lease, wrote=ingest.wrote)
            raise
        if not discounted:
            with translated():
                await self.db.discounted_trust.delete_many({"install_id": install_id})
        return len(keys)

    async def _reported_tasks(self, install_id: str) -> list[TaskKey]:
        with translated():
            return [(d["platform"], d["task_id"]) async for d in
                    self.db.reports.find({"install_id": install_id}, {"_id": 0, "platform": 1, "task_id": 1})]

    async def _keep_trust(self, install_id: str) -> None:
        """Remember each report's trust before zeroing it; a repeat after a crash keeps the first values."""
        with translated():
            async for d in self.db.reports.find({"install_id": install_id}, projection(Report)):
                report = from_document(Report, d)
                await self.db.discounted_trust.update_one(
                    {"_id": f"{install_id}\x1f{report.platform}\x1f{report.task_id}"},
                    {"$setOnInsert": {"install_id": install_id, "platform": report.platform, "task_id": report.task_id,
                                      "idempotency_key": report.idempotency_key, "trust": report.trust}},
                    upsert=True)

    async def _kept_trust(self, install_id: str) -> dict[TaskKey, tuple[str, float]]:
        with translated():
            return {(d["platform"], d["task_id"]): (d["idempotency_key"], d["trust"])
                    async for d in self.db.discounted_trust.find({"install_id": install_id})}

    # --- open data and demo ----------------------------------------------------------------------

    async def open_aggregates(self, min_contributors: int) -> list[OpenAggregate]:
        per_task: dict[TaskKey, set[str]] = defaultdict(set)
        with translated():
            async for d in self.db.reports.find({"trust": {"$gt": 0}}, {"_id": 0, "platform": 1, "task_id": 1, "install_id": 1}):
                per_task[(d["platform"], d["task_id"])].add(d["install_id"])
            requester_of = {(d["platform"], d["task_id"]): d.get("requester_id") async for d in
                            self.db.tasks.find({}, {"_id": 0, "platform": 1, "task_id": 1, "requester_id": 1})}
        per_platform: dict[str, set[str]] = defaultdict(set)
        per_requester: dict[GroupKey, set[str]] = defaultdict(set)
        for (platform, task_id), ids in per_task.items():
            per_platform[platform] |= ids
            requester_id = requester_of.get((platform, task_id))
            if requester_id is not None:
                per_requester[(platform, requester_id)] |= ids
        result: list[OpenAggregate] = []
        platforms = {p: len(ids) for p, ids in per_platform.items() if len(ids) >= min_contributors}
        requesters = {k: len(ids) for k, ids in per_requester.items() if len(ids) >= min_contributors}
        tasks = {k: len(ids) for k, ids in per_task.items() if len(ids) >= min_contributors}
        with translated():
            if platforms:
                async for d in self.db.groups.find({"platform": {"$in": list(platforms)}, "requester_id": None},
                                                   projection(GroupAggregate)):
                    group = from_document(GroupAggregate, d)
                    result.append(OpenAggregate("platform", platforms[group.platform], group=group))
            if requesters:
                async for d in self.db.groups.find(_keys_filter(list(requesters)), projection(GroupAggregate)):
                    group = from_document(GroupAggregate, d)
                    result.append(OpenAggregate("requester", requesters[(group.platform, group.requester_id)], group=group))
            if tasks:
                async for d in self.db.tasks.find({"$or": [{"platform": p, "task_id": t} for p, t in tasks]},
                                                  projection(TaskAggregate)):
                    task = from_document(TaskAggregate, d)
                    result.append(OpenAggregate("task", tasks[(task.platform, task.task_id)], task=task))
        order = {"platform": 0, "requester": 1, "task": 2}
        result.sort(key=lambda a: (order[a.level], a.group.platform if a.group else a.task.platform,  # type: ignore[union-attr]
                                   (a.group.requester_id if a.group else a.task.task_id) or ""))  # type: ignore[union-attr]
        return result

    async def is_empty(self) -> bool:
        with translated():
            for collection in (self.db.installs, self.db.timings, self.db.flags):
                if await collection.find_one({}, {"_id": 1}) is not None:
                    return False
        return True


async def create_admin_indexes(db: Any) -> None:
    for collection, models in ADMIN_INDEXES.items():
        await db[collection].create_indexes(models)


__all__ = ["ADMIN_INDEXES", "MongoAdmin", "create_admin_indexes"]
