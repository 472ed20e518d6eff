"""Figures the explorer's pages read, stored per window when the window's niches are written
(in the same transaction), so a page reads them instead of aggregating contributions per request.

For every repository: `(:Repo)-[:HAS_WINDOW]->(:RepoWindow {repo, window, ...})` with the
project page's developer figures for the window (developers, bots, and the top developers by
activity as parallel lists) and the comparison's top developers by computed OpenRank, one set
per OpenRank slot; for every niche of the window, the niche page's OpenRank curves and means
(see docs/model.md). The aggregations are the ones `queries/repo_page.cypher`,
`trend_compare.cypher`, `trend_compare_developers.cypher` and `niche_page.cypher` run when
nothing is stored, so both give the same answer.

The OpenRank figures follow OpenRank's own switch (analysis/openrank/storage.py): a run writes
them into its slot's properties beside the current ones, before it becomes current, and names
itself on them (`openrankRun<slot>`); a reader uses them only when that name is the current
run's, so a reader never mixes two runs."""

from __future__ import annotations

from typing import Any

import numpy as np

from nichegraph.analysis.openrank.figures import KeptEdges, figure_rows, project_developers
from nichegraph.analysis.openrank.method import NodeIds, OpenRankRun
from nichegraph.months import Window, parse_window

# the project page shows 15; a page asking for more than is stored computes them
STORED_TOP_DEVELOPERS = 50

DELETE_REPO_WINDOWS = "MATCH (w:RepoWindow {window: $window}) DETACH DELETE w"

WRITE_REPO_WINDOWS = """
MATCH (r:Repo)
CALL (r) {
  OPTIONAL MATCH (r)<-[c:CONTRIBUTED]-(d:Developer)
  WHERE $first <= c.month <= $last
  WITH d, sum(c.activity) AS activity, count(c) AS activeMonths
  WITH d, activity, activeMonths, d.isBot AS bot
  ORDER BY activity DESC, d.login
  WITH collect(CASE WHEN d IS NOT NULL AND NOT bot
                    THEN {login: d.login, activity: activity, activeMonths: activeMonths} END) AS ranked,
       sum(CASE WHEN NOT bot THEN activity END) AS total, count(CASE WHEN bot THEN d END) AS bots
  RETURN [row IN ranked[..$top] | row {.*, share: row.activity / total}] AS top, size(ranked) AS developers, bots
}
CREATE (r)-[:HAS_WINDOW]->(w:RepoWindow {repo: r.name, window: $window})
SET w.developers = developers,
    w.bots = bots,
    w.topLogins = [row IN top | row.login],
    w.topActivity = [row IN top | row.activity],
    w.topActiveMonths = [row IN top | row.activeMonths],
    w.topShares = [row IN top | row.share],
    w.computedAt = $computedAt
"""

# The comparison's developers by computed OpenRank (queries/trend_compare_developers.cypher, per
# repository), from the series of `$slot`, for every repository holding figures of the window.
WRITE_OPENRANK_DEVELOPERS = """
MATCH (r:Repo)-[:HAS_WINDOW]->(w:RepoWindow {window: $window})
CALL (r) {
  OPTIONAL MATCH (r)<-[c:CONTRIBUTED]-(d:Developer)
  WHERE $first <= c.month <= $last AND c.activity > 0
  WITH d, collect({month: c.month, activity: c.activity}) AS contributions
  WHERE NOT d.isBot
  WITH d, contributions, d['openrankSeries' + $slot] AS series
  WHERE series IS NOT NULL
  WITH d, contributions, series, size(series) / 3 AS n,
       [m IN [$first, $last] | toInteger(left(m, 4)) * 12 + toInteger(right(m, 2)) - 1] AS window
  WITH d, contributions,
       [i IN range(0, n - 1) WHERE window[0] <= series[i] <= window[1] AND series[2 * n + i] > 0
        | {month: toString(toInteger(series[i]) / 12) + '-' + right('0' + toString(toInteger(series[i]) % 12 + 1), 2),
           openrank: series[n + i], activity: series[2 * n + i]}] AS values
  UNWIND contributions AS c
  WITH d, c, [v IN values WHERE v.month = c.month][0] AS v
  WHERE v IS NOT NULL
  WITH d, sum(v.openrank * c.activity ^ 2 / v.activity) AS attributed, avg(v.openrank) AS meanOpenrank,
       count(c) AS activeMonths
  ORDER BY attributed DESC, d.key
  RETURN collect({login: d.login, attributed: attributed, meanOpenrank: meanOpenrank, activeMonths: activeMonths})
         AS ranked, sum(attributed) AS total
}
SET w['openrankRun' + $slot] = $run,
    w['openrankDevelopers' + $slot] = size(ranked),
    w['openrankTotal' + $slot] = total,
    w['openrankTopLogins' + $slot] = [row IN ranked[..$top] | row.login],
    w['openrankTopAttributed' + $slot] = [row IN ranked[..$top] | row.attributed],
    w['openrankTopMean' + $slot] = [row IN ranked[..$top] | row.meanOpenrank],
    w['openrankTopActiveMonths' + $slot] = [row IN ranked[..$top] | row.activeMonths]
"""

