"""`nichegraph bench openrank`: the time of a whole `nichegraph openrank` run (target: every
month of the top-300 snapshot in at most 20 s), per phase with the CPU seconds this process and
the server spent on it, and with --storage the measurement behind the storage of developer
values (docs/openrank.md, "Storage").

It runs against NEO4J_URI, which should hold the full snapshot. The timed run stores its values
as `nichegraph openrank` does; --storage writes its two candidate layouts under throw-away
names (label BenchDeveloperMonth, properties benchOpenrank*) and removes them afterwards.
"""

from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import click

from nichegraph.analysis.openrank.method import LEGACY, START_RULES, OpenRankParams
from nichegraph.analysis.openrank.run import run_openrank
from nichegraph.analysis.openrank.storage import WRITE_BATCH, WRITERS, developer_rows, month_at
from nichegraph.bench.load import neo4j_cpu_seconds
from nichegraph.bench.scale import peak_rss_mb, reset_peak_rss
from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import BadParameter
from nichegraph.months import add_months
from nichegraph.output import to_json, to_table
from nichegraph.queries.windows import data_range, require_data
from nichegraph.writelock import no_wait_option, writer_lock

TARGET_SECONDS = 20.0

BENCH_NODES = """
UNWIND $rows AS row
CREATE (:BenchDeveloperMonth {key: row.key, month: row.month, openrank: row.value})
"""

# the layout before the series: four properties per developer (months, values, activity, run)
BENCH_ARRAYS = """
UNWIND $rows AS row
MATCH (d:Developer {key: row.key})
SET d.benchOpenrankMonths = row.months, d.benchOpenrankValues = row.values, d.benchOpenrankActivity = row.activity,
    d.benchOpenrankRun = $run
"""

# the layout stored now: one array (month indexes, values, activity)
BENCH_SERIES = """
UNWIND $rows AS row
MATCH (d:Developer {key: row.key})
SET d.benchOpenrankSeries = row.series
"""

SETUP = [
    "CREATE CONSTRAINT bench_developer_month IF NOT EXISTS "
    "FOR (m:BenchDeveloperMonth) REQUIRE (m.key, m.month) IS UNIQUE",
    "CREATE INDEX bench_developer_month_key IF NOT EXISTS FOR (m:BenchDeveloperMonth) ON (m.key)",
    "CREATE INDEX bench_developer_month_month IF NOT EXISTS FOR (m:BenchDeveloperMonth) ON (m.month)",
    "CALL db.awaitIndexes(300)",
]

CLEANUP = [
    "MATCH (m:BenchDeveloperMonth) CALL (m) { DELETE m } IN TRANSACTIONS OF 50000 ROWS",
    "DROP CONSTRAINT bench_developer_month IF EXISTS",
    "DROP INDEX bench_developer_month_key IF EXISTS",
    "DROP INDEX bench_developer_month_month IF EXISTS",
    "MATCH (d:Developer) WHERE d.benchOpenrankMonths IS NOT NULL OR d.benchOpenrankSeries IS NOT NULL "
    "CALL (d) { REMOVE d.benchOpenrankMonths, d.benchOpenrankValues, d.benchOpenrankActivity, d.benchOpenrankRun, "
    "d.benchOpenrankSeries } IN TRANSACTIONS OF 50000 ROWS",
]

