"""`POST /v1/timings` and `POST /v1/outcomes`: batches that are all-or-nothing and idempotent."""

from __future__ import annotations

from aiohttp import web

from shared_schema import IngestAck

from ..app_keys import METRICS, STORE
from .endpoint import Inputs


async def add_timings(request: web.Request, inputs: Inputs) -> IngestAck:
    metrics = request.app[METRICS]
    result = await metrics.timed("add_timings", request.app[STORE].add_timings(inputs.install_id, inputs.body.timings))
    metrics.timings_ingested.inc(result.accepted)
    metrics.timing_duplicates.inc(result.duplicates)
    return IngestAck(accepted=result.accepted, duplicates=result.duplicates)


async def add_outcomes(request: web.Request, inputs: Inputs) -> IngestAck:
    metrics = request.app[METRICS]
    result = await metrics.timed(
        "add_outcomes", request.app[STORE].add_outcomes(inputs.install_id, inputs.body.outcomes)
    )
    metrics.outcomes_ingested.inc(result.accepted)
    return IngestAck(accepted=result.accepted, duplicates=result.duplicates)
