"""Writing computed OpenRank beside the published values, and switching readers to it
(docs/openrank.md, "Storage").

A run's values go into one of three slots (property names ending in A, B or C), the next in
turn after the current run's, while readers keep reading the current one; one small transaction
then marks the new run current. A slot left behind is written again only two runs later, so a
reader that started before a switch has a whole run's time to finish (with two slots it had only
the next run's read and compute: 5 s, less than a long Browser query).
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

from nichegraph.analysis.openrank.figures import KeptEdges
from nichegraph.analysis.openrank.method import REPO, NodeIds, OpenRankRun
from nichegraph.analysis.page_figures import write_openrank_figures
from nichegraph.db import Graph
from nichegraph.progress import Progress

SLOTS = ("A", "B", "C")


@dataclass(frozen=True)
class Slot:
    """The property names of one slot: RepoMonth.openrankComputedA, Developer.openrankSeriesA."""

    name: str

    def name_of(self, field: str) -> str:
        return f"openrank{field}{self.name}"

    @property
    def keys(self) -> dict[str, str]:
        """Parameters naming the properties a run writes: computedKey, seriesKey."""
        return {"computedKey": self.name_of("Computed"), "seriesKey": self.name_of("Series")}

    @property
    def source_keys(self) -> dict[str, str]:
        """Parameters naming the properties a run over part of the data copies from."""
        return {"fromComputed": self.name_of("Computed"), "fromSeries": self.name_of("Series")}

    def next(self) -> Slot:
        """The slot the run after this slot's run writes: the one left longest ago."""
        return Slot(SLOTS[(SLOTS.index(self.name) + 1) % len(SLOTS)])


def month_at(month: str) -> int:
    """A YYYY-MM month as the integer a developer's series stores: year * 12 + month - 1."""
    return int(month[:4]) * 12 + int(month[5:7]) - 1


# --- which run readers see -------------------------------------------------------------------

CURRENT_RUN = """
OPTIONAL MATCH (run:OpenRankRun {current: true})
RETURN run.id AS id, run.slot AS slot, run.developerLayout AS layout
"""

# what `developerLayout` on a run says: its slot holds one series per developer (older runs
# wrote four parallel properties, which the first run of this layout removes)
LAYOUT = "series"

# The switch: one small transaction, after every value of the new run is in its slot. The run
# notes the last month its slot holds values for (a run over part of the data keeps the months
# after its window): readers give no value after it.
MAKE_CURRENT = """
MERGE (run:OpenRankRun {id: $run})
WITH run
OPTIONAL MATCH (old:OpenRankRun {current: true}) WHERE old <> run
WITH run, old, coalesce(old.computedUntil, old.last) AS oldUntil
SET run.slot = $slot, run.current = true, run.developerLayout = $layout,
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

# Each developer keeps one array per slot (`openrankSeriesA`): its n active months as integers
# (year * 12 + month - 1, exact in a double), then their n values, then their n activities (the
# month's summed squared scores over all repositories). An inactive month's value follows from
# the last active one and the run's decay rule (docs/openrank.md, "Storage"). One property, not
# four parallel arrays and a run id: a write costs per property record, not per byte (measured:
# the snapshot's write phase 18 s instead of 44 s, docs/openrank.md "Timing"). Batches come as columns (node ids,
# read with the edges; the series flat, developer i's from starts[i] to starts[i + 1]): sending
# maps of short lists cost more to build than to write, and finding a node by id costs less than
# a seek in the key index. The ids stay valid: the run holds the writer lock, so no load deletes
# or creates developers meanwhile.
# A run over all the data writes the series outright ...
REPLACE_DEVELOPERS = """
UNWIND range(0, size($ids) - 1) AS i
MATCH (d:Developer) WHERE id(d) = $ids[i]
SET d[$seriesKey] = $series[$starts[i]..$starts[i + 1]]
"""

# ... a run over part of it keeps the current slot's months outside its window
MERGE_DEVELOPERS = """
UNWIND range(0, size($ids) - 1) AS i
MATCH (d:Developer) WHERE id(d) = $ids[i]
WITH d, $series[$starts[i]..$starts[i + 1]] AS new, coalesce(d[$fromSeries], []) AS old
WITH d, new, size(new) / 3 AS k, old, size(old) / 3 AS n
WITH d, new, k, old, n, [j IN range(0, n - 1) WHERE old[j] < $firstAt] AS before,
     [j IN range(0, n - 1) WHERE old[j] > $lastAt] AS after
