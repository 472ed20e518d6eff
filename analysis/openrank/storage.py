"""Writing computed OpenRank beside the published values, and switching readers to it
(docs/openrank.md, "Storage").

A run's values go into one of two slots (property names ending in A or B) while readers keep
reading the other, the current run's; one small transaction then marks the new run current.
Every reader first reads which run is current (`OpenRankRun {current: true}`, its `slot`) and
then that slot's values, which nothing changes while they are current, so it sees the previous
run or the new one, never a mix (a commit of 732 k developers is neither atomic for Neo4j's
read-committed readers nor within its transaction memory).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from nichegraph.analysis.openrank.method import REPO, NodeIds, OpenRankRun
from nichegraph.db import Graph
from nichegraph.progress import Progress

SLOTS = ("A", "B")


@dataclass(frozen=True)
class Slot:
    """The property names of one slot: openrankComputedA, openrankMonthsA, ..."""

    name: str

    def name_of(self, field: str) -> str:
        return f"openrank{field}{self.name}"

    @property
    def keys(self) -> dict[str, str]:
        """Parameters naming the properties a run writes: computedKey, monthsKey, ..."""
        return {f"{field.lower()}Key": self.name_of(field) for field in ("Computed", "Months", "Activity", "Run")}

    @property
    def source_keys(self) -> dict[str, str]:
        """Parameters naming the properties a run over part of the data copies from."""
        return {f"from{field}": self.name_of(field) for field in ("Computed", "Months", "Activity")}

    def other(self) -> Slot:
        return Slot(SLOTS[1 - SLOTS.index(self.name)])


# --- which run readers see -------------------------------------------------------------------

CURRENT_RUN = """
OPTIONAL MATCH (run:OpenRankRun {current: true})
RETURN run.id AS id, run.slot AS slot
"""

# The switch: one small transaction, after every value of the new run is in its slot. The run
# notes the last month its slot holds values for (a run over part of the data keeps the months
# after its window): readers give no value after it.
MAKE_CURRENT = """
MERGE (run:OpenRankRun {id: $run})
WITH run
OPTIONAL MATCH (old:OpenRankRun {current: true}) WHERE old <> run
WITH run, old, coalesce(old.computedUntil, old.last) AS oldUntil
SET run.slot = $slot, run.current = true,
    run.computedUntil = CASE WHEN $kept AND oldUntil > $last THEN oldUntil ELSE $last END
WITH old WHERE old IS NOT NULL
SET old.current = false
"""

# --- writing a slot (readers do not look at it) ----------------------------------------------

CLEAR_REPO_MONTHS = """
MATCH (m:RepoMonth) WHERE m[$computedKey] IS NOT NULL
SET m[$computedKey] = null
"""

# a run over part of the data keeps the current values of the months outside its window
COPY_REPO_MONTHS = """
MATCH (m:RepoMonth) WHERE m[$fromComputed] IS NOT NULL AND NOT $first <= m.month <= $last
SET m[$computedKey] = m[$fromComputed]
"""

# A decaying repository may have a value in a month without published data: its RepoMonth is
# created then, as the loader would (one per month with any data).
WRITE_REPO_MONTHS = """
UNWIND $rows AS row
MATCH (r:Repo {name: row.name})
MERGE (m:RepoMonth {repo: row.name, month: row.month})
ON CREATE SET m.interpolated = false
MERGE (r)-[:HAS_MONTH]->(m)
SET m[$computedKey] = row.value
"""

# Developers keep parallel arrays of their active months (months sorted, values, and the
# month's summed squared scores over all repositories); an inactive month's value follows from
# the last active one and the run's decay rule (docs/openrank.md, "Storage"). Batches come as
# columns (node ids, read with the edges; months, values and activity flat, developer i's slice
# from starts[i] to starts[i + 1]): sending maps of short lists cost more to build than to write,
# and finding a node by id costs less than a seek in the key index. The ids stay valid: the run
# holds the writer lock, so no load deletes or creates developers meanwhile.
# A run over all the data writes the arrays outright ...
REPLACE_DEVELOPERS = """
UNWIND range(0, size($ids) - 1) AS i
MATCH (d:Developer) WHERE id(d) = $ids[i]
SET d[$monthsKey] = $months[$starts[i]..$starts[i + 1]], d[$computedKey] = $values[$starts[i]..$starts[i + 1]],
    d[$activityKey] = $activity[$starts[i]..$starts[i + 1]], d[$runKey] = $run
"""

# ... a run over part of it keeps the current slot's months outside its window
MERGE_DEVELOPERS = """
UNWIND range(0, size($ids) - 1) AS i
MATCH (d:Developer) WHERE id(d) = $ids[i]
WITH d, i, coalesce(d[$fromMonths], []) AS months, coalesce(d[$fromComputed], []) AS values,
     coalesce(d[$fromActivity], []) AS activity
