"""The v1 payloads: the one source of truth for the service, the extension and the tests.

JSON Schema files under `shared_schema/json/` are generated from these models
(`python -m shared_schema`); a test fails when they are stale.
"""

from .base import CURRENCIES, Error, ErrorBody, Money
from .install import AdapterHealth, InstallCreated, InstallRequest
from .listing import (
    DurationRange,
    HourlyRange,
    Listing,
    Score,
    ScoreRequest,
    ScoreResponse,
    Warning,
)
from .requester import FlagCount, FlagCreated, FlagRequest, RequesterSummary
from .timing import IngestAck, Outcome, OutcomeBatch, Timing, TimingBatch
from .open_data import OpenAggregate, OpenAggregates
from .wages import MinimumWage, MinimumWages

#: Every payload that crosses the wire, by the name its schema file carries.
PAYLOADS = {
    "Money": Money,
    "ErrorBody": ErrorBody,
    "InstallRequest": InstallRequest,
    "InstallCreated": InstallCreated,
    "AdapterHealth": AdapterHealth,
    "Listing": Listing,
    "ScoreRequest": ScoreRequest,
    "ScoreResponse": ScoreResponse,
    "Timing": Timing,
    "TimingBatch": TimingBatch,
    "Outcome": Outcome,
    "OutcomeBatch": OutcomeBatch,
    "IngestAck": IngestAck,
    "RequesterSummary": RequesterSummary,
    "FlagRequest": FlagRequest,
    "FlagCreated": FlagCreated,
    "MinimumWages": MinimumWages,
    "OpenAggregates": OpenAggregates,
}

__all__ = [
    "CURRENCIES",
    "PAYLOADS",
    "AdapterHealth",
    "DurationRange",
    "Error",
    "ErrorBody",
    "FlagCount",
    "FlagCreated",
    "FlagRequest",
    "HourlyRange",
    "IngestAck",
    "InstallCreated",
    "InstallRequest",
    "Listing",
    "MinimumWage",
    "MinimumWages",
    "Money",
    "Outcome",
    "OutcomeBatch",
    "OpenAggregate",
    "OpenAggregates",
    "RequesterSummary",
    "Score",
    "ScoreRequest",
    "ScoreResponse",
    "Timing",
    "TimingBatch",
    "Warning",
]
