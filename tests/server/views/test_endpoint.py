"""Reading a body: pydantic's one-pass JSON validation accepts exactly what orjson + model_validate accepts.

`endpoint.validate_body` tries `model.model_validate_json` first and falls back to the
documented path (`parse_json` then `validate`) when it refuses, so a refused body keeps its
error. What must never happen is the fast path accepting a body the documented path refuses
(pydantic's parser, unlike orjson, reads NaN and Infinity) or reading it differently.
"""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp.test_utils import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from server.errors import ApiError
from server.routes import ROUTES
from server.views.endpoint import parse_json, validate, validate_body
from shared_schema import AdapterHealth, FlagRequest, InstallRequest, OutcomeBatch, ScoreRequest, TimingBatch
from tests.server.api import assert_error, bearer, listing, outcome, timing

#: A valid body for every route that reads one.
EXAMPLES: dict[type[BaseModel], Any] = {
    ScoreRequest: {"listings": [listing(), listing("study-2", time_allotted_s=900)],
                   "threshold": {"amount": "9.40", "currency": "EUR"}},
    TimingBatch: {"timings": [timing(), timing("timing-0002", wall_s=None)]},
    OutcomeBatch: {"outcomes": [outcome(), outcome("timing-0002", status="paid")]},
    FlagRequest: {"platform": "prolific", "requester_id": "lab-7", "task_id": "study-1", "reason": "broken",
                  "comment": "the survey link is dead"},
    InstallRequest: {"extension_version": "0.1.0"},
    AdapterHealth: {"adapter": "prolific", "adapter_version": "1.0.0", "listings_found": 0, "blocks_seen": 3},
}

#: JSON texts that differ between parsers or between pydantic's JSON and Python modes.
ODD_VALUES = [
    b"NaN", b"Infinity", b"-Infinity", b"1e400", b"-0", b"0.0", b"600.0", b"6e2", b"600.5", b"true", b"false",
    b"null", b'"600"', b'" 600 "', b'""', b'" padded "', b'"\\u0000"', b'"\\ud83d\\ude00"', b'"\\ud800"', b"[]",
    b"{}", b"123456789012345678901234567890", b'"2026-01-01T00:00:00"', b'"2026-01-01T00:00:00+01:00"',
    b"1767225600", b'"1767225600"', b'"GBP"', b'"gbp"', b'"1.50"', b'"1.5e0"', b"1.5",
]


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


def write(value: Any, path: tuple[Any, ...], raw: bytes, *, duplicate: bool) -> bytes:
    """`value` as JSON with the raw text `raw` at `path` (the whole body for an empty path)."""
    if not path:
        return raw
    head, rest = path[0], path[1:]
    if isinstance(value, list):
        return b"[" + b",".join(write(item, rest, raw, duplicate=duplicate) if index == head else orjson.dumps(item)
                                for index, item in enumerate(value)) + b"]"
    members = []
    for key, item in value.items():
        text = write(item, rest, raw, duplicate=duplicate) if key == head else orjson.dumps(item)
        if key == head and duplicate and not rest:
            members.append(orjson.dumps(key) + b":" + orjson.dumps(item))  # the same key twice: the last one counts
        members.append(orjson.dumps(key) + b":" + text)
    if head not in value:
        members.append(orjson.dumps(head) + b":" + raw)
    return b"{" + b",".join(members) + b"}"


def outcome_of(read: Any) -> tuple[str, Any]:
    try:
        return "accepted", read().model_dump()
    except ApiError as error:
        return error.code, error.message


@st.composite
def bodies(draw: st.DrawFn) -> tuple[type[BaseModel], bytes]:
    model = draw(st.sampled_from(sorted(EXAMPLES, key=lambda m: m.__name__)))
    example = EXAMPLES[model]
    path = draw(st.sampled_from(paths(example)))
    if draw(st.booleans()) and (not path or isinstance(path[-1], str)):
        path = (*path[:-1], draw(st.sampled_from(["extra", "amount", "currency", "task_id"]))) if path else path
    raw = draw(st.sampled_from(ODD_VALUES))
    return model, write(example, path, raw, duplicate=draw(st.booleans()))


@settings(max_examples=1500, deadline=None)
@given(body=bodies())
def test_the_fast_path_reads_every_body_exactly_as_the_documented_path(body: tuple[type[BaseModel], bytes]) -> None:
    model, raw = body
    assert outcome_of(lambda: validate_body(model, raw)) == outcome_of(lambda: validate(model, parse_json(raw)))


def test_the_examples_are_valid_and_cover_every_route_with_a_body() -> None:
    assert {route.request for route in ROUTES if route.request is not None} == set(EXAMPLES)
    for model, example in EXAMPLES.items():
        assert validate_body(model, orjson.dumps(example)) == model.model_validate(example)
    assert validate_body(InstallRequest, b"  ") == InstallRequest()  # an empty body is an empty object


async def test_nan_is_not_json_on_the_wire(client: TestClient, token: str) -> None:
    body = orjson.dumps({"listings": [listing()]}).replace(b'"advertised_duration_s":600', b'"advertised_duration_s":NaN')
    response = await client.post("/v1/score", data=body, headers={**bearer(token), "Content-Type": "application/json"})
    error = await assert_error(response, 400, "malformed_json")
    assert "not valid JSON" in error["error"]["message"]
