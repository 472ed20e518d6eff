"""`nichegraph bench events SOURCE`: how fast embedded ClickHouse (chdb) reads GH Archive files and
computes activity and the report's expansion from them, and how much memory that takes.

Generate test data with `python -m tests.support.gharchive FOLDER --events 10000000` (no GH Archive
file can be downloaded on the development machines). Nothing is written to Neo4j: the graph write
is `nichegraph bench load`'s subject.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from typing import Any

import click

from nichegraph.config import Settings
from nichegraph.loader.events.activity import WEIGHTS, compute_activity
from nichegraph.loader.events.expansion import pair_overlap, seed_overlap
from nichegraph.loader.events.stores import FilesStore, batches, file_pattern, find_files
from nichegraph.output import to_json, to_table

SEEDS = 3  # the repositories with the most activity rows become the expansion's seeds
TOP = 50


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = work()
    return time.perf_counter() - started, value


def bench_events(source: str) -> list[tuple[str, Any]]:
    files = find_files(source)
    store = FilesStore(source, files)
    try:
        read_s, lines = timed(lambda: count_lines(store, files))
        import_s, report = timed(lambda: store.load(note=lambda _text: None))
        activity_s, activity = timed(lambda: compute_activity(store, None, None, WEIGHTS["current"]))
        seeds = sorted(activity.repos, key=lambda name: -activity.repos[name].rows)[:SEEDS]
        expand_s, pairs = timed(lambda: expansion(store, seeds))
    finally:
        store.close()
    aggregate_s = import_s + activity_s
    compressed = sum(path.stat().st_size for path in files)
    return [
        ("files", len(files)),
        ("events in the files (lines)", lines),
        ("compressed size (MB)", round(compressed / 1e6)),
        ("decompress + split lines, no JSON (s)", round(read_s, 1)),
        ("import: parse JSON, keep the 6 kinds that count (s)", round(import_s, 1)),
        ("events kept", report.rows),
        ("activity SQL over the kept events (s)", round(activity_s, 1)),
        ("(repository, developer, month) activity rows", activity.rows),
        ("repositories with activity", len(activity.repos)),
        ("events/s read and aggregated (lines / (import + activity))", round(lines / aggregate_s)),
        (f"expansion: {SEEDS} seeds, top {TOP}, pairs (s)", round(expand_s, 1)),
        ("expansion pairs sharing at least 1 developer", pairs),
        ("peak RSS of this process, chdb included (MB)", round(peak_rss_mb())),
    ]


def count_lines(store: FilesStore, files: list[Any]) -> int:
    """The floor: every file decompressed and split into lines, nothing parsed."""
    total = 0
    for batch in batches(files, 64):
        rows = store.run(
            "SELECT count() AS n FROM file({path:String}, 'LineAsString')", {"path": file_pattern(batch)}
        ).to_pylist()
        total += rows[0]["n"]
    return total


def expansion(store: FilesStore, seeds: list[str]) -> int:
    overlap = seed_overlap(store, seeds, None, TOP)
    names = [item.name for item in [*overlap.seeds, *overlap.candidates[:TOP]]]
    return len(pair_overlap(store, overlap, names, None, 1))


@click.command("events")
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON")
@click.pass_obj
def bench_events_command(settings: Settings, source: str, as_json: bool) -> None:
    """Read GH Archive files with embedded ClickHouse and compute activity and the expansion:
    events/s, time per step, peak memory (nothing is written to Neo4j)."""
    figures = bench_events(source)
    if as_json:
        click.echo(to_json({name: value for name, value in figures}))
    else:
        click.echo(to_table([{"figure": name, "value": value} for name, value in figures]))


BENCH_COMMANDS = [bench_events_command]
