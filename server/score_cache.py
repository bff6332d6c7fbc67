"""Scores already computed, kept until what they rest on changes.

Workers see the same listings over and over (every refresh of a list page, every worker on
the same platform), while a task's estimate changes only when a timing about it, or about
its requester, is folded in. So `/v1/score` keeps each listing's score and computes again
only what changed:

- an entry is dropped as soon as the store publishes a change to its task or its requester
  (server/store/changes.py), or to its platform when the score rested on the platform's
  figures (basis `platform`, `advertised` or `none`);
- a write the store cannot list (a flag moderated, an install discounted) drops everything;
- whatever the store does not hear (another process writing to the same database, a
  platform's figures moving under a task-based score, a requester growing out of "new")
  reaches the scores within `ttl_s` seconds;
- a score computed from reads that a change overtook is not kept (`generation`).

The key is every field of the listing the score depends on, and the request's threshold; the
value is the score already serialized (JSON bytes), so a hit costs neither an estimate nor an
encoding. At most `capacity` entries are kept (the oldest go first); capacity 0 turns it off.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from shared_schema import Listing, Money

from .store.changes import Changes

Key = tuple[Any, ...]
#: Scores whose basis is one of these rest on the platform's figures, not on the task's or requester's.
PLATFORM_BASES = frozenset({"platform", "advertised", "none"})


def key_of(listing: Listing, threshold: Money | None) -> Key:
    reward = listing.reward
    return (listing.platform, listing.task_id, listing.requester_id, reward.amount, reward.currency,
            listing.advertised_duration_s, listing.time_allotted_s,
            None if threshold is None else (threshold.amount, threshold.currency))


class ScoreCache:
    def __init__(self, capacity: int, ttl_s: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = capacity
        self.ttl_s = ttl_s
        self._clock = clock
        #: Bumped by every change: a score computed from reads made before it is not kept.
        self.generation = 0
        self._entries: dict[Key, tuple[bytes, float, tuple[Key, ...]]] = {}
        #: ("task", platform, task_id) / ("requester", platform, requester_id) / ("platform", platform) -> keys
        self._index: dict[Key, set[Key]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Key) -> bytes | None:
        return self.get_many([key])[0]

    def get_many(self, keys: list[Key]) -> list[bytes | None]:
        """The kept score of each key, or None."""
        now, entries, found = self._clock(), self._entries, []
        for key in keys:
            entry = entries.get(key)
            if entry is not None and entry[1] <= now:
                self._drop(key)
                entry = None
            found.append(None if entry is None else entry[0])
        return found

    def put(self, key: Key, score: bytes, basis: str, generation: int) -> None:
        """Keep `score` (with its `basis`), computed for `key` from reads made at `generation`
        (not kept if anything changed since)."""
        if generation != self.generation or self.capacity <= 0:
            return
        if key in self._entries:
            self._drop(key)
        while len(self._entries) >= self.capacity:
            self._drop(next(iter(self._entries)))  # the oldest
        platform, task_id, requester_id = key[0], key[1], key[2]
        parents: tuple[Key, ...] = (("task", platform, task_id),)
        if requester_id is not None:
            parents += (("requester", platform, requester_id),)
        if basis in PLATFORM_BASES:
            parents += (("platform", platform),)
        self._entries[key] = (score, self._clock() + self.ttl_s, parents)
        for parent in parents:
            self._index.setdefault(parent, set()).add(key)

    def invalidate(self, changes: Changes) -> None:
        """Drop what rested on `changes` (a ChangeFeed listener: runs on the event loop's thread)."""
        self.generation += 1
        if changes.everything:
            self._entries.clear()
            self._index.clear()
            return
        parents = [("task", platform, task_id) for platform, task_id in changes.tasks]
        parents += [("platform", platform) if requester_id is None else ("requester", platform, requester_id)
                    for platform, requester_id in changes.groups]
        for parent in parents:
            for key in self._index.pop(parent, ()):
                self._drop(key)

    def _drop(self, key: Key) -> None:
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        for parent in entry[2]:
            keys = self._index.get(parent)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._index[parent]
