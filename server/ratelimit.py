"""A token bucket per client key (an install's token hash), in process.

Each key may make `per_minute` requests per minute, with bursts up to that many. The service
is stateless apart from its store, so with several processes the effective limit is per
process; that bounds floods without a shared counter on the hot path.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable


class RateLimiter:
    #: Past this many tracked keys, buckets that have refilled completely are forgotten.
    MAX_KEYS = 100_000

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens per second
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last refill)

    @property
    def enabled(self) -> bool:
        return self.per_minute > 0

    def take(self, key: str) -> float:
        """Spend one token for `key`: 0.0 when allowed, else the seconds until one is available."""
        if not self.enabled:
            return 0.0
        now = self.clock()
        tokens, last = self._buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > self.MAX_KEYS:
                self._forget_full(now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1.0 - tokens) / self.rate

    def retry_after(self, wait_s: float) -> int:
        """`Retry-After` is whole seconds; rounding up never invites a retry that fails again."""
        return max(1, math.ceil(wait_s))

    def _forget_full(self, now: float) -> None:
        full_after = self.capacity / self.rate
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < full_after}
