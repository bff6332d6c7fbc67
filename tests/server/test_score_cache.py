"""The score cache keeps a listing's score until its task, requester or platform changes, or its time is up."""

from __future__ import annotations

from typing import Any

from server.score_cache import ScoreCache, key_of
from server.store.changes import EVERYTHING, Changes
from shared_schema import Listing, Money


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def listing(task_id: str = "t1", requester_id: str | None = "r1", platform: str = "prolific",
            **changes: Any) -> Listing:
    return Listing(platform=platform, task_id=task_id, requester_id=requester_id,
                   reward=Money(amount="1.50", currency="GBP"), advertised_duration_s=600, **changes)


def cached(cache: ScoreCache, item: Listing, basis: str = "task") -> tuple[Any, ...]:
    key = key_of(item, None)
    cache.put(key, f'{{"task_id":"{item.task_id}"}}'.encode(), basis, cache.generation)
    return key


def test_a_score_is_kept_until_its_time_is_up() -> None:
    clock = Clock()
    cache = ScoreCache(10, 30.0, clock=clock)
    key = cached(cache, listing())
    clock.now += 29.9
    assert cache.get(key) == b'{"task_id":"t1"}'
    clock.now += 0.2
    assert cache.get(key) is None
    assert len(cache) == 0


def test_every_field_a_score_depends_on_is_in_the_key() -> None:
    base = listing()
    variants = [listing(task_id="t2"), listing(requester_id="r2"), listing(requester_id=None),
                listing(platform="mturk"), listing(time_allotted_s=900),
                base.model_copy(update={"reward": Money(amount="1.60", currency="GBP")}),
                base.model_copy(update={"reward": Money(amount="1.50", currency="EUR")}),
                base.model_copy(update={"advertised_duration_s": 660})]
    keys = {key_of(item, None) for item in [base, *variants]}
    keys.add(key_of(base, Money(amount="9.00", currency="EUR")))
    assert len(keys) == len(variants) + 2
    # The title is not an input of the score: the same task with another title shares its entry.
    assert key_of(base.model_copy(update={"title": "Another title"}), None) == key_of(base, None)


def test_a_change_to_the_task_or_its_requester_drops_the_score() -> None:
    cache = ScoreCache(10, 30.0)
    first, sibling = cached(cache, listing("t1")), cached(cache, listing("t2"))
    other = cached(cache, listing("t3", "r9"))
    cache.invalidate(Changes(tasks=frozenset({("prolific", "t1")})))
    assert cache.get(first) is None and cache.get(sibling) is not None
    cache.invalidate(Changes(groups=frozenset({("prolific", "r1")})))
    assert cache.get(sibling) is None
    assert cache.get(other) is not None


def test_a_platform_change_drops_only_the_scores_that_rest_on_the_platform() -> None:
    cache = ScoreCache(10, 30.0)
    measured = cached(cache, listing("t1"), basis="task")
    unknown = cached(cache, listing("t2", None), basis="platform")
    elsewhere = cached(cache, listing("t3", None, platform="mturk"), basis="platform")
    cache.invalidate(Changes(groups=frozenset({("prolific", None)})))
    assert cache.get(unknown) is None
    assert cache.get(measured) is not None and cache.get(elsewhere) is not None


def test_everything_drops_everything() -> None:
    cache = ScoreCache(10, 30.0)
    keys = [cached(cache, listing(f"t{n}")) for n in range(3)]
    cache.invalidate(EVERYTHING)
    assert [cache.get(key) for key in keys] == [None, None, None]


def test_a_score_computed_before_a_change_is_not_kept() -> None:
    cache = ScoreCache(10, 30.0)
    generation = cache.generation  # the view reads the store here ...
    cache.invalidate(Changes(tasks=frozenset({("prolific", "t1")})))  # ... a fold commits meanwhile ...
    key = key_of(listing(), None)
    cache.put(key, b'{"task_id":"t1"}', "task", generation)  # ... so the score it computed is stale
    assert cache.get(key) is None


def test_the_oldest_scores_go_first_when_full() -> None:
    cache = ScoreCache(2, 30.0)
    first, second, third = (cached(cache, listing(f"t{n}")) for n in range(3))
    assert cache.get(first) is None
    assert cache.get(second) is not None and cache.get(third) is not None
    # A dropped entry leaves nothing behind in the indexes: invalidating its task is harmless.
    cache.invalidate(Changes(tasks=frozenset({("prolific", "t0")})))
    assert len(cache) == 2


def test_capacity_zero_keeps_nothing() -> None:
    cache = ScoreCache(0, 30.0)
    assert cache.get(cached(cache, listing())) is None
