"""Growth benchmark: /v1/score latency with a large history against a small one (goal <= 1.2x).

    .venv/bin/python -m bench.growth [--small 100000] [--large 10000000] [--scale 1.0]
                                     [--requests 400] [--mongo-url URL]

Two communities with the same shape (10 reports per task from distinct installs): `--small`
timings and `--large` x `--scale` timings. Both are seeded through `Store.add_timings` and
cached under bench/results/ (seeding 10M takes a while on a small machine; it resumes where
it stopped, and `--scale 0.1` runs a quicker 1M). Both services run at once, each in its own
process; batches of 100 listings are sent one at a time, alternating between the two in
rounds, so that noise from other work on the machine hits both alike. Prints p50 and p99 of
each and their ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

import aiohttp

from . import load
from .common import Community, describe_machine, percentile, seed, store_settings
from .score import store_args

ROUNDS = 8


async def sequential(url: str, token: str, bodies: list[bytes], count: int, offset: int) -> list[float]:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    latencies = []
    async with aiohttp.ClientSession() as session:
        for n in range(count):
            started = time.perf_counter()
            async with session.post(url, data=bodies[(offset + n) % len(bodies)], headers=headers) as answer:
                await answer.read()
                if answer.status != 200:
                    raise SystemExit(f"{url} answered {answer.status}: {await answer.text()}")
            latencies.append(time.perf_counter() - started)
    return latencies


def measure(args: argparse.Namespace) -> None:
    per_task = 10
    large_timings = int(args.large * args.scale) // 1000 * 1000
    sizes = {"small": args.small, "large": large_timings}
    communities = {name: Community(timings=t, tasks=t // per_task) for name, t in sizes.items()}
    settings = {name: store_settings(c, args.mongo_url) for name, c in communities.items()}
    for name, community in communities.items():
        asyncio.run(seed(community, settings[name]))
    bodies = {name: c.score_bodies(args.bodies, 100) for name, c in communities.items()}
    latencies: dict[str, list[float]] = {name: [] for name in communities}
    # The score cache off: the same bodies come round again, and growth is about the store's reads.
    with load.service(store_args(settings["small"]), score_cache=False) as small, \
            load.service(store_args(settings["large"]), score_cache=False) as large:
        services = {"small": small, "large": large}
        tokens = {name: load.new_token(s.url) for name, s in services.items()}
        for name, s in services.items():  # warm-up: every body once
            asyncio.run(sequential(s.url + "/v1/score", tokens[name], bodies[name], len(bodies[name]), 0))
        per_round = max(1, args.requests // ROUNDS)
        for round_number in range(ROUNDS):
            for name, s in services.items():
                latencies[name] += asyncio.run(sequential(
                    s.url + "/v1/score", tokens[name], bodies[name], per_round, round_number * per_round))
    print(f"growth benchmark ({describe_machine()}), store: {'mongodb' if args.mongo_url else 'sqlite'}")
    print(f"  {'history':<34} {'p50 ms':>8} {'p99 ms':>8}")
    for name, community in communities.items():
        values = latencies[name]
        print(f"  {community.timings:>11,} timings, {community.tasks:>9,} tasks {percentile(values, 0.5) * 1000:>8.2f}"
              f" {percentile(values, 0.99) * 1000:>8.2f}")
    ratio50 = percentile(latencies["large"], 0.5) / percentile(latencies["small"], 0.5)
    ratio99 = percentile(latencies["large"], 0.99) / percentile(latencies["small"], 0.99)
    print(f"  large / small: p50 {ratio50:.2f}x, p99 {ratio99:.2f}x (goal <= 1.2x); "
          f"{len(latencies['large'])} sequential requests of 100 listings each")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.growth", description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=100_000, help="timings in the small history")
    parser.add_argument("--large", type=int, default=10_000_000, help="timings in the large history")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply --large by this (0.1 for a quick run)")
    parser.add_argument("--requests", type=int, default=400, help="requests measured on each store")
    parser.add_argument("--bodies", type=int, default=200, help="distinct request bodies to cycle through")
    parser.add_argument("--mongo-url", default=None, help="run the services on this MongoDB instead of SQLite")
    measure(parser.parse_args(argv))


if __name__ == "__main__":
    main(sys.argv[1:])
