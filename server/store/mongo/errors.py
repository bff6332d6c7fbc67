"""Which driver errors mean "MongoDB cannot serve us right now" (503) rather than a bug (500)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from pymongo.errors import (
    BulkWriteError,
    ConnectionFailure,
    ExecutionTimeout,
    InvalidOperation,
    OperationFailure,
    PyMongoError,
    WriteConcernError,
    WTimeoutError,
)

from ..protocol import StoreUnavailable

#: Server error codes of a node that is stepping down, shutting down, or out of time.
UNAVAILABLE_CODES = frozenset({
    6,  # HostUnreachable
    7,  # HostNotFound
    50,  # MaxTimeMSExpired
    64,  # WriteConcernFailed (majority not reached in time)
    89,  # NetworkTimeout
    91,  # ShutdownInProgress
    189,  # PrimarySteppedDown
    262,  # ExceededTimeLimit
    9001,  # SocketException
    10107,  # NotWritablePrimary
    11600,  # InterruptedAtShutdown
    11602,  # InterruptedDueToReplStateChange
    13435,  # NotPrimaryNoSecondaryOk
    13436,  # NotPrimaryOrSecondary
})


def is_unavailable(error: BaseException) -> bool:
    if isinstance(error, ConnectionFailure | ExecutionTimeout | WTimeoutError | WriteConcernError):
        return True  # ServerSelectionTimeoutError, AutoReconnect, NetworkTimeout, NotPrimaryError ...
    if isinstance(error, BulkWriteError):
        details = error.details or {}
        return bool(details.get("writeConcernErrors")) or any(
            e.get("code") in UNAVAILABLE_CODES for e in details.get("writeErrors", []))
    if isinstance(error, OperationFailure):
        return error.code in UNAVAILABLE_CODES or error.timeout
    if isinstance(error, InvalidOperation):
        return True  # the client was closed: the store is shutting down
    return isinstance(error, PyMongoError) and error.timeout


@contextlib.contextmanager
def translated() -> Iterator[None]:
    """Re-raise the errors of an unreachable, slow or stepping-down MongoDB as StoreUnavailable."""
    try:
        yield
    except PyMongoError as error:
        if is_unavailable(error):
            raise StoreUnavailable(f"MongoDB is unavailable: {type(error).__name__}: {error}") from error
        raise
