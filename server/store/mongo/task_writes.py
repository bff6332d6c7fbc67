"""Writing recomputed tasks and their group increments, exactly once, without transactions.

A task's aggregate is recomputed from its reports, and its requester's and platform's
aggregates grow by `group_delta(stored, recomputed)`. Two things make that safe with several
writer processes and no multi-document transaction:

1. Optimistic concurrency on the task. Each task document carries a revision `rev`; the new
   aggregate is written with a filter on the revision it was computed from. When another
   process wrote the task in between, the write matches nothing, and the caller recomputes
   from fresh reports (its own reports are already stored, so the other writer's aggregate
   may already include them; the delta is always taken against what is stored, so nothing
   is counted twice).
2. An exactly-once increment of the groups. The task write also pushes a `pending` entry
   naming the write (`token`) and the task's own increments. The groups are then
   incremented with a filter `applied.<token>` absent and `$set applied.<token>` in the same
   atomic update, so applying the same token twice changes nothing. Then the pending entry is
   pulled from the task, and only then, by the writer that made it, the token is unset from
   the group. A writer that crashes leaves pending entries behind; whoever takes the
   install's lease next claims them (moving them to its own epoch, so the stalled writer's
   late clean-up matches nothing), applies them (a no-op for any group that already has the
   token) and pulls them, leaving the tokens in place: a stalled writer's late increment then
   still finds its token and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pymongo import UpdateOne
from pymongo.errors import DuplicateKeyError

from ...aggregates import ADDITIVE, TaskAggregate
from ..protocol import GroupKey
from ..sqlite.fold import GroupDeltas
from .documents import to_document, token
from .errors import translated


@dataclass(slots=True)
class TaskWrite:
    """A recomputed task and the revision it was computed from (0 = not stored yet)."""

    stored: TaskAggregate | None
    new: TaskAggregate
    rev: int


@dataclass(slots=True)
class Outcome:
    written: list[TaskWrite] = field(default_factory=list)
    conflicts: list[TaskWrite] = field(default_factory=list)


def increments(sums: Any) -> dict[str, float]:
    """GroupDeltas' sums for one group (a vector in ADDITIVE order) as `$inc` fields, zeros left out."""
    pairs = sums.items() if isinstance(sums, dict) else zip(ADDITIVE, sums, strict=True)
    return {name: value for name, value in pairs if value}


def _group_entries(deltas: GroupDeltas) -> list[dict[str, Any]]:
    return [
        {"platform": key[0], "requester_id": key[1], "inc": increments(sums), "first_seen": deltas.first_seen.get(key)}
        for key, sums in deltas.sums.items()
    ]


def _task_delta(write: TaskWrite) -> GroupDeltas:
    deltas = GroupDeltas()
    deltas.add(write.stored, write.new)
    return deltas


async def write_tasks(db: Any, writes: Sequence[TaskWrite], *, install_id: str, epoch: int, name: str) -> Outcome:
    """Write each task (compare-and-set on its revision), then increment the groups of those written."""
    outcome = Outcome()
    write_token = token(install_id, epoch, name)
    pending = {"token": write_token, "install": install_id, "epoch": epoch}
    for write in writes:
        entry = {**pending, "groups": _group_entries(_task_delta(write))}
        body = to_document(write.new)
        with translated():
            if write.rev == 0:
                try:
                    await db.tasks.insert_one({**body, "rev": 1, "pending": [entry]})
                    won = True
                except DuplicateKeyError:
                    won = False
            else:
                result = await db.tasks.update_one(
                    {"platform": write.new.platform, "task_id": write.new.task_id, "rev": write.rev},
                    {"$set": body, "$inc": {"rev": 1}, "$push": {"pending": entry}},
                )
                won = result.matched_count == 1
        (outcome.written if won else outcome.conflicts).append(write)
    if outcome.written:
        # Summed per group over the batch in task order, as the SQLite store sums them.
        deltas = GroupDeltas()
        for write in outcome.written:
            deltas.add(write.stored, write.new)
        await apply_groups(db, write_token, {key: increments(sums) for key, sums in deltas.sums.items()},
                           deltas.first_seen)
        tasks = [(w.new.platform, w.new.task_id) for w in outcome.written]
        cleared = await _pull_pending(db, tasks, write_token, install_id, epoch)
        if cleared == len(tasks):
            await _unset_tokens(db, write_token, deltas.sums)
    return outcome


