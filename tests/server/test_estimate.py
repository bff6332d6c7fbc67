"""The estimator: durations, hourly wages and requester summaries from aggregates."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server import estimate, money
from server.aggregates import GroupAggregate, TaskAggregate, contribution
from server.settings import defaults
from server.store.protocol import ScoreInputs
from shared_schema import Listing, Money, ScoreResponse
from tests.server.community import Community, listing, log_gap

SETTINGS = defaults()
NOW = 1.8e9 + 100 * 86400


def score(community: Community, task: str = "new", **listing_args: object):
    item = listing(task, **listing_args)  # type: ignore[arg-type]
    return estimate.score(item, community.tasks.get(task), community.groups.get(item.requester_id),
                          community.groups.get(None), threshold=None, settings=SETTINGS, now=NOW)


def lab_history(community: Community, ratio: float = 2.0, tasks: int = 6, installs: tuple[str, ...] = ("e1", "e2", "e3")) -> None:
    """A requester whose tasks take `ratio` x their advertised 600 s, timed by established workers."""
    community.trust(*installs)
    for index in range(tasks):
        for install in installs:
            community.time(install, f"h{index}", 600 * ratio)


def test_nothing_known_gives_no_estimate() -> None:
    result = score(Community(), advertised_s=None)
    assert (result.basis, result.hourly, result.duration_s, result.reports) == ("none", None, None, 0)


def test_an_advertised_duration_alone_is_the_estimate_with_a_wide_interval() -> None:
    result = score(Community(), advertised_s=600)
    assert result.basis == "advertised"
    assert result.duration_s.median == 600
    assert result.duration_s.low < 400 and result.duration_s.high > 900
    assert result.hourly.median == "9.00" and result.hourly.currency == "GBP"


def test_a_requester_history_corrects_the_advertised_duration() -> None:
    community = Community()
    lab_history(community, ratio=2.0)
    result = score(community, advertised_s=300)
    assert result.basis == "requester"
    assert result.reports == 0
    assert result.duration_s.median == pytest.approx(600, rel=0.02)


def test_a_requester_without_advertised_durations_gives_its_typical_duration() -> None:
    community = Community()
    lab_history(community, ratio=2.0)
    result = score(community, advertised_s=None)
    assert result.basis == "requester"
    assert result.duration_s.median == pytest.approx(1200, rel=0.02)


def test_a_new_requester_borrows_from_its_platform() -> None:
    community = Community()
    lab_history(community, ratio=2.0)
    result = score(community, requester="someone-else", advertised_s=300)
    assert result.basis == "platform"
    assert 300 < result.duration_s.median < 600  # the platform's ratio, shrunk towards "as advertised"


def test_groups_with_too_few_reports_are_not_used() -> None:
    community = Community()
    community.trust("e1")
    community.time("e1", "h0", 1200)
    assert score(community, advertised_s=600).basis == "advertised"


def test_a_task_with_reports_is_estimated_from_them_and_shrunk_towards_its_requester() -> None:
    community = Community()
    lab_history(community, ratio=2.0)
    community.trust("w")
    community.time("w", "new", 3000)
    one = score(community, advertised_s=600)
    assert one.basis == "task" and one.reports == 1
    assert 1200 < one.duration_s.median < 3000
    for index in range(30):
        community.trust(f"x{index}")
        community.time(f"x{index}", "new", 3000)
    many = score(community, advertised_s=600)
    assert log_gap(many.duration_s.median, 3000) < log_gap(one.duration_s.median, 3000)
    assert log_gap(many.duration_s.median, 3000) < 0.05


def test_hourly_is_reward_over_duration_with_the_interval_inverted() -> None:
    community = Community()
    community.trust("a", "b", "c")
    for install, seconds in (("a", 500), ("b", 600), ("c", 700)):
        community.time(install, "new", seconds)
    result = score(community, reward="2.00", currency="EUR", advertised_s=None)
    duration = result.duration_s
    assert result.hourly.currency == "EUR"
    assert Decimal(result.hourly.median) == (Decimal("7200") / duration.median).quantize(Decimal("0.01"))
    assert Decimal(result.hourly.low) == (Decimal("7200") / duration.high).quantize(Decimal("0.01"))
    assert Decimal(result.hourly.high) == (Decimal("7200") / duration.low).quantize(Decimal("0.01"))
    assert duration.low < duration.median < duration.high


def test_effective_hourly_charges_unpaid_time_and_rejections() -> None:
    community = Community()
    community.trust("a", "b", "c", "d", "e")
    for install in ("a", "b", "c", "d"):
        community.time(install, "new", 600)
    community.time("e", "new", 300, outcome="screened_out")
    reviewed = community.reports["new"]
    result = score(community, reward="1.50", advertised_s=None)
    assert result.effective_hourly.currency == "GBP"
    # 1.50 GBP x (1 - 0 rejections) / (600 s + 300 unpaid s / 4 completions) x 3600
    assert Decimal(result.effective_hourly.amount) == (Decimal("1.50") * 3600 / (result.duration_s.median + 75)).quantize(Decimal("0.01"))
    assert reviewed  # the screen-out was observed on the task itself (5 attempts)


def test_effective_hourly_uses_the_requester_when_the_task_has_few_attempts() -> None:
    community = Community()
    lab_history(community, ratio=1.0, tasks=2)
    for index in range(3):
        community.time(f"s{index}", "h0", 120, outcome="returned")
    community.time("e1", "new", 600)
    charges = estimate.unpaid(community.tasks["new"], community.groups["lab"], None, settings=SETTINGS)
    group = community.groups["lab"]
    assert charges.scope == "requester"
    assert charges.seconds_per_completion == pytest.approx(group.unpaid_s / group.reports)


def test_rejections_reduce_effective_hourly() -> None:
    charges = estimate.Unpaid(seconds_per_completion=0.0, rejection_rate=0.25, scope="task")
    duration = estimate.Duration(math.log(3600), 0.1, "task", 5)
    money = estimate.effective_hourly(listing().reward, duration, charges)
    assert money["amount"] == "1.12"  # 1.50 x 0.75 = 1.125, rounded half to even


def test_requester_summary_reads_the_group_sums() -> None:
    community = Community()
    lab_history(community, ratio=2.0)
    community.time("r1", "h0", 60, outcome="screened_out")
    summary = estimate.requester_summary(community.groups["lab"], settings=SETTINGS, now=NOW,
                                         flags={"scam": 2, "broken": 0})
    assert summary.requester_id == "lab" and summary.tasks == 6 and summary.reports == 18
    assert summary.duration_ratio == pytest.approx(2.0, rel=1e-3)
    assert summary.screen_out_rate == pytest.approx(1 / 19)
    assert summary.rejection_rate is None and summary.median_payment_delay_s is None
    assert summary.hourly.currency == "EUR"
    eur = 1.50 / float(money.rates()["GBP"])
    assert float(summary.hourly.median) == pytest.approx(eur * 3600 / 1200, rel=1e-2)
    assert summary.first_seen == datetime.fromtimestamp(1.8e9 + 1, UTC)
    assert [(f.reason, f.count) for f in summary.flags] == [("scam", 2)]


def test_requester_effective_hourly_charges_unpaid_time_and_never_exceeds_the_median() -> None:
    community = Community()
    community.trust("e1", "e2", "e3")
    for index in range(6):  # same duration, very different rewards: pooled pay / time would exceed the median
        for install in ("e1", "e2", "e3"):
            community.time(install, f"h{index}", 1200, reward="0.50" if index % 2 else "4.50")
    summary = estimate.requester_summary(community.groups["lab"], settings=SETTINGS, now=NOW)
    assert summary.effective_hourly.amount == summary.hourly.median  # nothing unpaid yet

    for index in range(6):  # six screen-outs after 300 s each: 1800 unpaid s against 21600 s of work
        community.time(f"s{index}", f"h{index}", 300, outcome="screened_out")
    summary = estimate.requester_summary(community.groups["lab"], settings=SETTINGS, now=NOW)
    median, effective = Decimal(summary.hourly.median), Decimal(summary.effective_hourly.amount)
    assert effective < median
    assert float(effective) == pytest.approx(float(median) * 21600 / (21600 + 1800), rel=1e-2)


def test_an_empty_group_summary_has_no_figures() -> None:
    summary = estimate.requester_summary(GroupAggregate("prolific", "lab"), settings=SETTINGS, now=NOW)
    assert summary.hourly is None and summary.effective_hourly is None and summary.duration_ratio is None
    assert summary.screen_out_rate is None and summary.first_seen is None


# --- properties ---------------------------------------------------------------------------

log_durations = st.floats(min_value=math.log(30), max_value=math.log(7200))


@settings(max_examples=50, deadline=None)
@given(centre=log_durations, offsets=st.lists(st.floats(-0.05, 0.05), min_size=2, max_size=12),
       extra=st.integers(1, 20))
def test_more_agreeing_reports_narrow_the_interval(centre: float, offsets: list[float], extra: int) -> None:
    community = Community()
    for index, offset in enumerate(offsets):
        community.trust(f"w{index}")
        community.time(f"w{index}", "new", math.exp(centre + offset))
    before = score(community, advertised_s=None).duration_s
    for index in range(extra):
        community.trust(f"x{index}")
        community.time(f"x{index}", "new", math.exp(centre + offsets[index % len(offsets)]))
    after = score(community, advertised_s=None).duration_s
    assert math.log(after.high / after.low) <= math.log(before.high / before.low) + 1e-9


@settings(max_examples=80, deadline=None)
@given(centre=log_durations, offsets=st.lists(st.floats(-0.1, 0.1), min_size=3, max_size=15),
       extreme=st.floats(-6, 6), with_history=st.booleans())
def test_one_install_cannot_move_an_estimate_beyond_its_share(centre: float, offsets: list[float], extreme: float,
                                                             with_history: bool) -> None:
    community = Community()
    if with_history:
        lab_history(community, ratio=1.5)
    for index, offset in enumerate(offsets):
        community.trust(f"w{index}")
        community.time(f"w{index}", "new", math.exp(centre + offset))
    before = score(community).duration_s.median
    community.trust("outlier")
    community.time("outlier", "new", min(12 * 3600, math.exp(centre + extreme)))
    after = score(community).duration_s.median
    # A mean would move by up to 6 / (n + 1) on the log axis; a fully trusted install moves ours by
    # at most Huber's bounded pull (k x scale, scale <= 1.4826 x 0.2 here) over n, plus rounding.
    share = 1.0 / len(offsets)
    assert log_gap(after, before) <= 1.5 * max(1.4826 * 0.2, 0.15) * share + 2 / before


@settings(max_examples=25, deadline=None)
@given(burst=st.integers(1, 12), factor=st.floats(0.1, 10), history=st.integers(3, 8))
def test_a_burst_of_new_installs_reporting_for_one_requester_moves_its_estimate_little(
        burst: int, factor: float, history: int) -> None:
    community = Community()
    lab_history(community, ratio=1.5, tasks=history)
    community.trust("w")
    community.time("w", "new", 900)
    before_task, before_next = score(community).duration_s.median, score(community, "next").duration_s.median
    for install in range(burst):
        for index in range(history):
            community.time(f"burst{install}", f"h{index}", 900 * factor)
        community.time(f"burst{install}", "new", 900 * factor)
    after_task, after_next = score(community).duration_s.median, score(community, "next").duration_s.median
    assert log_gap(after_next, before_next) <= 0.25 * abs(math.log(factor)) + 0.01
    assert log_gap(after_task, before_task) <= 0.3 * abs(math.log(factor)) + 0.01


# --- a batch: the answer of POST /v1/score -------------------------------------------------

counts = st.integers(0, 40)
weights = st.one_of(st.just(0.0), st.floats(0.01, 300))
tasks = st.builds(
    lambda reports, extra, weight, loc, spread, advertised, reviewed, rejected, unpaid, screened: TaskAggregate(
        "prolific", "t", "lab", reports=reports, attempts=reports + extra, screened_out=min(screened, extra),
        unpaid_s=unpaid, weight=weight if loc is not None else 0.0, loc=loc, spread=spread, advertised_s=advertised,
        reviewed=reviewed, rejected=min(rejected, reviewed), reward_eur=1.0, first_seen=NOW - 86400),
    counts, st.integers(0, 10), weights, st.none() | st.floats(0.0, 11.0), st.none() | st.floats(0.0, 1.5),
    st.none() | st.integers(1, 20_000), st.sampled_from([0, 3, 5, 20]), counts, st.floats(0.0, 5_000.0),
    st.integers(0, 10),
)


def groups(requester_id: str | None) -> st.SearchStrategy[GroupAggregate]:
    def build(sums: tuple[float, float, float], ratio: tuple[float, float], loc: tuple[float, float],
              spread: tuple[float, float], reports: int, reviewed: int, first_seen: float | None) -> GroupAggregate:
        ratio_w, loc_w, spread_w = sums
        return GroupAggregate(
            "prolific", requester_id, reports=reports, attempts=reports + 3, unpaid_s=100.0 * reports,
            ratio_w=ratio_w, ratio_sum=ratio_w * ratio[0], ratio_sq=ratio_w * (ratio[1] + ratio[0] ** 2),
            loc_w=loc_w, loc_sum=loc_w * loc[0], loc_sq=loc_w * (loc[1] + loc[0] ** 2),
            spread_w=spread_w, spread_sum=spread_w * spread[0], reviewed=reviewed, rejected=reviewed // 4,
            first_seen=first_seen)

    return st.builds(build, st.tuples(weights, weights, weights), st.tuples(st.floats(-1, 1.5), st.floats(0, 0.5)),
                     st.tuples(st.floats(3, 9), st.floats(0, 1)), st.tuples(st.floats(0.05, 1), st.just(0.0)),
                     st.integers(0, 500), st.sampled_from([0, 10, 100]), st.none() | st.floats(NOW - 90 * 86400, NOW))


def reference_group_stats(group: GroupAggregate, minus: TaskAggregate | None) -> estimate.GroupStats:
    """The definition: every additive sum as a float, less the task's contribution."""
    sums = {name: float(getattr(group, name)) for name in contribution(None)}
    if minus is not None:
        for name, value in contribution(minus).items():
            sums[name] -= value
    ratio_mean, ratio_var = estimate._mean_var(sums["ratio_w"], sums["ratio_sum"], sums["ratio_sq"])
    loc_mean, loc_var = estimate._mean_var(sums["loc_w"], sums["loc_sum"], sums["loc_sq"])
    spread = sums["spread_sum"] / sums["spread_w"] if sums["spread_w"] > 1e-9 else None
    return estimate.GroupStats(max(0.0, sums["reports"]), sums["ratio_w"], ratio_mean, ratio_var,
                               sums["loc_w"], loc_mean, loc_var, sums["spread_w"], spread)


