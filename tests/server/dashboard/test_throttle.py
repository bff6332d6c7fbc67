"""The login slow-down on a clock the test moves by hand (no real waiting, no timing assertions)."""

from __future__ import annotations

from server.dashboard.throttle import LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_lockouts_double_after_the_free_failures_and_stop_at_the_cap() -> None:
    clock = Clock()
    throttle = LoginThrottle(free_failures=3, max_lockout_s=10.0, clock=clock)
    assert [throttle.failed("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    lockouts = []
    for _ in range(6):
        lockouts.append(throttle.failed("a"))
        assert throttle.retry_after("a") == lockouts[-1]
        clock.now += lockouts[-1]  # wait it out
        assert throttle.retry_after("a") == 0.0
    assert lockouts == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]


def test_addresses_are_independent_and_a_success_clears_one() -> None:
    clock = Clock()
    throttle = LoginThrottle(free_failures=1, clock=clock)
    throttle.failed("a")
    throttle.failed("a")
    assert throttle.retry_after("a") > 0
    assert throttle.retry_after("b") == 0.0
    throttle.succeeded("a")
    assert throttle.retry_after("a") == 0.0
    assert throttle.failed("a") == 0.0  # counting starts again


def test_old_failures_are_forgotten() -> None:
    clock = Clock()
    throttle = LoginThrottle(free_failures=1, forget_after_s=60.0, clock=clock)
    throttle.failed("a")
    clock.now += 61
    assert throttle.failed("a") == 0.0


def test_memory_stays_bounded_under_a_flood_of_addresses() -> None:
    throttle = LoginThrottle(free_failures=0, max_addresses=100, clock=Clock())
    for n in range(1000):
        throttle.failed(f"10.0.{n // 256}.{n % 256}")
    assert len(throttle._records) == 100
    assert throttle.retry_after("10.0.3.231") > 0  # the latest ones are kept
