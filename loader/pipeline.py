"""The load pipeline: fetch and parse, merge developers, write each repository atomically.

Three stages overlap so that Python parsing and Neo4j writing share the two cores:

1. a producer thread fetches (folder or HTTP) and parses repositories;
2. the calling thread merges the developers each repository needs (only for months
   whose fingerprint changed), in developer-key order;
3. `workers` threads write each repository in one transaction (`writes.write_repo`).

Developers are shared by repositories, so they are merged ahead of the repository
transactions. If a repository then fails, developers merged only for it are removed
again at the end of the run, so a failed repository leaves nothing behind.

That is the incremental path. Into an empty database of the local server nichegraph runs,
the bulk path (loader/bulk.py) writes the same graph through Neo4j's offline importer;
`LoadOptions.method` chooses (docs/loading.md).

Every failure reaches the main thread: a repository that cannot be parsed or written is
named in the summary, and anything else (a file that cannot be read, a lost connection)
stops the run, is recorded on its LoadRun (status "failed") and makes the summary not ok.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from neo4j import ManagedTransaction

from nichegraph.db import Graph
from nichegraph.errors import NichegraphError
from nichegraph.loader.bots import BOT_SUFFIXES, SERVICE_ACCOUNTS
from nichegraph.loader.bulk import load_bulk
from nichegraph.loader.opendigger import RepoData, better_display
from nichegraph.loader.parsing import ParsedRepos, validate_all
from nichegraph.loader.sources import FolderSource, HttpSource
from nichegraph.loader.summary import (
    BULK,
    FINISH_RUN,
    INCREMENTAL,
    METHODS,
    LoadSummary,
    RepoFailure,
    count_input,
    run_properties,
    start_run,
)
from nichegraph.loader.writes import CHUNK_ROWS, EXISTING_MONTHS, RepoWriteResult, write_repo
from nichegraph.months import Window
from nichegraph.offline_import import ManagedServer, find_managed_server
from nichegraph.progress import Progress

MERGE_DEVELOPERS = """
UNWIND $rows AS row
MERGE (d:Developer {key: row.key})
  ON CREATE SET d.login = row.login, d.loginMonth = row.loginMonth, d.isBot = row.isBot
WITH d, row
WHERE row.loginMonth > d.loginMonth OR (row.loginMonth = d.loginMonth AND row.login < d.login)
SET d.login = row.login, d.loginMonth = row.loginMonth
"""

REMOVE_ORPHAN_DEVELOPERS = """
UNWIND $keys AS key
MATCH (d:Developer {key: key})
WHERE NOT (d)-[:CONTRIBUTED]->()
DELETE d
RETURN count(*) AS removed
"""

# The bot rule can grow (loader/bots.py); re-flag developers loaded under an older rule.
REFRESH_BOT_FLAGS = """
MATCH (d:Developer)
WITH d, any(suffix IN $suffixes WHERE d.key ENDS WITH suffix) OR d.key IN $accounts AS bot
WHERE d.isBot <> bot
SET d.isBot = bot
RETURN count(d) AS changed
"""

# Bulk loads go only into a database holding nothing but load records and the writer lock.
DATABASE_IS_EMPTY = """
RETURN NOT EXISTS { MATCH (n) WHERE NOT n:LoadRun AND NOT n:WriterLock } AS empty
"""


@dataclass(frozen=True)
class LoadOptions:
    window: Window | None = None
    strict: bool = False
    workers: int = 1
    # the transaction function that writes one repository (bench layout swaps it)
    writer: Callable[[ManagedTransaction, RepoData], RepoWriteResult] = write_repo
    # auto: bulk into an empty database of a local server nichegraph runs, else incremental
    method: str = INCREMENTAL


class DeveloperStage:
    """Merges developers before their repository's transaction, each at most once per
    run unless a later repository offers a better display login."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.sent: dict[str, tuple[str, str]] = {}  # key -> (login, month) already merged
        self.merged = 0

    def changed_months(self, data: RepoData) -> set[str]:
        existing = {row["month"]: row["hash"] for row in self.graph.read(EXISTING_MONTHS, name=data.name)}
        return {m for m, digest in data.month_hashes.items() if existing.get(m) != digest}

    def prepare(self, data: RepoData, months: set[str]) -> list[str]:
        """Merge the developers of `months`; return the keys merged for this repo."""
        rows = []
        needed = data.contributions.only_months(months).keys if months else []
        for key in needed:
            login, login_month, bot = data.developers[key]
            previous = self.sent.get(key)
            if previous is not None and not better_display(login, login_month, *previous):
                continue
            self.sent[key] = (login, login_month)
            rows.append({"key": key, "login": login, "loginMonth": login_month, "isBot": bot})
        for start in range(0, len(rows), CHUNK_ROWS):
            self.graph.write(MERGE_DEVELOPERS, rows=rows[start : start + CHUNK_ROWS])
        self.merged += len(rows)
        return [row["key"] for row in rows]


