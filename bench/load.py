"""Servers in their own processes, and load from this one, on loopback only.

- `Process`: `python -m server ...` (or any command serving HTTP) started and stopped cleanly.
- `throughput`: requests/s with several connections kept busy for a bounded time: Debian's
  `wrk` when installed (C, so the load generator is not the bottleneck), else an aiohttp client.
- `open_loop`: requests sent on a fixed schedule (a rate, for a bounded time); latency counts
  from the scheduled send time, so a stalled server is not hidden by a client that waits for it.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from .common import ROOT

#: Bound on requests in flight in an open-loop run: past it the server is overloaded, stop.
MAX_IN_FLIGHT = 2000
#: After the schedule ends, requests still unanswered this long after are abandoned (counted as errors).
GRACE_S = 15.0
TIMEOUT = aiohttp.ClientTimeout(total=30)

WRK_SCRIPT = r"""
local bodies, i, token = {}, 0, nil
function init(args)
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
  token = args[2]
  i = math.random(#bodies)
end
function request()
  i = i % #bodies + 1
  local headers = {["Content-Type"] = "application/json"}
  if token ~= nil and token ~= "" then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("POST", nil, headers, bodies[i])
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Process:
    """A server in its own process, listening on a free loopback port."""

    def __init__(self, args: list[str], *, env: dict[str, str] | None = None, health: str = "/healthz") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, *[arg.replace("{port}", str(self.port)) for arg in args]]
        self.process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})},
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"{' '.join(args)} exited: {self.process.stderr.read()}")  # type: ignore[union-attr]
            try:
                with urllib.request.urlopen(self.url + health, timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise SystemExit(f"{' '.join(args)} did not answer {health}") from None
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.communicate()

    def __enter__(self) -> Process:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def service(store_args: list[str], *, score_cache: bool = True) -> Process:
    """The real service, as an operator runs it, without the per-token limit (a load test is a flood).

    With `score_cache` False every listing is estimated afresh from the store (the cache's miss path)."""
    env = {"FAIRCLICK_RATE_LIMIT_PER_MIN": "0", "FAIRCLICK_ACCESS_LOG": "false",
           **({} if score_cache else {"FAIRCLICK_SCORE_CACHE_ENTRIES": "0"})}
    return Process(["-m", "server", "--host", "127.0.0.1", "--port", "{port}", *store_args], env=env)


def new_token(url: str) -> str:
    request = urllib.request.Request(url + "/v1/installs", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())["token"]


@dataclass(frozen=True)
class Throughput:
    requests_per_s: float
    requests: int
    errors: int
    tool: str


def throughput(url: str, bodies: list[bytes], token: str | None, *, connections: int, seconds: float) -> Throughput:
    if shutil.which("wrk"):
        return _wrk(url, bodies, token, connections=connections, seconds=seconds)
    return asyncio.run(_closed_loop(url, bodies, token, connections=connections, seconds=seconds))


def _wrk(url: str, bodies: list[bytes], token: str | None, *, connections: int, seconds: float) -> Throughput:
    with tempfile.TemporaryDirectory() as folder:
        script, lines = Path(folder, "score.lua"), Path(folder, "bodies.jsonl")
        script.write_text(WRK_SCRIPT)
        lines.write_bytes(b"\n".join(bodies) + b"\n")  # orjson never writes a raw newline
        result = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(script),
             url, "--", str(lines), token or ""],
            capture_output=True, text=True, timeout=seconds + 60, check=True,
        )
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", result.stdout).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", result.stdout)
    failed = re.search(r"Socket errors:.*?timeout (\d+)", result.stdout)
    errors = (int(bad.group(1)) if bad else 0) + (int(failed.group(1)) if failed else 0)
    return Throughput(rate, total, errors, "wrk")


async def _closed_loop(url: str, bodies: list[bytes], token: str | None, *, connections: int,
                       seconds: float) -> Throughput:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    done = errors = 0
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=connections), timeout=TIMEOUT) as session:
        stop = time.perf_counter() + seconds

        async def worker(offset: int) -> None:
            nonlocal done, errors
            n = offset
            while time.perf_counter() < stop:
                async with session.post(url, data=bodies[n % len(bodies)], headers=headers) as answer:
                    await answer.read()
                    errors += answer.status != 200
                done += 1
                n += connections

        started = time.perf_counter()
        await asyncio.gather(*(worker(k) for k in range(connections)))
        elapsed = time.perf_counter() - started
    return Throughput(done / elapsed, done, errors, "aiohttp client")


@dataclass(frozen=True)
class Latencies:
    rate: float
    sent: int
    errors: int
    seconds: list[float]
    overloaded: bool


def open_loop(url: str, bodies: list[bytes], token: str | None, *, rate: float, seconds: float) -> Latencies:
    return asyncio.run(_open_loop(url, bodies, token, rate=rate, seconds=seconds))


async def _open_loop(url: str, bodies: list[bytes], token: str | None, *, rate: float, seconds: float) -> Latencies:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    loop = asyncio.get_running_loop()
    latencies: list[float] = []
    errors = 0
    in_flight = 0
    overloaded = False
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=MAX_IN_FLIGHT), timeout=TIMEOUT) as session:

        async def one(body: bytes, scheduled: float) -> None:
            nonlocal errors, in_flight
            try:
                async with session.post(url, data=body, headers=headers) as answer:
                    await answer.read()
                    errors += answer.status != 200
            except aiohttp.ClientError:
                errors += 1
            finally:
                in_flight -= 1
            latencies.append(loop.time() - scheduled)  # not reached when abandoned (cancelled)

        count = int(rate * seconds)
        start = loop.time() + 0.05
        pending = []
        for n in range(count):
            scheduled = start + n / rate
            delay = scheduled - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            if in_flight >= MAX_IN_FLIGHT:
                overloaded = True
                break
            in_flight += 1
            pending.append(asyncio.create_task(one(bodies[n % len(bodies)], scheduled)))
        if pending:
            _, unfinished = await asyncio.wait(pending, timeout=GRACE_S)
            for task in unfinished:  # bounded in time too: an overloaded server does not stall the bench
                task.cancel()
            await asyncio.gather(*unfinished, return_exceptions=True)
            errors += len(unfinished)
            overloaded = overloaded or bool(unfinished)
    return Latencies(rate, len(pending), errors, latencies, overloaded)
