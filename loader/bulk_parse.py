"""Parsing for the bulk path in several processes: each reads, parses and writes the
contributions of a share of the repositories into its own file (import_files.ContributionPart),
so the Python side uses every core instead of one. Repository node IDs are their places in the
requested list; developers' are handed out by the main process (import_files.DeveloperNumbers):
a worker asks once per repository for the keys it has not met yet, and writes the repository's
rows when the answer comes (a few milliseconds: the main process does little else).

Only folder sources are split (an HTTP source fetches concurrently already and its order is
the network's): `parse_for_import` runs those through the producer thread as before. Either
way the caller iterates (index, RepoRecord | RepoFailure) pairs, calls `stop`, then reads
`error` (what stopped the reading early, worded as ParsedRepos words it) and `parts`.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import resource
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

from nichegraph.errors import NichegraphError
from nichegraph.loader.import_files import ContributionPart, NumberDevelopers, RepoRecord
from nichegraph.loader.opendigger import parse_repo
from nichegraph.loader.parsing import ParsedRepos
from nichegraph.loader.sources import FolderSource, HttpSource
from nichegraph.loader.summary import RepoFailure
from nichegraph.months import Window

Parsed = tuple[int, RepoRecord | RepoFailure]
SHARE_FILE = "activity_details"  # most of a repository's bytes and all of its parse time


@dataclass(frozen=True)
class _PartDone:
    """A worker's last message: its part, what stopped it early (repository index, error) and
    its peak resident memory (each worker holds its share's developers)."""

    number: int
    part: ContributionPart
    error: tuple[int, str] | None
    peak_rss_mb: float = 0.0


@dataclass(frozen=True)
class _NumbersWanted:
    """A worker asks the main process for the node IDs of developers it has not met yet."""

    worker: int
    keys: list[str]


class _Stopped(Exception):
    """The run stopped while a worker waited for developer IDs."""


def _asking(
    number: int, out: multiprocessing.Queue[Any], answers: multiprocessing.Queue[Any], stop: Event
) -> NumberDevelopers:
    parent = os.getppid()

    def ask(keys: list[str]) -> list[int]:
        out.put(_NumbersWanted(number, keys))
        while True:
            try:
                return answers.get(timeout=0.5)
            except queue.Empty:
                # a main process killed outside never sets `stop`: without it nobody answers
                if stop.is_set() or os.getppid() != parent:
                    raise _Stopped from None

    return ask


def worker_count() -> int:
    return max(1, min(len(os.sched_getaffinity(0)), 4))


def shares(source: FolderSource, repos: list[str], workers: int) -> list[list[tuple[int, str]]]:
    """Consecutive runs of the requested list of about equal bytes: developers then keep the
    order they first appear in when the parts are merged in order."""
    sizes = []
    for repo in repos:
        try:
            sizes.append(source.file_path(repo, SHARE_FILE).stat().st_size + 1)
        except (OSError, ValueError):
            sizes.append(1)  # missing or misnamed: it fails quickly
    total, runs, current, filled = sum(sizes), [], [], 0
    for index, (repo, size) in enumerate(zip(repos, sizes, strict=True)):
        current.append((index, repo))
        filled += size
        if filled * workers >= total * (len(runs) + 1) and len(runs) < workers - 1:
            runs.append(current)
            current = []
    runs.append(current)
    return [run for run in runs if run]


def _parse_one(source: FolderSource, index: int, repo: str, window: Window | None, part: ContributionPart) -> Parsed:
    try:
        data = parse_repo(repo, source.read(repo), window)
    except NichegraphError as error:  # a bad repository: named and skipped, as on every path
        return index, RepoFailure(repo, str(error))
    part.add(data, index)
    return index, RepoRecord.of(index, data)


def _work(
    number: int,
    source: FolderSource,
    share: list[tuple[int, str]],
    window: Window | None,
    path: Path,
    out: multiprocessing.Queue[Any],
    answers: multiprocessing.Queue[Any],
    stop: Event,
) -> None:
    part = ContributionPart(path, _asking(number, out, answers, stop))
    error: tuple[int, str] | None = None
    index = share[0][0] if share else 0
    try:
        for index, repo in share:
            if stop.is_set():
                break
            out.put(_parse_one(source, index, repo, window, part))
    except _Stopped:
        pass  # the main process stopped the run and says why
    except BaseException as exc:  # handed to the main process, which stops the run
        error = (index, f"{type(exc).__name__}: {exc}")
    finally:
        part.close()
        out.put(_PartDone(number, part, error, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


class ParallelParse:
    """Worker processes parsing shares of a folder's repositories into contribution parts."""

    def __init__(
        self,
        source: FolderSource,
        repos: list[str],
        window: Window | None,
        folder: Path,
        number_developers: NumberDevelopers,
        workers: int = 0,
    ) -> None:
        self.source, self.repos, self.window, self.folder = source, repos, window, folder
        self.number_developers = number_developers
        self.workers = workers or worker_count()
        self.context = multiprocessing.get_context("fork")  # the children need nothing re-imported
        self.stop_event = self.context.Event()
        self.parts: list[ContributionPart] = []
        self._error: tuple[int, str] | None = None
        self.worker_peak_rss_mb = 0.0  # the largest worker's

    def __iter__(self) -> Iterator[Parsed]:
        out: multiprocessing.Queue[Any] = self.context.Queue()
        runs = shares(self.source, self.repos, self.workers)
        answers = [self.context.Queue() for _run in runs]
        folder, stop = self.folder, self.stop_event
        workers = [
            self.context.Process(
                target=_work,
                args=(n, self.source, run, self.window, folder / f"contributed-{n}.csv", out, answers[n], stop),
                name=f"nichegraph-parse-{n}",
                daemon=True,
            )
            for n, run in enumerate(runs)
        ]
        for worker in workers:
            worker.start()
        done: dict[int, ContributionPart | None] = {}
        try:
            while len(done) < len(workers):
                item = self._next(out, workers, done)
                if isinstance(item, _NumbersWanted):
                    answers[item.worker].put(self.number_developers(item.keys))
                elif isinstance(item, _PartDone):
                    done[item.number] = item.part
                    self.worker_peak_rss_mb = max(self.worker_peak_rss_mb, item.peak_rss_mb)
                    if item.error is not None:
                        self._fail(item.error)
                elif item is not None:
                    yield item
        finally:
            self.stop_event.set()
            self._end(workers, [out, *answers])
        self.parts = [part for _number, part in sorted(done.items()) if part is not None]

    def _next(
        self, out: multiprocessing.Queue[Any], workers: list[Any], done: dict[int, ContributionPart | None]
    ) -> Any:
        try:
            return out.get(timeout=1.0)
        except queue.Empty:
            pass
        for number, worker in enumerate(workers):
            # a worker killed from outside never says it is done
            if number not in done and not worker.is_alive() and worker.exitcode != 0:
                self._fail((0, f"WorkerDied: parsing process {worker.pid} ended with exit code {worker.exitcode}"))
                done[number] = None
        return None

    def _fail(self, error: tuple[int, str]) -> None:
        self.stop_event.set()
        if self._error is None or error[0] < self._error[0]:
            self._error = error

    def _end(self, workers: list[Any], queues: list[multiprocessing.Queue[Any]]) -> None:
        for worker in workers:
            worker.join(timeout=5)
            if worker.is_alive():  # stuck handing over a result nobody reads any more
                worker.terminate()
                worker.join()
        for channel in queues:
            channel.close()

    def stop(self) -> None:
        self.stop_event.set()

    @property
    def error(self) -> str | None:
        if self._error is None:
            return None
        index, text = self._error
        return f"reading {self.source.label} failed after {index} of {len(self.repos)} repositories: {text}"


class ThreadParse:
    """The producer thread's repositories (an HTTP source), their contributions written here."""

    def __init__(
        self,
        source: HttpSource,
        repos: list[str],
        window: Window | None,
        folder: Path,
        number_developers: NumberDevelopers,
    ) -> None:
        self.parsed = ParsedRepos(source, repos, window)
        self.positions = {repo: index for index, repo in reversed(list(enumerate(repos)))}
        self.part = ContributionPart(folder / "contributed-0.csv", number_developers)
        self.parts: list[ContributionPart] = []
        self.worker_peak_rss_mb = 0.0  # no worker processes

    def __iter__(self) -> Iterator[Parsed]:
        try:
            for item in self.parsed:
                if isinstance(item, RepoFailure):
                    yield self.positions.get(item.repo, len(self.positions)), item
                    continue
                index = self.positions[item.name]
                self.part.add(item, index)
                yield index, RepoRecord.of(index, item)
        finally:
            self.part.close()
        self.parts = [self.part]

    def stop(self) -> None:
        self.parsed.stop()

    @property
    def error(self) -> str | None:
        return self.parsed.error


def parse_for_import(
    source: FolderSource | HttpSource,
    repos: list[str],
    window: Window | None,
    folder: Path,
    number_developers: NumberDevelopers,
) -> ParallelParse | ThreadParse:
    if isinstance(source, FolderSource):
        return ParallelParse(source, repos, window, folder, number_developers)
    return ThreadParse(source, repos, window, folder, number_developers)
