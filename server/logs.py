"""Structured logs: one JSON object per line on standard error.

Two loggers: `fairclick.access` (one line per request, when `access_log` is on) and
`fairclick.error` (failures, with the traceback). Nothing here ever receives a request's
headers or query string, so a bearer token cannot end up in a log line.
"""

from __future__ import annotations

import logging
import sys
import time
import traceback
from typing import Any

import orjson

ACCESS = logging.getLogger("fairclick.access")
ERROR = logging.getLogger("fairclick.error")
SERVICE = logging.getLogger("fairclick.service")

#: LogRecord attributes that are logging's own, not fields the caller passed in `extra`.
_RESERVED = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RESERVED:
                line[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            line["exception"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return orjson.dumps(line, default=str).decode()


def configure(level: str = "INFO", stream: Any = None) -> logging.Handler:
    """Send every `fairclick.*` logger to `stream` (standard error) as JSON lines."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("fairclick")
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False
    # aiohttp's own errors (a client that hangs up mid-request...) become JSON lines too.
    aiohttp_logger = logging.getLogger("aiohttp")
    aiohttp_logger.handlers = [handler]
    aiohttp_logger.setLevel(logging.WARNING)
    aiohttp_logger.propagate = False
    return handler
