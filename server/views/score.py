"""`POST /v1/score`: the expected hourly pay of each listing, in the order they came."""

from __future__ import annotations

import time
from decimal import Decimal

from aiohttp import web

from shared_schema import ScoreRequest, ScoreResponse

from .. import estimate, money
from ..app_keys import METRICS, SETTINGS, STORE
from ..store.protocol import GroupKey, TaskKey
from .endpoint import Inputs


async def score_listings(request: web.Request, inputs: Inputs) -> ScoreResponse:
    batch: ScoreRequest = inputs.body
    app = request.app
    if batch.threshold is not None:
        # Refused up front: a threshold no rate converts would silently never warn.
        money.to_currency(Decimal(1), batch.threshold.currency, "EUR")
    tasks: dict[TaskKey, None] = {}
    groups: dict[GroupKey, None] = {}
    for listing in batch.listings:
        tasks[(listing.platform, listing.task_id)] = None
        if listing.requester_id is not None:
            groups[(listing.platform, listing.requester_id)] = None
        groups[(listing.platform, None)] = None
    # One round trip for the whole batch: scoring costs O(1) store work per listing.
    found = await app[METRICS].timed("score_inputs", app[STORE].score_inputs(list(tasks), list(groups)))
    settings, now = app[SETTINGS], time.time()
    scores = []
    for listing in batch.listings:
        requester = (listing.platform, listing.requester_id) if listing.requester_id is not None else None
        scores.append(
            estimate.score(
                listing,
                found.tasks.get((listing.platform, listing.task_id)),
                found.groups.get(requester) if requester is not None else None,
                found.groups.get((listing.platform, None)),
                threshold=batch.threshold,
                settings=settings,
                now=now,
                flags=found.flags.get(requester) if requester is not None else None,
            )
        )
    app[METRICS].listings_scored.inc(len(scores))
    # The estimator built (and validated) each Score; the list needs no second pass.
    return ScoreResponse.model_construct(scores=scores)
