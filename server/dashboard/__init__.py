"""The maintainers' dashboard: an aiohttp sub-application mounted at /dashboard.

Server-rendered HTML (Jinja2 with autoescape) and SVG charts drawn server-side by pygal:
no script runs in the browser, so the pages work offline and under a strict
Content-Security-Policy. Every route needs a maintainer's session except the login form and
the stylesheet (`PUBLIC_ROUTES`); `tests/server/dashboard/test_access.py` checks every route.
"""

from __future__ import annotations

import aiohttp_jinja2
import jinja2
from aiohttp import web

from .filters import FILTERS
from .guard import THROTTLE, guard
from .routes import ROUTES, STATIC_DIR
from .throttle import LoginThrottle

#: Where the parent application mounts the dashboard.
PREFIX = "/dashboard"


def dashboard_app() -> web.Application:
    """The dashboard sub-application; the parent's STORE and SETTINGS are read through `config_dict`."""
    app = web.Application(middlewares=[guard])
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.PackageLoader("server.dashboard", "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        filters=FILTERS,
    )
    app[THROTTLE] = LoginThrottle()
    for route in ROUTES:
        app.router.add_route(route.method, route.path, route.handler, name=route.name)
    app.router.add_static("/static", STATIC_DIR, name="static", append_version=True)
    return app


__all__ = ["PREFIX", "dashboard_app"]
