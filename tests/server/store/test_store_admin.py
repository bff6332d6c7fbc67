"""The AdminStore contract (server/store/admin.py), run against every store implementation."""

from __future__ import annotations

import dataclasses
import time
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest

from server.store.admin import Flag, Session
from shared_schema import AdapterHealth
from tests.server.store.store_records import EPOCH, assert_same_record, timing

NOW = time.time()


async def install(store: Any, install_id: str, *, created: datetime = EPOCH - timedelta(days=30)) -> str:
    await store.create_install(install_id, f"hash-of-{install_id}", created)
    return install_id


def flag(install_id: str = "i1", *, reason: str = "scam", requester_id: str = "r1", comment: str | None = None) -> Flag:
    return Flag(uuid.uuid4().hex, install_id, "prolific", requester_id, None, reason, comment, "pending", NOW)


# --- maintainers and sessions ----------------------------------------------------------------------


async def test_a_maintainer_token_is_found_by_its_hash_and_names_are_unique(store: Any) -> None:
    await store.add_admin("alice", "h-alice", NOW)
    assert await store.admin_for_token("h-alice") == "alice"
    assert await store.admin_for_token("h-bob") is None
    with pytest.raises(ValueError):
        await store.add_admin("alice", "h-other", NOW)
    assert await store.admin_for_token("h-other") is None
    assert [name for name, _ in await store.admins()] == ["alice"]


async def test_revoking_a_token_ends_its_sessions(store: Any) -> None:
    await store.add_admin("alice", "h-alice", NOW)
    await store.add_session(Session("s-alice", "alice", "csrf", NOW, NOW + 3600))
    await store.add_session(Session("s-env", "admin", "csrf", NOW, NOW + 3600))
    assert await store.revoke_admin("alice") is True
    assert await store.admin_for_token("h-alice") is None
    assert await store.session("s-alice", NOW) is None
    assert await store.session("s-env", NOW) is not None
    assert await store.revoke_admin("alice") is False


async def test_an_expired_or_deleted_session_is_gone(store: Any) -> None:
    await store.add_session(Session("s1", "alice", "csrf-1", NOW, NOW + 60))
    assert await store.session("s1", NOW) == Session("s1", "alice", "csrf-1", NOW, NOW + 60)
    assert await store.session("s1", NOW + 61) is None
    await store.delete_session("s1")
    assert await store.session("s1", NOW) is None


# --- flags -------------------------------------------------------------------------------------------


async def test_one_open_flag_per_install_requester_and_reason(store: Any) -> None:
    first = await store.add_flag(flag("i1", comment="asks for my address"))
    again = await store.add_flag(flag("i1", comment="a second try"))
    assert again == first  # the open flag comes back unchanged
    other_reason = await store.add_flag(flag("i1", reason="phishing"))
    other_install = await store.add_flag(flag("i2"))
    assert len({first.flag_id, other_reason.flag_id, other_install.flag_id}) == 3
    assert await store.flag_totals() == {"pending": 3}
    assert {f.flag_id for f in await store.flags(status="pending")} == {first.flag_id, other_reason.flag_id, other_install.flag_id}
    assert await store.flags(status="approved") == []


async def test_flags_come_newest_first(store: Any) -> None:
    old = await store.add_flag(dataclasses.replace(flag("i1"), created_at=NOW - 60))
    new = await store.add_flag(dataclasses.replace(flag("i2"), created_at=NOW))
    assert [f.flag_id for f in await store.flags()] == [new.flag_id, old.flag_id]
    assert [f.flag_id for f in await store.flags(limit=1, offset=1)] == [old.flag_id]


async def test_only_approved_flags_count_once_per_install(store: Any) -> None:
    a = await store.add_flag(flag("i1"))
    b = await store.add_flag(flag("i2"))
    c = await store.add_flag(flag("i3", reason="phishing"))
    assert await store.flag_counts([("prolific", "r1")]) == {}
    await store.moderate_flag(a.flag_id, "approved", by="alice", at=NOW)
    await store.moderate_flag(b.flag_id, "approved", by="alice", at=NOW)
    await store.moderate_flag(c.flag_id, "hidden", by="alice", at=NOW)
    # A repeat of an approved flag is that flag: it cannot be counted twice.
    assert (await store.add_flag(flag("i1"))).flag_id == a.flag_id
    assert await store.flag_counts([("prolific", "r1"), ("prolific", "r2"), ("prolific", None)]) == {
        ("prolific", "r1"): {"scam": 2}
    }
    moderated = await store.flag(a.flag_id)
    assert (moderated.status, moderated.moderated_by, moderated.moderated_at) == ("approved", "alice", NOW)


