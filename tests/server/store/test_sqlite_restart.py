"""A restart keeps every acknowledged timing and token: after a clean close and after a kill -9."""

import asyncio
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from server.store.sqlite import SqliteStore

from store_records import timing

CHILD = Path(__file__).with_name("sqlite_ingest_child.py")


async def test_a_clean_restart_keeps_every_acknowledged_record(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = SqliteStore(path)
    await store.open()
    batches = {f"install-{n}": [timing(f"t{n % 7}", minute=k) for k in range(25)] for n in range(20)}
    for install in batches:
        await store.create_install(install, f"hash-{install}", datetime.now(UTC))
    await asyncio.gather(*(store.add_timings(install, batch) for install, batch in batches.items()))
    await store.close()

    store = SqliteStore(path)
    await store.open()
    try:
        assert await store.timing_count() == 500
        for install, batch in batches.items():
            assert await store.install_for_token(f"hash-{install}") == install
            again = await store.add_timings(install, batch)
            assert (again.accepted, again.duplicates) == (0, 25)
    finally:
        await store.close()


async def test_a_killed_process_loses_nothing_it_acknowledged(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    child = subprocess.Popen([sys.executable, str(CHILD), str(path)], stdout=subprocess.PIPE, text=True)
    acknowledged = []
    try:
        assert child.stdout is not None
        while len(acknowledged) < 30:
            line = await asyncio.to_thread(child.stdout.readline)
            assert line, f"the child stopped after {len(acknowledged)} acknowledgements"
            acknowledged.append(line.strip())
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert child.stdout is not None
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    store = SqliteStore(path)
    await store.open()
    try:
        for install in acknowledged:
            assert await store.install_for_token(f"hash-{install}") == install
            keys = [timing("t0", key=f"{install}-{k:03d}", minute=k) for k in range(20)]
            again = await store.add_timings(install, keys)
            assert (again.accepted, again.duplicates) == (0, 20), install
        assert await store.timing_count() >= 20 * len(acknowledged)
    finally:
        await store.close()
