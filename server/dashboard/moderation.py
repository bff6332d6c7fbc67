"""Moderation: the queue of community flags. Approved flags reach /v1/score as the `flagged`
warning and the requester's summary; hidden ones count nowhere. A decision can be changed."""

from __future__ import annotations

import re
import time

from aiohttp import web

from .guard import SESSION, refusal
from .pages import back_to, render, store

ACTIONS = {"approve": "approved", "hide": "hidden", "reopen": "pending"}
FLAG_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
SHOWN = 100


async def moderation_queue(request: web.Request) -> web.StreamResponse:
    status = request.query.get("status", "pending")
    if status not in {"pending", "approved", "hidden"}:
        status = "pending"
    flags = await store(request).flags(status=status, limit=SHOWN)
    return await render(
        request,
        "moderation.html",
        active="moderation_queue",
        title="Moderation",
        flags=flags,
        showing=status,
        totals=await store(request).flag_totals(),
        shown=SHOWN,
    )


async def moderate(request: web.Request) -> web.StreamResponse:
    flag_id = request.match_info["flag_id"]
    form = await request.post()
    action = form.get("action")
    if not FLAG_ID.fullmatch(flag_id) or not isinstance(action, str) or action not in ACTIONS:
        return refusal(request, 400, "Choose approve, hide or reopen for an existing flag.")
    try:
        flag = await store(request).moderate_flag(flag_id, ACTIONS[action], by=request[SESSION].admin, at=time.time())
    except ValueError as exc:  # reopening a hidden flag while the same install has another open one
        return refusal(request, 409, str(exc))
    if flag is None:
        return refusal(request, 404, "No such flag.")
    back = form.get("back")
    raise back_to(request, "moderation_queue", status=back if isinstance(back, str) and back in ACTIONS.values() else "pending")
