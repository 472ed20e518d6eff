"""`nichegraph bench queries`: every library query with its example parameters, timed."""

from __future__ import annotations

import statistics
import time
from typing import Any

import click

from nichegraph.bench.stats import percentile
from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.output import to_json, to_table
from nichegraph.queries.library import load_library

TARGET_P95_MS = 200.0


def time_library(graph: Graph, repeats: int) -> list[dict[str, Any]]:
    rows = []
    for name, query in load_library().items():
        params = query.parameters()
        graph.read(query.cypher, **params)  # plan once, warm the page cache
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            result = graph.read(query.cypher, **params)
            timings.append((time.perf_counter() - started) * 1000)
        p95 = percentile(timings, 0.95)
        rows.append(
            {
                "query": name,
                "rows": len(result),
                "p50 ms": round(statistics.median(timings), 1),
                "p95 ms": round(p95, 1),
                "max ms": round(max(timings), 1),
                "target": "whole graph: reported"
                if query.whole_graph
                else ("ok" if p95 < TARGET_P95_MS else f"OVER {TARGET_P95_MS:.0f} ms"),
            }
        )
    return rows


@click.command("queries")
@click.option("--repeats", default=20, show_default=True, help="Timed runs per query (after one warm-up)")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON")
@click.pass_obj
def bench_queries(settings: Settings, repeats: int, as_json: bool) -> None:
    """Run every library query with its example parameters against NEO4J_URI (which should
    hold the full snapshot) and print p50/p95 per query; target p95 < 200 ms except
    whole-graph analytics."""
    with Graph(settings) as graph:
        rows = time_library(graph, repeats)
    click.echo(to_json(rows) if as_json else to_table(rows))
