"""`fairclick migrate --from sqlite:PATH --to mongodb://...` on the MongoDB stand-in (or MONGO_URL)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from server.migrate import main
from server.store import Store
from server.store.mongo import MongoStore
from server.store.sqlite import SqliteStore
from tests.doubles.mongo_fixtures import fresh_database, mongo_url  # noqa: F401 - mongo_url is a fixture
from tests.server.store.service_processes import store_state
from tests.server.store.store_records import assert_same_record, outcome, timing

INSTALLS = ["install-a", "install-b", "install-c"]
TASKS = [("prolific", f"t{n}") for n in range(6)] + [("toloka", "t0")]
REQUESTERS = ["r1", "r2"]


async def _fill(store: Store) -> None:
    for n, install in enumerate(INSTALLS):
        batch = [timing(task_id, platform=platform, requester_id=REQUESTERS[k % 2], active_s=500 + 40 * n + 7 * k,
                        minute=10 * n + k, key=f"migrate-{install}-{k}",
                        outcome="returned" if k == 3 else "submitted")
                 for k, (platform, task_id) in enumerate(TASKS)]
        await store.add_timings(install, batch)
        await store.add_outcomes(install, [outcome(batch[0], "approved"), outcome(batch[1], "rejected")])


async def _state(store: Store) -> dict[str, Any]:
    return await store_state(store, INSTALLS, TASKS, REQUESTERS)


def _assert_same(got: dict[str, Any], want: dict[str, Any]) -> None:
    assert got["timings"] == want["timings"]
    for part in ("tasks", "groups", "contributors"):
        assert got[part].keys() == want[part].keys()
        for key, record in want[part].items():
            if record is None:
                assert got[part][key] is None
            else:
                assert_same_record(got[part][key], record)
    for key, reports in want["reports"].items():
        assert len(got["reports"][key]) == len(reports)
        for copied, original in zip(got["reports"][key], reports, strict=True):
            assert_same_record(copied, original)


async def _on(store: Store, work: Any) -> Any:
    await store.open()
    try:
        return await work(store)
    finally:
        await store.close()


def test_a_sqlite_store_is_copied_verified_and_keeps_working_in_mongodb(
        tmp_path: Path, request: pytest.FixtureRequest, mongo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "fairclick.sqlite3"
    database = fresh_database(request, mongo_url)
    asyncio.run(_on(SqliteStore(source), _fill))

    assert main(["--from", f"sqlite:{source}", "--to", mongo_url, "--mongo-db", database]) == 0
    assert "copied and verified" in capsys.readouterr().out

    _assert_same(asyncio.run(_on(MongoStore(mongo_url, database=database), _state)),
                 asyncio.run(_on(SqliteStore(source), _state)))

    # The copy is a live store: an old batch is a duplicate, and new records fold as they do in SQLite.
    retried = [timing(task_id, platform=platform, requester_id=REQUESTERS[k % 2], minute=k,
                      key=f"migrate-install-a-{k}") for k, (platform, task_id) in enumerate(TASKS)]
    later = [timing("t1", active_s=900, minute=500, key="after-the-move"), timing("t9", minute=501, key="after-the-new")]

    async def carry_on(store: Store) -> tuple[Any, dict[str, Any]]:
        duplicate = await store.add_timings("install-a", retried)
        await store.add_timings("install-b", later)
        return duplicate, await _state(store)

    duplicate, moved = asyncio.run(_on(MongoStore(mongo_url, database=database), carry_on))
    _, stayed = asyncio.run(_on(SqliteStore(source), carry_on))
    assert (duplicate.accepted, duplicate.duplicates) == (0, len(TASKS))
    _assert_same(moved, stayed)


def test_a_database_that_is_not_empty_is_refused_and_left_alone(
        tmp_path: Path, request: pytest.FixtureRequest, mongo_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "fairclick.sqlite3"
    database = fresh_database(request, mongo_url)
    asyncio.run(_on(SqliteStore(source), _fill))
    assert main(["--from", f"sqlite:{source}", "--to", mongo_url, "--mongo-db", database]) == 0
    before = asyncio.run(_on(MongoStore(mongo_url, database=database), _state))

    assert main(["--from", f"sqlite:{source}", "--to", mongo_url, "--mongo-db", database]) == 1

    assert "is not empty" in capsys.readouterr().err
    _assert_same(asyncio.run(_on(MongoStore(mongo_url, database=database), _state)), before)


def test_a_missing_source_or_a_wrong_target_is_a_clear_error(tmp_path: Path, mongo_url: str,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--from", f"sqlite:{tmp_path / 'absent.sqlite3'}", "--to", mongo_url]) == 1
    assert "no SQLite store" in capsys.readouterr().err
    with pytest.raises(SystemExit) as refused:
        main(["--from", "postgres://x", "--to", mongo_url])
    assert refused.value.code == 2
