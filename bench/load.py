"""`nichegraph bench load` and `nichegraph bench layout`: loader speed, and the measurement
behind the choice of one relationship per month (docs/model.md).

Both load into a throw-away empty server (nichegraph.scratch) unless --neo4j-uri names an
empty one, so they never touch the user's data.
"""

from __future__ import annotations

import gc
import os
import resource
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import click
from neo4j import ManagedTransaction

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import BadParameter, NichegraphError
from nichegraph.loader.opendigger import RepoData, parse_repo
from nichegraph.loader.pipeline import LoadOptions, load_repos
from nichegraph.loader.sources import FolderSource, open_source
from nichegraph.loader.summary import BULK, INCREMENTAL, LoadSummary
from nichegraph.loader.writes import RepoWriteResult, contribution_chunks, write_repo
from nichegraph.output import to_json, to_table
from nichegraph.progress import Progress
from nichegraph.scratch import scratch_server
from nichegraph.writelock import no_wait_option, writer_lock


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def neo4j_cpu_seconds(graph: Graph) -> float | None:
    """CPU time the server process has used, when it runs on this machine."""
    rows = graph.read(
        "CALL dbms.queryJmx('java.lang:type=OperatingSystem') YIELD attributes "
        "RETURN attributes.ProcessCpuTime.value AS nanos"
    )
    return rows[0]["nanos"] / 1e9 if rows and rows[0]["nanos"] is not None else None


def parse_floor(source: FolderSource, repos: list[str]) -> tuple[float, int]:
    """Read and parse every file, write nothing: the loader's floor."""
    started = time.perf_counter()
    rows = 0
    gc.disable()
    try:
        for repo in repos:
            rows += len(parse_repo(repo, source.read(repo)).contributions)
    finally:
        gc.enable()
    return time.perf_counter() - started, rows


@contextmanager
def empty_database(settings: Settings, use_given: bool, wait: bool = True) -> Iterator[Settings]:
    """A throw-away server, or NEO4J_URI (which must be empty) held under the writer lock."""
    if not use_given:
        with scratch_server(settings, say=lambda message: click.echo(message, err=True)) as scratch:
            yield scratch
        return
    with Graph(settings) as graph, writer_lock(graph, "nichegraph bench load", wait=wait):
        if graph.read("MATCH (n) WHERE NOT n:WriterLock RETURN count(n) > 0 AS used")[0]["used"]:
            raise NichegraphError(f"{settings.neo4j_uri} is not empty; the benchmark needs an empty database")
        yield settings


@dataclass
class PathRun:
    """One load path measured from an empty database."""

    wall: float
    summary: LoadSummary
    developers: int
    contributions: int
    server_cpu: float | None


def run_path(
    settings: Settings,
    source: FolderSource,
    repos: list[str],
    method: str,
    workers: int,
    use_given: bool,
    wait: bool = True,
) -> PathRun:
    click.echo(f"{method} load of {len(repos)} repositories into an empty database ...", err=True)
    with empty_database(settings, use_given, wait) as target, Graph(target) as graph:
        # the bulk path restarts the server, whose CPU counter then starts again: incremental only
        cpu_before = neo4j_cpu_seconds(graph) if method == INCREMENTAL else None
        started = time.perf_counter()
        summary = load_repos(
            graph, source, repos, LoadOptions(workers=workers, method=method), Progress(None, quiet=True)
        )
        wall = time.perf_counter() - started
        cpu_after = neo4j_cpu_seconds(graph) if cpu_before is not None else None
        counts = graph.read(
            "CALL () { MATCH (d:Developer) RETURN count(d) AS developers } "
            "CALL () { MATCH ()-[c:CONTRIBUTED]->() RETURN count(c) AS contributions } "
            "RETURN developers, contributions"
        )[0]
    if not summary.ok:
        raise NichegraphError(f"bench load: the {method} load failed:\n" + summary.describe())
    cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    return PathRun(wall, summary, counts["developers"], counts["contributions"], cpu)


