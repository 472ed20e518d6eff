"""`nichegraph bench niches`: the network build, distribution hubs, Leiden with consensus and
drawers (with the GitHub metadata they read), relations (with the previous window and the GitHub
metadata they read), timed on the graph at NEO4J_URI (the full snapshot). Target: network + niches
+ relations <= 10 s."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import click

from nichegraph.analysis.hubs import HubParams
from nichegraph.analysis.network import cypher_pair_sums, load_network
from nichegraph.analysis.niches import NicheParams, detect_niches
from nichegraph.analysis.pipeline import graph_metadata, mark_hubs, relations_of
from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import BadParameter
from nichegraph.output import to_json, to_table
from nichegraph.progress import Progress
from nichegraph.queries import windows

TARGET_SECONDS = 10.0
BUILD, HUBS, LEIDEN, RELATIONS, CYPHER = (
    "network build (stream + Python)",
    "distribution hubs",
    "Leiden runs + consensus + drawers + kinds (incl. metadata)",
    "relations (incl. previous window, metadata)",
    "network build, Cypher aggregation (alternative)",
)
TOTAL_STEPS = (BUILD, HUBS, LEIDEN, RELATIONS)


@click.command("niches")
@click.option("--window", help="Months FIRST:LAST [default: the last 12 months in the graph]")
@click.option("--runs", type=int, default=20, show_default=True, help="Leiden runs")
@click.option("--repeat", type=int, default=3, show_default=True, help="Timed repetitions (the median is shown)")
@click.option("--cypher/--no-cypher", default=True, show_default=True, help="Also time the Cypher aggregation")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON")
@click.pass_obj
def bench_niches(settings: Settings, window: str | None, runs: int, repeat: int, cypher: bool, as_json: bool) -> None:
    """Time the network build (Python over streamed rows, and the Cypher aggregation it replaced),
    distribution hubs, Leiden with consensus, and relations on the graph at NEO4J_URI."""
    if repeat < 1:
        raise BadParameter(f"--repeat: {repeat} must be at least 1")
    NicheParams(runs=runs).check()
    timings: dict[str, list[float]] = {}
    quiet = Progress(total=None, quiet=True)

    def timed(name: str, work: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        value = work()
        timings.setdefault(name, []).append(time.perf_counter() - started)
        return value

    with Graph(settings) as graph:
        resolved = windows.resolve_window(graph, window)
        for _ in range(repeat):
            network = timed(BUILD, lambda: load_network(graph, resolved))
            timings.setdefault("  of which streaming", []).append(network.activity.seconds)
            hubs = timed(HUBS, lambda n=network: mark_hubs(graph, n, HubParams(), quiet))
            result = timed(
                LEIDEN,
                lambda n=network, h=hubs: detect_niches(n, NicheParams(runs=runs), {}, h, graph_metadata(graph, n)),
            )
            relations = timed(RELATIONS, lambda n=network, r=result: relations_of(graph, n, r.membership(), quiet))
            if cypher:
                timed(CYPHER, lambda: cypher_pair_sums(graph, resolved))
    medians = {name: sorted(values)[len(values) // 2] for name, values in timings.items()}
    total = sum(medians[name] for name in TOTAL_STEPS)
    figures = {
        "window": str(resolved),
        "projects": len(network.activity.repos),
        "monthlyRows": network.activity.rows,
        "links": len(network.backbone()),
        "hubs": len(hubs),
        "niches": len(result.niches),
        "relations": relations.counts(),
        "runs": runs,
        "repeat": repeat,
        "medianSeconds": medians,
        "totalSeconds": total,
        "targetSeconds": TARGET_SECONDS,
    }
    if as_json:
        click.echo(to_json(figures))
        return
    click.echo(
        f"window {resolved}: {figures['projects']} projects, {figures['monthlyRows']:,} monthly rows, "
        f"{figures['links']} links, {figures['hubs']} hubs, {figures['niches']} niches, "
        f"relations {figures['relations']}"
    )
    click.echo(
        to_table([{"step": name, "median s": value, "runs": len(timings[name])} for name, value in medians.items()])
    )
    click.echo(f"total (build + hubs + Leiden + relations): {total:.2f} s  (target <= {TARGET_SECONDS:g} s)")