SET d[$seriesKey] = [j IN before | old[j]] + new[..k] + [j IN after | old[j]]
                    + [j IN before | old[n + j]] + new[k..2 * k] + [j IN after | old[n + j]]
                    + [j IN before | old[2 * n + j]] + new[2 * k..] + [j IN after | old[2 * n + j]]
"""

# ... and the other developers holding either slot keep their current months outside the window
# (none left: no series; this also clears what the slot held from the run that wrote it before)
KEEP_OTHER_DEVELOPERS = """
UNWIND $ids AS id
MATCH (d:Developer) WHERE id(d) = id
WITH d, coalesce(d[$fromSeries], []) AS old
WITH d, old, size(old) / 3 AS n
WITH d, old, n, [j IN range(0, n - 1) WHERE NOT $firstAt <= old[j] <= $lastAt] AS keep
SET d[$seriesKey] = CASE WHEN size(keep) > 0
                    THEN [j IN keep | old[j]] + [j IN keep | old[n + j]] + [j IN keep | old[2 * n + j]] END
"""

# Which developers may hold a slot's series: node ids kept on `OpenRankSlot {name}`, always a
# superset (a run lists the ids it is about to write before writing them, so a killed run leaves
# none unlisted). A run clears the listed developers it gives no value without scanning every
# developer for the property (5-10 s). Ids of deleted developers may stay listed: clearing a
# node without a series, or a node that is no Developer, changes nothing.
SLOT_HOLDERS = """
OPTIONAL MATCH (s:OpenRankSlot {name: $slot})
RETURN s.developers AS ids
"""

SET_SLOT_HOLDERS = """
MERGE (s:OpenRankSlot {name: $slot})
SET s.developers = $ids
"""

# a slot's holders before such a list was kept: scanned once
SCAN_SLOT_HOLDERS = """
MATCH (d:Developer) WHERE d[$seriesKey] IS NOT NULL
RETURN collect(id(d)) AS ids
"""

CLEAR_DEVELOPERS = """
UNWIND $ids AS id
MATCH (d:Developer) WHERE id(d) = id
SET d[$seriesKey] = null
"""

# Values stored in earlier layouts, which no reader looks at any more: without a slot, and in
# slots as four properties (months, values, activity, run id).
OLD_DEVELOPER_PROPERTIES = [
    f"openrank{field}{slot}" for slot in ("", "A", "B") for field in ("Months", "Computed", "Activity", "Run")
]
REMOVE_OLD_LAYOUTS = [
    "MATCH (m:RepoMonth) WHERE m.openrankComputed IS NOT NULL "
    "CALL (m) { REMOVE m.openrankComputed } IN TRANSACTIONS OF 20000 ROWS",
    "MATCH (d:Developer) WHERE "
    + " OR ".join(f"d.{name} IS NOT NULL" for name in OLD_DEVELOPER_PROPERTIES if "Months" in name or "Run" in name)
    + " CALL (d) { REMOVE "
    + ", ".join(f"d.{name}" for name in OLD_DEVELOPER_PROPERTIES)
    + " } IN TRANSACTIONS OF 20000 ROWS",
]

# property names the database has ever held (names stay registered after their last value is
# removed, so an empty answer proves that no node holds them)
PROPERTY_KEYS = "CALL db.propertyKeys() YIELD propertyKey RETURN collect(propertyKey) AS keys"


def old_layout_keys(graph: Graph) -> list[str]:
    """The names of earlier layouts' properties that this database has held at some time."""
    known = set(graph.read(PROPERTY_KEYS)[0]["keys"])
    return sorted(known & {"openrankComputed", *OLD_DEVELOPER_PROPERTIES})


