"""`fairclick demo-seed`: fill an EMPTY store with a clearly labelled synthetic community.

Everything it makes is fake and says so: platforms `demo-prolific`, `demo-toloka` and
`demo-clickworker`, requesters `Demo requester N`, tasks `demo-task-N`. It goes through the
store's normal ingest (installs, timings, outcomes, flags, adapter-health events), so every
dashboard page shows what it would show with real data: honest workers of different speeds,
requesters that underestimate durations, screen out or reject, a burst of new installs
gaming one requester, flags waiting for moderation, an adapter that stopped matching.

It refuses a store that holds any install, timing or flag: demo data must never mix with a
community's real data.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from shared_schema import AdapterHealth, Money, Outcome, Timing

from . import settings as settings_module
from .auth import new_install, token_hash
from .store import open_store
from .store.admin import AdminStore, Flag

STORE_SETTINGS = ("db", "mongo_url", "mongo_db", "mongo_write_concern")
#: (platform, currency, adapter id) of the demo platforms.
PLATFORMS = (("demo-prolific", "GBP", "demo-prolific"), ("demo-toloka", "USD", "demo-toloka"),
             ("demo-clickworker", "EUR", "demo-clickworker"))
REQUESTERS_PER_PLATFORM = 5
HONEST_INSTALLS = 36
GAMING_INSTALLS = 8
DAYS = 56
#: The requester the gaming installs report absurdly short times for.
GAMED_REQUESTER = "Demo requester 3"


class StoreNotEmpty(Exception):
    """The store already holds installs, timings or flags."""


@dataclass(frozen=True, slots=True)
class DemoRequester:
    platform: str
    currency: str
    requester_id: str
    underestimate: float  # measured / advertised duration
    screen_out: float  # share of attempts screened out
    rejection: float  # share of submitted work rejected
    pay_delay_days: float


@dataclass(frozen=True, slots=True)
class DemoTask:
    requester: DemoRequester
    task_id: str
    advertised_s: int
    reward: str
    true_s: float  # what it really takes a typical worker


@dataclass(frozen=True, slots=True)
class SeedSummary:
    installs: int
    timings: int
    outcomes: int
    flags: int
    adapter_events: int


def community(rng: random.Random) -> list[DemoTask]:
    tasks = []
    number = 0
    for p_index, (platform, currency, _) in enumerate(PLATFORMS):
        for r in range(REQUESTERS_PER_PLATFORM):
            requester = DemoRequester(
                platform, currency, f"Demo requester {p_index * REQUESTERS_PER_PLATFORM + r + 1}",
                underestimate=rng.choice((0.9, 1.0, 1.3, 1.8, 2.6)),
                screen_out=rng.choice((0.0, 0.05, 0.1, 0.35)),
                rejection=rng.choice((0.0, 0.01, 0.03, 0.12)),
                pay_delay_days=rng.choice((1.0, 3.0, 12.0)),
            )
            for _ in range(rng.randint(3, 6)):
                number += 1
                advertised = rng.choice((120, 300, 600, 900, 1200, 1800))
                true_s = advertised * requester.underestimate * math.exp(rng.gauss(0, 0.15))
                hourly_target = math.exp(rng.gauss(math.log(9.0), 0.55))  # per hour at the advertised duration
                reward = max(0.05, round(hourly_target * advertised / 3600, 2))
                tasks.append(DemoTask(requester, f"demo-task-{number}", advertised, f"{reward:.2f}", true_s))
    return tasks


def _timing(key: str, task: DemoTask, active_s: float, outcome: str, ended: datetime, *, advertised: bool = True) -> Timing:
    active_s = max(5.0, min(active_s, 11 * 3600))
    wall_s = active_s * 1.1 + 20
    return Timing(
        idempotency_key=key,
        platform=task.requester.platform,
        task_id=task.task_id,
        requester_id=task.requester.requester_id,
        reward=Money(amount=task.reward, currency=task.requester.currency),
        active_s=round(active_s, 1),
        wall_s=round(wall_s, 1),
        outcome=outcome,
        started_at=ended - timedelta(seconds=wall_s),
        ended_at=ended,
        advertised_duration_s=task.advertised_s if advertised else None,
    )


class _Plan:
    """Timings and outcomes per install per day, ingested in day order so a consensus forms as it would."""

    def __init__(self) -> None:
        self.timings: dict[tuple[int, str], list[Timing]] = defaultdict(list)
        self.outcomes: dict[tuple[int, str], list[Outcome]] = defaultdict(list)

    def add(self, day: int, install_id: str, timing: Timing, outcomes: Sequence[Outcome] = ()) -> None:
        self.timings[(day, install_id)].append(timing)
        self.outcomes[(day, install_id)].extend(outcomes)


def plan(rng: random.Random, tasks: list[DemoTask], honest: list[str], gaming: list[str], now: datetime) -> _Plan:
    planned = _Plan()
    speeds = {install: math.exp(rng.gauss(0, 0.2)) for install in honest}
    for task in tasks:
        takers = rng.sample(honest, rng.randint(3, min(18, len(honest))))
        for install in takers:
            day = rng.randrange(DAYS)
            ended = now - timedelta(days=DAYS - 1 - day, hours=rng.uniform(1, 20))
            key = uuid.uuid4().hex
            roll = rng.random()
            if roll < task.requester.screen_out:
                planned.add(day, install, _timing(key, task, rng.uniform(60, 240), "screened_out", ended))
                continue
            if roll < task.requester.screen_out + 0.04:
                planned.add(day, install, _timing(key, task, task.true_s * rng.uniform(0.2, 0.6), "returned", ended))
                continue
            active = task.true_s * speeds[install] * math.exp(rng.gauss(0, 0.2))
            if rng.random() < 0.05:  # a break that the activity timer did not catch
                active *= rng.uniform(2, 4)
            verdicts = []
            at = ended + timedelta(days=rng.uniform(0.2, 2))
            if at < now:
                status = "rejected" if rng.random() < task.requester.rejection else "approved"
                verdicts.append(Outcome(idempotency_key=key, platform=task.requester.platform, task_id=task.task_id,
                                        requester_id=task.requester.requester_id, status=status, at=at))
                paid_at = ended + timedelta(days=task.requester.pay_delay_days * rng.uniform(0.7, 1.3))
                if status == "approved" and paid_at < now:
                    verdicts.append(Outcome(idempotency_key=key, platform=task.requester.platform, task_id=task.task_id,
                                            requester_id=task.requester.requester_id, status="paid", at=paid_at))
            planned.add(day, install, _timing(key, task, active, "submitted", ended), verdicts)
    # A burst: new installs, all in the last days, reporting absurdly short times on one requester's tasks.
    gamed = [task for task in tasks if task.requester.requester_id == GAMED_REQUESTER]
    for install in gaming:
        for task in gamed:
            day = DAYS - 1 - rng.randrange(3)
            ended = now - timedelta(days=DAYS - 1 - day, hours=rng.uniform(0.2, 5))
            planned.add(day, install, _timing(uuid.uuid4().hex, task, task.true_s * 0.15, "submitted", ended))
    return planned


def flags(rng: random.Random, tasks: list[DemoTask], honest: list[str], now: float) -> list[tuple[Flag, str | None]]:
    """(flag, moderation) pairs: some wait in the queue, some are approved or hidden."""
    by_requester = {task.requester.requester_id: task for task in tasks}
    wanted = [
        ("Demo requester 2", "unpaid_screen_out", "Screened out after 12 minutes of questions, nothing paid.", "approved"),
        ("Demo requester 2", "unpaid_screen_out", "Same here: long screener, then out.", "approved"),
        ("Demo requester 7", "personal_data", "The first page asks for my full name and home address.", None),
        ("Demo requester 9", "phishing", "Link sends you to a fake login page of the platform.", None),
        ("Demo requester 11", "broken", "The survey link gives a 404.", None),
        ("Demo requester 5", "scam", "I think this is fine actually, clicked by mistake.", "hidden"),
        ("Demo requester 12", "scam", None, None),
    ]
    made = []
    for index, (requester_id, reason, comment, moderation) in enumerate(wanted):
        task = by_requester[requester_id]
        made.append((Flag(
            flag_id=uuid.uuid4().hex, install_id=honest[index % len(honest)], platform=task.requester.platform,
            requester_id=requester_id, task_id=task.task_id if index % 2 else None, reason=reason, comment=comment,
            status="pending", created_at=now - rng.uniform(3600, 5 * 86400),
        ), moderation))
    return made


def adapter_events(now: datetime) -> list[tuple[str, AdapterHealth]]:
    """A healthy adapter, one that stopped matching six days ago, one that fails on some pages."""
    events = []
    for back in range(21):
        day = (now - timedelta(days=back)).date().isoformat()
        events.append((day, AdapterHealth(adapter="demo-prolific", adapter_version="1.4.0", listings_found=12, blocks_seen=12)))
        found = 0 if back < 6 else 8
        events += [(day, AdapterHealth(adapter="demo-toloka", adapter_version="1.2.0", listings_found=found, blocks_seen=9))] * 3
        events.append((day, AdapterHealth(adapter="demo-clickworker", adapter_version="0.9.1", listings_found=5, blocks_seen=5)))
        if back < 4:
            events.append((day, AdapterHealth(adapter="demo-clickworker", adapter_version="0.9.1", listings_found=0, blocks_seen=3)))
    return events


async def seed(store: Any, *, seed_value: int = 2026, now: datetime | None = None) -> SeedSummary:
    """Fill `store` (opened, empty) with the demo community; raise StoreNotEmpty if it holds anything."""
    admin: AdminStore = store
    if not await admin.is_empty():
        raise StoreNotEmpty("the store is not empty: demo data is only ever added to an empty store")
    rng = random.Random(seed_value)
    now = now or datetime.now(UTC)
    tasks = community(rng)
    honest, gaming = [], []
    for index in range(HONEST_INSTALLS + GAMING_INSTALLS):
        install_id, token = new_install()
        is_gaming = index >= HONEST_INSTALLS
        created = now - timedelta(days=rng.uniform(0.5, 2) if is_gaming else DAYS + rng.uniform(1, 30))
        await store.create_install(install_id, token_hash(token), created)
        (gaming if is_gaming else honest).append(install_id)
    planned = plan(rng, tasks, honest, gaming, now)
    timings = outcomes = 0
    for day in sorted({day for day, _ in planned.timings}):
        keys = sorted(key for key in planned.timings if key[0] == day)
        # One day's batches at once: the store commits them together, as it would a busy day's traffic.
        results = await asyncio.gather(*(
            store.add_timings(install_id, sorted(planned.timings[(day, install_id)], key=lambda t: t.ended_at))
            for _, install_id in keys))
        timings += sum(result.accepted for result in results)
        results = await asyncio.gather(*(
            store.add_outcomes(install_id, planned.outcomes[(day, install_id)])
            for _, install_id in keys if planned.outcomes.get((day, install_id))))
        outcomes += sum(result.accepted for result in results)
    made = flags(rng, tasks, honest, now.timestamp())
    await asyncio.gather(*(admin.add_flag(flag) for flag, _ in made))
    await asyncio.gather(*(admin.moderate_flag(flag.flag_id, moderation, by="demo-seed", at=now.timestamp())
                           for flag, moderation in made if moderation is not None))
    events = adapter_events(now)
    await asyncio.gather(*(admin.add_adapter_health(event, day) for day, event in events))
    await store.settle()  # the community's estimates are in place when seed() returns
    return SeedSummary(len(honest) + len(gaming), timings, outcomes, len(made), len(events))


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fairclick demo-seed", description=__doc__.split("\n\n")[0])
    settings_module.add_arguments(parser, STORE_SETTINGS)
    parser.add_argument("--seed", type=int, default=2026, help="random seed (the same seed makes the same community)")
    return parser


async def _run(config: Any, seed_value: int) -> SeedSummary:
    store = open_store(config)
    await store.open()
    try:
        return await seed(store, seed_value=seed_value)
    finally:
        await store.close()


def main(argv: Sequence[str]) -> int:
    args = parser().parse_args(list(argv))
    config = settings_module.load({name: getattr(args, name) for name in STORE_SETTINGS if getattr(args, name) is not None})
    started = time.perf_counter()
    try:
        summary = asyncio.run(_run(config, args.seed))
    except StoreNotEmpty as exc:
        print(f"fairclick demo-seed: {exc}", file=sys.stderr)
        return 1
    print(f"Seeded a synthetic demo community (platforms demo-*, requesters 'Demo requester N') in "
          f"{time.perf_counter() - started:.1f} s: {summary.installs} installs, {summary.timings} timings, "
          f"{summary.outcomes} outcomes, {summary.flags} flags, {summary.adapter_events} adapter-health events.")
    return 0
