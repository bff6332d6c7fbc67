"""`POST /v1/score`: the expected hourly pay of each listing, in the order they came."""

from __future__ import annotations

import time
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from aiohttp import web

from shared_schema import Listing, ScoreRequest

from .. import estimate, money
from ..app_keys import METRICS, SETTINGS, STORE
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


async def score_listings(request: web.Request, inputs: Inputs) -> dict[str, Any]:
    batch: ScoreRequest = inputs.body
    app = request.app
    if batch.threshold is not None:
        # Refused up front: a threshold no rate converts would silently never warn.
        money.to_currency(Decimal(1), batch.threshold.currency, "EUR")
    # One round trip for the whole batch: scoring costs O(1) store work per listing.
    found = await app[METRICS].timed("score_inputs", app[STORE].score_inputs(*keys_of(batch.listings)))
    scores = estimate.score_batch(batch.listings, found, threshold=batch.threshold, settings=app[SETTINGS],
                                  now=time.time())
    app[METRICS].listings_scored.inc(len(scores))
    # Plain dicts in ScoreResponse's wire shape, serialized by orjson as they are (see estimate.score_batch).
    return {"scores": scores}