# The niche page's OpenRank figures (queries/niche_page.cypher): each member's mean published
# OpenRank over the window and its monthly curve (on IN_NICHE), and the niche's summed curve.
WRITE_NICHE_FIGURES = """
MATCH (n:Niche {window: $window})
CALL (n) {
  MATCH (r:Repo)-[i:IN_NICHE]->(n)
  CALL (r) {
    OPTIONAL MATCH (r)-[:HAS_MONTH]->(m:RepoMonth) WHERE $first <= m.month <= $last
    RETURN avg(m.openrank) AS openrank
  }
  CALL (r) {
    OPTIONAL MATCH (r)-[:HAS_MONTH]->(m:RepoMonth) WHERE m.openrank IS NOT NULL
    WITH m ORDER BY m.month
    RETURN collect(m.month) AS months, collect(m.openrank) AS values
  }
  SET i.windowOpenrank = openrank, i.curveMonths = months, i.curveOpenrank = values
  RETURN count(i) AS members
}
CALL (n) {
  MATCH (r:Repo)-[:IN_NICHE]->(n)
  MATCH (r)-[:HAS_MONTH]->(m:RepoMonth) WHERE m.openrank IS NOT NULL
  WITH m.month AS month, sum(m.openrank) AS openrank ORDER BY month
  RETURN collect(month) AS months, collect(openrank) AS values
}
SET n.curveMonths = months, n.curveOpenrank = values, n.pageFiguresAt = $computedAt
"""

# The same figures worked out from a run's arrays (analysis/openrank/figures.py): every project of
# the window first as having none, then the projects with developers.
CLEAR_OPENRANK_DEVELOPERS = """
MATCH (w:RepoWindow {window: $window})
SET w['openrankRun' + $slot] = $run,
    w['openrankDevelopers' + $slot] = 0,
    w['openrankTotal' + $slot] = 0,
    w['openrankTopLogins' + $slot] = [],
    w['openrankTopAttributed' + $slot] = [],
    w['openrankTopMean' + $slot] = [],
    w['openrankTopActiveMonths' + $slot] = []
"""

WRITE_OPENRANK_ROWS = """
UNWIND $rows AS row
MATCH (:Repo {name: row.repo})-[:HAS_WINDOW]->(w:RepoWindow {window: $window})
SET w['openrankDevelopers' + $slot] = row.developers,
    w['openrankTotal' + $slot] = row.total,
    w['openrankTopLogins' + $slot] = row.logins,
    w['openrankTopAttributed' + $slot] = row.attributed,
    w['openrankTopMean' + $slot] = row.mean,
    w['openrankTopActiveMonths' + $slot] = row.months
"""

DEVELOPERS_BY_ID = "UNWIND $ids AS id MATCH (d:Developer) WHERE id(d) = id RETURN id, d.key AS key, d.login AS login"
DEVELOPERS_BY_KEY = "UNWIND $keys AS key MATCH (d:Developer {key: key}) RETURN d.key AS key, d.login AS login"

CURRENT_OPENRANK = "OPTIONAL MATCH (run:OpenRankRun {current: true}) RETURN run.id AS run, run.slot AS slot"

