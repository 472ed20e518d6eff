"""`nichegraph bench events SOURCE`: how fast embedded ClickHouse (chdb) reads GH Archive files and
computes activity and the report's expansion from them, and how much memory that takes.

Generate test data with `python -m tests.support.gharchive FOLDER --events 10000000` (no GH Archive
file can be downloaded on the development machines). Nothing is written to Neo4j: the graph write
is `nichegraph bench load`'s subject.
"""

from __future__ import annotations

import os
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


def cpu_seconds() -> float:
    """CPU time of this process, chdb's threads included: less disturbed than wall time when
    other work shares the cores."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(work: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds, result)"""
    started, cpu = time.perf_counter(), cpu_seconds()
    value = work()
    return time.perf_counter() - started, cpu_seconds() - cpu, value


def bench_events(source: str) -> list[tuple[str, Any]]:
    files = find_files(source)
    store = FilesStore(source, files)
    try:
        read_s, read_cpu, (lines, raw_bytes) = timed(lambda: count_lines(store, files))
        import_s, import_cpu, report = timed(lambda: store.load(note=lambda _text: None, quiet=True))
        activity_s, activity_cpu, activity = timed(lambda: compute_activity(store, None, None, WEIGHTS["current"]))
        seeds = sorted(activity.repos, key=lambda name: -activity.repos[name].rows)[:SEEDS]
        expand_s, expand_cpu, pairs = timed(lambda: expansion(store, seeds))
    finally:
        store.close()
    wall = import_s + activity_s
    cpu = import_cpu + activity_cpu
    compressed = sum(path.stat().st_size for path in files)
    return [
        ("files", len(files)),
        ("events in the files (lines)", lines),
        ("JSON, uncompressed (MB)", round(raw_bytes / 1e6)),
        ("gzip files (MB)", round(compressed / 1e6)),
        ("decompress + split lines, no JSON: wall / CPU (s)", f"{read_s:.1f} / {read_cpu:.1f}"),
        ("import: parse JSON, keep the 6 kinds that count: wall / CPU (s)", f"{import_s:.1f} / {import_cpu:.1f}"),
        ("events kept", report.rows),
        ("activity SQL over the kept events: wall / CPU (s)", f"{activity_s:.1f} / {activity_cpu:.1f}"),
        ("(repository, developer, month) activity rows", activity.rows),
        ("repositories with activity", len(activity.repos)),
        ("events/s read and aggregated, wall (lines / (import + activity))", round(lines / wall)),
        ("events per CPU-second read and aggregated", round(lines / cpu)),
        ("JSON MB/s read and aggregated, wall", round(raw_bytes / 1e6 / wall, 1)),
        (f"expansion: {SEEDS} seeds, top {TOP}, pairs: wall / CPU (s)", f"{expand_s:.1f} / {expand_cpu:.1f}"),
        ("expansion pairs sharing at least 1 developer", pairs),
        ("peak RSS of this process, chdb included (MB)", round(peak_rss_mb())),
        ("cores", os.cpu_count()),
    ]


def count_lines(store: FilesStore, files: list[Any]) -> tuple[int, int]:
    """The floor: every file decompressed and split into lines, nothing parsed. (lines, bytes)"""
    lines = size = 0
    for batch in batches(files, 64):
        rows = store.run(
            "SELECT count() AS n, sum(length(line) + 1) AS size FROM file({path:String}, 'LineAsString')",
            {"path": file_pattern(batch)},
        ).to_pylist()
        lines += rows[0]["n"]
        size += rows[0]["size"]
    return lines, size


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
