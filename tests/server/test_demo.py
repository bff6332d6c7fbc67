"""`fairclick demo-seed`: a labelled synthetic community, only ever in an empty store."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from server.cli import main
from server.demo import GAMED_REQUESTER, StoreNotEmpty, seed
from server.store.sqlite import SqliteStore
from tests.server.api import dump


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    opened = SqliteStore(tmp_path / "demo.sqlite3")
    await opened.open()
    yield opened
    await opened.close()


async def test_the_demo_fills_every_page_with_labelled_data(store: SqliteStore) -> None:
    summary = await seed(store)
    assert summary.timings == await store.timing_count() > 500
    groups = await store.groups(requesters=True)
    assert {g.platform for g in groups} == {"demo-prolific", "demo-toloka", "demo-clickworker"}
    assert all(g.requester_id.startswith("Demo requester ") for g in groups)
    assert all(t.task_id.startswith("demo-task-") for t in await store.task_aggregates())
    assert (await store.flag_totals()).keys() == {"pending", "approved", "hidden"}
    bursts = await store.bursts(time.time() - 7 * 86400, min_new_installs=5)
    assert [b.requester_id for b in bursts] == [GAMED_REQUESTER]
    assert {d.adapter for d in await store.adapter_health("2000-01-01")} == {"demo-prolific", "demo-toloka", "demo-clickworker"}
    assert any(c.comparisons >= 5 for c in await store.contributors())


async def test_the_demo_refuses_a_store_holding_anything(store: SqliteStore, tmp_path: Path) -> None:
    await store.create_install("real-install", "real-hash", datetime.now(UTC))
    before = dump(tmp_path / "demo.sqlite3")
    with pytest.raises(StoreNotEmpty):
        await seed(store)
    assert dump(tmp_path / "demo.sqlite3") == before


def test_the_command_seeds_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cli.sqlite3")
    assert main(["demo-seed", "--db", db]) == 0
    assert "synthetic demo community" in capsys.readouterr().out
    assert main(["demo-seed", "--db", db]) == 1
    assert "not empty" in capsys.readouterr().err
