"""Reading a window's contributions (and the month before it) from the graph for OpenRank."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
from neo4j import ManagedTransaction

from nichegraph.analysis.openrank.method import DEVELOPER, REPO, MonthEdges, NodeIndex
from nichegraph.db import Graph
from nichegraph.months import Window, add_months, month_range
from nichegraph.queries.library import get_query, run_query

# --- reading the graph ----------------------------------------------------------------------

# OpenDigger's details leave out developers below a score of 2 (since 2017; docs/openrank.md):
# an unlisted developer scored less than that.
TAIL_SCORE_CAP = 2.0


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
