"""A database that cannot serve raises StoreUnavailable (the service answers 503); bad calls do not."""

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from server.store import StoreUnavailable
from server.store.sqlite import SqliteStore

from store_records import timing


async def test_a_folder_that_cannot_be_created(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")

    with pytest.raises(StoreUnavailable):
        await SqliteStore(tmp_path / "a-file" / "s.sqlite3").open()


async def test_a_path_that_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable):
        await SqliteStore(tmp_path).open()


async def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    path.write_bytes(b"these are not the pages you are looking for" * 100)

    with pytest.raises(StoreUnavailable):
        await SqliteStore(path).open()


async def test_a_write_lock_held_past_the_timeout_then_released(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = SqliteStore(path, busy_timeout_s=0.05)
    await store.open()
    other = sqlite3.connect(path, isolation_level=None)  # another process's writer, in effect
    try:
        await store.add_timings("install-a", [timing("t1")])
        other.execute("BEGIN IMMEDIATE")

        with pytest.raises(StoreUnavailable):
            await store.add_timings("install-a", [timing("t2", key="while-locked")])
        assert await store.timing_count() == 1  # reads still work (WAL)

        other.execute("ROLLBACK")
        retried = await store.add_timings("install-a", [timing("t2", key="while-locked")])
        assert (retried.accepted, retried.duplicates) == (1, 0)
    finally:
        other.close()
        await store.close()


async def test_a_closed_store_is_unavailable(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.sqlite3")
    await store.open()
    await store.close()

    with pytest.raises(StoreUnavailable):
        await store.ping()
    with pytest.raises(StoreUnavailable):
        await store.add_timings("install-a", [timing("t1")])
    with pytest.raises(StoreUnavailable):
        await store.install_for_token("hash")


async def test_a_second_install_with_the_same_token_is_a_bad_call_not_an_outage(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.sqlite3")
    await store.open()
    try:
        await store.create_install("install-a", "hash-a", datetime(2026, 6, 1, tzinfo=UTC))
        with pytest.raises(ValueError, match="already exists"):
            await store.create_install("install-b", "hash-a", datetime(2026, 6, 1, tzinfo=UTC))
        assert await store.install_for_token("hash-a") == "install-a"
    finally:
        await store.close()