# The three questions the pages ask of developer values, in each layout: a node per developer
# and month, four arrays on Developer (the layout before the series), one series on Developer.
QUESTIONS = {
    "one developer's series": (
        "MATCH (m:BenchDeveloperMonth {key: $key}) RETURN m.month AS month, m.openrank AS v ORDER BY month",
        "MATCH (d:Developer {key: $key}) RETURN d.benchOpenrankMonths AS months, d.benchOpenrankValues AS v",
        "MATCH (d:Developer {key: $key}) WITH d.benchOpenrankSeries AS s, size(d.benchOpenrankSeries) / 3 AS n "
        "RETURN s[..n] AS months, s[n..2 * n] AS v",
    ),
    "top 20 developers of a month": (
        "MATCH (m:BenchDeveloperMonth {month: $month}) RETURN m.key AS key, m.openrank AS v ORDER BY v DESC LIMIT 20",
        "MATCH (d:Developer) WHERE $month IN d.benchOpenrankMonths "
        "WITH d, [i IN range(0, size(d.benchOpenrankMonths) - 1) WHERE d.benchOpenrankMonths[i] = $month][0] AS i "
        "RETURN d.key AS key, d.benchOpenrankValues[i] AS v ORDER BY v DESC LIMIT 20",
        "MATCH (d:Developer) WHERE d.benchOpenrankSeries IS NOT NULL "
        "WITH d, d.benchOpenrankSeries AS s WITH d, s, size(s) / 3 AS n "
        "WITH d, s, n, [i IN range(0, n - 1) WHERE s[i] = $at][0] AS i WHERE i IS NOT NULL "
        "RETURN d.key AS key, s[n + i] AS v ORDER BY v DESC LIMIT 20",
    ),
    "top 20 developers of a repository in a year": (
        "MATCH (:Repo {name: $repo})<-[c:CONTRIBUTED]-(d:Developer) WHERE $first <= c.month <= $last "
        "MATCH (m:BenchDeveloperMonth {key: d.key, month: c.month}) "
        "RETURN d.key AS key, avg(m.openrank) AS v ORDER BY v DESC LIMIT 20",
        "MATCH (:Repo {name: $repo})<-[c:CONTRIBUTED]-(d:Developer) WHERE $first <= c.month <= $last "
        "AND d.benchOpenrankMonths IS NOT NULL "
        "WITH d, c, [i IN range(0, size(d.benchOpenrankMonths) - 1) WHERE d.benchOpenrankMonths[i] = c.month] AS at "
        "WHERE size(at) > 0 "
        "RETURN d.key AS key, avg(d.benchOpenrankValues[at[0]]) AS v ORDER BY v DESC LIMIT 20",
        "MATCH (:Repo {name: $repo})<-[c:CONTRIBUTED]-(d:Developer) WHERE $first <= c.month <= $last "
        "AND d.benchOpenrankSeries IS NOT NULL "
        "WITH d, c, d.benchOpenrankSeries AS s, "
        "toInteger(left(c.month, 4)) * 12 + toInteger(right(c.month, 2)) - 1 AS m "
        "WITH d, s, size(s) / 3 AS n, [i IN range(0, size(s) / 3 - 1) WHERE s[i] = m] AS at WHERE size(at) > 0 "
        "RETURN d.key AS key, avg(s[n + at[0]]) AS v ORDER BY v DESC LIMIT 20",
    ),
}


def time_run(graph: Graph, repeat: int, params: OpenRankParams) -> list[dict[str, Any]]:
    """Whole runs: wall seconds per phase, the CPU seconds of this process and of the server
    (when it runs on this machine) over the run (on a shared machine CPU seconds say more about
    the work than wall time does), and this process's peak resident memory during the run."""
    window = require_data(data_range(graph))
    rows = []
    for attempt in range(1, repeat + 1):
        cpu, server = time.process_time(), neo4j_cpu_seconds(graph)
        reset_peak_rss()
        seconds = run_openrank(graph, window, params).seconds  # the run's values are not kept
        peak = peak_rss_mb()
        server_after = neo4j_cpu_seconds(graph)
        rows.append(
            {"run": attempt, "window": str(window), "developerInit": params.developer_init}
            | {k: round(v, 1) for k, v in seconds.items()}
            | {
                "python cpu": round(time.process_time() - cpu, 1),
                "neo4j cpu": None if server is None or server_after is None else round(server_after - server, 1),
                "peak rss MB": round(peak),
                "target": "ok" if seconds["total"] <= TARGET_SECONDS else f"OVER {TARGET_SECONDS:.0f} s",
            }
        )
    return rows


