"""`GET /metrics`: Prometheus text format, from the app's own registry."""

from __future__ import annotations

from aiohttp import web

from ..app_keys import METRICS
from .endpoint import Inputs


async def metrics(request: web.Request, inputs: Inputs) -> web.Response:
    registry = request.app[METRICS]
    response = web.Response(body=registry.exposition())
    response.headers["Content-Type"] = registry.content_type
    return response
