"""`fairclick admin create|list|revoke` against a real SQLite file."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from server.cli import main
from server.dashboard.security import digest
from server.store.sqlite import SqliteStore


async def maintainer(db: Path, token: str) -> str | None:
    store = SqliteStore(db)
    await store.open()
    try:
        return await store.admin_for_token(digest(token))
    finally:
        await store.close()


def test_create_prints_a_token_once_and_stores_only_its_hash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "f.sqlite3"
    assert main(["admin", "create", "alice", "--db", str(db)]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert len(token) >= 40
    assert asyncio.run(maintainer(db, token)) == "alice"
    assert all(token.encode() not in f.read_bytes() for f in tmp_path.glob("f.sqlite3*"))
    assert main(["admin", "create", "alice", "--db", str(db)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_list_and_revoke(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "f.sqlite3")
    for name in ("bob", "alice"):
        assert main(["admin", "create", name, "--db", db]) == 0
    capsys.readouterr()
    assert main(["admin", "list", "--db", db]) == 0
    listed = capsys.readouterr().out
    assert [line.split("\t")[0] for line in listed.splitlines()] == ["alice", "bob"]
    assert main(["admin", "revoke", "bob", "--db", db]) == 0
    assert main(["admin", "revoke", "bob", "--db", db]) == 1
    capsys.readouterr()
    main(["admin", "list", "--db", db])
    assert "bob" not in capsys.readouterr().out


def test_a_name_with_odd_characters_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["admin", "create", "<b>x</b>", "--db", str(tmp_path / "f.sqlite3")]) == 2
    assert "a name is" in capsys.readouterr().err