async def apply_groups(db: Any, write_token: str, sums: dict[GroupKey, dict[str, float]],
                       first_seen: dict[GroupKey, float | None]) -> None:
    """Increment each group once per token (upserting it); a token already applied changes nothing."""
    updates = []
    for key, inc in sums.items():
        change: dict[str, Any] = {"$set": {f"applied.{write_token}": 1}}
        if inc:
            change["$inc"] = inc
        if first_seen.get(key) is not None:
            change["$min"] = {"first_seen": first_seen[key]}
        updates.append((key, change))
    for (platform, requester_id), change in updates:
        with translated():
            try:
                await db.groups.update_one(
                    {"platform": platform, "requester_id": requester_id, f"applied.{write_token}": {"$exists": False}},
                    change, upsert=True,
                )
            except DuplicateKeyError:
                pass  # the group exists and already has this token: applied before


async def _pull_pending(db: Any, tasks: Iterable[tuple[str, str]], write_token: str, install_id: str,
                        epoch: int) -> int:
    requests = [
        UpdateOne({"platform": platform, "task_id": task_id},
                  {"$pull": {"pending": {"token": write_token, "install": install_id, "epoch": epoch}}})
        for platform, task_id in tasks
    ]
    with translated():
        result = await db.tasks.bulk_write(requests, ordered=False)
    return result.modified_count


async def _unset_tokens(db: Any, write_token: str, sums: Iterable[GroupKey]) -> None:
    requests = [UpdateOne({"platform": platform, "requester_id": requester_id},
                          {"$unset": {f"applied.{write_token}": ""}}) for platform, requester_id in sums]
    if requests:
        with translated():
            await db.groups.bulk_write(requests, ordered=False)


async def recover_pending(db: Any, install_id: str, epoch: int) -> int:
    """Finish the group increments that a crashed or stalled earlier holder of the install left pending.

    The entries of one token are summed before applying: the writer applied them as one
    increment per group, so applying them task by task under the same token would stop after
    the first. A writer pulls its entries only after applying, so when any entry of a token is
    already gone, the token was applied and the others are only cleaned up.
    """
    with translated():
        tasks = await db.tasks.find(
            {"pending": {"$elemMatch": {"install": install_id, "epoch": {"$lt": epoch}}}},
            {"platform": 1, "task_id": 1, "pending": 1},
        ).to_list(None)
    by_token: dict[str, list[tuple[Any, dict[str, Any]]]] = {}
    for task in tasks:
        for entry in task["pending"]:
            if entry["install"] == install_id and entry["epoch"] < epoch:
                by_token.setdefault(entry["token"], []).append((task["_id"], entry))
    for write_token, entries in by_token.items():
        claimed = []
        for task_id, entry in entries:
            with translated():
                result = await db.tasks.update_one(
                    {"_id": task_id, "pending": {"$elemMatch": {"token": write_token, "epoch": entry["epoch"]}}},
                    {"$set": {"pending.$.epoch": epoch}},
                )
            if result.modified_count:
                claimed.append((task_id, entry))
        if len(claimed) == len(entries):
            sums: dict[GroupKey, dict[str, float]] = {}
            first_seen: dict[GroupKey, float | None] = {}
            for _, entry in claimed:
                for group in entry["groups"]:
                    key = (group["platform"], group["requester_id"])
                    total = sums.setdefault(key, {})
                    for name, value in group["inc"].items():
                        total[name] = total.get(name, 0.0) + value
                    seen = [v for v in (first_seen.get(key), group["first_seen"]) if v is not None]
                    first_seen[key] = min(seen) if seen else None
            await apply_groups(db, write_token, sums, first_seen)
        for task_id, _ in claimed:
            with translated():
                await db.tasks.update_one({"_id": task_id},
                                          {"$pull": {"pending": {"token": write_token, "epoch": epoch}}})
    return len(by_token)