WRITE_RUN = """
MERGE (run:OpenRankRun {id: $run})
SET run += $props
"""

WRITE_BATCH = 20_000
WRITERS = 2


def developer_batches(run: OpenRankRun, batch: int = WRITE_BATCH) -> Iterator[dict[str, list[object]]]:
    """The developers' series in batches of columns: `ids` (node ids; `keys` for a run that knows
    its developers by name only, as in the unit tests) and `series` flat, developer i's from
    starts[i] to starts[i + 1]: its months in order (as `month_at` integers), then its values,
    then its activity. Built a batch at a time: at ten times our data all of them would not fit
    in memory as Python lists."""
    if not run.months:
        return
    index = np.concatenate([m.developer_index for m in run.months])
    first = month_at(run.months[0].month)
    month = np.concatenate(
        [np.full(m.developer_index.size, month_at(m.month) - first, dtype=np.int16) for m in run.months]
    )
    order = np.argsort(index, kind="stable")  # stable: months stay in calendar order
    index, month = index[order], month[order]
    value = np.concatenate([m.developer_value for m in run.months])[order]
    activity = np.concatenate([m.developer_activity for m in run.months])[order]
    del order
    starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
    bounds = np.r_[starts, index.size]
    for head in range(0, starts.size, batch):
        edges = bounds[head : min(head + batch, starts.size) + 1]
        a, b = edges[0], edges[-1]
        yield {
            **_who(run, index[starts[head : head + batch]]),
            "starts": (3 * (edges - a)).tolist(),
            "series": _series(month[a:b].astype(np.int64) + first, value[a:b], activity[a:b], edges - a).tolist(),
        }


