"""Domain errors: raised anywhere, turned into `{"error": {"code", "message"}}` by one middleware.

A view or a domain function raises one of these; `server.middlewares.errors` renders it with
its status and headers. Nothing else in the service builds an error response.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class ApiError(Exception):
    """An error the client should see, with its HTTP status and a stable machine-readable code."""

    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        details: Sequence[Mapping[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        self.details = list(details) if details is not None else None
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details is not None:
            error["details"] = self.details
        return {"error": error}


class MalformedJson(ApiError):
    status, code = 400, "malformed_json"


class InvalidInput(ApiError):
    """The JSON parsed but does not match the contract (wrong type, unknown field, out of bounds)."""

    status, code = 422, "invalid_input"


class UnknownCurrency(InvalidInput, ValueError):
    """A currency without a conversion rate; a ValueError too, so pure domain code can raise it."""

    code = "unknown_currency"


class Unauthorized(ApiError):
    status, code = 401, "unauthorized"

    def __init__(self, message: str) -> None:
        super().__init__(message, headers={"WWW-Authenticate": 'Bearer realm="fairclick"'})


class Forbidden(ApiError):
    status, code = 403, "forbidden"


class NotFound(ApiError):
    status, code = 404, "not_found"


class MethodNotAllowed(ApiError):
    status, code = 405, "method_not_allowed"


class BodyTooLarge(ApiError):
    status, code = 413, "body_too_large"


class UnsupportedMediaType(ApiError):
    status, code = 415, "unsupported_media_type"


class RateLimited(ApiError):
    status, code = 429, "rate_limited"

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after_s)})


class Unavailable(ApiError):
    """A dependency (the store) is down: the client should retry; nothing was acknowledged."""

    status, code = 503, "unavailable"

    def __init__(self, message: str, *, retry_after_s: int = 5) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after_s)})


__all__ = [
    "ApiError",
    "BodyTooLarge",
    "Forbidden",
    "InvalidInput",
    "MalformedJson",
    "MethodNotAllowed",
    "NotFound",
    "RateLimited",
    "Unauthorized",
    "Unavailable",
    "UnknownCurrency",
    "UnsupportedMediaType",
]
