"""`nichegraph bench niches`: the network build, Leiden with consensus and relations, timed on the
graph at NEO4J_URI (the full snapshot)."""

from __future__ import annotations

import time
from typing import Any

import click

from nichegraph.analysis.network import cypher_pair_sums, load_network
from nichegraph.analysis.niches import NicheParams, detect_niches
from nichegraph.analysis.relations import classify_relations, mean_openrank
from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import BadParameter
from nichegraph.output import to_table
from nichegraph.queries import windows


@click.command("niches")
@click.option("--window", help="Months FIRST:LAST [default: the last 12 months in the graph]")
@click.option("--runs", type=int, default=20, show_default=True, help="Leiden runs")
@click.option("--repeat", type=int, default=3, show_default=True, help="Timed repetitions (the median is shown)")
@click.pass_obj
def bench_niches(settings: Settings, window: str | None, runs: int, repeat: int) -> None:
    """Time the network build (Python over streamed rows, and the Cypher aggregation it replaced),
    Leiden with consensus, and relations on the graph at NEO4J_URI (the full snapshot)."""
    if repeat < 1:
        raise BadParameter(f"--repeat: {repeat} must be at least 1")
    timings: dict[str, list[float]] = {}

    def timed(name: str, work: Any) -> Any:
        started = time.perf_counter()
        value = work()
        timings.setdefault(name, []).append(time.perf_counter() - started)
        return value

    with Graph(settings) as graph:
        resolved = windows.resolve_window(graph, window)
        for _ in range(repeat):
            network = timed("network build (stream + Python)", lambda: load_network(graph, resolved))
            timings.setdefault("  of which streaming", []).append(network.activity.seconds)
            timed("network build (Cypher aggregation)", lambda: cypher_pair_sums(graph, resolved))
            result = timed(
                f"Leiden, {runs} runs + consensus", lambda n=network: detect_niches(n, NicheParams(runs=runs), {})
            )
            openrank = {r: v for r, (v, _) in mean_openrank(graph, str(resolved)).items()}
            timed(
                "relations",
                lambda n=network, res=result, o=openrank: classify_relations(n, res.membership(), o),
            )
    rows = [
        {"step": name, "median s": sorted(values)[len(values) // 2], "runs": len(values)}
        for name, values in timings.items()
    ]
    total = sum(
        row["median s"]
        for row in rows
        if row["step"] in {"network build (stream + Python)", f"Leiden, {runs} runs + consensus", "relations"}
    )
    click.echo(
        f"window {resolved}: {len(network.activity.repos)} projects, {network.activity.rows:,} monthly rows, "
        f"{len(network.backbone())} links, {len(result.niches)} niches"
    )
    click.echo(to_table(rows))
    click.echo(f"total (build + Leiden + relations): {total:.2f} s  (target < 30 s)")
