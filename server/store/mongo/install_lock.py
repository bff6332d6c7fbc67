"""One writer at a time per install: a lease on the install's contributor document.

A contributor's statistics depend on the order its timings are folded in, so the timings of
one install are folded by one service process at a time, in arrival order, whichever
process received them. The lease lives in the contributor document (`epoch`, `lock_until`);
taking it increments `epoch`, and the holder's last write (the contributor's new state and
its fold watermarks) is filtered on that epoch, so a holder that stalled past its lease and
lost it cannot overwrite its successor's work: it gets StoreUnavailable and its client
retries. A holder that crashed leaves `lock_until` set; the next one to take the lease after
it expires finishes the crashed holder's work first (see ingest.py and recovery.py).

Leases compare the clocks of the service processes: keep them synchronised (NTP); the lease
is long (LEASE_S) against any realistic skew.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from pymongo import ReturnDocument, WriteConcern
from pymongo.errors import DuplicateKeyError

from ..protocol import StoreUnavailable
from .errors import translated

LEASE_S = 30.0
#: Taking and dropping a lease need only the primary: a lease lost in a fail-over is harmless
#: (the epoch fences the holder's last write), and when the majority is unreachable the
#: client's retry must still be able to take the lease that the failed attempt dropped.
LEASE_WRITES = WriteConcern(w=1)
#: How long a request waits for another process folding the same install before answering 503.
WAIT_S = 10.0


@dataclass(slots=True)
class Lease:
    install_id: str
    epoch: int
    document: dict[str, Any]  # the contributor document as the lease was taken

    @property
    def timings_through(self) -> int:
        return int(self.document.get("timings_through", 0))

    @property
    def outcomes_through(self) -> int:
        return int(self.document.get("outcomes_through", 0))


async def take(contributors: Any, install_id: str, *, wait_s: float = WAIT_S, dropped_epoch: int | None = None) -> Lease:
    """Take the install's lease, waiting up to `wait_s` for its current holder.

    `dropped_epoch`: a lease of this process that it gave up on but could not free (MongoDB was
    away); it is taken back at once instead of waiting for it to expire.
    """
    deadline = time.monotonic() + wait_s
    pause = 0.005
    contributors = contributors.with_options(write_concern=LEASE_WRITES)
    while True:
        now = time.time()
        free = [{"lock_until": {"$exists": False}}, {"lock_until": {"$lt": now}}]
        if dropped_epoch is not None:
            free.append({"epoch": dropped_epoch})
        try:
            with translated():
                document = await contributors.find_one_and_update(
                    {"_id": install_id, "$or": free},
                    {"$inc": {"epoch": 1}, "$set": {"lock_until": now + LEASE_S}},
                    upsert=True, return_document=ReturnDocument.AFTER,
                )
        except DuplicateKeyError:
            document = None  # the document exists and its lease is held: the upsert collided with it
        if document is not None:
            return Lease(install_id, int(document["epoch"]), document)
        if time.monotonic() >= deadline:
            raise StoreUnavailable("another service process is still storing this install's records; retry shortly")
        await asyncio.sleep(pause)
        pause = min(pause * 2, 0.2)


async def release(contributors: Any, lease: Lease, changes: dict[str, Any]) -> None:
    """Write the holder's last changes and free the lease, only if it is still the holder's."""
    with translated():
        result = await contributors.update_one(
            {"_id": lease.install_id, "epoch": lease.epoch},
            {"$set": {**changes, "lock_until": 0}},
        )
    if result.matched_count == 0:
        raise StoreUnavailable("this process's lease on the install expired while it was storing; retry")


async def abandon(contributors: Any, lease: Lease, *, wrote: bool) -> bool:
    """Free the lease at once after a failure, so the client's retry need not wait for it to expire.

    When something was written, the lease is left "expired" rather than free (`lock_until` in
    the past, not 0): the sweep then finishes the batch even if the client never retries.
    """
    try:
        with translated():
            await contributors.with_options(write_concern=LEASE_WRITES).update_one(
                {"_id": lease.install_id, "epoch": lease.epoch, "lock_until": {"$gt": 0}},
                {"$set": {"lock_until": time.time() - 1 if wrote else 0}})
    except StoreUnavailable:
        return False  # MongoDB is away: the lease expires by itself after LEASE_S
    return True