async def test_score_inputs_carry_the_approved_flags(store: Any) -> None:
    await store.create_install("i1", "h1", EPOCH)
    await store.add_timings("i1", [timing("t1")])
    approved = await store.add_flag(flag("i1", reason="personal_data"))
    await store.moderate_flag(approved.flag_id, "approved", by="alice", at=NOW)
    await store.settle()
    inputs = await store.score_inputs([("prolific", "t1")], [("prolific", "r1"), ("prolific", None)])
    assert inputs.flags == {("prolific", "r1"): {"personal_data": 1}}


async def test_after_a_hidden_flag_the_install_may_flag_again(store: Any) -> None:
    hidden = await store.add_flag(flag("i1"))
    await store.moderate_flag(hidden.flag_id, "hidden", by="alice", at=NOW)
    fresh = await store.add_flag(flag("i1"))
    assert fresh.flag_id != hidden.flag_id and fresh.status == "pending"
    with pytest.raises(ValueError):  # reopening the hidden one would make two open flags
        await store.moderate_flag(hidden.flag_id, "pending", by="alice", at=NOW)
    assert (await store.flag(hidden.flag_id)).status == "hidden"
    assert await store.moderate_flag("no-such-flag", "approved", by="alice", at=NOW) is None


async def test_flags_of_one_requester(store: Any) -> None:
    mine = await store.add_flag(flag("i1", requester_id="r1"))
    await store.add_flag(flag("i1", requester_id="r2"))
    assert [f.flag_id for f in await store.flags(key=("prolific", "r1"))] == [mine.flag_id]


# --- adapter health ---------------------------------------------------------------------------------


async def test_adapter_health_is_counted_per_adapter_and_day(store: Any) -> None:
    events = [
        ("2026-11-01", AdapterHealth(adapter="prolific", adapter_version="1.0.0", listings_found=7, blocks_seen=7)),
        ("2026-11-01", AdapterHealth(adapter="prolific", adapter_version="1.0.1", listings_found=0, blocks_seen=4)),
        ("2026-11-02", AdapterHealth(adapter="prolific", listings_found=0)),
        ("2026-10-01", AdapterHealth(adapter="toloka", listings_found=3)),
    ]
    for day, event in events:
        await store.add_adapter_health(event, day)
    days = await store.adapter_health("2026-10-15")
    assert [(d.adapter, d.day, d.events, d.empty, d.listings_found, d.blocks_seen, d.version) for d in days] == [
        ("prolific", "2026-11-01", 2, 1, 7, 11, "1.0.1"),
        ("prolific", "2026-11-02", 1, 1, 0, 0, None),
    ]


# --- activity and reads --------------------------------------------------------------------------------


async def test_activity_coverage_and_weekly_reports(store: Any) -> None:
    for name in ("i1", "i2"):
        await install(store, name)
    await store.add_timings("i1", [timing("t1", minute=0), timing("t2", requester_id="r2", minute=1),
                                   timing("t3", platform="toloka", minute=24 * 60)])
    await store.add_timings("i2", [timing("t1", minute=2), timing("t1", minute=3, outcome="returned")])
    await store.settle()
    days = {(d.day, d.platform): (d.timings, d.installs, d.tasks, d.requesters)
            for d in await store.daily_activity(EPOCH.timestamp() - 1)}
    assert days == {("2026-06-01", "prolific"): (4, 2, 2, 2), ("2026-06-02", "toloka"): (1, 1, 1, 1)}
    coverage = {c.platform: c for c in await store.coverage(active_since=EPOCH.timestamp() + 3600)}
    assert (coverage["prolific"].timings, coverage["prolific"].installs, coverage["prolific"].active_installs,
            coverage["prolific"].tasks, coverage["prolific"].requesters) == (4, 2, 0, 2, 2)
    assert (coverage["toloka"].active_installs, coverage["toloka"].tasks) == (1, 1)
    weekly = {(w.week, w.platform, w.task_id): w.reports for w in await store.weekly_reports(EPOCH.timestamp() - 1)}
    # 2026-06-01 is a Monday; i2's latest attempt at t1 was a return, so t1 has one submitted report.
    assert weekly == {("2026-06-01", "prolific", "t1"): 1, ("2026-06-01", "prolific", "t2"): 1,
                      ("2026-06-01", "toloka", "t3"): 1}
    tasks = await store.task_aggregates(platform="prolific")
    assert sorted(t.task_id for t in tasks) == ["t1", "t2"]
    assert [t.task_id for t in await store.task_aggregates(platform="prolific", requester_id="r2")] == ["t2"]
    groups = await store.groups(requesters=True, search="R2")
    assert [(g.platform, g.requester_id) for g in groups] == [("prolific", "r2")]
    assert sorted(g.platform for g in await store.groups(requesters=False)) == ["prolific", "toloka"]


