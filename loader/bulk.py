"""The bulk path: an empty database of the local server, loaded through Neo4j's offline importer.

Every repository is parsed and checked as on the incremental path (the same parser, the
same per-repository failures), in one process per core for a folder (loader/bulk_parse.py);
the good ones become import files (loader/import_files.py) holding the same graph the
incremental path would write. Then `offline_import` stops the
server, imports into a new database folder, swaps it in and starts the server again, and
the schema is applied to the new database. The writer lock and this run's LoadRun travel
inside the import, so the lock is held across the restart and an interrupted run shows as
"running"; earlier LoadRun records are written back after the start. Nothing is imported
when the producer stops early or no repository is good: the database stays as it was.
"""

from __future__ import annotations

import contextlib
import shutil
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from nichegraph import localdb
from nichegraph.db import Graph
from nichegraph.errors import NichegraphError
from nichegraph.loader.bulk_parse import parse_for_import
from nichegraph.loader.import_files import ImportFiles, RepoRecord
from nichegraph.loader.sources import FolderSource, HttpSource
from nichegraph.loader.summary import (
    BULK,
    FINISH_RUN,
    LoadSummary,
    RepoFailure,
    run_properties,
    start_run,
)
from nichegraph.months import Window
from nichegraph.offline_import import (
    ImportFailed,
    ImportTimings,
    ManagedServer,
    import_offline,
    own_cpu_seconds,
    prepare_workdir,
    process_cpu_seconds,
)
from nichegraph.progress import Progress

LOAD_RUNS = "MATCH (l:LoadRun) RETURN properties(l) AS props"
RESTORE_LOAD_RUNS = "UNWIND $runs AS props CREATE (l:LoadRun) SET l = props"
WRITER_LOCK = "MATCH (l:WriterLock) RETURN properties(l) AS props"


def load_bulk(
    graph: Graph,
    source: FolderSource | HttpSource,
    repos: list[str],
    window: Window | None,
    summary: LoadSummary,
    target: ManagedServer,
    progress: Progress,
    started: float,
) -> LoadSummary:
    summary.method = BULK
    timings = ImportTimings()
    clock, cpu = time.perf_counter(), own_cpu_seconds()
    workdir = prepare_workdir(target)
    files = ImportFiles(workdir / "input", repo_slots=len(repos))
    parsed = parse_for_import(source, repos, window, files.folder, files.number_developers)
    loaded: list[tuple[int, str]] = []
    failed: list[tuple[int, RepoFailure]] = []
    try:
        for index, item in parsed:
            if isinstance(item, RepoFailure):
                failed.append((index, item))
                progress.item_failed(item.repo, item.message)
                continue
            _count(summary, item)
            files.add_record(item)
            loaded.append((index, item.name))
            progress.item_done(item.name, item.contributions, "(parsed for the bulk import)")
    finally:
        parsed.stop()
    summary.worker_peak_rss_mb = parsed.worker_peak_rss_mb
    # workers finish in any order: the summary lists repositories as they were requested
    summary.loaded = [name for _index, name in sorted(loaded)]
    summary.failed = [failure for _index, failure in sorted(failed, key=lambda pair: pair[0])]
    if parsed.error is not None:
        summary.error = f"{parsed.error}; nothing was imported"
        _nothing_loaded(summary)
    if summary.error is not None or not summary.loaded:
        shutil.rmtree(workdir, ignore_errors=True)
        return _record_without_import(graph, summary, started)
    for part in parsed.parts:
        files.add_part(part)
    summary.developers_merged = len(files.developers)
    run = _running_load_run(summary)
    files.add_node("LoadRun", run)
    for row in graph.read(WRITER_LOCK):
        files.add_node("WriterLock", row["props"])  # held across the restart
    earlier_runs = [row["props"] for row in graph.read(LOAD_RUNS)]
    spec = files.finish()
    timings.lap("read, parse and write import files", clock)
    timings.cpu_lap("read, parse and write import files", cpu, own_cpu_seconds())  # the parsing processes too
    graph.close()  # the server is about to stop
    try:
        import_offline(target, spec, progress.note, timings)
    except ImportFailed as error:
        summary.error = str(error)
        _nothing_loaded(summary)
        _record_without_import(graph, summary, started)
        raise
    server_pid = localdb.read_pid(target.server) or 0  # the restarted server's, not target.pid
    clock, cpu = time.perf_counter(), process_cpu_seconds(server_pid)
    graph.apply_schema()
    timings.lap("apply schema", clock)
    timings.cpu_lap("apply schema", cpu, process_cpu_seconds(server_pid))
    if earlier_runs:
        graph.write(RESTORE_LOAD_RUNS, runs=earlier_runs)
    summary.steps = {name: round(seconds, 2) for name, seconds in timings.seconds.items()}
    summary.step_cpu = {name: round(seconds, 2) for name, seconds in timings.cpu.items()}
    summary.elapsed = time.monotonic() - started
    progress.finish()
    graph.write(FINISH_RUN, id=run["id"], summary=run_properties(summary))
    return summary


def _running_load_run(summary: LoadSummary) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "kind": summary.kind,
        "source": summary.source,
        "startedAt": datetime.now(UTC),
        "status": "running",
        "repos": summary.requested,
        "method": BULK,
    }


def _count(summary: LoadSummary, record: RepoRecord) -> None:
    """The summary's figures for a parsed repository (summary.count_input, from its record)."""
    summary.rows_in += record.rows_in
    summary.contributions += record.contributions
    summary.merged_repeats += record.merged_repeats
    summary.aggregate_keys_skipped += record.skipped_aggregate_keys
    summary.contributions_written += record.contributions
    summary.months_written += len(record.months)


def _nothing_loaded(summary: LoadSummary) -> None:
    """Parsed is not loaded: without an import no repository reached the database."""
    summary.loaded, summary.developers_merged = [], 0
    summary.contributions_written = summary.months_written = 0


def _record_without_import(graph: Graph, summary: LoadSummary, started: float) -> LoadSummary:
    """Nothing was imported: record the run in the database as it is (if it answers)."""
    summary.elapsed = time.monotonic() - started
    with contextlib.suppress(NichegraphError):  # a server that did not come back; the error is reported anyway
        graph.write(FINISH_RUN, id=start_run(graph, summary), summary=run_properties(summary))
    return summary