def write_timed(
    graph: Graph, statement: str, rows: list[dict[str, Any]], batch: int, writers: int, **params: Any
) -> float:
    started = time.perf_counter()
    batches = [rows[i : i + batch] for i in range(0, len(rows), batch)]
    with ThreadPoolExecutor(writers) as pool:
        list(pool.map(lambda part: graph.write(statement, rows=part, **params), batches))
    return time.perf_counter() - started


def median_ms(graph: Graph, cypher: str, params: dict[str, Any], repeat: int = 5) -> float:
    graph.read(cypher, **params)  # plan and warm the cache
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        graph.read(cypher, **params)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def compare_storage(graph: Graph) -> list[dict[str, Any]]:
    window = require_data(data_range(graph))
    run = run_openrank(graph, window, OpenRankParams(), write=False)
    rows = developer_rows(run)
    values = sum(len(row["months"]) for row in rows)
    key = max(rows, key=lambda row: len(row["months"]))["key"]
    params = {"key": key, "month": window.last, "repo": "pytorch/pytorch", "first": add_months(window.last, -11)}
    params |= {"last": window.last, "at": month_at(window.last)}
    for statement in CLEANUP + SETUP:
        graph.run_autocommit(statement)
    try:
        # one row per value: a developer row would put up to 99 nodes in a transaction's slot
        flat = [
            {"key": r["key"], "month": m, "value": v}
            for r in rows
            for m, v in zip(r["months"], r["values"], strict=True)
        ]
        nodes = write_timed(graph, BENCH_NODES, flat, WRITE_BATCH, WRITERS)
        arrays = write_timed(graph, BENCH_ARRAYS, rows, WRITE_BATCH, WRITERS, run="bench")
        series = [
            {"key": r["key"], "series": [month_at(m) for m in r["months"]] + r["values"] + r["activity"]} for r in rows
        ]
        one = write_timed(graph, BENCH_SERIES, series, WRITE_BATCH, WRITERS)
        table = [
            {
                "measure": f"write {values:,} developer-month values (s)",
                "node per month": nodes,
                "four arrays": arrays,
                "one series": one,
            },
            {
                "measure": "nodes / properties written",
                "node per month": values,
                "four arrays": 4 * len(rows),
                "one series": len(rows),
            },
        ]
        for question, cyphers in QUESTIONS.items():
            timings = [median_ms(graph, cypher, params) for cypher in cyphers]
            table.append(
                {"measure": f"{question} (ms)"}
                | dict(zip(("node per month", "four arrays", "one series"), timings, strict=True))
            )
    finally:
        for statement in CLEANUP:
            graph.run_autocommit(statement)
    return table


@click.command("openrank")
@click.option("--repeat", default=1, show_default=True, help="Whole runs to time")
@click.option(
    "--developer-init",
    type=click.Choice(sorted(START_RULES)),
    default=LEGACY,
    show_default=True,
    help="The start rule to time (as `nichegraph openrank --developer-init`)",
)
@click.option(
    "--storage", is_flag=True, help="Also measure node-per-developer-month, four arrays and one series on Developer"
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON")
@no_wait_option
@click.pass_obj
def bench_openrank(
    settings: Settings, repeat: int, developer_init: str, storage: bool, as_json: bool, no_wait: bool
) -> None:
    """Time `nichegraph openrank` over all the data at NEO4J_URI (which should hold the full
    snapshot; target <= 20 s), per phase; it stores the values as the command does."""
    if repeat < 1:
        raise BadParameter(f"--repeat: {repeat} must be at least 1")
    with Graph(settings) as graph, writer_lock(graph, "nichegraph bench openrank", wait=not no_wait):
        graph.apply_schema()
        runs = time_run(graph, repeat, OpenRankParams(developer_init=developer_init))
        layouts = compare_storage(graph) if storage else None
    if as_json:
        click.echo(to_json({"runs": runs, "storage": layouts}))
        return
    click.echo(to_table(runs))
    if layouts is not None:
        click.echo(to_table(layouts))
