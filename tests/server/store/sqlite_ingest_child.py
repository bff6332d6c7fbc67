"""A service stand-in for test_sqlite_restart.py: ingests forever, printing each acknowledgement.

Run as `python sqlite_ingest_child.py DB`; the test kills it with SIGKILL mid-stream.
"""

import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parents[3])]

from server.store.sqlite import SqliteStore  # noqa: E402

from store_records import timing  # noqa: E402


async def main(path: str) -> None:
    store = SqliteStore(path)
    await store.open()
    for n in range(1_000_000):
        install = f"install-{n:06d}"
        await store.create_install(install, f"hash-{install}", datetime.now(UTC))
        batch = [timing(f"t{n % 50}", key=f"{install}-{k:03d}", minute=k) for k in range(20)]
        # Several writes in flight at once, as in the service, so group commits are exercised.
        await asyncio.gather(
            store.add_timings(install, batch[:10]),
            store.add_timings(install, batch[10:]),
        )
        print(install, flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
