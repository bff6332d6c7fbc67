"""`POST /v1/installs`: an anonymous registration that hands out a bearer token, once."""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp import web

from shared_schema import InstallCreated

from .. import auth
from ..app_keys import METRICS, STORE, TOKENS
from .endpoint import Inputs, limit


async def create_install(request: web.Request, inputs: Inputs) -> InstallCreated:
    # No token yet to limit by: a flood of new installs is limited per peer address instead.
    limit(request, f"peer:{request.remote}")
    install_id, token = auth.new_install()
    hashed = auth.token_hash(token)
    await request.app[METRICS].timed(
        "create_install", request.app[STORE].create_install(install_id, hashed, datetime.now(UTC))
    )
    request.app[TOKENS].put(hashed, install_id)
    return InstallCreated(install_id=install_id, token=token)