def _series(month: np.ndarray, value: np.ndarray, activity: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Developer i's months, values and activity one after the other, at 3 * edges[i]."""
    counts = np.diff(edges)
    owner = np.repeat(np.arange(counts.size), counts)
    at = np.arange(month.size) + 2 * edges[:-1][owner]  # the month's place: 3 * start + offset
    out = np.empty(3 * month.size)
    out[at] = month
    out[at + counts[owner]] = value
    out[at + 2 * counts[owner]] = activity
    return out


def _who(run: OpenRankRun, indexes: np.ndarray) -> dict[str, list[object]]:
    if isinstance(run.developers, NodeIds):
        return {"ids": run.developers.ids[indexes].tolist()}
    names = run.developers.names
    return {"keys": [names[i] for i in indexes.tolist()]}


def month_name(at: float) -> str:
    """The YYYY-MM month of a `month_at` integer."""
    year, month = divmod(int(at), 12)
    return f"{year:04d}-{month + 1:02d}"


def split_series(series: list[float]) -> dict[str, list[object]]:
    """A stored series as its parallel lists: months (YYYY-MM), values, activity."""
    n = len(series) // 3
    return {
        "months": [month_name(at) for at in series[:n]],
        "values": list(series[n : 2 * n]),
        "activity": list(series[2 * n :]),
    }


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
            rows.append({"key": key, **split_series(columns["series"][starts[i] : starts[i + 1]])})
    return rows


def current_slot(graph: Graph) -> Slot | None:
    """The slot readers read now (None before the first run)."""
    row = graph.read(CURRENT_RUN)[0]
    return Slot(row["slot"]) if row["slot"] in SLOTS else None


def store(
    graph: Graph,
    run: OpenRankRun,
    run_id: str,
    progress: Progress | None = None,
    whole: bool = False,
    kept: KeptEdges | None = None,
) -> None:
    """Write the computed values into the slot readers do not read, then make this run current
    in one transaction. `whole`: the window covers all the data, so nothing of the current
    values is kept."""
    row = graph.read(CURRENT_RUN)[0]
    current = Slot(row["slot"]) if row["slot"] in SLOTS else None
    target = current.next() if current else Slot(SLOTS[0])
    # a run over part of the data keeps the current values outside its window
    keep = None if whole or current is None else current
    if row["layout"] != LAYOUT and old_layout_keys(graph):
        # scans every developer: only until a run of this layout is current, and only in a
        # database where an older layout ever wrote its properties
        for statement in REMOVE_OLD_LAYOUTS:
            graph.run_autocommit(statement)
    repo_rows = [{"name": n, "month": m, "value": v} for n, m, v in run.values(REPO)]
    developers = int(_valued(run).sum())
    if progress is not None:
        progress.note(f"writing {len(repo_rows):,} repository-months and {developers:,} developers' series")
    window = {"first": run.window.first, "last": run.window.last}
    _write_repo_months(graph, repo_rows, target, None if keep is None else keep.source_keys, window)
    _write_developers(graph, run, target, keep)
    # the explorer's stored figures of this run, beside the current run's, before the switch
    write_openrank_figures(graph, target.name, run_id, run, kept)
    graph.write(MAKE_CURRENT, run=run_id, slot=target.name, kept=keep is not None, last=run.window.last, layout=LAYOUT)


def _write_repo_months(
    graph: Graph, rows: list[dict[str, object]], target: Slot, keep: dict[str, str] | None, window: dict[str, str]
) -> None:
    computed = target.keys["computedKey"]
    graph.write(CLEAR_REPO_MONTHS, computedKey=computed)
    if keep is not None:
        graph.write(COPY_REPO_MONTHS, computedKey=computed, **keep, **window)
    for start in range(0, len(rows), WRITE_BATCH):
        graph.write(WRITE_REPO_MONTHS, rows=rows[start : start + WRITE_BATCH], computedKey=computed)


def _write_developers(graph: Graph, run: OpenRankRun, target: Slot, keep: Slot | None) -> None:
    params = {
        "seriesKey": target.keys["seriesKey"],
        "firstAt": month_at(run.window.first),
        "lastAt": month_at(run.window.last),
        **(keep.source_keys if keep is not None else {}),
    }
    written = _written_ids(run)
    # developers that may hold the target slot (the run three runs back) or, for a run that keeps
    # values, the current one; listed as the target's holders before any is written
    others = slot_holders(graph, target)
    if keep is not None:
        others = _unique(np.concatenate([others, slot_holders(graph, keep)]))
    graph.write(SET_SLOT_HOLDERS, slot=target.name, ids=_unique(np.concatenate([others, written])).tolist())
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
    # the others: cleared, or (a run that keeps values) given their current months outside the window
    others = others[~np.isin(others, written, assume_unique=True)].tolist()
    for start in range(0, len(others), WRITE_BATCH):
        graph.write(
            CLEAR_DEVELOPERS if keep is None else KEEP_OTHER_DEVELOPERS,
            ids=others[start : start + WRITE_BATCH],
            **params,
        )
    if keep is None:  # else the others may keep months: they stay listed
        graph.write(SET_SLOT_HOLDERS, slot=target.name, ids=written.tolist())


def _written_ids(run: OpenRankRun) -> np.ndarray:
    """The node ids of the developers a run gives a value (sorted)."""
    if not run.months or not isinstance(run.developers, NodeIds):
        return np.zeros(0, dtype=np.int64)
    return np.sort(run.developers.ids[_valued(run)])


def _valued(run: OpenRankRun) -> np.ndarray:
    """Which developers (by index) have a value in some month of the run."""
    valued = np.zeros(len(run.developers), dtype=bool)
    for month in run.months:
        valued[month.developer_index] = True
    return valued


def _unique(ids: np.ndarray) -> np.ndarray:
    """Sorted distinct ids. np.unique hashes: 2.3 s for 2 million ids, against 0.1 s sorted."""
    ids = np.sort(ids)
    return ids[np.r_[True, ids[1:] != ids[:-1]]] if ids.size else ids


def slot_holders(graph: Graph, slot: Slot) -> np.ndarray:
    """Node ids of the developers that may hold the slot's series (sorted)."""
    ids = graph.read(SLOT_HOLDERS, slot=slot.name)[0]["ids"]
    if ids is None:
        ids = graph.read(SCAN_SLOT_HOLDERS, seriesKey=slot.keys["seriesKey"])[0]["ids"]
    return _unique(np.asarray(ids, dtype=np.int64))


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
