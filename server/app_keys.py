"""Typed keys for what the application holds (no module-level globals anywhere in the service)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .auth import TokenCache
from .metrics import Metrics
from .ratelimit import RateLimiter
from .score_cache import ScoreCache
from .store.protocol import Store

#: The `server.settings.Settings` the app was built with.
SETTINGS = web.AppKey("settings", Any)
#: The opened store (set by the store's cleanup context once `open()` succeeded).
STORE = web.AppKey("store", Store)
METRICS = web.AppKey("metrics", Metrics)
RATE_LIMITER = web.AppKey("rate_limiter", RateLimiter)
TOKENS = web.AppKey("tokens", TokenCache)
SCORE_CACHE = web.AppKey("score_cache", ScoreCache)
#: The declarative route table the app was built from (for /openapi.json).
ROUTES = web.AppKey("routes", tuple)

#: Set by the error middleware: the code of the error a request was answered with (for the access log).
ERROR_CODE = web.RequestKey("error_code", str)

__all__ = ["ERROR_CODE", "METRICS", "RATE_LIMITER", "ROUTES", "SCORE_CACHE", "SETTINGS", "STORE", "TOKENS"]
