"""The application factory: `create_app(settings)` builds the whole service, and nothing else does."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from aiohttp import web

from . import middlewares
from .app_keys import METRICS, RATE_LIMITER, ROUTES, SCORE_CACHE, SETTINGS, STORE, TOKENS
from .auth import TokenCache
from .dashboard import PREFIX as DASHBOARD
from .dashboard import dashboard_app
from .metrics import Metrics
from .ratelimit import RateLimiter
from .routes import ROUTES as ROUTE_TABLE
from .routes import add_routes
from .score_cache import ScoreCache
from .store import Store, open_store
from .views.open_data import OPEN_DATA, OpenDataCache


def create_app(settings: Any, store: Store | None = None) -> web.Application:
    """The service. With `store` None the configured store is opened at start-up and closed at
    shutdown; a store passed in is used as it is (its owner opens and closes it)."""
    app = web.Application(client_max_size=settings.max_body_bytes, middlewares=middlewares.stack())
    app[SETTINGS] = settings
    app[METRICS] = Metrics()
    app[RATE_LIMITER] = RateLimiter(settings.rate_limit_per_min)
    app[TOKENS] = TokenCache()
    app[ROUTES] = ROUTE_TABLE
    app[SCORE_CACHE] = ScoreCache(settings.score_cache_entries, settings.score_cache_s)
    app.cleanup_ctx.append(_store_context(store))
    app[OPEN_DATA] = OpenDataCache()
    add_routes(app, ROUTE_TABLE)
    app.add_subapp(DASHBOARD, dashboard_app())
    return app


def _store_context(given: Store | None) -> Callable[[web.Application], AsyncIterator[None]]:
    async def store_context(app: web.Application) -> AsyncIterator[None]:
        store = given if given is not None else open_store(app[SETTINGS])
        if given is None:
            await store.open()
        app[STORE] = store
        stop_listening = store.changes.subscribe(app[SCORE_CACHE].invalidate)
        try:
            yield
        finally:
            stop_listening()
            if given is None:
                await store.close()

    return store_context
