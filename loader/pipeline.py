"""The load pipeline: fetch and parse, merge developers, write each repository atomically.

Three stages overlap so that Python parsing and Neo4j writing share the two cores:

1. a producer thread fetches (folder or HTTP) and parses repositories;
2. the calling thread merges the developers each repository needs (only for months
   whose fingerprint changed), in developer-key order;
3. `workers` threads write each repository in one transaction (`writes.write_repo`).

Developers are shared by repositories, so they are merged ahead of the repository
transactions. If a repository then fails, developers merged only for it are removed
again at the end of the run, so a failed repository leaves nothing behind.
"""

from __future__ import annotations

import asyncio
import gc
import queue
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from neo4j import ManagedTransaction

from nichegraph.db import Graph
from nichegraph.errors import NichegraphError
from nichegraph.loader.bots import BOT_SUFFIXES, SERVICE_ACCOUNTS
from nichegraph.loader.opendigger import RepoData, better_display, parse_repo
from nichegraph.loader.sources import Fetched, FolderSource, HttpSource
from nichegraph.loader.writes import CHUNK_ROWS, EXISTING_MONTHS, RepoWriteResult, write_repo
from nichegraph.months import Window
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

START_RUN = """
CREATE (l:LoadRun {id: randomUUID(), kind: 'opendigger', source: $source,
                   startedAt: datetime(), status: 'running', repos: $repos})
RETURN l.id AS id
"""

FINISH_RUN = """
MATCH (l:LoadRun {id: $id})
SET l += $summary, l.finishedAt = datetime()
"""


@dataclass(frozen=True)
class LoadOptions:
    window: Window | None = None
    strict: bool = False
    workers: int = 1
    # the transaction function that writes one repository (bench layout swaps it)
    writer: Callable[[ManagedTransaction, RepoData], RepoWriteResult] = write_repo


@dataclass(frozen=True)
class RepoFailure:
    repo: str
    message: str


@dataclass
class LoadSummary:
    source: str
    requested: int
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[RepoFailure] = field(default_factory=list)
    rows_in: int = 0
    contributions: int = 0
    contributions_written: int = 0
    merged_repeats: int = 0
    developers_merged: int = 0
    developers_removed: int = 0
    bot_flags_changed: int = 0
    months_written: int = 0
    aggregate_keys_skipped: int = 0
    elapsed: float = 0.0
    stopped_early: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed and not self.stopped_early

    @property
    def status(self) -> str:
        if self.ok:
            return "ok"
        return "partial" if self.loaded or self.unchanged else "failed"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["failed"] = [asdict(failure) for failure in self.failed]
        data["status"] = self.status
        return data

    def describe(self) -> str:
        lines = [
            f"{len(self.loaded)} repos written, {len(self.unchanged)} unchanged, "
            f"{len(self.failed)} failed (of {self.requested}) in {self.elapsed:.1f}s",
            f"{self.rows_in:,} activity rows in -> {self.contributions:,} monthly contributions "
            f"({self.merged_repeats:,} repeated (developer, repo, month) rows merged as "
            f"sqrt(s1^2 + s2^2)); {self.contributions_written:,} written",
            f"{self.developers_merged:,} developer merges, {self.months_written:,} repo-months written",
        ]
        if self.aggregate_keys_skipped:
            lines.append(f"{self.aggregate_keys_skipped:,} yearly/quarterly roll-up keys skipped")
        if self.bot_flags_changed:
            lines.append(f"{self.bot_flags_changed:,} developers re-flagged by the current bot rule")
        if self.developers_removed:
            lines.append(f"{self.developers_removed:,} developers of failed repos removed again")
        if self.stopped_early:
            lines.append("stopped at the first bad repository (--strict)")
        lines += [f"  FAILED {failure.repo}: {failure.message}" for failure in self.failed]
        return "\n".join(lines)


_DONE = object()


