"""`MongoStore`: the store for deployments that outgrow one machine (see docs/mongodb.md).

Talks to MongoDB through PyMongo's async API (`AsyncMongoClient`; Motor is end-of-life).
Every write uses the configured write concern (default `majority`) with retryable writes on,
so a method returns only once its writes are acknowledged by that many nodes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo import AsyncMongoClient, uri_parser
from pymongo.errors import DuplicateKeyError

from shared_schema import Outcome, Timing

from ...aggregates import Contributor, GroupAggregate, Report, TaskAggregate
from ..changes import EVERYTHING, ChangeFeed
from ..protocol import GroupKey, IngestResult, ScoreInputs, StoreUnavailable, TaskKey
from . import install_lock
from .admin import MongoAdmin, create_admin_indexes
from .documents import from_document, group_filter, projection, task_filter
from .errors import translated
from .folding import TaskLocks
from .indexes import create_indexes
from .ingest import Ingest

log = logging.getLogger(__name__)

#: Driver options unless the connection string sets them: fail within seconds when MongoDB is
#: unreachable (the service answers 503 and the client retries) rather than hold requests.
CLIENT_DEFAULTS = {"serverSelectionTimeoutMS": 5000, "connectTimeoutMS": 5000, "timeoutMS": 15000}
SWEEP_EVERY_S = install_lock.LEASE_S


def write_concern_option(text: str) -> int | str:
    """'majority' -> 'majority'; '2' -> 2 (nodes). Anything else is refused at start-up."""
    text = str(text).strip()
    if text.isdigit():
        return int(text)
    if text == "majority":
        return text
    raise ValueError(f"mongo_write_concern must be 'majority' or a number of nodes, got {text!r}")


class MongoStore(MongoAdmin):
    def __init__(self, url: str, *, database: str = "fairclick", write_concern: str | int = "majority",
                 sweep_every_s: float | None = SWEEP_EVERY_S) -> None:
        self.url, self.database = url, database
        self.write_concern = write_concern_option(str(write_concern))
        self._sweep_every_s = sweep_every_s
        self._client: AsyncMongoClient[dict[str, Any]] | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self._task_locks = TaskLocks()
        #: install -> epoch of a lease this process dropped while MongoDB was away (see install_lock.take).
        self._dropped: dict[str, int] = {}
        #: Each process hears only its own writes: folds published precisely would still miss the
        #: other processes', so any write that folds is published as EVERYTHING (the score cache's
        #: time bound covers the others).
        self.changes = ChangeFeed()

    def __repr__(self) -> str:
        return f"MongoStore(database={self.database!r})"  # never the URL: it may carry a password

    @property
    def db(self) -> Any:
        if self._client is None:
            raise StoreUnavailable("MongoDB store is not open")
        return self._client[self.database]

    # --- lifecycle ------------------------------------------------------------------------------

    async def open(self) -> None:
        if self._client is not None:
            return
        given = {key.lower() for key in uri_parser.parse_uri(self.url)["options"]}
        options = {key: value for key, value in CLIENT_DEFAULTS.items() if key.lower() not in given}
        self._client = AsyncMongoClient(self.url, w=self.write_concern, retryWrites=True, appname="fairclick",
                                        **options)
        try:
            with translated():
                await create_indexes(self.db)
                await create_admin_indexes(self.db)
            await self.sweep()
        except BaseException:
            await self.close()
            raise
        if self._sweep_every_s:
            self._sweeper = asyncio.get_running_loop().create_task(self._sweep_forever(self._sweep_every_s))

    async def close(self) -> None:
        sweeper, client = self._sweeper, self._client
        self._sweeper = self._client = None
        if sweeper is not None:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
        if client is not None:
            await client.close()

    async def ping(self) -> None:
        with translated():
            await self.db.command("ping")

    async def settle(self) -> None:
        """Nothing to wait for: MongoStore folds each batch before acknowledging it."""

    # --- abandoned leases -----------------------------------------------------------------------

    async def sweep(self) -> int:
        """Finish the batches of processes that died holding an install's lease (see ingest.py)."""
        with translated():
            abandoned = await self.db.contributors.find(
                {"lock_until": {"$gt": 0, "$lt": time.time()}}, {"_id": 1}).to_list(1000)
        finished = 0
        for document in abandoned:
            try:
                lease = await install_lock.take(self.db.contributors, document["_id"], wait_s=0)
            except StoreUnavailable:
                continue  # someone holds it now, and will finish it
            ingest = Ingest(self.db, lease, self._task_locks)
            try:
                await ingest.recover()
                await ingest.finish()
            finally:
                self.changes.publish(EVERYTHING)
            finished += 1
        return finished

    async def _sweep_forever(self, every_s: float) -> None:
        while True:
            await asyncio.sleep(every_s)
            try:
                await self.sweep()
            except StoreUnavailable:
                pass  # MongoDB is away; the next sweep tries again
            except Exception:
                log.exception("sweep of abandoned MongoDB leases failed")

    # --- installs -------------------------------------------------------------------------------

    async def create_install(self, install_id: str, token_hash: str, created_at: datetime) -> None:
        try:
            with translated():
                await self.db.installs.insert_one({"_id": install_id, "install_id": install_id,
                                                   "token_hash": token_hash, "created_at": created_at.isoformat()})
        except DuplicateKeyError:
            raise ValueError("an install with this id or token already exists") from None

    async def install_for_token(self, token_hash: str) -> str | None:
        with translated():
            document = await self.db.installs.find_one({"token_hash": token_hash}, {"_id": 1})
        return None if document is None else document["_id"]

    # --- community data -------------------------------------------------------------------------

    async def _ingest(self, install_id: str, records: Sequence[Any], kind: str) -> IngestResult:
        lease = await install_lock.take(self.db.contributors, install_id, dropped_epoch=self._dropped.pop(install_id, None))
        ingest = Ingest(self.db, lease, self._task_locks)
        try:
            await ingest.recover()
            result = await (ingest.add_timings(records) if kind == "timings" else ingest.add_outcomes(records))
            await ingest.finish()
        except BaseException:
            # This process stops working on the batch here, so the lease can go at once; the next
            # holder (the client's retry, or the sweep) finishes whatever was written.
            if not await install_lock.abandon(self.db.contributors, lease, wrote=ingest.wrote):
                self._dropped[install_id] = lease.epoch
            raise
        finally:
            self.changes.publish(EVERYTHING)
        return result

    async def add_timings(self, install_id: str, timings: Sequence[Timing]) -> IngestResult:
        if not timings:
            return IngestResult(accepted=0, duplicates=0)
        return await self._ingest(install_id, timings, "timings")

    async def add_outcomes(self, install_id: str, outcomes: Sequence[Outcome]) -> IngestResult:
        if not outcomes:
            return IngestResult(accepted=0, duplicates=0)
        return await self._ingest(install_id, outcomes, "outcomes")

    # --- reads ----------------------------------------------------------------------------------

    async def score_inputs(self, tasks: Sequence[TaskKey], groups: Sequence[GroupKey]) -> ScoreInputs:
        inputs = ScoreInputs()
        with translated():
            if tasks:
                async for document in self.db.tasks.find(task_filter(tasks), projection(TaskAggregate)):
                    task = from_document(TaskAggregate, document)
                    inputs.tasks[(task.platform, task.task_id)] = task
            if groups:
                async for document in self.db.groups.find(group_filter(groups), projection(GroupAggregate)):
                    group = from_document(GroupAggregate, document)
                    inputs.groups[(group.platform, group.requester_id)] = group
            inputs.flags = await self.flag_counts(groups) if groups else {}
        return inputs

    async def group(self, key: GroupKey) -> GroupAggregate | None:
        with translated():
            document = await self.db.groups.find_one(group_filter([key]), projection(GroupAggregate))
        return None if document is None else from_document(GroupAggregate, document)

    async def contributor(self, install_id: str) -> Contributor | None:
        with translated():
            document = await self.db.contributors.find_one({"_id": install_id, "comparisons": {"$exists": True}},
                                                           projection(Contributor))
        return None if document is None else from_document(Contributor, document)

    async def reports(self, key: TaskKey) -> list[Report]:
        """Oldest first, the order the task's aggregate was computed in."""
        with translated():
            cursor = self.db.reports.find(task_filter([key]), projection(Report)).sort([("ended_at", 1), ("install_id", 1)])
            return [from_document(Report, document) async for document in cursor]

    async def timing_count(self) -> int:
        with translated():
            return await self.db.timings.estimated_document_count()
