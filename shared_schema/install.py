"""`POST /v1/installs`: an anonymous registration, and `POST /v1/adapter-health`."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .base import Strict, bounded


class InstallRequest(Strict):
    extension_version: Annotated[str, bounded(32)] | None = None


class InstallCreated(Strict):
    install_id: Annotated[str, bounded(64)]
    #: Shown once; the service keeps only its hash.
    token: Annotated[str, bounded(128)]


class AdapterHealth(Strict):
    """An adapter matched a page but read no listing: counts and ids only, never page content."""

    adapter: Annotated[str, bounded(64, pattern=r"^[a-z0-9][a-z0-9_.:-]*$")]
    adapter_version: Annotated[str, bounded(32)] | None = None
    listings_found: Annotated[int, Field(ge=0, le=10_000)]
    blocks_seen: Annotated[int, Field(ge=0, le=100_000)] = 0
