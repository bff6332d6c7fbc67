"""Folding the raw records into the aggregates right behind their acknowledgement.

`ingest.add_timings` / `add_outcomes` only append raw records, each with `seq`, its place in
one arrival order shared by timings and outcomes. `fold_chunk` (run by the writer thread in
its own BEGIN IMMEDIATE transaction) folds the next records past the watermark
`counters.folded` in that order and advances the watermark in the same transaction: after a
crash folding resumes exactly where it stopped, and nothing is folded twice, whichever of
several processes on the file does it.

Each record is folded as if it were alone, in arrival order, with the code of fold.py: a
timing sees only the outcomes that arrived before it (later ones are folded after it), the
contributor comparison uses the consensus of the others as it stood just before the report.
A chunk loads each task once and recomputes each changed task's aggregate once at the end
(`ingest.save`), which is where the throughput comes from; the final state is the one folding
the records batch by batch gives (as ingest did before fold-behind), except that the group
sums add the chunk's increments in a different order (float rounding, ~1e-15 relative).
A group's `first_seen` (the earliest it ever saw, not a sum) is kept exact by remembering each
task's first_seen at the end of every batch folded (TaskState.earliest).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import orjson

from ...aggregates import Contributor, Report
from ..changes import Changes
from .fold import fold_outcome, fold_timing
from .ingest import load_states, save
from .schema import CONTRIBUTORS

#: Most timings (and, separately, outcomes) folded in one transaction by default (the writer
#: passes its own limits): bounds how long folding holds the file's write lock.
CHUNK = 500

_COUNTERS = "SELECT name, value FROM counters WHERE name IN ('arrivals', 'folded')"
_TIMINGS = ("SELECT seq, install_id, idempotency_key, platform, task_id, requester_id, outcome, active_s, ended_at, "
            "reward_amount, currency, advertised_s, allotted_s, received_at FROM timings WHERE seq > ? AND seq <= ? "
            "ORDER BY seq LIMIT ?")
_OUTCOMES = ("SELECT seq, install_id, idempotency_key, status, at FROM outcomes WHERE seq > ? AND seq <= ? "
             "ORDER BY seq LIMIT ?")
# Verdicts stored for the chunk's timings (applied to each timing if they arrived before it).
_VERDICTS = ("SELECT o.install_id, o.idempotency_key, o.status, o.at, o.seq FROM json_each(?) AS k JOIN outcomes AS o "
             "ON o.install_id = k.value ->> 0 AND o.idempotency_key = k.value ->> 1")
# The timing each of the chunk's outcomes concerns (applied only if it arrived before the outcome).
_TIMINGS_OF = ("SELECT t.install_id, t.idempotency_key, t.platform, t.task_id, t.seq FROM json_each(?) AS k "
               "JOIN timings AS t ON t.install_id = k.value ->> 0 AND t.idempotency_key = k.value ->> 1")


def _json(values: object) -> str:
    return orjson.dumps(values).decode()  # TEXT: SQLite 3.45.0 read BLOBs as JSONB


@dataclass(frozen=True, slots=True)
class Lag:
    arrivals: int  # the last seq handed out
    folded: int  # the watermark

    @property
    def behind(self) -> int:
        """Places in the arrival order not folded yet (an upper bound on records: repeats leave gaps)."""
        return self.arrivals - self.folded


def lag(conn: sqlite3.Connection) -> Lag:
    counters = dict(conn.execute(_COUNTERS).fetchall())
    return Lag(counters.get("arrivals", 0), counters.get("folded", 0))


def unfolded_records(conn: sqlite3.Connection) -> int:
    """Records acknowledged and not folded yet (exact; for /healthz)."""
    folded = lag(conn).folded
    return sum(conn.execute(f"SELECT count(*) FROM {table} WHERE seq > ?", (folded,)).fetchone()[0]
               for table in ("timings", "outcomes"))


def fold_chunk(conn: sqlite3.Connection, limit: int = CHUNK, changed: list[Changes] | None = None) -> bool:
    """Fold the next records past the watermark (inside the caller's transaction); True if more remain.

    What the fold changed is appended to `changed` (for the score cache, once committed)."""
    state = lag(conn)
    if state.behind <= 0:
        return False
    low, high = state.folded, state.arrivals
    timings = conn.execute(_TIMINGS, (low, high, limit)).fetchall()
    if len(timings) == limit:
        high = timings[-1][0]
    outcomes = conn.execute(_OUTCOMES, (low, high, limit)).fetchall()
    if len(outcomes) == limit:
        high = outcomes[-1][0]
        timings = [row for row in timings if row[0] <= high]
    changes = _fold(conn, timings, outcomes)
    if changed is not None:
        changed.append(changes)
    conn.execute("UPDATE counters SET value = ? WHERE name = 'folded'", (high,))
    return high < state.arrivals


def _fold(conn: sqlite3.Connection, timings: list[tuple], outcomes: list[tuple]) -> Changes:
    verdicts: dict[tuple[str, str], list[tuple[str, float, int | None]]] = {}
    if timings:
        for install_id, key, status, at, seq in conn.execute(_VERDICTS, (_json([[t[1], t[2]] for t in timings]),)):
            verdicts.setdefault((install_id, key), []).append((status, at, seq))
    concerned: dict[tuple[str, str], tuple[str, str, int | None]] = {}
    if outcomes:
        wanted = list({(o[1], o[2]) for o in outcomes})
        for install_id, key, platform, task_id, seq in conn.execute(_TIMINGS_OF, (_json(wanted),)):
            concerned[(install_id, key)] = (platform, task_id, seq)
    # Only an outcome whose timing arrived before it is folded as an outcome; an earlier one is a
    # verdict its timing picks up (as ingest did when the timing arrived after its outcome).
    applied = []
    for seq, install_id, key, status, at in outcomes:
        timing = concerned.get((install_id, key))
        if timing is not None and (timing[2] is None or timing[2] < seq):
            applied.append((seq, install_id, key, status, at, (timing[0], timing[1])))

    writers = [((t[3], t[4]), t[1]) for t in timings] + [(o[5], o[1]) for o in applied]
    states = load_states(conn, list(dict.fromkeys(key for key, _ in writers)), writers)
    contributors: dict[str, Contributor] = {}
    if timings:
        installs = list(dict.fromkeys(t[1] for t in timings))
        for row in conn.execute(f"SELECT {CONTRIBUTORS.select_sql()} FROM contributors WHERE install_id IN "
                                "(SELECT value FROM json_each(?))", (_json(installs),)):
            contributor = CONTRIBUTORS.from_row(row)
            contributors[contributor.install_id] = contributor

    events = sorted([(t[0], 0, t) for t in timings] + [(o[0], 1, o) for o in applied], key=lambda e: e[0])
    batch: tuple[str, float] | None = None
    touched: set[tuple[str, str]] = set()
    for seq, kind, record in events:
        if kind == 0:
            (_, install_id, key, platform, task_id, requester_id, outcome, active_s, ended_at,
             amount, currency, advertised_s, allotted_s, received_at) = record
            if (install_id, received_at) != batch:  # one acknowledged batch ends: see TaskState.earliest
                for task in touched:
                    states[task].end_of_batch()
                batch, touched = (install_id, received_at), set()
            touched.add((platform, task_id))
            report = Report(install_id=install_id, platform=platform, task_id=task_id, requester_id=requester_id,
                            idempotency_key=key, outcome=outcome, active_s=active_s, ended_at=ended_at,
                            reward_amount=amount, currency=currency, advertised_s=advertised_s, allotted_s=allotted_s)
            earlier = sorted(((status, at) for status, at, when in verdicts.get((install_id, key), ())
                              if when is None or when < seq), key=lambda v: (v[1], v[0]))
            contributor = contributors.get(install_id) or Contributor(install_id)
            contributors[install_id] = fold_timing(contributor, states[(platform, task_id)], report, earlier)
        else:
            _, install_id, key, status, at, task = record
            fold_outcome(states[task], install_id, key, status, at)
    return save(conn, states.values(), contributors=contributors.values())
