"""`GET /openapi.json`: the OpenAPI 3.1 document generated from the route table and the models."""

from __future__ import annotations

from aiohttp import web

from .. import openapi
from ..app_keys import ROUTES
from .endpoint import Inputs, json_response


async def openapi_document(request: web.Request, inputs: Inputs) -> web.Response:
    return json_response(openapi.document(request.app[ROUTES]))
