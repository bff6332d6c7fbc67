"""Score benchmark: POST /v1/score with 100-listing batches, against a bare aiohttp+orjson handler.

    .venv/bin/python -m bench.score [--timings 1000000] [--tasks 100000] [--seconds 10]
                                    [--connections 8] [--mongo-url URL]

In one run, each server in its own process on loopback, the load from this process:
- the service (`python -m server`) on a store seeded with `--timings` timings over `--tasks`
  tasks (through `Store.add_timings`; cached under bench/results/, resumed if interrupted);
- a bare handler: aiohttp + orjson that only parses the same batch and answers one small
  object per listing: the limit of this machine for this traffic;
- the same bare handler validating the batch with shared_schema's `ScoreRequest` instead of
  only parsing it: the ceiling of any service that validates its input as the contract asks.
Both get the same bodies (90% seeded tasks, 10% never timed). Figures: requests/s of each
with `--connections` busy connections, their ratio (goal >= 0.5), then the service's p50 and
p99 latency at half the bare handler's rate (goal p99 <= 10 ms), sent on a fixed schedule.
The service runs as operators run it, score cache on (the bodies come round again, as list
pages do); a last run with the cache off shows the cost when every listing is estimated.
Prints figures; asserts nothing. With `--mongo-url`, the service runs on MongoDB instead.

With `--stages`, no server: where one batch goes, in this process, on the same store and
bodies (median per batch over `--rounds` passes through the bodies, the first one a warm-up):
validation, the store's `score_inputs` (through its reader thread), the estimator, the answer.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from typing import Any

import orjson
from aiohttp import web

from . import load
from .common import Community, describe_machine, percentile, seed, store_settings


def bare_app(validating: bool = False) -> web.Application:
    """The bare handler; `validating` also validates the batch with the contract's pydantic model,
    as the service must: the ceiling of any service that does (no auth, no store, no estimate)."""
    from shared_schema import ScoreRequest

    async def score(request: web.Request) -> web.Response:
        body = await request.read()
        if validating:
            ids = [listing.task_id for listing in ScoreRequest.model_validate_json(body).listings]
        else:
            ids = [listing["task_id"] for listing in orjson.loads(body)["listings"]]
        answer = {"scores": [{"task_id": task_id, "hourly": None} for task_id in ids]}
        return web.Response(body=orjson.dumps(answer), content_type="application/json")

    async def healthz(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_post("/v1/score", score)
    app.router.add_get("/healthz", healthz)
    return app


def store_args(settings: Any) -> list[str]:
    if settings.mongo_url:
        # The MongoDB store (#4) is chosen by these two flags; the seeding above used the same ones.
        return ["--mongo-url", settings.mongo_url, "--mongo-db", settings.mongo_db]
    return ["--db", str(settings.db)]


def measure(args: argparse.Namespace) -> dict[str, Any]:
    community = Community(timings=args.timings, tasks=args.tasks)
    settings = store_settings(community, args.mongo_url)
    asyncio.run(seed(community, settings))
    bodies = community.score_bodies(args.bodies, args.listings)
    figures: dict[str, Any] = {"community": community.name, "listings_per_request": args.listings,
                               "store": "mongodb" if settings.mongo_url else "sqlite"}

    def warm_then_measure(url: str, token: str | None) -> load.Throughput:
        load.throughput(url, bodies, token, connections=args.connections, seconds=2)  # warm-up: caches, pages
        return load.throughput(url, bodies, token, connections=args.connections, seconds=args.seconds)

    for name, extra in (("bare", []), ("validating", ["--validating"])):
        with load.Process(["-m", "bench.score", "--serve-bare", "{port}", *extra]) as bare:
            figures[name] = warm_then_measure(bare.url + "/v1/score", None)
    with load.service(store_args(settings)) as service:
        token = load.new_token(service.url)
        url = service.url + "/v1/score"
        figures["service"] = warm_then_measure(url, token)
        half_bare = figures["bare"].requests_per_s / 2
        if figures["service"].requests_per_s < half_bare:
            # The goal's rate will overload the service: first show the latency at half its own capacity
            # (before the overload, whose backlog the service is still working through afterwards).
            figures["at_half_service"] = load.open_loop(
                url, bodies, token, rate=figures["service"].requests_per_s / 2, seconds=args.seconds)
        figures["at_half_bare"] = load.open_loop(url, bodies, token, rate=half_bare, seconds=args.seconds)
    with load.service(store_args(settings), score_cache=False) as service:
        figures["uncached"] = warm_then_measure(service.url + "/v1/score", load.new_token(service.url))
    return figures


async def stages(args: argparse.Namespace) -> dict[str, float]:
    """Median milliseconds per batch of each stage of the service's /v1/score path, in-process."""
    from server import estimate
    from server.settings import defaults
    from server.store import open_store
    from server.views.endpoint import json_response
    from server.views.score import keys_of
    from shared_schema import ScoreRequest

    community = Community(timings=args.timings, tasks=args.tasks)
    settings = store_settings(community, args.mongo_url)
    await seed(community, settings)
    bodies = community.score_bodies(args.bodies, args.listings)
    config = defaults()
    store = open_store(settings)
    await store.open()
    seconds: dict[str, list[float]] = {"validation": [], "score_inputs": [], "estimator": [], "answer": []}
    try:
        for round_number in range(args.rounds):
            for body in bodies:
                started = time.perf_counter()
                batch = ScoreRequest.model_validate_json(body)
                validated = time.perf_counter()
                found = await store.score_inputs(*keys_of(batch.listings))
                read = time.perf_counter()
                scores = estimate.score_batch(batch.listings, found, threshold=batch.threshold, settings=config,
                                              now=time.time())
                estimated = time.perf_counter()
                json_response({"scores": scores})
                answered = time.perf_counter()
                if round_number:
                    for name, begin, end in (("validation", started, validated), ("score_inputs", validated, read),
                                             ("estimator", read, estimated), ("answer", estimated, answered)):
                        seconds[name].append(end - begin)
    finally:
        await store.close()
    return {name: statistics.median(values) * 1000 for name, values in seconds.items()}


