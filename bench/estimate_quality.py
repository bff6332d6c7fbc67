"""Estimate quality: how close each method gets to a task's real duration, in a simulated community.

    .venv/bin/python -m bench.estimate_quality [--seed N]

The simulated world (every figure below is a parameter of `World`, fixed before comparing):
- requesters whose tasks really take exp(N(0.3, 0.35)) times what they advertise (each task
  deviates from its requester's ratio by exp(N(0, 0.2))), and who pay about their own hourly
  rate for the advertised duration, with a per-task deviation of exp(N(0, 0.15));
- workers of different speeds (log-speed N(0, 0.3)), a per-report noise of exp(N(0, 0.25)),
  breaks on 15% of reports (the time is multiplied by 1 + exp(N(0, 1)): a heavy right tail),
  3% of reports cut short (x0.4, a timer that missed part of the work), returns (7%), timeouts (1%) and
  screen-outs (0 to 30% depending on the requester), which are not paid and not timings of the task;
- workers who join over time (new installs keep arriving), each doing tasks of many requesters;
- in the gaming scenario, 4 new installs per gamed requester report every one of its tasks, first,
  at 0.35 x the real duration (to make it look three times better paid).

Reports go through `server.aggregates.fold`, the same fold the stores run, into in-memory
aggregates; our estimate is `server.estimate.duration` on them. The baselines read the raw reports:
- TurkerView: mean of the task's reported times;
- Turkopticon 2: the requester's total pay / total time over all its reports, applied to the task's reward;
- Prolific, Fair Work: median of the task's reported times.
The error is |log(estimate / real duration)| (the same for the hourly wage, reward / duration);
the table shows its median over the evaluated tasks when each has 1, 3, 10 and 30 honest reports.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from server import aggregates as agg
from server import estimate
from server.settings import defaults
from shared_schema import Listing, Money

PLATFORM = "sim"
LEVELS = (1, 3, 10, 30)
METHODS = ("fairclick", "turkerview_mean", "to2_pay_over_time", "median")


@dataclass(frozen=True)
class World:
    requesters: int = 100
    gamed_requesters: int = 20
    gamers_per_requester: int = 4
    gamer_factor: float = 0.35
    history_tasks: tuple[int, int] = (4, 16)  # per requester, uniform
    history_reports_median: float = 8.0  # per history task, log-normal
    targets_per_requester: int = 4
    targets_per_gamed_requester: int = 8
    workers: int = 500
    ratio_mean: float = 0.3
    ratio_sd: float = 0.35
    task_sd: float = 0.2
    pay_sd: float = 0.15
    speed_sd: float = 0.3
    noise_sd: float = 0.25
    break_rate: float = 0.15
    cut_rate: float = 0.03
    return_rate: float = 0.07
    timeout_rate: float = 0.01


@dataclass
class Task:
    task_id: str
    requester_id: str
    advertised_s: int
    real_s: float
    reward: float
    screen_out_rate: float
    times: list[float] = field(default_factory=list)  # submitted times, as the baselines see them


class Community:
    """In-memory aggregates, updated exactly as a store does (aggregates.fold + group increments)."""

    def __init__(self) -> None:
        self.contributors: dict[str, agg.Contributor] = {}
        self.reports: dict[str, list[agg.Report]] = defaultdict(list)
        self.tasks: dict[str, agg.TaskAggregate] = {}
        self.groups: dict[str | None, agg.GroupAggregate] = {}
        self.requester_pay: dict[str, float] = defaultdict(float)
        self.requester_time: dict[str, float] = defaultdict(float)
        self.clock = 1.7e9
        self.keys = 0

    def add(self, install: str, task: Task, active_s: float, outcome: str) -> None:
        self.clock += 1.0
        self.keys += 1
        report = agg.Report(install, PLATFORM, task.task_id, task.requester_id, f"key{self.keys:08d}", outcome,
                            active_s, self.clock, f"{task.reward:.2f}", "GBP", advertised_s=task.advertised_s)
        contributor = self.contributors.get(install) or agg.Contributor(install)
        folded = agg.fold(contributor, self.reports[task.task_id], self.tasks.get(task.task_id), report)
        if not folded.changed:
            return
        self.contributors[install] = folded.contributor
        self.reports[task.task_id] = folded.reports
        self.tasks[task.task_id] = folded.task
        for key in (task.requester_id, None):
            group = self.groups.get(key) or agg.GroupAggregate(PLATFORM, key)
            self.groups[key] = agg.apply_delta(group, folded.delta, self.clock)
        if outcome == agg.SUBMITTED:
            task.times.append(active_s)
            self.requester_pay[task.requester_id] += task.reward
            self.requester_time[task.requester_id] += active_s


class Simulation:
    def __init__(self, world: World, seed: int) -> None:
        self.world, self.rng = world, random.Random(seed)
        self.community = Community()
        self.settings = defaults()
        self.speeds: dict[str, float] = {}
        self.joined = 0
        self.tasks_made = 0

    # --- the world ---------------------------------------------------------------------------

    def requester(self, index: int) -> dict[str, float | str]:
        w, rng = self.world, self.rng
        return {"id": f"r{index}", "ratio": rng.gauss(w.ratio_mean, w.ratio_sd),
                "rate": math.exp(rng.gauss(math.log(9.0), 0.3)),
                "screen": rng.choice((0.0, 0.0, 0.0, 0.1, 0.3))}

    def task(self, requester: dict) -> Task:
        w, rng = self.world, self.rng
        self.tasks_made += 1
        advertised = int(min(5400, max(60, round(math.exp(rng.gauss(math.log(600), 0.8)) / 60) * 60)))
        real = advertised * math.exp(requester["ratio"] + rng.gauss(0, w.task_sd))
        reward = max(0.05, round(advertised / 3600 * requester["rate"] * math.exp(rng.gauss(0, w.pay_sd)), 2))
        return Task(f"t{self.tasks_made}", requester["id"], advertised, real, reward, requester["screen"])

    def worker(self) -> str:
        """A worker: mostly one who already has a history, sometimes a new install."""
        if self.joined < 20 or self.rng.random() < 0.08 and self.joined < self.world.workers:
            self.joined += 1
            name = f"w{self.joined}"
            self.speeds[name] = self.rng.gauss(0, self.world.speed_sd)
            return name
        return f"w{self.rng.randint(1, self.joined)}"

    def attempt(self, task: Task, install: str) -> bool:
        """One honest attempt; True when it ended in a submitted timing."""
        w, rng = self.world, self.rng
        full = task.real_s * math.exp(self.speeds[install] + rng.gauss(0, w.noise_sd))
        roll = rng.random()
        if roll < task.screen_out_rate:
            self.community.add(install, task, full * rng.uniform(0.05, 0.25), "screened_out")
            return False
        roll = rng.random()
        if roll < w.return_rate:
            self.community.add(install, task, full * rng.uniform(0.05, 0.6), "returned")
            return False
        if roll < w.return_rate + w.timeout_rate:
            self.community.add(install, task, full * rng.uniform(0.8, 1.5), "timed_out")
            return False
        if rng.random() < w.break_rate:
            full *= 1 + math.exp(rng.gauss(0, 1))
        elif rng.random() < w.cut_rate:
            full *= 0.4
        self.community.add(install, task, min(full, 12 * 3600.0), "submitted")
        return True

    def game(self, task: Task, gamers: list[str]) -> None:
        for gamer in gamers:
            faked = task.real_s * self.world.gamer_factor * math.exp(self.rng.gauss(0, 0.1))
            self.community.add(gamer, task, faked, "submitted")

    def honest_reports(self, task: Task, count: int, done: set[str], at: Callable[[int], None] | None = None) -> None:
        submitted = 0
        while submitted < count:
            install = self.worker()
            if install in done:
                continue
            done.add(install)
            if self.attempt(task, install):
                submitted += 1
                if at is not None:
                    at(submitted)

    # --- estimates ---------------------------------------------------------------------------

    def estimates(self, task: Task) -> dict[str, float]:
        community = self.community
        listing = Listing(platform=PLATFORM, task_id=task.task_id, requester_id=task.requester_id,
                          reward=Money(amount=f"{task.reward:.2f}", currency="GBP"),
                          advertised_duration_s=task.advertised_s)
        ours = estimate.duration(listing, community.tasks.get(task.task_id), community.groups.get(task.requester_id),
                                 community.groups.get(None), settings=self.settings)
        pay, time = community.requester_pay[task.requester_id], community.requester_time[task.requester_id]
        return {
            "fairclick": math.exp(ours.loc),
            "covered": float(ours.low_s <= task.real_s <= ours.high_s),
            "turkerview_mean": statistics.fmean(task.times),
            "to2_pay_over_time": task.reward / (pay / time),
            "median": statistics.median(task.times),
        }

    def run(self) -> dict[str, dict[int, dict[str, list[float]]]]:
        w, rng = self.world, self.rng
        requesters = [self.requester(i) for i in range(w.requesters)]
        gamed = {r["id"]: [f"g{r['id']}-{k}" for k in range(w.gamers_per_requester)]
                 for r in requesters[: w.gamed_requesters]}
        # History: every requester's past tasks, interleaved in time so trust and speed build up.
        history = [(r, self.task(r)) for r in requesters for _ in range(rng.randint(*w.history_tasks))]
        rng.shuffle(history)
        for requester, task in history:
            if requester["id"] in gamed:
                self.game(task, gamed[requester["id"]])
            count = max(1, min(60, round(math.exp(rng.gauss(math.log(w.history_reports_median), 0.9)))))
            self.honest_reports(task, count, set())
        errors: dict[str, dict[int, dict[str, list[float]]]] = {
            scenario: {n: {m: [] for m in (*METHODS, "covered")} for n in LEVELS} for scenario in ("normal", "gaming")}
        targets = [(r, self.task(r)) for r in requesters
                   for _ in range(w.targets_per_gamed_requester if r["id"] in gamed else w.targets_per_requester)]
        rng.shuffle(targets)
        for requester, task in targets:
            scenario = "gaming" if requester["id"] in gamed else "normal"
            if scenario == "gaming":
                self.game(task, gamed[requester["id"]])

            def snapshot(n: int, task: Task = task, scenario: str = scenario) -> None:
                if n in LEVELS:
                    found = self.estimates(task)
                    errors[scenario][n]["covered"].append(found.pop("covered"))
                    for method, value in found.items():
                        errors[scenario][n][method].append(abs(math.log(value / task.real_s)))

            self.honest_reports(task, LEVELS[-1], set(), snapshot)
        return errors


def table(errors: dict[str, dict[int, dict[str, list[float]]]]) -> str:
    lines = ["| scenario | reports | tasks | FairClick | TurkerView (mean) | Turkopticon 2 (pay/time) "
             "| Prolific, Fair Work (median) | FairClick / best | FairClick 80% interval covers |",
             "|---|---|---|---|---|---|---|---|---|"]
    for scenario, levels in errors.items():
        for n, methods in levels.items():
            medians = {m: statistics.median(methods[m]) for m in METHODS}
            best = min(medians[m] for m in METHODS[1:])
            lines.append(f"| {scenario} | {n} | {len(methods['fairclick'])} | "
                         + " | ".join(f"{medians[m]:.3f}" for m in METHODS)
                         + f" | {medians['fairclick'] / best:.2f} | {statistics.fmean(methods['covered']):.0%} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026, help="seed of the first simulated community")
    parser.add_argument("--runs", type=int, default=5, help="independent communities pooled (seeds seed, seed+1, ...)")
    args = parser.parse_args(argv)
    pooled: dict[str, dict[int, dict[str, list[float]]]] = {}
    for run in range(args.runs):
        for scenario, levels in Simulation(World(), args.seed + run).run().items():
            for n, methods in levels.items():
                for method, errors in methods.items():
                    pooled.setdefault(scenario, {}).setdefault(n, {}).setdefault(method, []).extend(errors)
    print(f"median |log(estimate / real duration)| over {args.runs} simulated communities (seeds {args.seed}.."
          f"{args.seed + args.runs - 1})")
    print(table(pooled))


if __name__ == "__main__":
    main()
