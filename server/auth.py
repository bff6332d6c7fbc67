"""Install tokens: made once, stored only as a SHA-256 hash, presented as `Authorization: Bearer`.

A token is 32 random bytes, so a plain (unsalted) SHA-256 is enough: there is nothing to
brute-force, and the hash can be the store's lookup key.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections import OrderedDict

from .errors import Unauthorized

#: Longest token accepted in a header (ours are 43 characters); longer ones are refused unhashed.
MAX_TOKEN_LENGTH = 128


def new_install() -> tuple[str, str]:
    """A fresh (install_id, token)."""
    return uuid.uuid4().hex, secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header, or 401."""
    if not authorization:
        raise Unauthorized("this call needs an 'Authorization: Bearer <token>' header; get a token from POST /v1/installs")
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_LENGTH or not token.isascii():
        raise Unauthorized("the Authorization header must be 'Bearer <token>'")
    return token


class TokenCache:
    """Known token hashes -> install ids, so that the hot path skips a store round trip.

    Tokens are never revoked, so a positive answer stays true; unknown tokens are not cached
    (the store is asked again, after the rate limiter has had its say).
    """

    def __init__(self, size: int = 50_000) -> None:
        self.size = size
        self._installs: OrderedDict[str, str] = OrderedDict()

    def get(self, hashed: str) -> str | None:
        install_id = self._installs.get(hashed)
        if install_id is not None:
            self._installs.move_to_end(hashed)
        return install_id

    def put(self, hashed: str, install_id: str) -> None:
        self._installs[hashed] = install_id
        self._installs.move_to_end(hashed)
        while len(self._installs) > self.size:
            self._installs.popitem(last=False)
