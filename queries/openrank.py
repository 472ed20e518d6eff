"""OpenRank computed from our own contribution graph, month by month.

Follows X-lab's global OpenRank (OpenDigger `docs/metrics/global_openrank.md`, task
`src/cron/tasks/globalOpenrank.ts`); this is our own implementation, see docs/openrank.md:

- one graph per month: the developers and repositories active that month plus a background
  node; a contribution links developer and repository both ways, each direction weighted
  0.95 x activity / the sending node's total activity; every node sends 0.05 to the
  background node, which sends 1/n back to each of the n other nodes;
- each node starts from its previous month's value x 0.85; developers add a sigmoid of
  their monthly activity; a node that is not active keeps value x 0.85 if its value was
  above the minimum, otherwise it drops out;
- iterate v = r * init + (1 - r) * (W v), retention r = 0.5 developer, 0.3 repository,
  0.15 background, until no node moves by 0.01 or more (at most 100 supersteps); the
  background's value is then shared evenly among the other nodes.

Activity: our scores are sqrt(weighted count); global OpenRank weighs edges by the count
itself (OpenDigger squares the same score in the 2023 version of the task), so we square
them. The sigmoid is calibrated on the newer task's event weights, 11.1 times ours for an
opened issue and for a merged pull request with one push, so the squared score is multiplied
by `activity_scale` (11.1) before it. OpenDigger's details leave out developers scoring below
2; `tail` stands in for them from the published participant and activity totals. See
docs/openrank.md for both.
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from neo4j import ManagedTransaction

from nichegraph.db import Graph
from nichegraph.errors import BadParameter
from nichegraph.months import Window, add_months, month_range, parse_window
from nichegraph.progress import Progress
from nichegraph.queries.library import get_query, run_query

DEVELOPER, REPO = "developer", "repo"


@dataclass(frozen=True)
class OpenRankParams:
    """The method's constants; the defaults are X-lab's (docs/openrank.md explains each)."""

    developer_retention: float = 0.5
    repo_retention: float = 0.3
    background_retention: float = 0.15
    attenuation: float = 0.85
    # X-lab's task keeps an inactive node only while its value is above 1 (its docs say 0.1).
    min_value: float = 1.0
    background_share: float = 0.05
    tolerance: float = 0.01
    max_iterations: int = 100
    # more repository links than this in a month marks an account as automation
    max_repo_links: int = 300
    # squared score -> the activity units of X-lab's sigmoid (see docs/openrank.md)
    activity_scale: float = 11.1
    # "sigmoid" (the current task) or "log" (min(1, ln(a + 1) / 3), the 2023 task)
    developer_init: str = "sigmoid"
    # stand in for the developers OpenDigger's details leave out (docs/openrank.md)
    tail: bool = True

    def __post_init__(self) -> None:
        if self.developer_init not in DEVELOPER_INIT:
            raise BadParameter(f"--developer-init: {self.developer_init!r} is not one of {', '.join(DEVELOPER_INIT)}")
        if self.activity_scale <= 0:
            raise BadParameter(f"--activity-scale: {self.activity_scale} must be positive")


def sigmoid_init(activity: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(0.10425 * (44.08 - activity)))


def log_init(activity: np.ndarray) -> np.ndarray:
    return np.minimum(1.0, np.log(activity + 1.0) / 3.0)


DEVELOPER_INIT: dict[str, Callable[[np.ndarray], np.ndarray]] = {"sigmoid": sigmoid_init, "log": log_init}


def activity_from_scores(scores: np.ndarray) -> np.ndarray:
    """OpenDigger's scores are sqrt(weighted event count); OpenRank weighs by the count."""
    return np.square(scores, dtype=np.float64)


# --- one month ----------------------------------------------------------------------------


@dataclass
class MonthEdges:
    """A month's contributions as parallel arrays of global node indexes."""

    month: str
    developers: np.ndarray  # int64 developer index per edge
    repos: np.ndarray  # int64 repository index per edge
    scores: np.ndarray  # float64 OpenDigger activity score per edge
    # The unlisted tail: per repository, how many developers the details cut and the mean
    # score of one of them (see tail_estimate). Empty arrays: no tail.
    tail_repos: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    tail_counts: np.ndarray = field(default_factory=lambda: np.zeros(0))
    tail_scores: np.ndarray = field(default_factory=lambda: np.zeros(0))


