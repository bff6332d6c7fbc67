"""`GET /v1/requesters/{platform}/{requester_id}`: what the community measured about one requester."""

from __future__ import annotations

import time

from aiohttp import web

from shared_schema import RequesterSummary
from shared_schema.base import Platform, RequesterId, Strict

from .. import estimate
from ..app_keys import METRICS, SETTINGS, STORE
from ..errors import NotFound
from .endpoint import Inputs


class RequesterPath(Strict):
    platform: Platform
    requester_id: RequesterId


async def requester_summary(request: web.Request, inputs: Inputs) -> RequesterSummary:
    key = (inputs.params.platform, inputs.params.requester_id)
    app = request.app
    # score_inputs rather than group(): it brings the requester's approved flags in the same round trip.
    found = await app[METRICS].timed("score_inputs", app[STORE].score_inputs([], [key]))
    group = found.groups.get(key)
    if group is None:
        raise NotFound(f"no timings yet for requester {key[1]!r} on {key[0]!r}", code="requester_not_found")
    return estimate.requester_summary(group, settings=app[SETTINGS], now=time.time(), flags=found.flags.get(key))
