"""Ingest benchmark: timings/s stored durably, against raw SQLite `executemany` of the same rows.

    .venv/bin/python -m bench.ingest [--timings 50000] [--batch 500] [--concurrency 4] [--no-http] [--mongo-url URL]

Measured in one run, each on a fresh file in a temporary folder, with the same durability
(WAL, synchronous=FULL, one COMMIT per batch before the next is sent):
- raw: `executemany` of the timings' rows into a bare table (no index, no aggregate): the limit;
- store: `Store.add_timings` in batches, one at a time, then `--concurrency` batches in flight
  (the single writer commits queued batches together); the records are already validated;
- validation: only `TimingBatch.model_validate_json` of the same bodies, in this process: the
  ceiling of any service that validates the contract (no HTTP, no auth, no store);
- http: `POST /v1/timings` to `python -m server` on loopback (FAIRCLICK_RATE_LIMIT_PER_MIN=0),
  `--concurrency` clients, bodies encoded in advance: JSON parsing, validation, auth and the store.
Acceptance (a durable answer) is not folding: the store folds acknowledged timings into the
estimates right behind, on its writer thread. So each store and HTTP run also prints the fold
rate, timings folded per second from the first batch sent until every one is in the estimates
(`Store.settle()`; over HTTP, until /healthz reports no unfolded record), and the records still
unfolded when the last batch was acknowledged.
The community: installs each syncing a backlog of `--batch` timings on distinct tasks, half of
them among a few popular tasks (Pareto), half spread over 20,000 tasks of 400 requesters on 3
platforms; 8% screen-outs and returns. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import orjson

from server import settings as settings_module
from server.store import Store, open_store
from server.store.sqlite.schema import TIMING_COLUMNS
from shared_schema import Timing, TimingBatch

ROOT = Path(__file__).resolve().parents[1]
PLATFORMS = ("prolific", "toloka", "microworkers")
TASKS = 20_000
REQUESTERS = 400

Batch = tuple[str, list[dict]]  # (install, timings as JSON-ready dicts)


def community(total: int, batch: int, seed: int = 7) -> list[Batch]:
    rng = random.Random(seed)
    start = datetime.now(UTC) - timedelta(days=60)
    task_minutes = [rng.lognormvariate(2.0, 0.8) for _ in range(TASKS)]
    batches = []
    for number in range(total // batch):
        install = f"bench-install-{number:05d}"
        pace = rng.lognormvariate(0, 0.3)
        records = []
        # A worker does a task once: distinct tasks per install, half of them among the popular ones.
        tasks: dict[int, None] = {}
        while len(tasks) < batch:
            tasks[int(rng.paretovariate(1.2)) % TASKS if rng.random() < 0.5 else rng.randrange(TASKS)] = None
        for k, task in enumerate(tasks):
            active = min(12 * 3600, 60 * task_minutes[task] * pace * rng.lognormvariate(0, 0.25))
            ended = start + timedelta(minutes=number * 7 + k)
            roll = rng.random()
            records.append({
                "idempotency_key": f"{install}-{k:04d}",
                "platform": PLATFORMS[task % 3],
                "task_id": f"task-{task}",
                "requester_id": f"requester-{task % REQUESTERS}",
                "reward": {"amount": f"{0.1 + task_minutes[task] * 0.15:.2f}", "currency": "GBP"},
                "active_s": round(active, 1),
                "wall_s": round(active * 1.2, 1),
                "outcome": "screened_out" if roll < 0.05 else "returned" if roll < 0.08 else "submitted",
                "started_at": (ended - timedelta(seconds=active * 1.2)).isoformat(),
                "ended_at": ended.isoformat(),
                "advertised_duration_s": int(60 * task_minutes[task] * 0.8) + 60,
            })
        batches.append((install, records))
    return batches


def raw_rows(batches: Sequence[Batch], models: Sequence[list[Timing]]) -> list[list[tuple]]:
    """The same rows the store keeps in its `timings` table, built in advance."""
    now = time.time()
    return [
        [(install, t.idempotency_key, t.platform, t.task_id, t.requester_id, t.reward.amount, t.reward.currency,
          t.active_s, t.wall_s, t.outcome, t.started_at.timestamp(), t.ended_at.timestamp(),
          t.advertised_duration_s, t.time_allotted_s, t.assignment_hash, now) for t in timings]
        for (install, _), timings in zip(batches, models, strict=True)
    ]


Rate = tuple[float, float | None]  # timings per second of wall time, and per CPU-second of the process doing the work


@dataclass(frozen=True)
class Folding:
    rate: float  # timings folded per second, from the first batch sent until all are in the estimates
    behind: int | None  # records acknowledged but not folded when the last batch was acknowledged


def bench_raw(folder: Path, rows: list[list[tuple]]) -> Rate:
    conn = sqlite3.connect(folder / "raw.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(f"CREATE TABLE timings ({', '.join(TIMING_COLUMNS)})")
    insert = f"INSERT INTO timings VALUES ({', '.join('?' * len(TIMING_COLUMNS))})"
    began, cpu = time.perf_counter(), time.process_time()
    for batch in rows:
        conn.execute("BEGIN")
        conn.executemany(insert, batch)
        conn.execute("COMMIT")
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
    conn.close()
    total = sum(map(len, rows))
    return total / elapsed, total / cpu


async def in_flight(jobs: Sequence[Callable[[], Awaitable[object]]], concurrency: int) -> float:
    """Run the jobs with at most `concurrency` at once; seconds taken."""
    queue = list(reversed(jobs))

    async def worker() -> None:
        while queue:
            await queue.pop()()

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - began


async def bench_store(store: Store, batches: Sequence[Batch], models: Sequence[list[Timing]],
                      concurrency: int) -> tuple[Rate, Folding]:
    await store.open()
    try:
        jobs = [lambda i=i, t=t: store.add_timings(i, t) for (i, _), t in zip(batches, models, strict=True)]
        cpu, began = time.process_time(), time.perf_counter()
        elapsed = await in_flight(jobs, concurrency)
        cpu = time.process_time() - cpu
        lag = getattr(store, "fold_lag", None)
        behind = await lag() if lag is not None else None
        await store.settle()
        folded = time.perf_counter() - began
        stored = await store.timing_count()
    finally:
        await store.close()
    expected = sum(map(len, models))
    if stored != expected:
        raise SystemExit(f"bench: the store holds {stored} timings, expected {expected}")
    return (expected / elapsed, expected / cpu), Folding(expected / folded, behind)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of another process (Linux), for the service's share of the work."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _unfolded(session: aiohttp.ClientSession, url: str) -> int | None:
    async with session.get(f"{url}/healthz") as answer:
        return (await answer.json())["checks"]["store"].get("unfolded")


async def bench_http(folder: Path, batches: Sequence[Batch], concurrency: int,
                     mongo_url: str | None) -> tuple[Rate, Folding]:
    port = _free_port()
    env = {**os.environ, "FAIRCLICK_RATE_LIMIT_PER_MIN": "0", "FAIRCLICK_ACCESS_LOG": "false",
           "FAIRCLICK_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "server", "--host", "127.0.0.1", "--port", str(port),
               "--db", str(folder / "http.sqlite3")]
    if mongo_url:
        command += ["--mongo-url", mongo_url, "--mongo-db", f"fairclick_bench_{os.getpid()}_http"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
            for _ in range(300):
                try:
                    async with session.get(f"{url}/healthz") as answer:
                        if answer.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    pass
                if server.poll() is not None:
                    raise SystemExit(f"bench: the service exited with {server.returncode}")
                await asyncio.sleep(0.1)
            bodies = []
            for _, records in batches:
                async with session.post(f"{url}/v1/installs", json={}) as answer:
                    token = (await answer.json())["token"]
                bodies.append((token, orjson.dumps({"timings": records})))

            async def post(token: str, body: bytes) -> None:
                headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
                async with session.post(f"{url}/v1/timings", data=body, headers=headers) as answer:
                    if answer.status != 200:
                        raise SystemExit(f"bench: POST /v1/timings answered {answer.status}: {await answer.text()}")

            cpu, began = _cpu_seconds(server.pid), time.perf_counter()
            elapsed = await in_flight([lambda t=t, b=b: post(t, b) for t, b in bodies], concurrency)
            after = _cpu_seconds(server.pid)
            behind = unfolded = await _unfolded(session, url)
            while unfolded:
                await asyncio.sleep(0.005)
                unfolded = await _unfolded(session, url)
            folded = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(30)
    total = sum(len(records) for _, records in batches)
    rate = total / elapsed, None if cpu is None or after is None or after <= cpu else total / (after - cpu)
    return rate, Folding(total / folded, behind)


def bench_validation(batches: Sequence[Batch]) -> Rate:
    """Only `TimingBatch.model_validate_json` of the same bodies, in this process: what any service
    validating the contract spends before it stores anything (no HTTP, no auth, no store)."""
    bodies = [orjson.dumps({"timings": records}) for _, records in batches]
    cpu, began = time.process_time(), time.perf_counter()
    for body in bodies:
        TimingBatch.model_validate_json(body)
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
    total = sum(len(records) for _, records in batches)
    return total / elapsed, total / cpu


def _store(folder: Path, name: str, mongo_url: str | None) -> Store:
    if mongo_url:
        chosen = settings_module.defaults(mongo_url=mongo_url, mongo_db=f"fairclick_bench_{os.getpid()}_{name}")
    else:
        chosen = settings_module.defaults(db=folder / f"{name}.sqlite3")
    return open_store(chosen)


async def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__.split("\n")[0])
    parser.add_argument("--timings", type=int, default=50_000, help="timings to store (default 50000)")
    parser.add_argument("--batch", type=int, default=500, help="timings per batch (default 500, the API's maximum)")
    parser.add_argument("--concurrency", type=int, default=4, help="batches in flight (default 4)")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP measurement")
    parser.add_argument("--mongo-url", default=None, help="measure the MongoDB store (a throwaway database) instead")
    args = parser.parse_args(argv)

    batches = community(args.timings, args.batch)
    models = [[Timing.model_validate(record) for record in records] for _, records in batches]
    total = sum(map(len, models))
    print(f"{total} timings in {len(batches)} batches of {args.batch}; sqlite {sqlite3.sqlite_version}, "
          f"{os.cpu_count()} cpus; store: {'MongoDB' if args.mongo_url else 'SQLite'}")
    with tempfile.TemporaryDirectory(prefix="fairclick-bench-") as name:
        folder = Path(name)
        rows = raw_rows(batches, models)
        raw = bench_raw(folder, rows)
        figures: list[tuple[str, Rate, Folding | None]] = [("raw executemany, 1 in flight", raw, None)]
        figures.append(("validation only (pydantic, no store)", bench_validation(batches), None))
        figures.append(("store add_timings, 1 in flight",
                        *await bench_store(_store(folder, "one", args.mongo_url), batches, models, 1)))
        figures.append((f"store add_timings, {args.concurrency} in flight",
                        *await bench_store(_store(folder, "many", args.mongo_url), batches, models, args.concurrency)))
        if not args.no_http:
            figures.append((f"HTTP POST /v1/timings, {args.concurrency} clients",
                            *await bench_http(folder, batches, args.concurrency, args.mongo_url)))
    # The machine may be shared: per CPU-second figures show the cost of the work itself.
    print("accepted = acknowledged durable; folded = in the estimates (from the first batch sent until settled)")
    print(f"{'path':<40} {'accepted/s':>10} {'x raw':>6}   {'per CPU-s':>10} {'x raw':>6}   "
          f"{'folded/s':>9} {'unfolded at last ack':>20}")
    for label, (rate, per_cpu), folding in figures:
        cpu_text = f"{per_cpu:>10,.0f} {per_cpu / raw[1]:>6.3f}" if per_cpu and raw[1] else f"{'-':>10} {'-':>6}"
        fold_text = "" if folding is None else (
            f"   {folding.rate:>9,.0f} {'-' if folding.behind is None else f'{folding.behind:,}':>20}")
        print(f"{label:<40} {rate:>10,.0f} {rate / raw[0]:>6.3f}   {cpu_text}{fold_text}")


if __name__ == "__main__":
    asyncio.run(main())
