"""`POST /v1/flags`: a worker flags a requester (or one of its tasks) for maintainers to review.

A flag waits in the dashboard's moderation queue; only an approved one counts, once per
install, in `/v1/score` (the `flagged` warning) and the requester's summary. The same
install flagging the same requester for the same reason again gets its open flag back
unchanged, so a retried request or a repeated click cannot stack up flags.
"""

from __future__ import annotations

import time
import uuid

from aiohttp import web

from shared_schema import FlagCreated, FlagRequest

from ..app_keys import METRICS, STORE
from ..store.admin import AdminStore, Flag
from .endpoint import Inputs


async def create_flag(request: web.Request, inputs: Inputs) -> FlagCreated:
    body: FlagRequest = inputs.body
    store: AdminStore = request.app[STORE]  # type: ignore[assignment]  # every store implements both protocols
    flag = Flag(
        flag_id=uuid.uuid4().hex,
        install_id=inputs.install_id or "",
        platform=body.platform,
        requester_id=body.requester_id,
        task_id=body.task_id,
        reason=body.reason,
        # The dashboard renders it as text whatever it holds; storing it as sent keeps the evidence.
        comment=body.comment or None,
        status="pending",
        created_at=time.time(),
    )
    stored = await request.app[METRICS].timed("add_flag", store.add_flag(flag))
    return FlagCreated(flag_id=stored.flag_id, status=stored.status)
