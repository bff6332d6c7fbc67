"""Real service processes (`python -m server`) on loopback, and what a store holds, for comparing.

Used by test_processes.py (several processes on one store) and test_mongo_faults.py.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

from server.auth import token_hash
from server.store import Store

ROOT = Path(__file__).resolve().parents[3]
#: Start-up is waited for, not timed: a slow CI machine only makes the wait longer.
START_WAIT_S = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServiceProcess:
    """`python -m server` with the given store flags, on a free loopback port."""

    def __init__(self, store_flags: Sequence[str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = tempfile.TemporaryFile()
        env = {**os.environ, "FAIRCLICK_RATE_LIMIT_PER_MIN": "0", "FAIRCLICK_ACCESS_LOG": "false"}
        env.pop("FAIRCLICK_MONGO_URL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server", "--host", "127.0.0.1", "--port", str(self.port), *store_flags],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self._log,
        )

    def log(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")

    async def started(self, session: aiohttp.ClientSession) -> ServiceProcess:
        deadline = asyncio.get_running_loop().time() + START_WAIT_S
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the service exited with {self.process.returncode}:\n{self.log()}")
            try:
                async with session.get(f"{self.url}/healthz") as response:
                    if response.status in (200, 503):
                        return self
            except aiohttp.ClientConnectionError:
                pass
            if asyncio.get_running_loop().time() > deadline:
                raise RuntimeError(f"the service did not start:\n{self.log()}")
            await asyncio.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


async def post(session: aiohttp.ClientSession, url: str, token: str, body: dict[str, Any]) -> tuple[int, Any, Any]:
    async with session.post(url, json=body, headers={"Authorization": f"Bearer {token}"}) as response:
        return response.status, await response.json(), response.headers


async def create_installs(store: Store, names: Sequence[str]) -> dict[str, str]:
    """install id -> bearer token, created directly in the store so that ids are known in advance."""
    tokens = {}
    for name in names:
        tokens[name] = f"token-of-{name}-0123456789abcdef"
        await store.create_install(name, token_hash(tokens[name]), datetime.now(UTC))
    return tokens


async def store_state(store: Store, installs: Sequence[str], tasks: Sequence[tuple[str, str]],
                      requesters: Sequence[str]) -> dict[str, Any]:
    """Everything the service could read about these installs and tasks, once folded."""
    await store.settle()
    platforms = sorted({platform for platform, _ in tasks})
    groups = [(p, None) for p in platforms] + [(p, r) for p in platforms for r in requesters]
    inputs = await store.score_inputs(list(tasks), groups)
    return {
        "tasks": inputs.tasks,
        "groups": inputs.groups,
        "reports": {task: await store.reports(task) for task in tasks},
        "contributors": {install: await store.contributor(install) for install in installs},
        "timings": await store.timing_count(),
    }