def bench_load(
    settings: Settings, source_text: str, workers: int, use_given: bool, methods: list[str], wait: bool = True
) -> dict[str, Any]:
    source = open_source(source_text)
    if not isinstance(source, FolderSource):
        raise NichegraphError("bench load: SOURCE must be a folder (the floor reads files directly)")
    if use_given and len(methods) > 1:
        raise BadParameter("--use-neo4j-uri: the database is loaded once; choose --path bulk or --path incremental")
    repos = source.list_repos()
    load_average = os.getloadavg()
    runs = {method: run_path(settings, source, repos, method, workers, use_given, wait) for method in methods}
    floor, floor_rows = parse_floor(source, repos)
    for method, run in runs.items():
        if floor_rows != run.contributions:
            raise NichegraphError(
                f"bench load: floor parsed {floor_rows} rows, the {method} graph holds {run.contributions}"
            )
    return {
        "repositories": len(repos),
        "activityRowsIn": next(iter(runs.values())).summary.rows_in,
        "floorSeconds": round(floor, 2),
        "wallSeconds": {method: round(run.wall, 2) for method, run in runs.items()},
        "paths": {method: path_figures(run, floor, workers) for method, run in runs.items()},
        "peakRssMb": round(peak_rss_mb()),
        "loadAverageBefore": [round(value, 2) for value in load_average],
    }


def path_figures(run: PathRun, floor: float, workers: int) -> dict[str, Any]:
    figures: dict[str, Any] = {
        "wallSeconds": round(run.wall, 2),
        "ratioToFloor": round(run.wall / floor, 1),
        "contributionsInGraph": run.contributions,
        "developersInGraph": run.developers,
        "rowsPerSecond": round(run.contributions / run.wall),
    }
    if run.summary.steps:
        figures["steps"] = run.summary.steps
        figures["stepCpuSeconds"] = run.summary.step_cpu
    else:
        figures["writerTransactions"] = workers
        figures["serverCpuSeconds"] = None if run.server_cpu is None else round(run.server_cpu, 1)
    return figures


def load_table(result: dict[str, Any]) -> str:
    paths = result["paths"]
    labels = {
        "wallSeconds": "wall time, whole load (s)",
        "ratioToFloor": "load / read+parse floor",
        "rowsPerSecond": "contributions / wall second",
        "contributionsInGraph": "monthly contributions in graph",
        "developersInGraph": "developers in graph",
        "writerTransactions": "writer transactions in parallel",
        "serverCpuSeconds": "Neo4j server CPU during load (s)",
    }
    rows = [{"figure": label, **{m: paths[m].get(key, "") for m in paths}} for key, label in labels.items()]
    steps = sorted({step for figures in paths.values() for step in figures.get("steps", {})}, key=str)
    for step in steps:
        rows.append({"figure": f"  step: {step} (s)", **{m: paths[m].get("steps", {}).get(step, "") for m in paths}})
        cpu = {m: paths[m].get("stepCpuSeconds", {}).get(step, "") for m in paths}
        rows.append({"figure": "    its CPU (s)", **cpu})
    head = (
        f"{result['repositories']} repositories, {result['activityRowsIn']:,} activity rows; read + parse floor "
        f"{result['floorSeconds']:.1f} s; peak RSS of this process {result['peakRssMb']} MB; "
        f"load average before {result['loadAverageBefore']}"
    )
    return head + "\n" + to_table(rows)


# --- layout comparison ----------------------------------------------------------------

PAIR_WRITE = """
MATCH (r:Repo {name: $name})
UNWIND $rows AS row
MATCH (d:Developer {key: row.key})
CREATE (d)-[:CONTRIBUTES {months: row.months, activity: row.activity}]->(r)
"""

