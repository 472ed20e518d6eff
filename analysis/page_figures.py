"""Figures the explorer's pages read, stored per window when the window's niches are written
(in the same transaction), so a page reads them instead of aggregating contributions per request.

For every repository: `(:Repo)-[:HAS_WINDOW]->(:RepoWindow {repo, window, ...})` with the
project page's developer figures for the window (developers, and the top developers by activity
as parallel lists; see docs/model.md). The aggregation is the one `queries/repo_page.cypher`
runs when nothing is stored, so both give the same answer."""

from __future__ import annotations

from typing import Any

from nichegraph.months import parse_window

# the project page shows 15; a page asking for more than is stored computes them
STORED_TOP_DEVELOPERS = 50

DELETE_REPO_WINDOWS = "MATCH (w:RepoWindow {window: $window}) DETACH DELETE w"

WRITE_REPO_WINDOWS = """
MATCH (r:Repo)
CALL (r) {
  OPTIONAL MATCH (r)<-[c:CONTRIBUTED]-(d:Developer)
  WHERE $first <= c.month <= $last
  WITH d, sum(c.activity) AS activity, count(c) AS activeMonths
  WHERE NOT d.isBot
  ORDER BY activity DESC, d.login
  WITH collect(CASE WHEN d IS NOT NULL THEN {login: d.login, activity: activity, activeMonths: activeMonths} END)
       AS ranked, sum(activity) AS total
  RETURN [row IN ranked[..$top] | row {.*, share: row.activity / total}] AS top, size(ranked) AS developers
}
CREATE (r)-[:HAS_WINDOW]->(w:RepoWindow {repo: r.name, window: $window})
SET w.developers = developers,
    w.topLogins = [row IN top | row.login],
    w.topActivity = [row IN top | row.activity],
    w.topActiveMonths = [row IN top | row.activeMonths],
    w.topShares = [row IN top | row.share],
    w.computedAt = $computedAt
"""


def write_repo_windows(tx: Any, window: str, computed_at: str) -> None:
    """Replace the window's stored page figures (inside the caller's write transaction)."""
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
