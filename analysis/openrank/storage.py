"""Writing computed OpenRank beside the published values, and recording the run
(docs/openrank.md, "Storage")."""

from __future__ import annotations

import time

import numpy as np
from neo4j import ManagedTransaction

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
WRITE_DEVELOPERS = """
UNWIND $rows AS row
MATCH (d:Developer {key: row.key})
WITH d, row, coalesce(d.openrankMonths, []) AS months, coalesce(d.openrankComputed, []) AS values,
     coalesce(d.openrankActivity, []) AS activity
WITH d, row, months, values, activity,
     [i IN range(0, size(months) - 1) WHERE months[i] < $first] AS before,
     [i IN range(0, size(months) - 1) WHERE months[i] > $last] AS after
SET d.openrankMonths = [i IN before | months[i]] + row.months + [i IN after | months[i]],
    d.openrankComputed = [i IN before | values[i]] + row.values + [i IN after | values[i]],
    d.openrankActivity = [i IN before | activity[i]] + row.activity + [i IN after | activity[i]],
    d.openrankRun = $run
"""

# A run over all the data replaces the arrays outright (a third faster than merging).
REPLACE_DEVELOPERS = """
UNWIND $rows AS row
MATCH (d:Developer {key: row.key})
SET d.openrankMonths = row.months, d.openrankComputed = row.values, d.openrankActivity = row.activity,
    d.openrankRun = $run
"""

# Developers that had values in the window but got none in this run lose those months.
CLEAR_STALE_DEVELOPERS = """
MATCH (d:Developer)
WHERE d.openrankMonths IS NOT NULL AND coalesce(d.openrankRun, '') <> $run
  AND any(month IN d.openrankMonths WHERE $first <= month <= $last)
WITH d, [i IN range(0, size(d.openrankMonths) - 1) WHERE NOT $first <= d.openrankMonths[i] <= $last] AS keep
SET d.openrankMonths = CASE WHEN keep = [] THEN null ELSE [i IN keep | d.openrankMonths[i]] END,
    d.openrankComputed = CASE WHEN keep = [] THEN null ELSE [i IN keep | d.openrankComputed[i]] END,
    d.openrankActivity = CASE WHEN keep = [] THEN null ELSE [i IN keep | d.openrankActivity[i]] END,
    d.openrankRun = CASE WHEN keep = [] THEN null ELSE d.openrankRun END
"""

WRITE_RUN = """
MERGE (run:OpenRankRun {id: $run})
SET run += $props
"""

WRITE_BATCH = 20_000
# parallel writers of `bench openrank --storage`'s layout comparison (the run itself writes in
# one transaction: see `store`)
WRITERS = 2


def developer_rows(run: OpenRankRun) -> list[dict[str, object]]:
    """One row per developer with a value: its months (in order) and values."""
    if not run.months:
        return []
    index = np.concatenate([m.developer_index for m in run.months])
    month = np.concatenate([np.full(m.developer_index.size, i) for i, m in enumerate(run.months)])
    value = np.concatenate([m.developer_value for m in run.months])
    activity = np.concatenate([m.developer_activity for m in run.months])
    order = np.argsort(index, kind="stable")  # stable: months stay in calendar order
    index, month, value, activity = index[order], month[order], value[order], activity[order]
    starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
    ends = np.r_[starts[1:], index.size]
    names = run.developers.names
    month_names = np.asarray([m.month for m in run.months], dtype=object)[month].tolist()
    values = value.tolist()
    activities = activity.tolist()
    return [
        {"key": names[i], "months": month_names[a:b], "values": values[a:b], "activity": activities[a:b]}
        for i, a, b in zip(index[starts].tolist(), starts.tolist(), ends.tolist(), strict=True)
    ]


def store(graph: Graph, run: OpenRankRun, run_id: str, progress: Progress | None = None, whole: bool = False) -> None:
    """Write the computed values beside the published ones (never over them). `whole`: the
    window covers all the data, so developers' arrays are replaced rather than merged.

    Everything is written in one transaction, so a reader (the explorer, Browser) sees the
    previous run's values or this run's, never a mix, and a run that fails changes nothing."""
    window = {"first": run.window.first, "last": run.window.last}
    statement = REPLACE_DEVELOPERS if whole else WRITE_DEVELOPERS
    repo_rows = [{"name": n, "month": m, "value": v} for n, m, v in run.values(REPO)]
    rows = developer_rows(run)
    if progress is not None:
        progress.note(f"writing {len(repo_rows):,} repository-months and {len(rows):,} developers' series")

    def work(tx: ManagedTransaction) -> None:
        tx.run(CLEAR_REPO_MONTHS, **window).consume()
        for start in range(0, len(repo_rows), WRITE_BATCH):
            tx.run(WRITE_REPO_MONTHS, rows=repo_rows[start : start + WRITE_BATCH]).consume()
        for start in range(0, len(rows), WRITE_BATCH):
            tx.run(statement, rows=rows[start : start + WRITE_BATCH], run=run_id, **window).consume()
        tx.run(CLEAR_STALE_DEVELOPERS, run=run_id, **window).consume()

    graph.write_tx(work)


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
