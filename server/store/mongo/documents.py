"""Records of `server/aggregates.py` as MongoDB documents: one key per dataclass field, by name.

A field added to a record later with a default needs nothing here: documents written before
it simply lack the key and read back with the default (MongoDB has no schema to migrate).
Counters of groups grow by `$inc` with the float deltas of `aggregates.group_delta`, so
integer fields are rounded back on the way in, as the SQLite store does.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import MISSING
from typing import Any, TypeVar

from ...aggregates import Contributor, GroupAggregate, Report, TaskAggregate, as_row
from ..protocol import GroupKey, TaskKey

R = TypeVar("R")

#: Keys that bookkeeping adds to record documents, never read back into a record.
TASK_BOOKKEEPING = ("rev", "pending")
GROUP_BOOKKEEPING = ("applied",)


def _kind(record_field: dataclasses.Field[Any]) -> str:
    # aggregates.py uses `from __future__ import annotations`: types are strings such as "float | None".
    return next(part.strip() for part in str(record_field.type).split("|") if part.strip() != "None")


_KINDS: dict[type, tuple[tuple[str, str, Any], ...]] = {
    record: tuple(
        (f.name, _kind(f), None if f.default is MISSING else f.default) for f in dataclasses.fields(record)
    )
    for record in (Contributor, Report, TaskAggregate, GroupAggregate)
}


def to_document(record: object) -> dict[str, Any]:
    return as_row(record)


def from_document(record: type[R], document: Mapping[str, Any]) -> R:
    values = {}
    for name, kind, default in _KINDS[record]:
        value = document.get(name, default)
        if value is not None:
            if kind == "int" and not isinstance(value, bool):
                value = round(value)
            elif kind == "float":
                value = float(value)
            elif kind == "bool":
                value = bool(value)
        values[name] = value
    return record(**values)


def projection(record: type) -> dict[str, int]:
    """Only the record's keys (and never `_id`), so bookkeeping stays on the server."""
    return {"_id": 0, **{name: 1 for name, _, _ in _KINDS[record]}}


def task_filter(keys: Sequence[TaskKey]) -> dict[str, Any]:
    unique = list(dict.fromkeys(keys))
    if len(unique) == 1:
        return {"platform": unique[0][0], "task_id": unique[0][1]}
    return {"$or": [{"platform": platform, "task_id": task_id} for platform, task_id in unique]}


def group_filter(keys: Sequence[GroupKey]) -> dict[str, Any]:
    unique = list(dict.fromkeys(keys))
    if len(unique) == 1:
        return {"platform": unique[0][0], "requester_id": unique[0][1]}
    return {"$or": [{"platform": platform, "requester_id": requester_id} for platform, requester_id in unique]}


def token(*parts: object) -> str:
    """A short hex name for a write, safe as a document key (no dots, no dollar)."""
    return hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=10).hexdigest()
