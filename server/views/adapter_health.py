"""`POST /v1/adapter-health`: an adapter matched a page; did it read any listing?

Stored as counts per adapter and UTC day (no page content, no URL, no install), which is
what the dashboard's adapter-health page needs to tell when a site's pages changed under
an adapter. Answers 202: the event is counted, nothing is returned.
"""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp import web

from shared_schema import AdapterHealth

from ..app_keys import METRICS, STORE
from ..store.admin import AdminStore
from .endpoint import Inputs


async def report_adapter_health(request: web.Request, inputs: Inputs) -> web.StreamResponse:
    event: AdapterHealth = inputs.body
    store: AdminStore = request.app[STORE]  # type: ignore[assignment]  # every store implements both protocols
    day = datetime.now(UTC).date().isoformat()
    await request.app[METRICS].timed("add_adapter_health", store.add_adapter_health(event, day))
    return web.Response(status=202)
