"""The dashboard's routes, in one table (paths are relative to /dashboard)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from . import adapters, contributors, login, moderation, overview, requesters, wages

STATIC_DIR = Path(__file__).with_name("static")


@dataclass(frozen=True, slots=True)
class DashboardRoute:
    method: str
    path: str
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    #: True only for what a maintainer needs before having a session.
    public: bool = False

    @property
    def name(self) -> str:
        return self.handler.__name__


ROUTES: tuple[DashboardRoute, ...] = (
    DashboardRoute("GET", "/login", login.login_form, public=True),
    DashboardRoute("POST", "/login", login.login_submit, public=True),
    DashboardRoute("POST", "/logout", login.logout),
    DashboardRoute("GET", "/", overview.overview),
    DashboardRoute("GET", "/wages", wages.wages),
    DashboardRoute("GET", "/requesters", requesters.requester_table),
    DashboardRoute("GET", "/requesters/{platform}/{requester_id:.+}", requesters.requester_page),
    DashboardRoute("GET", "/adapters", adapters.adapter_health),
    DashboardRoute("GET", "/contributors", contributors.contributor_list),
    DashboardRoute("POST", "/contributors/{install_id}/discount", contributors.discount),
    DashboardRoute("POST", "/contributors/{install_id}/restore", contributors.restore),
    DashboardRoute("GET", "/moderation", moderation.moderation_queue),
    DashboardRoute("POST", "/moderation/{flag_id}", moderation.moderate),
)

#: Route names answered without a session (the stylesheet is the static route).
PUBLIC_ROUTES = frozenset({route.name for route in ROUTES if route.public} | {"static"})
