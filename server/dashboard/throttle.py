"""Brute-force slow-down for the dashboard's login, per client address.

A few mistyped tokens cost nothing; past `free_failures`, each further failure locks the
address out for twice as long as the previous one (1 s, 2 s, 4 s ... up to `max_lockout_s`),
and every attempt during a lockout is refused unchecked, even with the right token, so
that guessing cannot go faster than the lockouts allow. A success clears the address.

Kept in memory: with several service processes an attacker gets each process's allowance,
which still grows exponentially. Tokens made by `fairclick admin create` are 32 random bytes;
the slow-down is what protects a weak FAIRCLICK_ADMIN_TOKEN.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True)
class _Record:
    failures: int = 0
    locked_until: float = 0.0
    last_failure: float = 0.0


class LoginThrottle:
    def __init__(
        self,
        *,
        free_failures: int = 5,
        max_lockout_s: float = 900.0,
        forget_after_s: float = 3600.0,
        max_addresses: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free_failures = free_failures
        self.max_lockout_s = max_lockout_s
        self.forget_after_s = forget_after_s
        self.max_addresses = max_addresses
        self.clock = clock
        self._records: OrderedDict[str, _Record] = OrderedDict()

    def retry_after(self, address: str) -> float:
        """Seconds the address must still wait before an attempt is checked (0 = go ahead)."""
        record = self._records.get(address)
        if record is None:
            return 0.0
        now = self.clock()
        if now - record.last_failure > self.forget_after_s:
            del self._records[address]
            return 0.0
        return max(0.0, record.locked_until - now)

    def failed(self, address: str) -> float:
        """Record a wrong token; answers the lockout (seconds) it starts, 0 while failures are free."""
        now = self.clock()
        record = self._records.pop(address, None) or _Record()
        if now - record.last_failure > self.forget_after_s:
            record = _Record()
        record.failures += 1
        record.last_failure = now
        excess = record.failures - self.free_failures
        lockout = 0.0 if excess <= 0 else min(self.max_lockout_s, 2.0 ** (excess - 1))
        record.locked_until = now + lockout
        self._records[address] = record
        # Bounded memory: a flood of addresses pushes out the oldest records first.
        while len(self._records) > self.max_addresses:
            self._records.popitem(last=False)
        return lockout

    def succeeded(self, address: str) -> None:
        self._records.pop(address, None)
