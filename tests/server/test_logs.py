"""Structured logs: one JSON object per line, for access and errors, and never a token."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Callable, Iterator
from typing import Any

import orjson
import pytest

from server import logs
from tests.server.api import MakeClient, bearer, listing

Lines = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def log_lines() -> Iterator[Lines]:
    stream = io.StringIO()
    loggers = [logging.getLogger("fairclick"), logging.getLogger("aiohttp")]
    saved = [(lg.handlers[:], lg.level, lg.propagate) for lg in loggers]
    logs.configure("INFO", stream)
    yield lambda: [orjson.loads(line) for line in stream.getvalue().splitlines()]
    for lg, (handlers, level, propagate) in zip(loggers, saved, strict=True):
        lg.handlers, lg.propagate = handlers, propagate
        lg.setLevel(level)


async def test_each_request_is_one_json_access_line(make_client: MakeClient, log_lines: Lines) -> None:
    client = await make_client(access_log=True)
    await client.post("/v1/installs", json={})
    await client.get("/v1/requesters/prolific/lab-7")
    access = [line for line in log_lines() if line["logger"] == "fairclick.access"]
    assert [(a["method"], a["route"], a["status"]) for a in access] == [
        ("POST", "/v1/installs", 201),
        ("GET", "/v1/requesters/{platform}/{requester_id}", 401),
    ]
    assert access[1]["error_code"] == "unauthorized"
    assert access[1]["path"] == "/v1/requesters/prolific/lab-7"
    assert all(isinstance(a["duration_ms"], float) and a["ts"].endswith("Z") for a in access)


async def test_the_access_log_can_be_turned_off(make_client: MakeClient, log_lines: Lines) -> None:
    client = await make_client(access_log=False)
    await client.post("/v1/installs", json={})
    assert not [line for line in log_lines() if line["logger"] == "fairclick.access"]


async def test_no_token_ever_reaches_the_log(make_client: MakeClient, log_lines: Lines) -> None:
    client = await make_client(access_log=True)
    token = (await (await client.post("/v1/installs", json={})).json())["token"]
    forged = "forged-token-that-nobody-made-0123456789"
    await client.post("/v1/score", json={"listings": [listing()]}, headers=bearer(token))
    await client.post("/v1/score", json={"listings": [listing()]}, headers=bearer(forged))
    await client.get(f"/v1/minimum-wages?token={token}", headers=bearer(token))
    text = orjson.dumps(log_lines()).decode()
    assert len(log_lines()) >= 4
    assert token not in text
    assert forged not in text


def test_extra_fields_become_keys_and_exceptions_a_traceback() -> None:
    formatter = logs.JsonFormatter()
    try:
        raise ValueError("broken")
    except ValueError:
        record = logging.getLogger("fairclick.error").makeRecord(
            "fairclick.error", logging.ERROR, __file__, 1, "unhandled error", (), exc_info=sys.exc_info(),
            extra={"route": "/v1/score"},
        )
    line = orjson.loads(formatter.format(record))
    assert line["event"] == "unhandled error"
    assert line["level"] == "error"
    assert line["route"] == "/v1/score"
    assert "ValueError: broken" in line["exception"]

