"""Pytest fixtures for the MongoDB store: a real server at MONGO_URL, else the stand-in.

`tests/server/store/conftest.py` imports these to add the MongoDB store to the contract suite.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest
from pymongo import MongoClient

from server.store.mongo import MongoStore

from .mongo_standin import MongoStandIn

#: A real MongoDB to run the contract suite against, e.g. mongodb://127.0.0.1:27017
REAL_SERVER = os.environ.get("MONGO_URL", "")


@pytest.fixture(scope="session")
def mongo_url() -> Iterator[str]:
    """A real MongoDB when MONGO_URL is set, else a stand-in server on loopback for the whole session."""
    if REAL_SERVER:
        yield REAL_SERVER
        return
    with MongoStandIn() as standin:
        yield standin.url


def fresh_database(request: pytest.FixtureRequest, url: str) -> str:
    """A database name of its own for one test, dropped afterwards."""
    name = f"fairclick_test_{uuid.uuid4().hex[:12]}"

    def drop() -> None:
        with MongoClient(url, serverSelectionTimeoutMS=5000) as client:
            client.drop_database(name)

    request.addfinalizer(drop)
    return name


def mongo_store(request: pytest.FixtureRequest) -> Callable[[], MongoStore]:
    """STORE_FACTORIES entry: new MongoStore objects over one fresh database."""
    url = request.getfixturevalue("mongo_url")
    database = fresh_database(request, url)
    return lambda: MongoStore(url, database=database)