@dataclass
class MonthResult:
    month: str
    developer_index: np.ndarray  # developers with a value this month
    developer_value: np.ndarray
    repo_index: np.ndarray
    repo_value: np.ndarray
    iterations: int
    active_developers: int
    active_repos: int
    dropped_automation: int
    # per developer_index: the developer's activity (sum of squared scores) that month, 0 when
    # carried inactive; stored so that a developer's OpenRank can be split over its repositories
    developer_activity: np.ndarray = field(default_factory=lambda: np.zeros(0))


def solve_month(
    edges: MonthEdges,
    previous_developers: np.ndarray,
    previous_repos: np.ndarray,
    params: OpenRankParams,
) -> MonthResult:
    """One month of OpenRank. `previous_*` are dense arrays of last month's values by global
    index (0 where a node had none); they are not modified."""
    dev, repo, activity = _without_automation(edges, params)
    dropped = int(np.unique(edges.developers).size - np.unique(dev).size)
    tail_repo, tail_count, tail_activity = _tail(edges, params)
    active_dev, local_dev = np.unique(dev, return_inverse=True)
    active_repo, inverse = np.unique(np.concatenate([repo, tail_repo]), return_inverse=True)
    local_repo, local_tail = inverse[: repo.size], inverse[repo.size :]
    n_dev, n_repo = active_dev.size, active_repo.size
    n = n_dev + n_repo + tail_count.sum()  # nodes besides the background

    init = DEVELOPER_INIT[params.developer_init]
    dev_total = np.bincount(local_dev, activity, n_dev)
    repo_total = np.bincount(local_repo, activity, n_repo) + np.bincount(local_tail, tail_count * tail_activity, n_repo)
    edge_share = 1.0 - params.background_share
    to_dev = edge_share * activity / repo_total[local_repo]  # repository -> developer weights
    to_repo = edge_share * activity / dev_total[local_dev]  # developer -> repository weights
    to_tail = edge_share * tail_activity / repo_total[local_tail]  # repository -> one tail developer

    init_dev = params.attenuation * previous_developers[active_dev] + init(params.activity_scale * dev_total)
    init_repo = params.attenuation * previous_repos[active_repo]
    init_tail = init(params.activity_scale * tail_activity)  # casual developers: no history we know of
    r_dev, r_repo, r_bg = params.developer_retention, params.repo_retention, params.background_retention

    # X-lab's Pregel computation sends nothing in superstep 0, so superstep 1 leaves every
    # node at r * init; supersteps 2.. apply the update to all nodes at once (Jacobi).
    v_dev, v_repo, v_tail, v_bg = r_dev * init_dev, r_repo * init_repo, r_dev * init_tail, 0.0
    iterations = 1
    while iterations < params.max_iterations:
        iterations += 1
        spread = v_bg / n if n else 0.0
        into_dev = np.bincount(local_dev, to_dev * v_repo[local_repo], n_dev)
        # a tail developer works only on its repository: it sends that repository 0.95 of its value
        into_repo = np.bincount(local_repo, to_repo * v_dev[local_dev], n_repo) + np.bincount(
            local_tail, edge_share * tail_count * v_tail, n_repo
        )
        new_dev = r_dev * init_dev + (1 - r_dev) * (into_dev + spread)
        new_repo = r_repo * init_repo + (1 - r_repo) * (into_repo + spread)
        new_tail = r_dev * init_tail + (1 - r_dev) * (to_tail * v_repo[local_tail] + spread)
        total = v_dev.sum() + v_repo.sum() + (tail_count * v_tail).sum()
        new_bg = (1 - r_bg) * params.background_share * total
        change = max(
            _max_abs_change(new_dev, v_dev),
            _max_abs_change(new_repo, v_repo),
            _max_abs_change(new_tail, v_tail),
            abs(new_bg - v_bg),
        )
        v_dev, v_repo, v_tail, v_bg = new_dev, new_repo, new_tail, new_bg
        if change < params.tolerance:
            break

    # the background's value goes back to every other node in equal parts
    bonus = v_bg / n if n else 0.0
    dev_index, dev_value = _with_inactive(active_dev, v_dev + bonus, previous_developers, params)
    repo_index, repo_value = _with_inactive(active_repo, v_repo + bonus, previous_repos, params)
    dev_activity = np.zeros(dev_index.size)
    dev_activity[np.searchsorted(dev_index, active_dev)] = dev_total
    return MonthResult(
        edges.month, dev_index, dev_value, repo_index, repo_value, iterations, n_dev, n_repo, dropped, dev_activity
    )


