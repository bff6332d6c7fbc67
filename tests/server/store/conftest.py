"""The `store` fixture: every contract test runs once per implementation in STORE_FACTORIES.

A factory takes pytest's `request` and returns a function that makes a new, unopened store
over the same data each time it is called (so tests can close a store and open it again).
Another implementation joins the suite by adding one entry.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from server.store import Store
from server.store.sqlite import SqliteStore
from tests.doubles.mongo_fixtures import mongo_store, mongo_url  # noqa: F401 - mongo_url is a fixture

StoreMaker = Callable[[], Store]


def sqlite_store(request: pytest.FixtureRequest) -> StoreMaker:
    path = request.getfixturevalue("tmp_path") / "data" / "fairclick.sqlite3"
    return lambda: SqliteStore(path)


STORE_FACTORIES: dict[str, Callable[[pytest.FixtureRequest], StoreMaker]] = {
    "sqlite": sqlite_store,
    "mongo": mongo_store,  # the stand-in server, or a real MongoDB when MONGO_URL is set
}


@pytest.fixture(params=sorted(STORE_FACTORIES))
def make_store(request: pytest.FixtureRequest) -> StoreMaker:
    return STORE_FACTORIES[request.param](request)


@pytest.fixture
async def store(make_store: StoreMaker) -> AsyncIterator[Store]:
    opened = make_store()
    await opened.open()
    yield opened
    await opened.close()
