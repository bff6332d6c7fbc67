"""What the stores keep and the pure folds that update it."""

from __future__ import annotations

import math
from dataclasses import fields

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server import aggregates as agg
from tests.server.community import Community, established, report


def test_the_latest_attempt_counts_and_a_late_older_one_changes_nothing() -> None:
    first, second = report("a", "t", 100, at=10), report("a", "t", 300, at=20)
    assert agg.latest(first, second) is second
    assert agg.latest(second, first) is second
    community = Community()
    community.add(second)
    community.add(first)
    assert community.tasks["t"].reports == 1
    assert math.exp(community.tasks["t"].loc) == pytest.approx(300)


def test_one_contributor_counts_once_per_task() -> None:
    community = Community()
    for at in range(5):
        community.time("a", "t", 100 + at)
    community.time("b", "t", 200)
    assert community.tasks["t"].reports == 2
    assert community.tasks["t"].attempts == 2


def test_unpaid_attempts_are_counted_with_their_time_and_are_not_timings() -> None:
    community = Community()
    community.time("a", "t", 60, outcome="screened_out")
    community.time("b", "t", 90, outcome="returned")
    community.time("c", "t", 30, outcome="timed_out")
    community.time("d", "t", 600)
    task = community.tasks["t"]
    assert (task.attempts, task.reports, task.screened_out, task.returned, task.timed_out) == (4, 1, 1, 1, 1)
    assert task.unpaid_s == 180
    assert math.exp(task.loc) == pytest.approx(600)


def test_verdicts_update_the_report_they_concern() -> None:
    kept = agg.with_outcome(report("a", "t", 100, at=1000), "rejected", 2000)
    assert kept.review == "rejected"
    paid = agg.with_outcome(kept, "paid", 1000 + 3 * 86400)
    assert paid.paid_delay_s == 3 * 86400
    task = agg.task_aggregate("prolific", "t", "lab", [paid])
    assert (task.reviewed, task.rejected, task.paid) == (1, 1, 1)
    assert task.log_paid_delay_sum == pytest.approx(math.log1p(3 * 86400))


def test_weighted_median_splits_the_weight_and_takes_the_midpoint_on_a_tie() -> None:
    assert agg.weighted_median([1.0, 3.0], [1.0, 1.0]) == 2.0
    assert agg.weighted_median([1.0, 3.0, 10.0], [1.0, 1.0, 1.0]) == 3.0
    assert agg.weighted_median([1.0, 3.0], [0.2, 1.0]) == 3.0


def test_a_break_pulls_the_location_only_a_bounded_amount() -> None:
    values = [math.log(x) for x in (300, 310, 320, 290, 305)]
    clean, _, _ = agg.robust_location(values, [1.0] * 5)
    for break_s in (3_000, 30_000, 40_000):
        moved, _, weight = agg.robust_location([*values, math.log(break_s)], [1.0] * 6)
        assert abs(moved - clean) <= agg.HUBER_K * agg.MIN_SCALE / 5 + 1e-9
        assert weight < 5.2  # the break adds almost no precision


def test_a_new_install_is_light_and_trust_grows_with_agreement_across_requesters() -> None:
    new = agg.Contributor("a")
    assert agg.trust(new) == pytest.approx(agg.NEW_TRUST)
    assert agg.trust(established("b")) == pytest.approx(1.0)
    assert agg.trust(established("c", requesters=4)) == pytest.approx(agg.NEW_TRUST + (1 - agg.NEW_TRUST) * 3 / 7)
    assert agg.trust(agg.Contributor("d", discounted=True)) == 0.0


def test_agreeing_many_times_on_one_requester_earns_no_trust() -> None:
    community = Community()
    community.trust("e1", "e2", "e3")
    for index in range(30):
        task = f"t{index}"
        for install in ("e1", "e2", "e3"):
            community.time(install, task, 600)
        community.time("sock", task, 610)
    sock = community.contributors["sock"]
    assert sock.agreements == 30
    assert agg.requesters_agreed(sock) == 1
    assert agg.trust(sock) == pytest.approx(agg.NEW_TRUST)