def _tail(edges: MonthEdges, params: OpenRankParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not params.tail or edges.tail_repos.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
    keep = (edges.tail_counts > 0) & (edges.tail_scores > 0)
    return edges.tail_repos[keep], edges.tail_counts[keep], activity_from_scores(edges.tail_scores[keep])


def _max_abs_change(new: np.ndarray, old: np.ndarray) -> float:
    return float(np.max(np.abs(new - old))) if new.size else 0.0


def _without_automation(edges: MonthEdges, params: OpenRankParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Drop accounts with more repository links than `max_repo_links` that month, and
    zero-activity edges (they carry no weight and would give a node a zero total)."""
    activity = activity_from_scores(edges.scores)
    keep = activity > 0
    if keep.any():
        # the loader merges repeats, so each edge is one distinct repository of its developer
        links = np.bincount(edges.developers[keep])
        keep &= links[edges.developers] <= params.max_repo_links
    return edges.developers[keep], edges.repos[keep], activity[keep]


def _with_inactive(
    active: np.ndarray, values: np.ndarray, previous: np.ndarray, params: OpenRankParams
) -> tuple[np.ndarray, np.ndarray]:
    """Active nodes with their new value, plus inactive ones whose last value was above the
    minimum, attenuated once more."""
    carried = np.flatnonzero(previous > params.min_value)
    carried = carried[~np.isin(carried, active, assume_unique=True)]
    index = np.concatenate([active, carried])
    value = np.concatenate([values, params.attenuation * previous[carried]])
    order = np.argsort(index, kind="stable")
    return index[order], value[order]


# --- many months ----------------------------------------------------------------------------


@dataclass
class NodeIndex:
    """Names <-> dense integer indexes, growing as new names appear."""

    names: list[str] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)

    def index(self, name: str) -> int:
        position = self.positions.get(name)
        if position is None:
            position = self.positions[name] = len(self.names)
            self.names.append(name)
        return position

    def indexes(self, names: Iterable[str]) -> list[int]:
        return [self.index(name) for name in names]

    def __len__(self) -> int:
        return len(self.names)


@dataclass
class OpenRankRun:
    """Results of a run: per month, the values of every developer and repository that has one."""

    window: Window
    params: OpenRankParams
    developers: NodeIndex
    repos: NodeIndex
    months: list[MonthResult]
    warm_start: bool
    seconds: dict[str, float] = field(default_factory=dict)

    def values(self, kind: str) -> Iterator[tuple[str, str, float]]:
        """(name, month, value) for every node of `kind` with a value."""
        names = self.developers.names if kind == DEVELOPER else self.repos.names
        for result in self.months:
            index, value = (
                (result.developer_index, result.developer_value)
                if kind == DEVELOPER
                else (result.repo_index, result.repo_value)
            )
            for i, v in zip(index.tolist(), value.tolist(), strict=True):
                yield names[i], result.month, v


def _grown(values: np.ndarray, size: int) -> np.ndarray:
    if values.size >= size:
        return values
    return np.concatenate([values, np.zeros(size - values.size)])


def compute(
    months: Iterable[MonthEdges],
    window: Window,
    developers: NodeIndex,
    repos: NodeIndex,
    params: OpenRankParams,
    start: tuple[np.ndarray, np.ndarray] | None = None,
    warm_start: bool = False,
    progress: Progress | None = None,
) -> OpenRankRun:
    """Run month after month; `start` holds the values of the month before the window
    (dense, by index), or nothing for a cold start. Months must come in calendar order, one
    per month of the window (an empty MonthEdges for a month without contributions)."""
    previous_dev, previous_repo = start if start is not None else (np.zeros(0), np.zeros(0))
    results: list[MonthResult] = []
    for edges in months:
        previous_dev = _grown(previous_dev, len(developers))
        previous_repo = _grown(previous_repo, len(repos))
        result = solve_month(edges, previous_dev, previous_repo, params)
        results.append(result)
        previous_dev = np.zeros(len(developers))
        previous_dev[result.developer_index] = result.developer_value
        previous_repo = np.zeros(len(repos))
        previous_repo[result.repo_index] = result.repo_value
        if progress is not None:
            progress.item_done(edges.month, edges.scores.size, f"{result.iterations} supersteps")
    return OpenRankRun(window, params, developers, repos, results, warm_start)


# --- reading the graph ----------------------------------------------------------------------

# OpenDigger's details leave out developers below a score of 2 (since 2017; docs/openrank.md):
# an unlisted developer scored less than that.
TAIL_SCORE_CAP = 2.0


def data_window(graph: Graph) -> Window:
    row = run_query(graph, "data_range")[0]
    if row["firstMonth"] is None:
        raise BadParameter("the graph holds no data; load some with `nichegraph load opendigger` first")
    return Window(row["firstMonth"], row["lastMonth"])


def resolve_months(graph: Graph, text: str | None) -> Window:
    """The --months window; months outside the loaded data are refused."""
    data = data_window(graph)
    if text is None:
        return data
    window = parse_window(text, "--months")
    if window.first < data.first or window.last > data.last:
        raise BadParameter(f"--months: {window} reaches outside the loaded data, which covers {data}")
    return window


def read_bulk(graph: Graph, name: str, **params: object) -> list[dict[str, object]]:
    """Run a library query and keep its values as the driver decoded them: `Record.data()`
    walks every element of every list again, which costs more than the query itself here."""
    query = get_query(name)

    def work(tx: ManagedTransaction) -> list[dict[str, object]]:
        result = tx.run(query.cypher, query.parameters(params))
        keys = result.keys()
        return [dict(zip(keys, record, strict=True)) for record in result]

    return graph.read_tx(work)


def read_month_edges(
    graph: Graph, window: Window, developers: NodeIndex, repos: NodeIndex, chunk_months: int = 12
) -> Iterator[MonthEdges]:
    """The window's contributions, one MonthEdges per month (also for empty months), read a
    chunk of months per query with one record per repository and month."""
    first = window.first
    while first <= window.last:
        last = min(add_months(first, chunk_months - 1), window.last)
        edges = pd.DataFrame(read_bulk(graph, "openrank_edges", first=first, last=last))
        totals = pd.DataFrame(read_bulk(graph, "openrank_participants", first=first, last=last))
        by_month = dict(tuple(edges.groupby("month"))) if len(edges) else {}
        tails = dict(tuple(tail_estimate(edges, totals).groupby("month")))
        for month in month_range(first, last):
            yield _month_edges(month, by_month.get(month), tails.get(month), developers, repos)
        first = add_months(last, 1)


def tail_estimate(edges: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """Per repository and month, the developers OpenDigger counted but did not list, and the
    mean score of one of them: (participants - listed) developers sharing (activity - listed
    activity), capped at the listing threshold."""
    if totals.empty:
        return pd.DataFrame(columns=["month", "repo", "count", "score"])
    listed = (
        edges[["month", "repo", "listed", "listedActivity"]]
        if len(edges)
        else pd.DataFrame(columns=["month", "repo", "listed", "listedActivity"])
    )
    table = totals.merge(listed, on=["month", "repo"], how="left")
    table["listed"] = table["listed"].fillna(0).astype(float)
    table["listedActivity"] = table["listedActivity"].fillna(0).astype(float)
    count = (table["participants"] - table["listed"]).clip(lower=0)
    missing = (table["activity"] - table["listedActivity"]).clip(lower=0)
    score = (missing / count.where(count > 0)).clip(upper=TAIL_SCORE_CAP)
    table = table.assign(count=count, score=score)
    return table[(table["count"] > 0) & (table["score"] > 0)][["month", "repo", "count", "score"]]


def _month_edges(
    month: str, rows: pd.DataFrame | None, tail: pd.DataFrame | None, developers: NodeIndex, repos: NodeIndex
) -> MonthEdges:
    edges = MonthEdges(month, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
    if rows is not None and len(rows):
        sizes = rows["developers"].map(len).to_numpy()
        keys = np.concatenate([np.asarray(keys, dtype=object) for keys in rows["developers"]])
        codes, uniques = pd.factorize(keys)
        # dictionary work once per distinct developer, not once per edge
        edges.developers = np.asarray(developers.indexes(uniques), dtype=np.int64)[codes]
        edges.repos = np.repeat(np.asarray(repos.indexes(rows["repo"]), dtype=np.int64), sizes)
        edges.scores = np.concatenate([np.asarray(a, dtype=np.float64) for a in rows["activity"]])
    if tail is not None and len(tail):
        edges.tail_repos = np.asarray(repos.indexes(tail["repo"]), dtype=np.int64)
        edges.tail_counts = tail["count"].to_numpy(dtype=np.float64)
        edges.tail_scores = tail["score"].to_numpy(dtype=np.float64)
    return edges


def read_start(graph: Graph, month: str, developers: NodeIndex, repos: NodeIndex) -> tuple[np.ndarray, np.ndarray]:
    """Stored values of `month` (the month before a window) as dense arrays by index."""
    rows = run_query(graph, "openrank_month", month=month, limit=None)
    dev = {row["name"]: row["computed"] for row in rows if row["kind"] == DEVELOPER}
    repo = {row["name"]: row["computed"] for row in rows if row["kind"] == REPO}
    dev_values = np.zeros(0)
    repo_values = np.zeros(0)
    if dev:
        index = np.asarray(developers.indexes(dev), dtype=np.int64)
        dev_values = np.zeros(len(developers))
        dev_values[index] = list(dev.values())
    if repo:
        index = np.asarray(repos.indexes(repo), dtype=np.int64)
        repo_values = np.zeros(len(repos))
        repo_values[index] = list(repo.values())
    return dev_values, repo_values


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
    window covers all the data, so developers' arrays are replaced rather than merged."""
    window = {"first": run.window.first, "last": run.window.last}
    statement = REPLACE_DEVELOPERS if whole else WRITE_DEVELOPERS
    graph.write(CLEAR_REPO_MONTHS, **window)
    repo_rows = [{"name": n, "month": m, "value": v} for n, m, v in run.values(REPO)]
    for start in range(0, len(repo_rows), WRITE_BATCH):
        graph.write(WRITE_REPO_MONTHS, rows=repo_rows[start : start + WRITE_BATCH])
    rows = developer_rows(run)
    batches = [rows[start : start + WRITE_BATCH] for start in range(0, len(rows), WRITE_BATCH)]

    if progress is not None:
        progress.note(f"writing {len(repo_rows):,} repository-months and {len(rows):,} developers' series")

    def write(batch: list[dict[str, object]]) -> None:
        graph.write(statement, rows=batch, run=run_id, **window)

    # Batches touch disjoint developers, so two writers never wait on each other's locks;
    # measured 15 s instead of 20 s for the whole snapshot (docs/openrank.md).
    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(write, batches))
    graph.run_autocommit(CLEAR_STALE_DEVELOPERS, run=run_id, **window)


# --- a whole run ------------------------------------------------------------------------------


def run_openrank(
    graph: Graph,
    window: Window,
    params: OpenRankParams,
    progress: Progress | None = None,
    write: bool = True,
) -> OpenRankRun:
    """Compute the window month by month (continuing from the stored month before it, if
    any), store the values and record the run."""
    with paused_gc():
        return _run_openrank(graph, window, params, progress, write)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Millions of small lists and dicts make the cyclic collector rescan the heap again and
    again (it doubled the time to build the developer rows); nothing here forms cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _run_openrank(
    graph: Graph, window: Window, params: OpenRankParams, progress: Progress | None, write: bool
) -> OpenRankRun:
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    developers, repos = NodeIndex(), NodeIndex()
    data = data_window(graph)
    start = None
    if window.first > data.first:
        start = read_start(graph, add_months(window.first, -1), developers, repos)
    warm = start is not None and bool(start[0].size or start[1].size)
    seconds["read start"] = time.perf_counter() - started
    # reading and computing interleave, so progress moves while the edges arrive
    months = _timed_iter(read_month_edges(graph, window, developers, repos), seconds, "read edges")
    clock = time.perf_counter()
    run = compute(months, window, developers, repos, params, start if warm else None, warm, progress)
    clock = timed(seconds, "compute", clock)
    seconds["compute"] -= seconds["read edges"]
    if write:
        run_id = time.strftime("%Y%m%dT%H%M%S") + f"-{window}"
        store(graph, run, run_id, progress, whole=window.first <= data.first and window.last >= data.last)
        clock = timed(seconds, "write", clock)
        run.seconds = seconds | {"total": clock - started}
        record_run(graph, run, run_id)
    run.seconds = seconds | {"total": clock - started}
    return run


def _timed_iter(items: Iterator[MonthEdges], seconds: dict[str, float], name: str) -> Iterator[MonthEdges]:
    seconds.setdefault(name, 0.0)
    while True:
        clock = time.perf_counter()
        try:
            item = next(items)
        except StopIteration:
            seconds[name] += time.perf_counter() - clock
            return
        seconds[name] += time.perf_counter() - clock
        yield item


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


# --- correlation and export -------------------------------------------------------------------


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rho with average ranks for ties (Pearson correlation of the ranks)."""
    if len(x) < 3:
        return math.nan
    rx = pd.Series(x).rank().to_numpy()
    ry = pd.Series(y).rank().to_numpy()
    if rx.std() == 0 or ry.std() == 0:
        return math.nan
    return float(np.corrcoef(rx, ry)[0, 1])


def correlation_by_month(graph: Graph, window: Window) -> list[dict[str, object]]:
    """Per month: Spearman's rho between computed and published repository OpenRank, over the
    repositories that have both, with the count."""
    table = pd.DataFrame(run_query(graph, "openrank_compare", first=window.first, last=window.last))
    rows = []
    for month in window.months():
        part = table[table["month"] == month] if len(table) else table
        rho = spearman(part["published"].to_numpy(), part["computed"].to_numpy()) if len(part) else math.nan
        rows.append({"month": month, "repos": len(part), "spearman": None if math.isnan(rho) else round(rho, 4)})
    return rows


def correlation_summary(rows: list[dict[str, object]]) -> dict[str, object]:
    values = [row["spearman"] for row in rows if row["spearman"] is not None]
    last = [row["spearman"] for row in rows[-12:] if row["spearman"] is not None]
    return {
        "months": len(values),
        "mean": round(float(np.mean(values)), 4) if values else None,
        "min": min(values) if values else None,
        "max": max(values) if values else None,
        "last12Mean": round(float(np.mean(last)), 4) if last else None,
        "last12Min": min(last) if last else None,
    }


CSV_HEADER = ["kind", "name", "month", "computed", "published"]


def csv_rows(graph: Graph, run: OpenRankRun) -> Iterator[dict[str, object]]:
    """Every computed value with the published one beside it (repositories only)."""
    published = {
        (row["repo"], row["month"]): row["published"]
        for row in run_query(graph, "openrank_compare", first=run.window.first, last=run.window.last)
    }
    for name, month, value in run.values(REPO):
        yield {"kind": REPO, "name": name, "month": month, "computed": value, "published": published.get((name, month))}
    for name, month, value in run.values(DEVELOPER):
        yield {"kind": DEVELOPER, "name": name, "month": month, "computed": value, "published": None}


def timed(seconds: dict[str, float], name: str, started: float) -> float:
    now = time.perf_counter()
    seconds[name] = seconds.get(name, 0.0) + now - started
    return now
