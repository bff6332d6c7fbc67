"""The route table: one row per endpoint, used both to route requests and to write /openapi.json.

A new endpoint is a view module in `server/views/` (an `async def view(request, inputs)`
returning a pydantic model, see `server/views/endpoint.py`) plus one row here.
"""

from __future__ import annotations

from aiohttp import web

from shared_schema import (
    AdapterHealth,
    FlagCreated,
    FlagRequest,
    IngestAck,
    InstallCreated,
    InstallRequest,
    MinimumWages,
    OpenAggregates,
    OutcomeBatch,
    RequesterSummary,
    ScoreRequest,
    ScoreResponse,
    TimingBatch,
)

from .views import adapter_health, flags, health, ingest, installs, minimum_wages, open_data, openapi, requesters, score
from .views import metrics as metrics_view
from .views.endpoint import Route, handler_for

ROUTES: tuple[Route, ...] = (
    Route("POST", "/v1/installs", installs.create_install,
          "Register an anonymous install; answers its bearer token, once.",
          request=InstallRequest, response=InstallCreated, status=201, auth=False, errors=(429,)),
    Route("POST", "/v1/score", score.score_listings,
          "Expected hourly pay and warnings for each listing, in the same order.",
          request=ScoreRequest, response=ScoreResponse),
    Route("POST", "/v1/timings", ingest.add_timings,
          "Add a batch of timings: all or nothing; a retried batch counts as duplicates.",
          request=TimingBatch, response=IngestAck),
    Route("POST", "/v1/outcomes", ingest.add_outcomes,
          "Add later verdicts (approved, rejected, paid) on timed tasks: all or nothing, idempotent.",
          request=OutcomeBatch, response=IngestAck),
    Route("GET", "/v1/requesters/{platform}/{requester_id}", requesters.requester_summary,
          "What the community measured about one requester.",
          params=requesters.RequesterPath, response=RequesterSummary, errors=(404,)),
    Route("GET", "/v1/minimum-wages", minimum_wages.list_minimum_wages,
          "Legal minimum hourly wages by country, with their sources, for a default threshold.",
          response=MinimumWages),
    Route("POST", "/v1/flags", flags.create_flag,
          "Flag a requester (or one of its tasks) for the maintainers' review; a repeat answers the open flag.",
          request=FlagRequest, response=FlagCreated, status=201),
    Route("POST", "/v1/adapter-health", adapter_health.report_adapter_health,
          "Count an adapter's match of a page (whether it read any listing), per adapter and day.",
          request=AdapterHealth, status=202),
    Route("GET", "/v1/open/aggregates.json", open_data.open_aggregates_json,
          "Open data (ODbL 1.0): platform, requester and task aggregates with at least k contributors, rounded.",
          response=OpenAggregates, auth=False, tag="open data"),
    Route("GET", "/v1/open/aggregates.csv", open_data.open_aggregates_csv,
          "The same open data as CSV, one row per aggregate, the columns of OpenAggregate.",
          auth=False, media_type="text/csv", tag="open data"),
    Route("GET", "/healthz", health.healthz,
          "200 when the store answers; 503 naming the failing dependency otherwise.",
          response=health.Health, auth=False, tag="operations", errors=(503,)),
    Route("GET", "/metrics", metrics_view.metrics,
          "Prometheus metrics: requests and latency per route, timings ingested, store latency.",
          auth=False, media_type="text/plain", tag="operations"),
    Route("GET", "/openapi.json", openapi.openapi_document,
          "This document: OpenAPI 3.1, generated from the route table and the payload models.",
          auth=False, tag="operations"),
)


def add_routes(app: web.Application, routes: tuple[Route, ...] = ROUTES) -> None:
    for route in routes:
        app.router.add_route(route.method, route.path, handler_for(route), name=route.name)