def test_disagreeing_reports_lose_trust_and_shift_speed_by_a_clipped_amount() -> None:
    community = Community()
    community.trust("e1", "e2")
    community.contributors["x"] = established("x")
    for index in range(10):
        community.time("e1", f"t{index}", 600)
        community.time("e2", f"t{index}", 600)
        community.time("x", f"t{index}", 600 * 20)
    x = community.contributors["x"]
    assert x.agreements == 20 and x.comparisons == 30
    assert x.resid_sum == pytest.approx(10 * agg.SPEED_CLIP)
    assert agg.trust(x) == pytest.approx(21 / 31)


def test_a_consensus_of_untrusted_reports_is_no_consensus() -> None:
    community = Community()
    for install in ("n1", "n2", "n3"):
        community.time(install, "t", 100)
    assert community.tasks["t"].weight < agg.MIN_CONSENSUS_WEIGHT
    community.time("n4", "t", 5_000)
    assert community.contributors["n4"].comparisons == 0


def test_a_slow_contributor_is_speed_adjusted() -> None:
    community = Community()
    community.trust("e1", "e2", "slow")
    for index in range(40):
        community.time("e1", f"t{index}", 600)
        community.time("e2", f"t{index}", 600)
        community.time("slow", f"t{index}", 600 * 1.4)
    assert agg.speed(community.contributors["slow"]) == pytest.approx(math.log(1.4) * 40 / (20 + 40 + agg.SPEED_PRIOR), rel=1e-6)
    community.time("slow", "alone", 1400)
    assert community.tasks["alone"].loc == pytest.approx(math.log(1400) - agg.speed(community.contributors["slow"]))


def test_the_requester_sketch_is_stable_and_fits_a_signed_64_bit_column() -> None:
    bit = agg.requester_bit(report("a", "t", 1, requester="lab"))
    assert bit == agg.requester_bit(report("b", "u", 2, requester="lab"))
    assert 0 < bit < 2**agg.REQUESTER_BITS < 2**63


def test_group_sums_are_the_sums_of_their_tasks_contributions() -> None:
    community = Community()
    community.trust("e1", "e2")
    for index, seconds in enumerate((100, 400, 1600)):
        for install in ("e1", "e2", "n1"):
            community.time(install, f"t{index}", seconds * (1.1 if install == "n1" else 1.0), advertised_s=300)
        community.time("n2", f"t{index}", 30, outcome="screened_out")
    expected = {name: 0.0 for name in agg.ADDITIVE}
    for task in community.tasks.values():
        for name, value in agg.contribution(task).items():
            expected[name] += value
    group = community.groups["lab"]
    for name in agg.ADDITIVE:
        assert getattr(group, name) == pytest.approx(expected[name], abs=1e-9), name
    assert group.first_seen == 1.8e9 + 1
    assert community.groups[None].tasks == 3


def test_as_row_has_every_field_by_name() -> None:
    task = agg.TaskAggregate("prolific", "t", None)
    assert list(agg.as_row(task)) == [f.name for f in fields(agg.TaskAggregate)]


timings = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c", "d", "e"]), st.sampled_from(["t1", "t2"]),
              st.floats(min_value=5, max_value=40_000), st.sampled_from(["submitted", "submitted", "returned"])),
    min_size=1, max_size=25)


@settings(max_examples=60, deadline=None)
@given(timings, st.data())
def test_duplicates_change_nothing(history: list, data: st.DataObject) -> None:
    community = Community()
    sent = []
    for at, (install, task, seconds, outcome) in enumerate(history):
        item = report(install, task, seconds, outcome=outcome, at=1.8e9 + at)
        community.add(item)
        sent.append(item)
    before = (dict(community.tasks), dict(community.groups), dict(community.contributors))
    for item in data.draw(st.lists(st.sampled_from(sent), min_size=1, max_size=10)):
        community.add(item)
    assert (community.tasks, community.groups, community.contributors) == before