@settings(max_examples=300, deadline=None)
@given(group=groups("lab"), task=st.none() | tasks)
def test_group_statistics_read_from_cached_sums_are_exactly_their_definition(group: GroupAggregate,
                                                                             task: TaskAggregate | None) -> None:
    assert estimate.group_stats(group, task) == reference_group_stats(group, task)


@st.composite
def batches(draw: st.DrawFn) -> tuple[list[Listing], ScoreInputs, Money | None]:
    """Listings of a few tasks and requesters, some timed, some not, some flagged; a threshold or none."""
    inputs = ScoreInputs()
    inputs.groups[("prolific", None)] = draw(groups(None))
    listings = []
    for _ in range(draw(st.integers(1, 12))):
        task_id, requester = f"t{draw(st.integers(0, 5))}", draw(st.sampled_from(["lab", "lab2", None]))
        if requester is not None and ("prolific", requester) not in inputs.groups and draw(st.booleans()):
            inputs.groups[("prolific", requester)] = draw(groups(requester))
            if draw(st.booleans()):
                inputs.flags[("prolific", requester)] = {"scam": draw(st.integers(0, 2)), "broken": 1}
        if ("prolific", task_id) not in inputs.tasks and draw(st.booleans()):
            inputs.tasks[("prolific", task_id)] = replace(draw(tasks), task_id=task_id, requester_id=requester)
        listings.append(Listing(
            platform="prolific", task_id=task_id, requester_id=requester,
            reward=Money(amount=draw(st.sampled_from(["0.10", "1.5", "2.25", "12.3456", "900"])),
                         currency=draw(st.sampled_from(["GBP", "EUR", "USD", "XOF"]))),
            advertised_duration_s=draw(st.none() | st.integers(1, 20_000)),
            time_allotted_s=draw(st.none() | st.integers(1, 40_000))))
    threshold = draw(st.none() | st.builds(Money, amount=st.sampled_from(["5", "12.02", "30.00"]),
                                           currency=st.sampled_from(["EUR", "GBP"])))
    return listings, inputs, threshold


@settings(max_examples=200, deadline=None)
@given(batch=batches())
def test_a_batch_scores_every_listing_as_score_does_in_the_wire_shape(
        batch: tuple[list[Listing], ScoreInputs, Money | None]) -> None:
    listings, inputs, threshold = batch
    answer = estimate.score_batch(listings, inputs, threshold=threshold, settings=SETTINGS, now=NOW)
    one_by_one = []
    for item in listings:
        requester = ("prolific", item.requester_id) if item.requester_id is not None else None
        one_by_one.append(estimate.score(
            item, inputs.tasks.get(("prolific", item.task_id)), inputs.groups.get(requester),
            inputs.groups.get(("prolific", None)), threshold=threshold, settings=SETTINGS, now=NOW,
            flags=inputs.flags.get(requester)).model_dump())
    assert answer == one_by_one
    # Exactly the wire shape: the serialized answer validates, and validation changes nothing (no int/float drift).
    assert ScoreResponse.model_validate_json(orjson.dumps({"scores": answer})).model_dump() == {"scores": answer}
