"""`fairclick` and `python -m server`: serving, stopping cleanly, and keeping what was acknowledged."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server import cli
from tests.server.api import timing

ROOT = Path(__file__).resolve().parents[2]


def test_without_a_command_it_prints_usage_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 2
    assert "serve" in capsys.readouterr().err


def test_an_unknown_command_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["servе"]) == 2  # a Cyrillic e: not the command it looks like
    assert "unknown command" in capsys.readouterr().err


def test_subcommands_are_dispatched_lazily_with_their_arguments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "fake_migrate.py").write_text("calls = []\ndef main(argv):\n    calls.append(argv)\n    return 3\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(cli.DELEGATED, "migrate", ("fake_migrate", "copy a store"))
    assert cli.main(["migrate", "--from", "sqlite:a.db", "--to", "mongodb://x"]) == 3
    assert sys.modules["fake_migrate"].calls == [["--from", "sqlite:a.db", "--to", "mongodb://x"]]


def test_a_subcommand_not_yet_installed_says_so_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(cli.DELEGATED, "demo-seed", ("server.not_written_yet", "demo data"))
    assert cli.main(["demo-seed"]) == 2
    assert "demo-seed: not available" in capsys.readouterr().err


def test_a_broken_subcommand_is_not_mistaken_for_a_missing_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "broken_admin.py").write_text("import a_dependency_nobody_installed\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(cli.DELEGATED, "admin", ("broken_admin", "admin"))
    with pytest.raises(ModuleNotFoundError):
        cli.main(["admin"])


# --- the real process ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Service:
    """`python -m server` on loopback, as an operator starts it."""

    def __init__(self, db: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "FAIRCLICK_RATE_LIMIT_PER_MIN": "0", "FAIRCLICK_ACCESS_LOG": "false"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server", "--host", "127.0.0.1", "--port", str(self.port), "--db", str(db)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the service exited: {self.process.stderr.read()}")  # type: ignore[union-attr]
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("the service did not answer /healthz")

    def call(self, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def stop(self, signum: int = signal.SIGTERM) -> tuple[int, str]:
        self.process.send_signal(signum)
        _, stderr = self.process.communicate(timeout=60)
        return self.process.returncode, stderr


@pytest.fixture
def services() -> Iterator[list[Service]]:
    started: list[Service] = []
    yield started
    for service in started:
        if service.process.poll() is None:
            service.process.kill()
            service.process.communicate()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_restart_keeps_every_acknowledged_timing_and_token(
    tmp_path: Path, services: list[Service], signum: int
) -> None:
    db = tmp_path / "data" / "fairclick.sqlite3"  # its folder does not exist yet: the service creates it
    services.append(first := Service(db))
    status, created = first.call("POST", "/v1/installs", {})
    assert status == 201
    token = created["token"]
    batch = {"timings": [timing(f"timing-{n:04d}", task_id=f"study-{n}") for n in range(25)]}
    assert first.call("POST", "/v1/timings", batch, token) == (200, {"accepted": 25, "duplicates": 0})
    first.stop(signum)  # SIGKILL: no chance to flush anything that was not already durable

    services.append(second := Service(db))
    # The old token still opens the service, and every timing is still there: the batch is all duplicates.
    assert second.call("POST", "/v1/timings", batch, token) == (200, {"accepted": 0, "duplicates": 25})
    status, summary = second.call("GET", "/v1/requesters/prolific/lab-7", token=token)
    assert status == 200
    assert summary["reports"] == 25


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_stops_the_service_cleanly(tmp_path: Path, services: list[Service], signum: int) -> None:
    services.append(service := Service(tmp_path / "fairclick.sqlite3"))
    code, stderr = service.stop(signum)
    assert code == 0
    events = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    assert [e["event"] for e in events if e["logger"] == "fairclick.service"] == ["listening", "stopping", "stopped"]
    assert events[1]["signal"] == signal.Signals(signum).name
    # The store was closed: SQLite removes the write-ahead log when the last connection closes.
    assert not (tmp_path / "fairclick.sqlite3-wal").exists()


def test_a_bad_flag_value_stops_the_start_naming_the_flag(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "server", "--port", "eighty", "--db", str(tmp_path / "x.sqlite3")],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "--port" in result.stderr


def test_a_port_in_use_is_one_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "server", "--port", str(port), "--db", str(tmp_path / "x.sqlite3")],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )
    assert result.returncode == 1
    [line] = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert line["event"] == "could not start"
    assert "address" in line["error"].lower() or str(port) in line["error"]