@contextmanager
def rare_collections() -> Iterator[None]:
    """The load keeps hundreds of thousands of small objects alive; with the default
    thresholds the cyclic collector re-scanned them so often that it took half of the
    Python time. Rare collections still reclaim the driver's few reference cycles."""
    thresholds = gc.get_threshold()
    gc.set_threshold(500_000, 1000, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def bulk_target(graph: Graph, options: LoadOptions, progress: Progress) -> ManagedServer | None:
    """The local server to bulk-load into, or None for the incremental path (`--method`)."""
    if options.method not in METHODS:
        raise NichegraphError(f"--method: {options.method!r} is not one of {', '.join(METHODS)}")
    if options.method == INCREMENTAL:
        return None
    target, reason = find_managed_server(graph, graph.settings)
    if options.writer is not write_repo:
        target, reason = None, "a custom repository writer needs the incremental path"
    if target is not None and not graph.read(DATABASE_IS_EMPTY)[0]["empty"]:
        target, reason = None, f"the database at {graph.uri} already holds data"
    if target is None:
        if options.method == BULK:
            raise NichegraphError(f"--method bulk: not possible, {reason}")
        progress.note(f"incremental load: {reason}")
        return None
    progress.note(f"bulk load: the database at {graph.uri} is empty; importing offline into {target.home}")
    return target


@rare_collections()
def load_repos(
    graph: Graph,
    source: FolderSource | HttpSource,
    repos: list[str],
    options: LoadOptions,
    progress: Progress,
) -> LoadSummary:
    """Load `repos` from `source`; every repository is written whole or not at all."""
    started = time.monotonic()
    summary = LoadSummary(source=source.label, requested=len(repos), kind=source.kind)
    target = bulk_target(graph, options, progress)
    if target is None:
        graph.apply_schema()
    if options.strict:
        failures = validate_all(source, repos, options.window, progress)
        if failures:
            summary.failed = failures
            summary.stopped_early = True
            summary.elapsed = time.monotonic() - started
            return summary
    if target is not None:
        return load_bulk(graph, source, repos, options.window, summary, target, progress, started)
    return _load_incremental(graph, ParsedRepos(source, repos, options.window), options, summary, progress, started)


def _load_incremental(
    graph: Graph,
    parsed: ParsedRepos,
    options: LoadOptions,
    summary: LoadSummary,
    progress: Progress,
    started: float,
) -> LoadSummary:
    run_id = start_run(graph, summary)
    developers = DeveloperStage(graph)
    orphan_candidates: dict[str, list[str]] = {}
    in_flight: list[Future[Any]] = []
    slots = threading.Semaphore(options.workers * 8)
    lock = threading.Lock()

    def record_failure(repo: str, message: str) -> None:
        with lock:
            summary.failed.append(RepoFailure(repo, message))
        progress.item_failed(repo, message)

    def write(data: RepoData, merged_keys: list[str]) -> None:
        try:
            result = graph.write_tx(options.writer, data)
        except Exception as error:  # any failure leaves the repo rolled back
            with lock:
                orphan_candidates[data.name] = merged_keys
            record_failure(data.name, f"write failed, repository rolled back: {error}")
            return
        finally:
            slots.release()
        with lock:
            (summary.unchanged if result.unchanged else summary.loaded).append(data.name)
            summary.contributions_written += result.contributions_written
            summary.months_written += result.months_written
        progress.item_done(
            data.name,
            len(data.contributions),
            f"({result.months_written} months written)" if result.months_written else "(unchanged)",
        )

    try:
        with ThreadPoolExecutor(max_workers=options.workers, thread_name_prefix="nichegraph-write") as pool:
            try:
                for item in parsed:
                    if isinstance(item, RepoFailure):
                        record_failure(item.repo, item.message)
                        continue
                    count_input(summary, item)
                    merged_keys = developers.prepare(item, developers.changed_months(item))
                    slots.acquire()
                    in_flight.append(pool.submit(write, item, merged_keys))
            finally:
                parsed.stop()
            for future in in_flight:
                future.result()
    except BaseException as error:
        summary.error = str(error) if isinstance(error, NichegraphError) else f"{type(error).__name__}: {error}"
        _record_stopped_run(graph, run_id, summary, started)
        raise
    summary.error = parsed.error
    summary.developers_merged = developers.merged
    summary.developers_removed = _remove_orphans(graph, orphan_candidates)
    summary.bot_flags_changed = graph.write(
        REFRESH_BOT_FLAGS, suffixes=list(BOT_SUFFIXES), accounts=sorted(SERVICE_ACCOUNTS)
    )[0]["changed"]
    summary.elapsed = time.monotonic() - started
    progress.finish()
    graph.write(FINISH_RUN, id=run_id, summary=run_properties(summary))
    return summary


def _record_stopped_run(graph: Graph, run_id: str, summary: LoadSummary, started: float) -> None:
    """Mark the LoadRun failed if the database still answers (the error itself is raised)."""
    summary.elapsed = time.monotonic() - started
    try:
        graph.write(FINISH_RUN, id=run_id, summary=run_properties(summary))
    except Exception:  # the database may be what failed; the original error matters more
        return


def _remove_orphans(graph: Graph, candidates: dict[str, list[str]]) -> int:
    keys = sorted({key for keys in candidates.values() for key in keys})
    removed = 0
    for start in range(0, len(keys), CHUNK_ROWS):
        rows = graph.write(REMOVE_ORPHAN_DEVELOPERS, keys=keys[start : start + CHUNK_ROWS])
        removed += rows[0]["removed"] if rows else 0
    return removed


def read_repo_list(text: str, where: str) -> list[str]:
    """Names from a --repos value or a --repos-file body: commas or lines, # comments."""
    names = []
    for line in text.splitlines():
        without_comment = line.split("#", 1)[0]
        names.extend(name.strip() for name in without_comment.split(",") if name.strip())
    if not names:
        raise NichegraphError(f"{where}: no repository names given")
    return list(dict.fromkeys(names))
