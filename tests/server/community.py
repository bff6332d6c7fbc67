"""A small in-memory community for estimator tests: reports folded as the stores fold them."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace

from server import aggregates as agg
from shared_schema import Listing, Money

PLATFORM = "prolific"


def report(install: str, task: str, active_s: float, *, requester: str | None = "lab", outcome: str = "submitted",
           at: float = 1.8e9, key: str | None = None, advertised_s: int | None = 600, reward: str = "1.50",
           currency: str = "GBP") -> agg.Report:
    return agg.Report(install, PLATFORM, task, requester, key or f"{install}-{task}-{at:.0f}", outcome, active_s, at,
                      reward, currency, advertised_s=advertised_s)


def established(install: str, *, requesters: int = agg.FULL_TRUST_REQUESTERS) -> agg.Contributor:
    """An install that agreed with others on the tasks of `requesters` different requesters."""
    bits = 0
    index = 0
    while bin(bits).count("1") < requesters:
        bits |= agg.requester_bit(report(install, "t", 1.0, requester=f"other{index}"))
        index += 1
    return agg.Contributor(install, comparisons=20, agreements=20, agreed_requesters=bits)


@dataclass
class Community:
    contributors: dict[str, agg.Contributor] = field(default_factory=dict)
    reports: dict[str, list[agg.Report]] = field(default_factory=lambda: defaultdict(list))
    tasks: dict[str, agg.TaskAggregate] = field(default_factory=dict)
    groups: dict[str | None, agg.GroupAggregate] = field(default_factory=dict)
    clock: float = 1.8e9

    def add(self, item: agg.Report) -> None:
        contributor = self.contributors.get(item.install_id) or agg.Contributor(item.install_id)
        folded = agg.fold(contributor, self.reports[item.task_id], self.tasks.get(item.task_id), item)
        if not folded.changed:
            return
        self.contributors[item.install_id] = folded.contributor
        self.reports[item.task_id] = folded.reports
        self.tasks[item.task_id] = folded.task
        for key in (item.requester_id, None):
            group = self.groups.get(key) or agg.GroupAggregate(PLATFORM, key)
            self.groups[key] = agg.apply_delta(group, folded.delta, item.ended_at)

    def time(self, install: str, task: str, active_s: float, **kwargs: object) -> None:
        """A new timing, one second after the previous one."""
        self.clock += 1
        self.add(report(install, task, active_s, at=self.clock, **kwargs))  # type: ignore[arg-type]

    def trust(self, *installs: str, requesters: int = agg.FULL_TRUST_REQUESTERS) -> None:
        for install in installs:
            self.contributors[install] = established(install, requesters=requesters)


def listing(task: str = "new", *, requester: str | None = "lab", reward: str = "1.50", currency: str = "GBP",
            advertised_s: int | None = 600, allotted_s: int | None = None) -> Listing:
    return Listing(platform=PLATFORM, task_id=task, requester_id=requester,
                   reward=Money(amount=reward, currency=currency), advertised_duration_s=advertised_s,
                   time_allotted_s=allotted_s)


def log_gap(a: float, b: float) -> float:
    return abs(math.log(a) - math.log(b))


__all__ = ["PLATFORM", "Community", "established", "listing", "log_gap", "replace", "report"]