def report_stages(args: argparse.Namespace, milliseconds: dict[str, float]) -> None:
    print(f"score stages in-process ({describe_machine()})")
    print(f"  community-{args.timings}-{args.tasks}, {args.listings} listings per batch, median of "
          f"{(args.rounds - 1) * args.bodies} batches:")
    for name, value in milliseconds.items():
        print(f"  {name:13s} {value:6.3f} ms  ({value * 1000 / args.listings:5.1f} us per listing)")
    print(f"  {'total':13s} {sum(milliseconds.values()):6.3f} ms")


def report(figures: dict[str, Any]) -> None:
    bare, service = figures["bare"], figures["service"]
    print(f"score benchmark ({describe_machine()})")
    print(f"  store: {figures['store']}, {figures['community']}, {figures['listings_per_request']} listings per request, "
          f"load by {service.tool}")
    print(f"  bare aiohttp+orjson handler: {bare.requests_per_s:8.1f} requests/s ({bare.errors} errors)")
    validating = figures["validating"]
    print(f"  bare handler + pydantic validation of the batch: {validating.requests_per_s:8.1f} requests/s "
          f"= {validating.requests_per_s / bare.requests_per_s:.3f}x (the ceiling of a service validating its input)")
    print(f"  FairClick /v1/score:         {service.requests_per_s:8.1f} requests/s ({service.errors} errors)"
          f" = {service.requests_per_s * figures['listings_per_request']:,.0f} listings/s")
    print(f"  ratio: {service.requests_per_s / bare.requests_per_s:.3f}x the bare handler (goal >= 0.5x)")
    uncached = figures["uncached"]
    print(f"  FairClick /v1/score, score cache off (every listing estimated from the store): "
          f"{uncached.requests_per_s:8.1f} requests/s = {uncached.requests_per_s / bare.requests_per_s:.3f}x")
    for key, label in (("at_half_bare", "half the bare handler's rate"), ("at_half_service", "half the service's own rate")):
        if key in figures:
            run = figures[key]
            state = " OVERLOADED: the service cannot keep up" if run.overloaded or run.rate > service.requests_per_s else ""
            print(f"  latency at {label} ({run.rate:.0f} requests/s, {run.sent} sent, {run.errors} errors): "
                  f"p50 {percentile(run.seconds, 0.5) * 1000:.1f} ms, p99 {percentile(run.seconds, 0.99) * 1000:.1f} ms"
                  f" (goal p99 <= 10 ms){state}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.score", description=__doc__.split("\n\n")[0])
    parser.add_argument("--timings", type=int, default=1_000_000)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--listings", type=int, default=100, help="listings per request")
    parser.add_argument("--bodies", type=int, default=200, help="distinct request bodies to cycle through")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each measurement")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--mongo-url", default=None, help="run the service on this MongoDB instead of SQLite")
    parser.add_argument("--stages", action="store_true", help="only the in-process breakdown of one batch, no server")
    parser.add_argument("--rounds", type=int, default=3, help="with --stages: passes through the bodies (the first a warm-up)")
    parser.add_argument("--serve-bare", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--validating", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_bare is not None:
        web.run_app(bare_app(args.validating), host="127.0.0.1", port=args.serve_bare, access_log=None, print=None)
        return
    if args.stages:
        report_stages(args, asyncio.run(stages(args)))
        return
    report(measure(args))


if __name__ == "__main__":
    main(sys.argv[1:])