# The same questions asked of both layouts: (name, per-month Cypher, per-pair Cypher).
LAYOUT_QUERIES: list[tuple[str, str, str]] = [
    (
        "top developers of one repo in a 12-month window",
        """MATCH (:Repo {name: $repo})<-[c:CONTRIBUTED]-(d:Developer)
           WHERE $first <= c.month <= $last
           RETURN d.login AS login, sum(c.activity) AS activity ORDER BY activity DESC LIMIT 20""",
        """MATCH (:Repo {name: $repo})<-[c:CONTRIBUTES]-(d:Developer)
           WITH d, reduce(s = 0.0, i IN range(0, size(c.months) - 1) |
                s + CASE WHEN $first <= c.months[i] <= $last THEN c.activity[i] ELSE 0.0 END) AS activity
           WHERE activity > 0
           RETURN d.login AS login, activity ORDER BY activity DESC LIMIT 20""",
    ),
    (
        "developers shared by two repos in the window",
        """MATCH (:Repo {name: $repo})<-[c1:CONTRIBUTED]-(d:Developer)-[c2:CONTRIBUTED]->(:Repo {name: $other})
           WHERE $first <= c1.month <= $last AND $first <= c2.month <= $last
           RETURN d.login AS login, sum(c1.activity) AS a1, sum(c2.activity) AS a2""",
        """MATCH (:Repo {name: $repo})<-[c1:CONTRIBUTES]-(d:Developer)-[c2:CONTRIBUTES]->(:Repo {name: $other})
           WITH d,
             reduce(s = 0.0, i IN range(0, size(c1.months) - 1) |
                s + CASE WHEN $first <= c1.months[i] <= $last THEN c1.activity[i] ELSE 0.0 END) AS a1,
             reduce(s = 0.0, i IN range(0, size(c2.months) - 1) |
                s + CASE WHEN $first <= c2.months[i] <= $last THEN c2.activity[i] ELSE 0.0 END) AS a2
           WHERE a1 > 0 AND a2 > 0
           RETURN d.login AS login, a1, a2""",
    ),
    (
        "one developer's repos in the window",
        """MATCH (:Developer {key: $developer})-[c:CONTRIBUTED]->(r:Repo)
           WHERE $first <= c.month <= $last
           RETURN r.name AS repo, sum(c.activity) AS activity ORDER BY activity DESC""",
        """MATCH (:Developer {key: $developer})-[c:CONTRIBUTES]->(r:Repo)
           WITH r, reduce(s = 0.0, i IN range(0, size(c.months) - 1) |
                s + CASE WHEN $first <= c.months[i] <= $last THEN c.activity[i] ELSE 0.0 END) AS activity
           WHERE activity > 0
           RETURN r.name AS repo, activity ORDER BY activity DESC""",
    ),
    (
        "whole graph: active developers and activity per repo in the window",
        """MATCH (d:Developer)-[c:CONTRIBUTED]->(r:Repo) WHERE $first <= c.month <= $last
           RETURN r.name AS repo, count(DISTINCT d) AS developers, sum(c.activity) AS activity""",
        """MATCH (d:Developer)-[c:CONTRIBUTES]->(r:Repo)
           WITH r, d, reduce(s = 0.0, i IN range(0, size(c.months) - 1) |
                s + CASE WHEN $first <= c.months[i] <= $last THEN c.activity[i] ELSE 0.0 END) AS activity
           WHERE activity > 0
           RETURN r.name AS repo, count(d) AS developers, sum(activity) AS activity""",
    ),
    (
        "whole graph: stream every edge of the window to Python (network build)",
        """MATCH (d:Developer)-[c:CONTRIBUTED]->(r:Repo) WHERE $first <= c.month <= $last
           WITH r, collect(d.key) AS keys, collect(c.activity) AS activity
           RETURN r.name AS repo, keys, activity""",
        """MATCH (d:Developer)-[c:CONTRIBUTES]->(r:Repo)
           WITH r, d, [i IN range(0, size(c.months) - 1) WHERE $first <= c.months[i] <= $last | c.activity[i]]
                AS inside WHERE size(inside) > 0
           WITH r, collect(d.key) AS keys, collect(inside) AS activity
           RETURN r.name AS repo, keys, activity""",
    ),
]