class _Producer(threading.Thread):
    """Fetches and parses repositories into a bounded queue (backpressure on memory)."""

    def __init__(
        self,
        source: FolderSource | HttpSource,
        repos: list[str],
        window: Window | None,
        out: queue.Queue[Any],
    ) -> None:
        super().__init__(name="nichegraph-fetch", daemon=True)
        self.source, self.repos, self.window, self.out = source, repos, window, out
        self.stop_requested = threading.Event()

    def run(self) -> None:
        try:
            asyncio.run(self._run())
        finally:
            self.out.put(_DONE)

    async def _run(self) -> None:
        async for fetched in self.source.fetch_all(self.repos):
            if self.stop_requested.is_set():
                return
            self.out.put(self._parse(fetched))

    def _parse(self, fetched: Fetched) -> RepoData | RepoFailure:
        if fetched.error is not None or fetched.files is None:
            return RepoFailure(fetched.repo, str(fetched.error))
        try:
            return parse_repo(fetched.repo, fetched.files, self.window)
        except NichegraphError as error:
            return RepoFailure(fetched.repo, str(error))


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
    summary = LoadSummary(source=source.label, requested=len(repos))
    graph.apply_schema()
    if options.strict:
        failures = validate_all(source, repos, options.window, progress)
        if failures:
            summary.failed = failures
            summary.stopped_early = True
            summary.elapsed = time.monotonic() - started
            return summary
    run_id = graph.write(START_RUN, source=source.label, repos=len(repos))[0]["id"]
    parsed: queue.Queue[Any] = queue.Queue(maxsize=6)
    producer = _Producer(source, repos, options.window, parsed)
    producer.start()
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

    with ThreadPoolExecutor(max_workers=options.workers, thread_name_prefix="nichegraph-write") as pool:
        while (item := parsed.get()) is not _DONE:
            if isinstance(item, RepoFailure):
                record_failure(item.repo, item.message)
                continue
            _count_input(summary, item)
            try:
                merged_keys = developers.prepare(item, developers.changed_months(item))
            except NichegraphError:
                producer.stop_requested.set()
                raise
            slots.acquire()
            in_flight.append(pool.submit(write, item, merged_keys))
        for future in in_flight:
            future.result()
    producer.join()
    summary.developers_merged = developers.merged
    summary.developers_removed = _remove_orphans(graph, orphan_candidates)
    summary.bot_flags_changed = graph.write(
        REFRESH_BOT_FLAGS, suffixes=list(BOT_SUFFIXES), accounts=sorted(SERVICE_ACCOUNTS)
    )[0]["changed"]
    summary.elapsed = time.monotonic() - started
    progress.finish()
    graph.write(FINISH_RUN, id=run_id, summary=_run_properties(summary))
    return summary


def _count_input(summary: LoadSummary, data: RepoData) -> None:
    summary.rows_in += data.rows_in
    summary.contributions += len(data.contributions)
    summary.merged_repeats += data.merged_repeats
    summary.aggregate_keys_skipped += data.skipped_aggregate_keys


def _remove_orphans(graph: Graph, candidates: dict[str, list[str]]) -> int:
    keys = sorted({key for keys in candidates.values() for key in keys})
    removed = 0
    for start in range(0, len(keys), CHUNK_ROWS):
        rows = graph.write(REMOVE_ORPHAN_DEVELOPERS, keys=keys[start : start + CHUNK_ROWS])
        removed += rows[0]["removed"] if rows else 0
    return removed


def _run_properties(summary: LoadSummary) -> dict[str, Any]:
    return {
        "status": summary.status,
        "reposLoaded": len(summary.loaded),
        "reposUnchanged": len(summary.unchanged),
        "reposFailed": len(summary.failed),
        "failedRepos": [failure.repo for failure in summary.failed],
        "rowsIn": summary.rows_in,
        "contributions": summary.contributions,
        "contributionsWritten": summary.contributions_written,
        "mergedRepeats": summary.merged_repeats,
        "seconds": round(summary.elapsed, 2),
    }


def validate_all(
    source: FolderSource | HttpSource, repos: list[str], window: Window | None, progress: Progress
) -> list[RepoFailure]:
    """--strict: fetch and parse everything first, so nothing is written if anything is bad."""
    failures: list[RepoFailure] = []

    async def run() -> None:
        async for fetched in source.fetch_all(repos):
            if fetched.error is not None or fetched.files is None:
                failures.append(RepoFailure(fetched.repo, str(fetched.error)))
                continue
            try:
                parse_repo(fetched.repo, fetched.files, window)
            except NichegraphError as error:
                failures.append(RepoFailure(fetched.repo, str(error)))

    progress.note(f"--strict: validating {len(repos)} repositories before writing anything")
    asyncio.run(run())
    return sorted(failures, key=lambda failure: failure.repo)


def read_repo_list(text: str, where: str) -> list[str]:
    """Names from a --repos value or a --repos-file body: commas or lines, # comments."""
    names = []
    for line in text.splitlines():
        without_comment = line.split("#", 1)[0]
        names.extend(name.strip() for name in without_comment.split(",") if name.strip())
    if not names:
        raise NichegraphError(f"{where}: no repository names given")
    return list(dict.fromkeys(names))
