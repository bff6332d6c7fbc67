"""Contributors: installs whose timings disagree with everyone else's, bursts of new installs on
one requester, and discounting an install (its reports stop counting, reversibly)."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass

from aiohttp import web

from ..aggregates import Contributor, speed, trust
from .guard import refusal
from .pages import back_to, render, store

#: Comparisons with the consensus before an install's agreement rate means anything.
MIN_COMPARISONS = 5
#: Below this share of agreeing reports (after allowing for the install's own speed), an install
#: disagrees systematically.
DISAGREEMENT_AGREEMENT_RATE = 0.5
BURST_WINDOW_DAYS = 7
BURST_MIN_NEW_INSTALLS = 5
#: A burst is worth a look when at least this share of a requester's recent installs are new.
BURST_MIN_NEW_SHARE = 0.5
INSTALL_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True, slots=True)
class ContributorRow:
    install_id: str
    comparisons: int
    agreement_rate: float
    pace: float  # how many times longer than the consensus its timings run (1 = typical)
    trust: float
    discounted: bool
    disagrees: bool


def row_for(contributor: Contributor) -> ContributorRow:
    rate = contributor.agreements / contributor.comparisons if contributor.comparisons else 1.0
    return ContributorRow(
        contributor.install_id,
        contributor.comparisons,
        rate,
        math.exp(speed(contributor)),
        trust(contributor),
        contributor.discounted,
        contributor.comparisons >= MIN_COMPARISONS and rate < DISAGREEMENT_AGREEMENT_RATE,
    )


async def contributor_list(request: web.Request) -> web.StreamResponse:
    compared = [row_for(c) for c in await store(request).contributors(min_comparisons=MIN_COMPARISONS, discounted=False)]
    compared.sort(key=lambda r: (r.agreement_rate, -r.comparisons))
    discounted = [row_for(c) for c in await store(request).contributors(discounted=True)]
    since = time.time() - BURST_WINDOW_DAYS * 86400
    bursts = [b for b in await store(request).bursts(since, min_new_installs=BURST_MIN_NEW_INSTALLS)
              if b.installs and b.new_installs / b.installs >= BURST_MIN_NEW_SHARE]
    return await render(
        request,
        "contributors.html",
        active="contributor_list",
        title="Contributors",
        disagreeing=[r for r in compared if r.disagrees],
        compared=len(compared),
        discounted=discounted,
        bursts=bursts,
        burst_days=BURST_WINDOW_DAYS,
        min_comparisons=MIN_COMPARISONS,
        agreement_rate=DISAGREEMENT_AGREEMENT_RATE,
        notice=_notice(request.query),
    )


def _notice(query: Mapping[str, str]) -> dict[str, object] | None:
    """What the last discount/restore did; built from checked parts, never echoed text."""
    done, install_id, tasks = query.get("done"), query.get("install", ""), query.get("tasks", "")
    if done not in {"discounted", "restored"} or not INSTALL_ID.fullmatch(install_id) or not tasks.isdigit():
        return None
    return {"done": done, "install_id": install_id, "tasks": int(tasks)}


async def _set(request: web.Request, discounted: bool) -> web.StreamResponse:
    install_id = request.match_info["install_id"]
    if not INSTALL_ID.fullmatch(install_id):
        return refusal(request, 404, "No such contributor.")
    try:
        tasks = await store(request).set_discounted(install_id, discounted)
    except KeyError:
        return refusal(request, 404, f"No contributor {install_id!r}.")
    verb = "discounted" if discounted else "restored"
    raise back_to(request, "contributor_list", done=verb, install=install_id, tasks=str(tasks))


async def discount(request: web.Request) -> web.StreamResponse:
    return await _set(request, True)


async def restore(request: web.Request) -> web.StreamResponse:
    return await _set(request, False)
