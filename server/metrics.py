"""Prometheus metrics, in a registry of the app's own (two apps in one process never mix counts)."""

from __future__ import annotations

import time
from collections.abc import Awaitable
from typing import TypeVar

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

T = TypeVar("T")

#: Request latencies sit around a millisecond; store calls can be a lot faster or slower.
REQUEST_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
STORE_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0)


class Metrics:
    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "fairclick_requests", "HTTP requests answered, by route and status.",
            ["method", "route", "status"], registry=self.registry,
        )
        self.request_seconds = Histogram(
            "fairclick_request_seconds", "Time to answer an HTTP request, by route.",
            ["method", "route"], buckets=REQUEST_BUCKETS, registry=self.registry,
        )
        self.timings_ingested = Counter(
            "fairclick_timings_ingested", "Timings accepted and made durable (duplicates excluded).",
            registry=self.registry,
        )
        self.timing_duplicates = Counter(
            "fairclick_timing_duplicates", "Timings received again (a retried batch) and ignored.",
            registry=self.registry,
        )
        self.outcomes_ingested = Counter(
            "fairclick_outcomes_ingested", "Outcomes accepted and made durable (duplicates excluded).",
            registry=self.registry,
        )
        self.listings_scored = Counter(
            "fairclick_listings_scored", "Listings scored through /v1/score.", registry=self.registry,
        )
        self.score_cache_hits = Counter(
            "fairclick_score_cache_hits", "Listings scored from the score cache (no store read, no estimate).",
            registry=self.registry,
        )
        self.store_seconds = Histogram(
            "fairclick_store_seconds", "Time spent waiting for the store, by operation.",
            ["operation"], buckets=STORE_BUCKETS, registry=self.registry,
        )
        self.store_errors = Counter(
            "fairclick_store_errors", "Store calls that failed, by operation.", ["operation"], registry=self.registry,
        )

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.request_seconds.labels(method, route).observe(seconds)

    async def timed(self, operation: str, call: Awaitable[T]) -> T:
        """Await a store call, recording how long it took (and whether it failed)."""
        started = time.perf_counter()
        try:
            return await call
        except BaseException:
            self.store_errors.labels(operation).inc()
            raise
        finally:
            self.store_seconds.labels(operation).observe(time.perf_counter() - started)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