ANALYSED_WINDOWS = "MATCH (w:RepoWindow) RETURN DISTINCT w.window AS window ORDER BY window"


def write_repo_windows(tx: Any, window: str, computed_at: str) -> None:
    """Replace the window's stored page figures (inside the caller's write transaction, after its
    niches are written), with the current OpenRank run's developer figures when there is one."""
    months = parse_window(window)
    tx.run(DELETE_REPO_WINDOWS, window=window).consume()
    tx.run(
        WRITE_REPO_WINDOWS,
        window=window,
        first=months.first,
        last=months.last,
        top=STORED_TOP_DEVELOPERS,
        computedAt=computed_at,
    ).consume()
    tx.run(WRITE_NICHE_FIGURES, window=window, first=months.first, last=months.last, computedAt=computed_at).consume()
    current = tx.run(CURRENT_OPENRANK).single()
    if current is not None and current["run"] is not None and current["slot"]:
        write_openrank_developers(tx, window, current["slot"], current["run"])


def write_openrank_developers(tx: Any, window: str, slot: str, run: str) -> None:
    """Store the window's developers by the computed OpenRank of `slot` (written by `run`)."""
    months = parse_window(window)
    tx.run(
        WRITE_OPENRANK_DEVELOPERS,
        window=window,
        first=months.first,
        last=months.last,
        slot=slot,
        run=run,
        top=STORED_TOP_DEVELOPERS,
    ).consume()


def analysed_windows(graph: Any) -> list[Window]:
    """The windows that have page figures."""
    return [parse_window(row["window"]) for row in graph.read(ANALYSED_WINDOWS)]


def write_openrank_figures(
    graph: Any, slot: str, run_id: str, run: OpenRankRun | None = None, kept: KeptEdges | None = None
) -> None:
    """For an OpenRank run, after its values are in `slot` and before it becomes current: its
    developer figures of every window that has page figures, one transaction per window. Worked
    out from the run's arrays where it computed the whole window and kept its contributions
    (analysis/openrank/figures.py), else from the stored series in Cypher."""
    for window in analysed_windows(graph):
        # the run keeps the months of the windows it computes whole (run.py), no others
        if run is not None and kept is not None and kept.months >= set(window.months()):
            rows = openrank_figure_rows(graph, run, kept, window)
            graph.write_tx(_write_openrank_rows, str(window), slot, run_id, rows)
        else:
            graph.write_tx(write_openrank_developers, str(window), slot, run_id)


def openrank_figure_rows(graph: Any, run: OpenRankRun, kept: KeptEdges, window: Window) -> list[dict[str, object]]:
    """The rows `_write_openrank_rows` stores: each project's figures, leaders named by login."""
    projects = project_developers(run, kept, window, STORED_TOP_DEVELOPERS)
    leaders = np.unique(np.concatenate([p.leaders for p in projects])) if projects else np.zeros(0, dtype=np.int64)
    return figure_rows(projects, run.repos.names, _keys_and_logins(graph, run, leaders), STORED_TOP_DEVELOPERS)


def _keys_and_logins(graph: Any, run: OpenRankRun, indexes: np.ndarray) -> dict[int, tuple[str, str]]:
    if isinstance(run.developers, NodeIds):
        ids = run.developers.ids[indexes].tolist()
        found = {row["id"]: (row["key"], row["login"]) for row in graph.read(DEVELOPERS_BY_ID, ids=ids)}
        return {int(i): found[node] for i, node in zip(indexes.tolist(), ids, strict=True)}
    keys = [run.developers.names[i] for i in indexes.tolist()]
    found = {row["key"]: (row["key"], row["login"]) for row in graph.read(DEVELOPERS_BY_KEY, keys=keys)}
    return {int(i): found[key] for i, key in zip(indexes.tolist(), keys, strict=True)}


def _write_openrank_rows(tx: Any, window: str, slot: str, run: str, rows: list[dict[str, object]]) -> None:
    tx.run(CLEAR_OPENRANK_DEVELOPERS, window=window, slot=slot, run=run).consume()
    tx.run(WRITE_OPENRANK_ROWS, window=window, slot=slot, rows=rows).consume()
