"""`GET /v1/minimum-wages`: the legal minimum wages table, with its sources (data from server/data/)."""

from __future__ import annotations

from aiohttp import web

from shared_schema import MinimumWages

from .. import money
from .endpoint import Inputs


async def list_minimum_wages(request: web.Request, inputs: Inputs) -> MinimumWages:
    return MinimumWages.model_validate({"minimum_wages": money.minimum_wages()})
