"""A real service (aiohttp on loopback, SQLite file) with an admin token set, for the dashboard tests."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from server.app_keys import STORE
from server.demo import seed
from tests.server.api import MakeClient
from tests.server.dashboard.dashboard_client import ADMIN_TOKEN


@pytest.fixture
async def dashboard(make_client: MakeClient) -> TestClient:
    return await make_client(admin_token=ADMIN_TOKEN)


@pytest.fixture
async def demo(dashboard: TestClient) -> TestClient:
    """The dashboard over the synthetic demo community of `fairclick demo-seed`."""
    await seed(dashboard.app[STORE])
    return dashboard


def store_of(client: TestClient) -> Any:
    return client.app[STORE]
