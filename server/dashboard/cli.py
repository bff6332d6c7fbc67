"""`fairclick admin create|list|revoke`: maintainer tokens for the dashboard.

A token is shown once, when it is created; the store keeps only its SHA-256. Revoking a
token also ends every dashboard session it opened.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from .. import settings as settings_module
from ..store import open_store
from ..store.admin import AdminStore
from .security import digest, new_secret

STORE_SETTINGS = ("db", "mongo_url", "mongo_db", "mongo_write_concern")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}")


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fairclick admin", description="Maintainer tokens for the dashboard at /dashboard.")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="make a new maintainer token and print it (once)")
    create.add_argument("name", help="who the token is for, e.g. 'alice' (letters, digits, space . _ @ -)")
    commands.add_parser("list", help="list maintainer tokens (names and dates, never the tokens)")
    revoke = commands.add_parser("revoke", help="delete a maintainer token and end its sessions")
    revoke.add_argument("name")
    for sub in commands.choices.values():
        settings_module.add_arguments(sub, STORE_SETTINGS)
    return parser


async def run(args: argparse.Namespace, config: Any) -> int:
    store = open_store(config)
    await store.open()
    try:
        admin: AdminStore = store  # type: ignore[assignment]  # every store implements both protocols
        if args.command == "create":
            token = new_secret()
            try:
                await admin.add_admin(args.name, digest(token), time.time())
            except ValueError as exc:
                print(f"fairclick admin: {exc}", file=sys.stderr)
                return 1
            print(f"Maintainer token for {args.name} (shown once; keep it in a password manager):")
            print(token)
        elif args.command == "list":
            for name, created_at in await admin.admins():
                print(f"{name}\tcreated {datetime.fromtimestamp(created_at, UTC):%Y-%m-%d %H:%M} UTC")
        else:
            if not await admin.revoke_admin(args.name):
                print(f"fairclick admin: no maintainer token named {args.name!r}", file=sys.stderr)
                return 1
            print(f"Revoked {args.name}'s token and ended its sessions.")
    finally:
        await store.close()
    return 0


def main(argv: Sequence[str]) -> int:
    args = parser().parse_args(list(argv))
    if args.command == "create" and not NAME.fullmatch(args.name):
        print("fairclick admin: a name is 1 to 64 letters, digits, spaces or . _ @ -", file=sys.stderr)
        return 2
    config = settings_module.load({name: getattr(args, name) for name in STORE_SETTINGS if getattr(args, name) is not None})
    return asyncio.run(run(args, config))
