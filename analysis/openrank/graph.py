"""Reading a window's contributions (and the month before it) from the graph for OpenRank."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd
from neo4j import ManagedTransaction

from nichegraph.analysis.openrank.method import DEVELOPER, REPO, MonthEdges, NodeIds, NodeIndex
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
    return read_raw(graph, query.cypher, **query.parameters(params))


def read_raw(graph: Graph, cypher: str, **params: object) -> list[dict[str, object]]:
    """graph.read without `Record.data()` (see read_bulk)."""

    def work(tx: ManagedTransaction) -> list[dict[str, object]]:
        result = tx.run(cypher, params)
        keys = result.keys()
        return [dict(zip(keys, record, strict=True)) for record in result]

    return graph.read_tx(work)


# Reading is bound by the server walking the edges (one thread per query): two queries run at
# once, each on a chunk of months, while this thread turns the previous chunk into arrays.
READERS = 2
CHUNK_MONTHS = 6


@dataclass
class Chunk:
    """A chunk of months as the two library queries return it."""

    first: str
    last: str
    edges: list[dict[str, object]]  # openrank_edges rows: one per repository and month
    totals: list[dict[str, object]]  # openrank_participants rows


def read_chunk(graph: Graph, first: str, last: str) -> Chunk:
    return Chunk(
        first,
        last,
        read_bulk(graph, "openrank_edges", first=first, last=last),
        read_bulk(graph, "openrank_participants", first=first, last=last),
    )


def read_month_edges(
    graph: Graph,
    window: Window,
    developers: NodeIds,
    repos: NodeIndex,
    chunk_months: int = CHUNK_MONTHS,
    readers: int = READERS,
) -> Iterator[MonthEdges]:
    """The window's contributions, one MonthEdges per month (also for empty months), in calendar
    order. At most `readers` chunks are read ahead, so memory holds a few chunks, not the window."""
    chunks = []
    first = window.first
    while first <= window.last:
        last = min(add_months(first, chunk_months - 1), window.last)
        chunks.append((first, last))
        first = add_months(last, 1)
    with ThreadPoolExecutor(readers, thread_name_prefix="openrank-read") as pool:
        ahead: deque[Future[Chunk]] = deque()
        for chunk in chunks:
            ahead.append(pool.submit(read_chunk, graph, *chunk))
            if len(ahead) > readers:
                yield from chunk_edges(ahead.popleft().result(), developers, repos)
        while ahead:
            yield from chunk_edges(ahead.popleft().result(), developers, repos)


def chunk_edges(chunk: Chunk, developers: NodeIds, repos: NodeIndex) -> Iterator[MonthEdges]:
    """A chunk's rows as one MonthEdges per month: every list flattened once into numpy arrays,
    developers numbered from their node ids without a Python object per developer."""
    rows = chunk.edges
    months = list(month_range(chunk.first, chunk.last))
    sizes = np.fromiter((len(row["developerIds"]) for row in rows), dtype=np.int64, count=len(rows))
    total = int(sizes.sum())
    ids = np.fromiter(chain.from_iterable(row["developerIds"] for row in rows), dtype=np.int64, count=total)
    dev = developers.indexes_of(ids)
    repo = np.repeat(np.asarray(repos.indexes(row["repo"] for row in rows), dtype=np.int64), sizes)
    scores = np.fromiter(chain.from_iterable(row["activity"] for row in rows), dtype=np.float64, count=total)
    position = {month: i for i, month in enumerate(months)}
    month = np.repeat(np.asarray([position[row["month"]] for row in rows], dtype=np.int64), sizes)
    order = np.argsort(month, kind="stable")
    bounds = np.searchsorted(month[order], np.arange(len(months) + 1))
    listed = pd.DataFrame(rows, columns=["month", "repo", "listed", "listedActivity"])
    tails = dict(tuple(tail_estimate(listed, pd.DataFrame(chunk.totals)).groupby("month")))
    for i, name in enumerate(months):
        inside = order[bounds[i] : bounds[i + 1]]
        yield _month_edges(name, dev[inside], repo[inside], scores[inside], tails.get(name), repos)


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
    month: str, dev: np.ndarray, repo: np.ndarray, scores: np.ndarray, tail: pd.DataFrame | None, repos: NodeIndex
) -> MonthEdges:
    edges = MonthEdges(month, dev, repo, scores)
    if tail is not None and len(tail):
        edges.tail_repos = np.asarray(repos.indexes(tail["repo"]), dtype=np.int64)
        edges.tail_counts = tail["count"].to_numpy(dtype=np.float64)
        edges.tail_scores = tail["score"].to_numpy(dtype=np.float64)
    return edges


def read_start(graph: Graph, month: str, developers: NodeIds, repos: NodeIndex) -> tuple[np.ndarray, np.ndarray]:
    """Stored values of `month` (the month before a window) as dense arrays by index."""
    rows = run_query(graph, "openrank_month", month=month, limit=None)
    dev = {row["name"]: row["computed"] for row in rows if row["kind"] == DEVELOPER}
    repo = {row["name"]: row["computed"] for row in rows if row["kind"] == REPO}
    dev_values = np.zeros(0)
    repo_values = np.zeros(0)
    if dev:
        ids = developer_ids(graph, list(dev))
        known = [key for key in dev if key in ids]
        index = developers.indexes_of(np.asarray([ids[key] for key in known], dtype=np.int64))
        dev_values = np.zeros(len(developers))
        dev_values[index] = [dev[key] for key in known]
    if repo:
        index = np.asarray(repos.indexes(repo), dtype=np.int64)
        repo_values = np.zeros(len(repos))
        repo_values[index] = list(repo.values())
    return dev_values, repo_values


# --- developers: node ids and keys ------------------------------------------------------------

# one record per batch: the driver decodes a record far slower than a list element
DEVELOPER_IDS = """
UNWIND $keys AS key
MATCH (d:Developer {key: key})
RETURN collect(d.key) AS keys, collect(id(d)) AS ids
"""

DEVELOPER_KEYS = """
UNWIND $ids AS id
MATCH (d:Developer) WHERE id(d) = id
RETURN collect(id(d)) AS ids, collect(d.key) AS keys
"""

NAME_BATCH = 100_000


def developer_ids(graph: Graph, keys: list[str]) -> dict[str, int]:
    """Node ids of developers by key (keys not in the graph are left out)."""
    found: dict[str, int] = {}
    for start in range(0, len(keys), NAME_BATCH):
        row = read_raw(graph, DEVELOPER_IDS, keys=keys[start : start + NAME_BATCH])[0]
        found.update(zip(row["keys"], row["ids"], strict=True))
    return found


def developer_keys(graph: Graph, ids: np.ndarray) -> list[str]:
    """The keys of developers by node id, in the order given."""
    keys: dict[int, str] = {}
    for start in range(0, ids.size, NAME_BATCH):
        row = read_raw(graph, DEVELOPER_KEYS, ids=ids[start : start + NAME_BATCH].tolist())[0]
        keys.update(zip(row["ids"], row["keys"], strict=True))
    return [keys[i] for i in ids.tolist()]
