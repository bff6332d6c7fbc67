"""The committed JSON Schema files are exactly what the models generate."""

from shared_schema.generate import JSON_DIR, schema_files


def test_committed_schema_files_are_current() -> None:
    expected = schema_files()
    committed = {path.name: path.read_bytes() for path in JSON_DIR.glob("*.schema.json")}
    stale = sorted(name for name in expected if committed.get(name) != expected[name])
    extra = sorted(set(committed) - set(expected))
    assert not stale and not extra, f"run `make schemas`: stale {stale}, unexpected {extra}"