WITH d, i, months, values, activity,
     [j IN range(0, size(months) - 1) WHERE months[j] < $first] AS before,
     [j IN range(0, size(months) - 1) WHERE months[j] > $last] AS after
SET d[$monthsKey] = [j IN before | months[j]] + $months[$starts[i]..$starts[i + 1]] + [j IN after | months[j]],
    d[$computedKey] = [j IN before | values[j]] + $values[$starts[i]..$starts[i + 1]] + [j IN after | values[j]],
    d[$activityKey] = [j IN before | activity[j]] + $activity[$starts[i]..$starts[i + 1]]
                      + [j IN after | activity[j]],
    d[$runKey] = $run
"""

# ... and developers without a value in the window keep their current months outside it
COPY_OTHER_DEVELOPERS = """
MATCH (d:Developer)
WHERE d[$fromMonths] IS NOT NULL AND coalesce(d[$runKey], '') <> $run
  AND any(month IN d[$fromMonths] WHERE NOT $first <= month <= $last)
CALL (d) {
  WITH d, d[$fromMonths] AS months,
       [i IN range(0, size(d[$fromMonths]) - 1) WHERE NOT $first <= d[$fromMonths][i] <= $last] AS keep
  SET d[$monthsKey] = [i IN keep | months[i]], d[$computedKey] = [i IN keep | d[$fromComputed][i]],
      d[$activityKey] = [i IN keep | d[$fromActivity][i]], d[$runKey] = $run
} IN TRANSACTIONS OF 20000 ROWS
"""

# values the slot held from the run before last, for developers this run gave none
CLEAR_STALE_DEVELOPERS = """
MATCH (d:Developer)
WHERE d[$monthsKey] IS NOT NULL AND coalesce(d[$runKey], '') <> $run
CALL (d) {
  SET d[$monthsKey] = null, d[$computedKey] = null, d[$activityKey] = null, d[$runKey] = null
} IN TRANSACTIONS OF 20000 ROWS
"""

# Values stored before the slots existed (unsuffixed names): no reader looks at them any more.
REMOVE_UNSLOTTED = [
    "MATCH (m:RepoMonth) WHERE m.openrankComputed IS NOT NULL "
    "CALL (m) { REMOVE m.openrankComputed } IN TRANSACTIONS OF 20000 ROWS",
    "MATCH (d:Developer) WHERE d.openrankMonths IS NOT NULL OR d.openrankRun IS NOT NULL "
    "CALL (d) { REMOVE d.openrankMonths, d.openrankComputed, d.openrankActivity, d.openrankRun } "
    "IN TRANSACTIONS OF 20000 ROWS",
]

WRITE_RUN = """
MERGE (run:OpenRankRun {id: $run})
SET run += $props
"""

WRITE_BATCH = 20_000
WRITERS = 2


def developer_batches(run: OpenRankRun, batch: int = WRITE_BATCH) -> Iterator[dict[str, list[object]]]:
    """The developers' series in batches of columns: `ids` (node ids; `keys` for a run that knows
    its developers by name only, as in the unit tests); `months` (in order), `values` and
    `activity` flat, developer i's from starts[i] to starts[i + 1]. Built a batch at a time: at
    ten times our data all of them would not fit in memory as Python lists."""
    if not run.months:
        return
    index = np.concatenate([m.developer_index for m in run.months])
    month = np.concatenate([np.full(m.developer_index.size, i, dtype=np.int16) for i, m in enumerate(run.months)])
    order = np.argsort(index, kind="stable")  # stable: months stay in calendar order
    index, month = index[order], month[order]
    value = np.concatenate([m.developer_value for m in run.months])[order]
    activity = np.concatenate([m.developer_activity for m in run.months])[order]
    del order
    starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
    bounds = np.r_[starts, index.size]
    month_names = np.asarray([m.month for m in run.months], dtype=object)
    for first in range(0, starts.size, batch):
        edges = bounds[first : min(first + batch, starts.size) + 1]
        a, b = edges[0], edges[-1]
        yield {
            **_who(run, index[starts[first : first + batch]]),
            "starts": (edges - a).tolist(),
            "months": month_names[month[a:b]].tolist(),
            "values": value[a:b].tolist(),
            "activity": activity[a:b].tolist(),
        }


def _who(run: OpenRankRun, indexes: np.ndarray) -> dict[str, list[object]]:
    if isinstance(run.developers, NodeIds):
        return {"ids": run.developers.ids[indexes].tolist()}
    names = run.developers.names
    return {"keys": [names[i] for i in indexes.tolist()]}


def developer_rows(run: OpenRankRun) -> list[dict[str, object]]:
    """One row per developer: its key, active months, values and activity."""
    rows = []
    names = (
        dict(zip(run.developers.ids.tolist(), run.developers.names, strict=True))
        if isinstance(run.developers, NodeIds)
        else None
    )
    for columns in developer_batches(run):
        starts = columns["starts"]
        keys = columns["keys"] if names is None else [names[i] for i in columns["ids"]]
        for i, key in enumerate(keys):
            a, b = starts[i], starts[i + 1]
            rows.append(
                {
                    "key": key,
                    "months": columns["months"][a:b],
                    "values": columns["values"][a:b],
                    "activity": columns["activity"][a:b],
                }
            )
    return rows


def current_slot(graph: Graph) -> Slot | None:
    """The slot readers read now (None before the first run)."""
    row = graph.read(CURRENT_RUN)[0]
    return Slot(row["slot"]) if row["slot"] in SLOTS else None


def store(graph: Graph, run: OpenRankRun, run_id: str, progress: Progress | None = None, whole: bool = False) -> None:
    """Write the computed values into the slot readers do not read, then make this run current
    in one transaction. `whole`: the window covers all the data, so nothing of the current
    values is kept."""
    current = current_slot(graph)
    target = current.other() if current else Slot(SLOTS[0])
    window = {"first": run.window.first, "last": run.window.last}
    # a run over part of the data keeps the current values outside its window
    keep = None if whole or current is None else current.source_keys
    for statement in REMOVE_UNSLOTTED:
        graph.run_autocommit(statement)
    repo_rows = [{"name": n, "month": m, "value": v} for n, m, v in run.values(REPO)]
    developers = int(np.unique(np.concatenate([m.developer_index for m in run.months])).size) if run.months else 0
    if progress is not None:
        progress.note(f"writing {len(repo_rows):,} repository-months and {developers:,} developers' series")
    _write_repo_months(graph, repo_rows, target, keep, window)
    _write_developers(graph, run, run_id, target, keep, window)
    graph.write(MAKE_CURRENT, run=run_id, slot=target.name, kept=keep is not None, last=run.window.last)


def _write_repo_months(
    graph: Graph, rows: list[dict[str, object]], target: Slot, keep: dict[str, str] | None, window: dict[str, str]
) -> None:
    computed = target.keys["computedKey"]
    graph.write(CLEAR_REPO_MONTHS, computedKey=computed)
    if keep is not None:
        graph.write(COPY_REPO_MONTHS, computedKey=computed, **keep, **window)
    for start in range(0, len(rows), WRITE_BATCH):
        graph.write(WRITE_REPO_MONTHS, rows=rows[start : start + WRITE_BATCH], computedKey=computed)


def _write_developers(
    graph: Graph,
    run: OpenRankRun,
    run_id: str,
    target: Slot,
    keep: dict[str, str] | None,
    window: dict[str, str],
) -> None:
    params = {"run": run_id, **target.keys, **window, **(keep or {})}
    statement = REPLACE_DEVELOPERS if keep is None else MERGE_DEVELOPERS

    def write(columns: dict[str, list[object]]) -> None:
        graph.write(statement, **columns, **params)

    # Batches touch disjoint developers, so two writers never wait on each other's locks;
    # measured 15 s instead of 20 s for the whole snapshot (docs/openrank.md). At most
    # WRITERS + 1 batches are built ahead of the writers.
    with ThreadPoolExecutor(WRITERS) as pool:
        pending: list[Future[None]] = []
        for columns in developer_batches(run):
            pending.append(pool.submit(write, columns))
            if len(pending) > WRITERS:
                pending.pop(0).result()
        for future in pending:
            future.result()
    if keep is not None:
        graph.run_autocommit(COPY_OTHER_DEVELOPERS, **params)
    graph.run_autocommit(CLEAR_STALE_DEVELOPERS, run=run_id, **target.keys)


def record_run(graph: Graph, run: OpenRankRun, run_id: str) -> None:
    params = {f"param{name[0].upper()}{name[1:]}": value for name, value in _camel(run.params.__dict__).items()}
    props = {
        "first": run.window.first,
        "last": run.window.last,
        "warmStart": run.warm_start,
        "finishedAt": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "seconds": round(run.seconds.get("total", 0.0), 2),
        "developersValued": sum(int(m.developer_index.size) for m in run.months),
        "repoMonthsValued": sum(int(m.repo_index.size) for m in run.months),
        **params,
    }
    graph.write(WRITE_RUN, run=run_id, props=props)


def _camel(values: dict[str, object]) -> dict[str, object]:
    out = {}
    for name, value in values.items():
        head, *rest = name.split("_")
        out[head + "".join(part.capitalize() for part in rest)] = value
    return out
