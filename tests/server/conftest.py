"""The service as a user meets it: a real aiohttp server on loopback over a real SQLite file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from server.app import create_app
from server.settings import defaults
from tests.server.api import MakeClient, new_token


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "fairclick.sqlite3"


@pytest.fixture
def make_client(aiohttp_client: Any, db_path: Path) -> MakeClient:
    """A client of a fresh service on `db_path`; keyword arguments replace settings."""

    async def make(**changes: Any) -> TestClient:
        settings = defaults(**{"db": db_path, "access_log": False, **changes})
        return await aiohttp_client(create_app(settings))

    return make


@pytest.fixture
async def client(make_client: MakeClient) -> TestClient:
    return await make_client()


@pytest.fixture
async def token(client: TestClient) -> str:
    return await new_token(client)
