"""Write one JSON Schema file per payload into `shared_schema/json/`."""

from __future__ import annotations

from pathlib import Path

import orjson

from . import PAYLOADS

JSON_DIR = Path(__file__).with_name("json")


def schema_files() -> dict[str, bytes]:
    """File name -> exact bytes, so the staleness test can compare without writing."""
    files = {}
    for name, model in PAYLOADS.items():
        schema = model.model_json_schema(mode="serialization" if name.endswith(("Response", "Ack", "Created", "Summary", "Body")) else "validation")
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"fairclick/v1/{name}.schema.json", **schema}
        files[f"{name}.schema.json"] = orjson.dumps(schema, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    return files


def write() -> list[Path]:
    JSON_DIR.mkdir(exist_ok=True)
    written = []
    for name, content in schema_files().items():
        path = JSON_DIR / name
        if not path.exists() or path.read_bytes() != content:
            path.write_bytes(content)
            written.append(path)
    return written
