"""A whole `nichegraph openrank` run: read, compute, store, and compare with the published values."""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd

from nichegraph.analysis.openrank.figures import KeptEdges, covers
from nichegraph.analysis.openrank.graph import developer_keys, read_month_edges, read_start
from nichegraph.analysis.openrank.method import (
    DEVELOPER,
    REPO,
    MonthEdges,
    NodeIds,
    NodeIndex,
    OpenRankParams,
    OpenRankRun,
    compute,
)
from nichegraph.analysis.openrank.storage import record_run, store
from nichegraph.analysis.page_figures import analysed_windows
from nichegraph.db import Graph
from nichegraph.months import Window, add_months
from nichegraph.progress import Progress
from nichegraph.queries.library import run_query
from nichegraph.queries.windows import data_range, require_data

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
    return _run_openrank(graph, window, params, progress, write)


@contextmanager
def paused_gc() -> Iterator[None]:
    """While reading and computing: the edges arrive as many small lists and dicts, which made
    the cyclic collector rescan the heap again and again; nothing there forms cycles. Not while
    writing: each write transaction leaves the driver's objects in cycles that hold the batch's
    lists, which only the collector frees (with it paused, the write phase's peak was 110 MB
    higher for our snapshot, and it grows with the number of batches)."""
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
    developers, repos = NodeIds(read_names=lambda ids: developer_keys(graph, ids)), NodeIndex()
    # the months with contributions: OpenRank-only series (landscape files) hold no developer data
    data = require_data(data_range(graph), "--months").activity
    start = None
    if window.first > data.first:
        start = read_start(graph, add_months(window.first, -1), developers, repos)
    warm = start is not None and bool(start[0].size or start[1].size)
    seconds["read start"] = time.perf_counter() - started
    # reading and computing interleave, so progress moves while the edges arrive
    months = _timed_iter(read_month_edges(graph, window, developers, repos), seconds, "read edges")
    # the contributions of the analysed windows, for the pages' figures of this run (figures.py)
    inside = [w for w in analysed_windows(graph) if covers(window, w)]
    kept = KeptEdges.for_windows(inside)
    if write and kept.months:
        months = kept.keep(months)
    clock = time.perf_counter()
    with paused_gc():
        run = compute(months, window, developers, repos, params, start if warm else None, warm, progress)
    clock = timed(seconds, "compute", clock)
    seconds["compute"] -= seconds["read edges"]
    run_id = time.strftime("%Y%m%dT%H%M%S") + f"-{window}"
    if write:
        # the run's parameters first: queries derive inactive developers' values from them
        record_run(graph, run, run_id)
        store(graph, run, run_id, progress, whole=window.first <= data.first and window.last >= data.last, kept=kept)
        clock = timed(seconds, "write", clock)
    run.seconds = seconds | {"total": clock - started}
    if write:
        record_run(graph, run, run_id)  # after the total is known: the run records its time
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
