"""GET /openapi.json: generated from the route table and the models, so it cannot drift from them."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from aiohttp.test_utils import TestClient
from openapi_spec_validator import validate

from server.openapi import REF_TEMPLATE, document
from server.routes import ROUTES
from shared_schema import ErrorBody

ROUTE_IDS = [f"{r.method} {r.path}" for r in ROUTES]


def resolve(schema: Any, definitions: dict[str, Any]) -> Any:
    """The schema with every local $ref replaced by what it points to (the models are not recursive)."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            return resolve(definitions[schema["$ref"].rsplit("/", 1)[-1]], definitions)
        return {key: resolve(value, definitions) for key, value in schema.items() if key != "$defs"}
    if isinstance(schema, list):
        return [resolve(item, definitions) for item in schema]
    return schema


def model_schema(model: Any, mode: str) -> Any:
    schema = model.model_json_schema(mode=mode, ref_template=REF_TEMPLATE)
    return resolve(schema, schema.get("$defs", {}))


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return document(ROUTES)


def test_the_document_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    validate(spec)


async def test_the_service_answers_the_generated_document(client: TestClient, spec: dict[str, Any]) -> None:
    response = await client.get("/openapi.json")
    assert response.status == 200
    assert await response.json() == orjson.loads(orjson.dumps(spec))


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_every_route_of_the_table_is_documented(spec: dict[str, Any], route: Any) -> None:
    operation = spec["paths"][route.path][route.method.lower()]
    assert operation["operationId"] == route.name
    assert operation["summary"] == route.summary
    assert str(route.status) in operation["responses"]
    assert operation["security"] == ([{"bearer": []}] if route.auth else [])
    if route.auth:
        assert "401" in operation["responses"]


@pytest.mark.parametrize("route", [r for r in ROUTES if r.request], ids=[i for r, i in zip(ROUTES, ROUTE_IDS) if r.request])
def test_request_schemas_are_the_shared_schema_models(spec: dict[str, Any], route: Any) -> None:
    documented = spec["paths"][route.path][route.method.lower()]["requestBody"]["content"]["application/json"]["schema"]
    assert resolve(documented, spec["components"]["schemas"]) == model_schema(route.request, "validation")
    assert "422" in spec["paths"][route.path][route.method.lower()]["responses"]


@pytest.mark.parametrize("route", [r for r in ROUTES if r.response], ids=[i for r, i in zip(ROUTES, ROUTE_IDS) if r.response])
def test_response_schemas_are_the_models(spec: dict[str, Any], route: Any) -> None:
    answer = spec["paths"][route.path][route.method.lower()]["responses"][str(route.status)]
    documented = answer["content"][route.media_type]["schema"]
    assert resolve(documented, spec["components"]["schemas"]) == model_schema(route.response, "serialization")


def test_errors_are_documented_in_the_one_error_shape(spec: dict[str, Any]) -> None:
    error = model_schema(ErrorBody, "serialization")
    for path_item in spec["paths"].values():
        for operation in path_item.values():
            for status, answer in operation["responses"].items():
                if int(status) >= 400:
                    schema = answer["content"]["application/json"]["schema"]
                    assert resolve(schema, spec["components"]["schemas"]) == error


def test_path_parameters_carry_the_models_constraints(spec: dict[str, Any]) -> None:
    operation = spec["paths"]["/v1/requesters/{platform}/{requester_id}"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) == {"platform", "requester_id"}
    assert parameters["platform"]["in"] == "path" and parameters["platform"]["required"]
    assert parameters["platform"]["schema"]["pattern"].startswith("^[a-z0-9]")
    assert parameters["requester_id"]["schema"]["maxLength"] == 128