async def test_bursts_of_new_installs_on_one_requester(store: Any) -> None:
    since = EPOCH - timedelta(days=1)
    await install(store, "old")
    await store.add_timings("old", [timing("t1", minute=0)])
    for n in range(4):
        name = await install(store, f"new-{n}", created=EPOCH - timedelta(hours=2))
        await store.add_timings(name, [timing("t1", minute=n + 1, active_s=60)])
    await store.settle()
    bursts = await store.bursts(since.timestamp(), min_new_installs=3)
    assert [(b.platform, b.requester_id, b.new_installs, b.installs) for b in bursts] == [("prolific", "r1", 4, 5)]
    assert await store.bursts(since.timestamp(), min_new_installs=5) == []


# --- discounting an install --------------------------------------------------------------------------------


async def _community(store: Any) -> None:
    for n in range(4):
        await install(store, f"honest-{n}")
        await store.add_timings(f"honest-{n}", [timing("t1", active_s=600 + 10 * n, minute=n),
                                                timing("t2", active_s=300 + 5 * n, minute=n)])
    await install(store, "liar")
    await store.add_timings("liar", [timing("t1", active_s=60, minute=10), timing("t2", active_s=30, minute=10),
                                     timing("t3", active_s=20, minute=10, outcome="screened_out")])


async def _snapshot(store: Any) -> dict[str, Any]:
    await store.settle()
    return {
        "tasks": {t.task_id: t for t in await store.task_aggregates(limit=10)},
        "groups": {(g.platform, g.requester_id): g for g in
                   [*await store.groups(requesters=True), *await store.groups(requesters=False)]},
        "reports": {key: await store.reports(("prolific", key)) for key in ("t1", "t2", "t3")},
    }


async def test_discounting_an_install_is_exact_and_reversible(store: Any) -> None:
    await _community(store)
    before = await _snapshot(store)
    assert await store.set_discounted("liar", True) == 3
    assert (await store.contributor("liar")).discounted is True
    discounted = await _snapshot(store)
    # Its reports stop counting: every figure is that of the honest installs alone.
    assert discounted["tasks"]["t1"].reports == before["tasks"]["t1"].reports - 1
    assert discounted["tasks"]["t1"].loc > before["tasks"]["t1"].loc
    assert "t3" not in discounted["tasks"]  # its only report was the liar's screen-out
    group = discounted["groups"][("prolific", "r1")]
    assert (group.reports, group.attempts, group.screened_out) == (8, 8, 0)
    assert [r.trust for r in discounted["reports"]["t1"] if r.install_id == "liar"] == [0.0]
    assert await store.set_discounted("liar", True) == 0  # already discounted: nothing changes
    assert await store.set_discounted("liar", False) == 3
    after = await _snapshot(store)
    for name in ("tasks", "reports"):
        assert after[name].keys() == before[name].keys()
    for key, task in before["tasks"].items():
        assert_same_record(after["tasks"][key], task)
    for key, group in before["groups"].items():
        assert_same_record(after["groups"][key], group)
    for key, reports in before["reports"].items():
        assert [dataclasses.astuple(r) for r in after["reports"][key]] == [dataclasses.astuple(r) for r in reports]


async def test_a_discounted_install_keeps_not_counting_when_it_reports_again(store: Any) -> None:
    await _community(store)
    await store.set_discounted("liar", True)
    before = (await store.task_aggregates(limit=10))
    await store.add_timings("liar", [timing("t1", active_s=50, minute=20)])
    await store.add_timings("honest-0", [timing("t2", active_s=310, minute=20)])
    await store.settle()
    t1 = next(t for t in await store.task_aggregates(limit=10) if t.task_id == "t1")
    assert_same_record(t1, next(t for t in before if t.task_id == "t1"))
    await store.set_discounted("liar", False)
    t1 = next(t for t in await store.task_aggregates(limit=10) if t.task_id == "t1")
    assert t1.reports == 5  # its newer report counts again, with the trust it has now


async def test_discounting_an_unknown_install_is_an_error(store: Any) -> None:
    with pytest.raises(KeyError):
        await store.set_discounted("nobody", True)


# --- open data and demo ------------------------------------------------------------------------------------


async def test_open_aggregates_leave_out_what_fewer_than_k_installs_reported(store: Any) -> None:
    for n in range(3):
        await install(store, f"i{n}")
        await store.add_timings(f"i{n}", [timing("wide", minute=n)])
    await store.add_timings("i0", [timing("narrow", requester_id="r2", minute=5)])
    await store.settle()
    levels = {(a.level, a.group.requester_id if a.group else a.task.task_id): a.contributors
              for a in await store.open_aggregates(3)}
    assert levels == {("platform", None): 3, ("requester", "r1"): 3, ("task", "wide"): 3}
    await store.set_discounted("i2", True)  # a discounted install is not a contributor
    assert await store.open_aggregates(3) == []


async def test_a_store_is_empty_until_anything_arrives(store: Any) -> None:
    assert await store.is_empty() is True
    await store.add_admin("alice", "h", NOW)  # a maintainer account is not community data
    assert await store.is_empty() is True
    await store.add_flag(flag("i1"))
    assert await store.is_empty() is False