LAYOUT_PARAMS = {
    "repo": "pytorch/pytorch",
    "other": "huggingface/transformers",
    "developer": "ezyang",
    "first": "2022-04",
    "last": "2023-03",
}


@dataclass
class LayoutRun:
    load_seconds: float
    relationships: int
    query_ms: dict[str, float]


def time_query(graph: Graph, cypher: str, repeats: int = 5) -> float:
    graph.read(cypher, **LAYOUT_PARAMS)  # plan and warm the page cache
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        graph.read(cypher, **LAYOUT_PARAMS)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def write_pairs(tx: ManagedTransaction, data: RepoData) -> RepoWriteResult:
    """The per-pair layout's writer (first loads only): one CONTRIBUTES per (developer, repo)."""
    tx.run("MERGE (:Repo {name: $name})", name=data.name).consume()
    for rows in contribution_chunks(data.contributions):
        tx.run(PAIR_WRITE, name=data.name, rows=rows).consume()
    return RepoWriteResult(data.name, len(data.month_hashes), 0, len(data.contributions))


def bench_layout(settings: Settings, source_text: str) -> list[dict[str, Any]]:
    source = open_source(source_text)
    if not isinstance(source, FolderSource):
        raise NichegraphError("bench layout: SOURCE must be a folder")
    repos = source.list_repos()
    runs: dict[str, LayoutRun] = {}
    for layout in ("per-month", "per-pair"):
        click.echo(f"loading the {layout} layout into an empty server ...", err=True)
        with scratch_server(settings, say=lambda _m: None) as target, Graph(target) as graph:
            writer, rel_type = (write_repo, "CONTRIBUTED") if layout == "per-month" else (write_pairs, "CONTRIBUTES")
            summary = load_repos(graph, source, repos, LoadOptions(writer=writer), Progress(None, quiet=True))
            seconds = summary.elapsed
            count = graph.read(f"MATCH ()-[c:{rel_type}]->() RETURN count(c) AS n")[0]["n"]
            column = 1 if layout == "per-month" else 2
            timings = {query[0]: time_query(graph, query[column]) for query in LAYOUT_QUERIES}
            runs[layout] = LayoutRun(seconds, count, timings)
    rows = [
        {"measure": "load, whole snapshot (s)", **{k: round(v.load_seconds, 1) for k, v in runs.items()}},
        {"measure": "contribution relationships", **{k: v.relationships for k, v in runs.items()}},
    ]
    rows += [
        {"measure": f"{name} (median ms)", **{k: round(v.query_ms[name], 1) for k, v in runs.items()}}
        for name, _, _ in LAYOUT_QUERIES
    ]
    return rows


# --- commands ---------------------------------------------------------------------------


@click.command("load")
@click.argument("source")
@click.option("--workers", default=1, show_default=True, help="Parallel repository transactions (incremental path)")
@click.option(
    "--path",
    "paths",
    type=click.Choice([BULK, INCREMENTAL, "both"]),
    default="both",
    show_default=True,
    help="Which load path to measure",
)
@click.option("--use-neo4j-uri", is_flag=True, help="Load into NEO4J_URI (must be empty) instead of a scratch server")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON (wallSeconds per path)")
@no_wait_option
@click.pass_obj
def bench_load_command(
    settings: Settings, source: str, workers: int, paths: str, use_neo4j_uri: bool, as_json: bool, no_wait: bool
) -> None:
    """Load a whole OpenDigger folder into an empty database by both paths (bulk and
    incremental) and print wall time, rows/s, the read+parse floor and the ratio."""
    methods = [BULK, INCREMENTAL] if paths == "both" else [paths]
    result = bench_load(settings, source, workers, use_neo4j_uri, methods, wait=not no_wait)
    click.echo(to_json(result) if as_json else load_table(result))


@click.command("layout")
@click.argument("source")
@click.pass_obj
def bench_layout_command(settings: Settings, source: str) -> None:
    """Compare one relationship per month with one per (developer, repo) holding month
    arrays: load time and time-window query speed (see docs/model.md)."""
    click.echo(to_table(bench_layout(settings, source)))
