"""The dashboard's tables (maintainer tokens, sessions, community flags, adapter health, the
trust kept while an install is discounted): one migration step of `schema.STEPS`.

Kept apart from `admin.py` so that `schema.py` can list the step without importing the
store's write and read code.
"""

from __future__ import annotations

import sqlite3

_DDL = (
    "CREATE TABLE IF NOT EXISTS admin_tokens (name TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, "
    "created_at REAL NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS dashboard_sessions (session_hash TEXT PRIMARY KEY, admin TEXT NOT NULL, "
    "csrf_token TEXT NOT NULL, created_at REAL NOT NULL, expires_at REAL NOT NULL) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS dashboard_sessions_admin ON dashboard_sessions (admin)",
    "CREATE TABLE IF NOT EXISTS flags (flag_id TEXT PRIMARY KEY, install_id TEXT NOT NULL, platform TEXT NOT NULL, "
    "requester_id TEXT NOT NULL, task_id TEXT, reason TEXT NOT NULL, comment TEXT, status TEXT NOT NULL, "
    "created_at REAL NOT NULL, moderated_at REAL, moderated_by TEXT) WITHOUT ROWID",
    # One open (pending or approved) flag per install, requester and reason: a repeat changes nothing.
    "CREATE UNIQUE INDEX IF NOT EXISTS flags_one_open ON flags (install_id, platform, requester_id, reason) "
    "WHERE status IN ('pending', 'approved')",
    "CREATE INDEX IF NOT EXISTS flags_by_status ON flags (status, created_at DESC)",
    "CREATE INDEX IF NOT EXISTS flags_by_requester ON flags (platform, requester_id, status)",
    "CREATE TABLE IF NOT EXISTS adapter_health (adapter TEXT NOT NULL, day TEXT NOT NULL, events INTEGER NOT NULL, "
    "empty INTEGER NOT NULL, listings_found INTEGER NOT NULL, blocks_seen INTEGER NOT NULL, version TEXT, "
    "PRIMARY KEY (adapter, day)) WITHOUT ROWID",
    # The trust each report of a discounted install had, so that restoring it is exact.
    "CREATE TABLE IF NOT EXISTS discounted_trust (install_id TEXT NOT NULL, platform TEXT NOT NULL, "
    "task_id TEXT NOT NULL, idempotency_key TEXT NOT NULL, trust REAL NOT NULL, "
    "PRIMARY KEY (install_id, platform, task_id)) WITHOUT ROWID",
)


def create_admin_tables(conn: sqlite3.Connection) -> None:
    for statement in _DDL:
        conn.execute(statement)
