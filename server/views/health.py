"""`GET /healthz`: 200 when every dependency answers, else 503 naming the one that does not."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from aiohttp import web
from pydantic import BaseModel, Field

from ..app_keys import METRICS, STORE
from .endpoint import Inputs, json_response

#: A health check must answer even when the store hangs; a load balancer waits about this long.
PING_TIMEOUT_S = 2.0
RETRY_AFTER_S = "5"


class Check(BaseModel):
    ok: bool
    kind: str
    error: Annotated[str, Field(max_length=500)] | None = None
    #: Acknowledged records not folded into the estimates yet (information: normally 0 within milliseconds).
    unfolded: int | None = None


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    checks: dict[str, Check]


def store_kind(store: object) -> str:
    """`sqlite`, `mongo`, ...: what an operator needs to know which database to look at."""
    kind = getattr(store, "kind", None)
    return kind if isinstance(kind, str) else type(store).__name__.removesuffix("Store").lower()


async def healthz(request: web.Request, inputs: Inputs) -> web.Response:
    store = request.app[STORE]
    check = Check(ok=True, kind=store_kind(store))
    try:
        async with asyncio.timeout(PING_TIMEOUT_S):
            await request.app[METRICS].timed("ping", store.ping())
            fold_lag = getattr(store, "fold_lag", None)
            if fold_lag is not None:
                check = Check(ok=True, kind=check.kind, unfolded=await fold_lag())
    except TimeoutError:
        check = Check(ok=False, kind=check.kind, error=f"no answer within {PING_TIMEOUT_S} s")
    except Exception as exc:  # any failure of the dependency is the answer here, not a 500
        check = Check(ok=False, kind=check.kind, error=(str(exc) or type(exc).__name__)[:500])
    health = Health(status="ok" if check.ok else "unavailable", checks={"store": check})
    if check.ok:
        return json_response(health)
    return json_response(health, status=503, headers={"Retry-After": RETRY_AFTER_S})
