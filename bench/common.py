"""Shared by the benchmarks: a synthetic community, seeded through `Store.add_timings`, cached.

A community of `timings` timings over `tasks` tasks: installs each sync one batch of
`per_install` timings over a block of consecutive tasks, so every task gets the same number
of reports from distinct installs (`timings / tasks`), as one contributor counts once per task.
Task durations are log-normal, advertised durations under-state them by a requester-specific
ratio, workers have their own pace, and 8% of attempts end in a screen-out or a return.

Everything is deterministic (one seed per batch), so seeding can stop and resume: progress
is kept next to the database, and re-sending a batch that was already stored is a no-op
(ingest is idempotent per install and key).
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from server import settings as settings_module
from server.store import Store, open_store
from shared_schema import Money, Timing

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PLATFORMS = ("prolific", "toloka", "microworkers")
#: A fixed origin, so a community seeded today and resumed tomorrow is the same community.
EPOCH = datetime(2026, 6, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Community:
    timings: int
    tasks: int
    per_install: int = 1000
    tasks_per_requester: int = 20
    seed: int = 1

    def __post_init__(self) -> None:
        if self.tasks % self.per_install or self.timings % self.per_install or self.timings < self.tasks:
            raise ValueError("timings and tasks must be multiples of per_install, with timings >= tasks")

    @property
    def installs(self) -> int:
        return self.timings // self.per_install

    @property
    def name(self) -> str:
        return f"community-{self.timings}-{self.tasks}"

    # --- the world ------------------------------------------------------------------------

    def platform(self, task: int) -> str:
        return PLATFORMS[task % len(PLATFORMS)]

    def requester(self, task: int) -> str:
        return f"requester-{task // self.tasks_per_requester}"

    def task_minutes(self, task: int) -> float:
        return random.Random(self.seed * 7_919 + task).lognormvariate(2.0, 0.8)

    def advertised_s(self, task: int) -> int:
        requester = task // self.tasks_per_requester
        honesty = random.Random(self.seed * 104_729 + requester).uniform(0.5, 1.1)
        return max(60, int(60 * self.task_minutes(task) * honesty))

    def reward(self, task: int) -> str:
        return f"{0.10 + self.task_minutes(task) * 0.12:.2f}"

    # --- what installs send ---------------------------------------------------------------

    def batch(self, number: int) -> tuple[str, list[Timing]]:
        """Install `number`'s timings, built without validation (they are valid by construction)."""
        rng = random.Random(self.seed * 1_000_003 + number)
        install = f"bench-{self.seed}-{number:07d}"
        pace = rng.lognormvariate(0.0, 0.3)
        blocks = self.tasks // self.per_install
        first_task = (number % blocks) * self.per_install
        ended = EPOCH + timedelta(seconds=number * 600)
        timings = []
        for k in range(self.per_install):
            task = first_task + k
            active = min(12 * 3600.0, 60 * self.task_minutes(task) * pace * rng.lognormvariate(0.0, 0.25))
            roll = rng.random()
            outcome = "screened_out" if roll < 0.05 else "returned" if roll < 0.08 else "submitted"
            if outcome != "submitted":
                active *= 0.2
            wall = active * 1.2
            end = ended + timedelta(seconds=k * 30)
            timings.append(Timing.model_construct(
                idempotency_key=f"{install}-{k:05d}", platform=self.platform(task), task_id=f"task-{task}",
                requester_id=self.requester(task), reward=Money.model_construct(amount=self.reward(task), currency="GBP"),
                active_s=round(active, 1), wall_s=round(wall, 1), outcome=outcome,
                started_at=end - timedelta(seconds=wall), ended_at=end,
                advertised_duration_s=self.advertised_s(task), time_allotted_s=None, assignment_hash=None,
            ))
        return install, timings

    def listing(self, task: int) -> dict[str, Any]:
        return {
            "platform": self.platform(task),
            "task_id": f"task-{task}",
            "requester_id": self.requester(task),
            "title": f"Study {task}: a short survey about everyday decisions",
            "reward": {"amount": self.reward(task), "currency": "GBP"},
            "advertised_duration_s": self.advertised_s(task),
        }

    def score_bodies(self, count: int, size: int, known_share: float = 0.9, seed: int = 3) -> list[bytes]:
        """`count` POST /v1/score bodies of `size` listings: mostly seeded tasks, some never timed."""
        rng = random.Random(seed)
        bodies = []
        for _ in range(count):
            listings = []
            for _ in range(size):
                if rng.random() < known_share:
                    listings.append(self.listing(rng.randrange(self.tasks)))
                else:  # a task nobody timed yet, of a known requester
                    task = rng.randrange(self.tasks)
                    listings.append({**self.listing(task), "task_id": f"new-{rng.randrange(10**9)}"})
            bodies.append(orjson.dumps({"listings": listings}))
        return bodies


# --- seeding ------------------------------------------------------------------------------


def sqlite_path(community: Community) -> Path:
    return RESULTS / f"{community.name}.sqlite3"


def store_settings(community: Community, mongo_url: str | None = None) -> Any:
    if mongo_url:
        return settings_module.defaults(mongo_url=mongo_url, mongo_db=f"fairclick_bench_{community.timings}_{community.tasks}")
    return settings_module.defaults(db=sqlite_path(community))


def _progress_path(community: Community, settings: Any) -> Path:
    where = settings.mongo_db if settings.mongo_url else Path(settings.db).name
    return RESULTS / f"{where}.progress.json"


async def seed(community: Community, settings: Any, *, concurrency: int = 4,
               report: Callable[[str], None] = print) -> None:
    """Fill the configured store with `community` (resuming where an earlier run stopped)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    progress = _progress_path(community, settings)
    done = 0
    if progress.exists():
        saved = json.loads(progress.read_text())
        if saved["community"] != asdict(community):
            raise SystemExit(f"{progress} belongs to another community; delete it and the store to reseed")
        done = saved["batches_done"]
    store: Store = open_store(settings)
    await store.open()
    started, last_report = time.monotonic(), 0.0
    try:
        # The progress file may outlive its store (a deleted file, an in-memory MongoDB stand-in).
        done = min(done, await store.timing_count() // community.per_install)
        if done >= community.installs:
            return
        report(f"seeding {community.name}: {done}/{community.installs} install batches already stored")
        number = done
        while number < community.installs:
            # Several batches in flight: the SQLite writer commits queued batches together.
            chunk = range(number, min(number + concurrency, community.installs))
            await asyncio.gather(*(store.add_timings(*community.batch(n)) for n in chunk))
            number = chunk.stop
            # Written aside then renamed: a run stopped mid-write never leaves a truncated progress file.
            partial = progress.with_suffix(".tmp")
            partial.write_text(json.dumps({"community": asdict(community), "batches_done": number}))
            partial.replace(progress)
            elapsed = time.monotonic() - started
            if elapsed - last_report > 30 or number == community.installs:
                last_report = elapsed
                rate = (number - done) * community.per_install / max(elapsed, 1e-9)
                left = (community.installs - number) * community.per_install / max(rate, 1e-9)
                report(f"  {number * community.per_install:,} timings stored ({rate:,.0f}/s, about {left / 60:.0f} min left)")
    finally:
        await store.close()


# --- figures ------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def describe_machine() -> str:
    import os
    import platform

    return f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()} {platform.release()}"
