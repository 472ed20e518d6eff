"""Writing computed OpenRank beside the published values, and recording the run
(docs/openrank.md, "Storage")."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from nichegraph.analysis.openrank.method import REPO, OpenRankRun
from nichegraph.db import Graph
from nichegraph.progress import Progress

# --- writing the results --------------------------------------------------------------------

CLEAR_REPO_MONTHS = """
MATCH (m:RepoMonth)
WHERE $first <= m.month <= $last AND m.openrankComputed IS NOT NULL
SET m.openrankComputed = null
"""

# A decaying repository may have a value in a month without published data: its RepoMonth is
# created then, as the loader would (one per month with any data).
WRITE_REPO_MONTHS = """
UNWIND $rows AS row
MATCH (r:Repo {name: row.name})
MERGE (m:RepoMonth {repo: row.name, month: row.month})
ON CREATE SET m.interpolated = false
MERGE (r)-[:HAS_MONTH]->(m)
SET m.openrankComputed = row.value
"""

# Developers keep parallel arrays (openrankMonths sorted, openrankComputed, openrankActivity:
# the month's summed squared scores over all repositories): months outside the window are
# kept, the window's are replaced (docs/openrank.md, "Storage").
# Batches come as columns (keys; months, values and activity flat, developer i's slice from
# starts[i] to starts[i + 1]): sending maps of short lists cost more to build than to write.
WRITE_DEVELOPERS = """
UNWIND range(0, size($keys) - 1) AS i
MATCH (d:Developer {key: $keys[i]})
WITH d, i, coalesce(d.openrankMonths, []) AS months, coalesce(d.openrankComputed, []) AS values,
     coalesce(d.openrankActivity, []) AS activity
WITH d, i, months, values, activity,
     [j IN range(0, size(months) - 1) WHERE months[j] < $first] AS before,
     [j IN range(0, size(months) - 1) WHERE months[j] > $last] AS after
SET d.openrankMonths = [j IN before | months[j]] + $months[$starts[i]..$starts[i + 1]] + [j IN after | months[j]],
    d.openrankComputed = [j IN before | values[j]] + $values[$starts[i]..$starts[i + 1]] + [j IN after | values[j]],
    d.openrankActivity = [j IN before | activity[j]] + $activity[$starts[i]..$starts[i + 1]]
                         + [j IN after | activity[j]],
    d.openrankRun = $run
"""

# A run over all the data replaces the arrays outright (a third faster than merging).
REPLACE_DEVELOPERS = """
UNWIND range(0, size($keys) - 1) AS i
MATCH (d:Developer {key: $keys[i]})
SET d.openrankMonths = $months[$starts[i]..$starts[i + 1]], d.openrankComputed = $values[$starts[i]..$starts[i + 1]],
    d.openrankActivity = $activity[$starts[i]..$starts[i + 1]], d.openrankRun = $run
"""

# Developers that had values in the window but got none in this run lose those months.
CLEAR_STALE_DEVELOPERS = """
MATCH (d:Developer)
WHERE d.openrankMonths IS NOT NULL AND coalesce(d.openrankRun, '') <> $run
  AND any(month IN d.openrankMonths WHERE $first <= month <= $last)
CALL (d) {
  WITH d, [i IN range(0, size(d.openrankMonths) - 1) WHERE NOT $first <= d.openrankMonths[i] <= $last] AS keep
  SET d.openrankMonths = CASE WHEN keep = [] THEN null ELSE [i IN keep | d.openrankMonths[i]] END,
      d.openrankComputed = CASE WHEN keep = [] THEN null ELSE [i IN keep | d.openrankComputed[i]] END,
      d.openrankActivity = CASE WHEN keep = [] THEN null ELSE [i IN keep | d.openrankActivity[i]] END
} IN TRANSACTIONS OF 20000 ROWS
"""

WRITE_RUN = """
MERGE (run:OpenRankRun {id: $run})
SET run += $props
"""

WRITE_BATCH = 20_000
WRITERS = 2


def developer_batches(run: OpenRankRun, batch: int = WRITE_BATCH) -> Iterator[dict[str, list[object]]]:
    """The developers' series in batches of columns: `keys`; `months` (in order), `values` and
    `activity` flat, developer i's from starts[i] to starts[i + 1]. Built a batch at a time: at
    ten times our data all of them would not fit in memory as Python lists."""
    if not run.months:
        return
    index = np.concatenate([m.developer_index for m in run.months])
    month = np.concatenate([np.full(m.developer_index.size, i, dtype=np.int32) for i, m in enumerate(run.months)])
    order = np.argsort(index, kind="stable")  # stable: months stay in calendar order
    index, month = index[order], month[order]
    value = np.concatenate([m.developer_value for m in run.months])[order]
    activity = np.concatenate([m.developer_activity for m in run.months])[order]
    del order
    starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
    bounds = np.r_[starts, index.size]
    names = run.developers.names
    month_names = np.asarray([m.month for m in run.months], dtype=object)
    for first in range(0, starts.size, batch):
        edges = bounds[first : min(first + batch, starts.size) + 1]
        a, b = edges[0], edges[-1]
        yield {
            "keys": [names[i] for i in index[starts[first : first + batch]].tolist()],
            "starts": (edges - a).tolist(),
            "months": month_names[month[a:b]].tolist(),
            "values": value[a:b].tolist(),
            "activity": activity[a:b].tolist(),
        }


def developer_rows(run: OpenRankRun) -> list[dict[str, object]]:
    """One row per developer: its active months, values and activity."""
    rows = []
    for columns in developer_batches(run):
        starts = columns["starts"]
        for i, key in enumerate(columns["keys"]):
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


def store(graph: Graph, run: OpenRankRun, run_id: str, progress: Progress | None = None, whole: bool = False) -> None:
    """Write the computed values beside the published ones (never over them). `whole`: the
    window covers all the data, so developers' arrays are replaced rather than merged."""
    window = {"first": run.window.first, "last": run.window.last}
    statement = REPLACE_DEVELOPERS if whole else WRITE_DEVELOPERS
    graph.write(CLEAR_REPO_MONTHS, **window)
    repo_rows = [{"name": n, "month": m, "value": v} for n, m, v in run.values(REPO)]
    for start in range(0, len(repo_rows), WRITE_BATCH):
        graph.write(WRITE_REPO_MONTHS, rows=repo_rows[start : start + WRITE_BATCH])
    developers = int(np.unique(np.concatenate([m.developer_index for m in run.months])).size) if run.months else 0
    if progress is not None:
        progress.note(f"writing {len(repo_rows):,} repository-months and {developers:,} developers' series")

    def write(columns: dict[str, list[object]]) -> None:
        graph.write(statement, **columns, run=run_id, **window)

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
    graph.run_autocommit(CLEAR_STALE_DEVELOPERS, run=run_id, **window)


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
