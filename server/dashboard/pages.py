"""Rendering a dashboard page: the template, plus what every page's frame needs."""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import web

from ..app_keys import SETTINGS, STORE
from ..store.admin import AdminStore
from .guard import SESSION

#: The navigation, in order: (route name, label).
NAVIGATION = (
    ("overview", "Overview"),
    ("wages", "Wages"),
    ("requester_table", "Requesters"),
    ("adapter_health", "Adapter health"),
    ("contributor_list", "Contributors"),
    ("moderation_queue", "Moderation"),
)


def store(request: web.Request) -> AdminStore:
    return request.config_dict[STORE]  # type: ignore[return-value]  # every store implements both protocols


def settings(request: web.Request) -> Any:
    return request.config_dict[SETTINGS]


async def render(request: web.Request, template: str, *, active: str, title: str, status: int = 200, **context: Any) -> web.Response:
    session = request[SESSION]
    pending = (await store(request).flag_totals()).get("pending", 0)
    return aiohttp_jinja2.render_template(
        template,
        request,
        {
            "title": title,
            "active": active,
            "navigation": NAVIGATION,
            "admin": session.admin,
            "csrf_token": session.csrf_token,
            "pending_flags": pending,
            **context,
        },
        status=status,
    )


def back_to(request: web.Request, route: str, **query: str) -> web.HTTPSeeOther:
    """Post/redirect/get: after a change, show the page it was made from."""
    location = request.app.router[route].url_for()
    if query:
        location = location.with_query(query)
    return web.HTTPSeeOther(location=str(location))
