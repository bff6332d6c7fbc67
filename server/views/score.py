"""`POST /v1/score`: the expected hourly pay of each listing, in the order they came."""

from __future__ import annotations

import time
from collections.abc import Sequence
from decimal import Decimal

import orjson
from aiohttp import web

from shared_schema import Listing, ScoreRequest

from .. import estimate, money
from ..app_keys import METRICS, SCORE_CACHE, SETTINGS, STORE
from ..score_cache import key_of
from ..store.protocol import GroupKey, TaskKey
from .endpoint import Inputs


def keys_of(listings: Sequence[Listing]) -> tuple[list[TaskKey], list[GroupKey]]:
    """The tasks and groups (requesters, platforms) a batch needs, each once, in order of first use."""
    tasks: dict[TaskKey, None] = {}
    groups: dict[GroupKey, None] = {}
    for listing in listings:
        platform = listing.platform
        tasks[(platform, listing.task_id)] = None
        if listing.requester_id is not None:
            groups[(platform, listing.requester_id)] = None
        groups[(platform, None)] = None
    return list(tasks), list(groups)


async def score_listings(request: web.Request, inputs: Inputs) -> web.Response:
    batch: ScoreRequest = inputs.body
    app = request.app
    if batch.threshold is not None:
        # Refused up front: a threshold no rate converts would silently never warn.
        money.to_currency(Decimal(1), batch.threshold.currency, "EUR")
    cache, metrics = app[SCORE_CACHE], app[METRICS]
    generation = cache.generation  # before the reads: a change they miss keeps their scores out of the cache
    keys = [key_of(listing, batch.threshold) for listing in batch.listings]
    answers = cache.get_many(keys)
    missing = [n for n, answer in enumerate(answers) if answer is None]
    if missing:
        listings = [batch.listings[n] for n in missing]
        # One round trip for the listings not cached: scoring costs O(1) store work per listing.
        found = await metrics.timed("score_inputs", app[STORE].score_inputs(*keys_of(listings)))
        fresh = estimate.score_batch(listings, found, threshold=batch.threshold, settings=app[SETTINGS],
                                     now=time.time())
        for n, score in zip(missing, fresh, strict=True):
            # Plain dicts in Score's wire shape (see estimate.score_batch), encoded once, kept encoded.
            # orjson's bytes keep a 4 KiB allocation; an exact copy is what is worth keeping (~400 bytes).
            answers[n] = encoded = bytes(memoryview(orjson.dumps(score)))
            cache.put(keys[n], encoded, score["basis"], generation)
    metrics.listings_scored.inc(len(answers))
    metrics.score_cache_hits.inc(len(answers) - len(missing))
    return web.Response(body=b'{"scores":[' + b",".join(answers) + b"]}",  # type: ignore[arg-type]
                        content_type="application/json")
