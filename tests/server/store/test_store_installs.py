"""Contract: installs and their (hashed) tokens."""

from datetime import UTC, datetime

from server.store import Store


async def test_a_token_hash_finds_its_install(store: Store) -> None:
    await store.create_install("install-a", "hash-a", datetime(2026, 6, 1, tzinfo=UTC))
    await store.create_install("install-b", "hash-b", datetime(2026, 6, 2, tzinfo=UTC))

    assert await store.install_for_token("hash-a") == "install-a"
    assert await store.install_for_token("hash-b") == "install-b"


async def test_an_unknown_token_finds_nothing(store: Store) -> None:
    await store.create_install("install-a", "hash-a", datetime(2026, 6, 1, tzinfo=UTC))

    assert await store.install_for_token("hash-unknown") is None
    assert await store.install_for_token("") is None


async def test_an_open_store_answers_ping(store: Store) -> None:
    await store.ping()  # raises StoreUnavailable when the database does not answer
    assert await store.timing_count() == 0
