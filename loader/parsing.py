"""Fetching and parsing repositories on a producer thread, for both load paths."""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Iterator
from typing import Any

from nichegraph.errors import NichegraphError
from nichegraph.loader.opendigger import RepoData, parse_repo
from nichegraph.loader.sources import Fetched, FolderSource, HttpSource
from nichegraph.loader.summary import RepoFailure
from nichegraph.months import Window
from nichegraph.progress import Progress

_DONE = object()


class _Producer(threading.Thread):
    """Fetches and parses repositories into a bounded queue (backpressure on memory). Whatever
    stops it early is kept in `error` for the main thread."""

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
        self.fetched = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            asyncio.run(self._run())
        except BaseException as error:  # handed to the main thread, which reports it
            self.error = error
        finally:
            self._put(_DONE)

    async def _run(self) -> None:
        async for fetched in self.source.fetch_all(self.repos):
            if self.stop_requested.is_set():
                return
            self.fetched += 1
            self._put(self._parse(fetched))

    def _put(self, item: Any) -> None:
        # never block for good on a full queue: the main thread may have stopped reading
        while not self.stop_requested.is_set():
            try:
                self.out.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    def _parse(self, fetched: Fetched) -> RepoData | RepoFailure:
        if fetched.error is not None or fetched.files is None:
            return RepoFailure(fetched.repo, str(fetched.error))
        try:
            return parse_repo(fetched.repo, fetched.files, self.window)
        except NichegraphError as error:
            return RepoFailure(fetched.repo, str(error))


class ParsedRepos:
    """The parsed repositories, produced by a thread while the caller consumes them. If the
    producer dies, iteration ends and `error` says what happened, naming the file."""

    def __init__(self, source: FolderSource | HttpSource, repos: list[str], window: Window | None) -> None:
        self.source = source
        self.queue: queue.Queue[Any] = queue.Queue(maxsize=6)
        self.producer = _Producer(source, repos, window, self.queue)

    def __iter__(self) -> Iterator[RepoData | RepoFailure]:
        self.producer.start()
        while (item := self.queue.get()) is not _DONE:
            yield item
        self.producer.join()

    def stop(self) -> None:
        self.producer.stop_requested.set()

    @property
    def error(self) -> str | None:
        error = self.producer.error
        if error is None:
            return None
        return (
            f"reading {self.source.label} failed after {self.producer.fetched} of {len(self.producer.repos)} "
            f"repositories: {type(error).__name__}: {error}"
        )


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
    try:
        asyncio.run(run())
    except Exception as error:  # a file that cannot be read: nothing has been written
        raise NichegraphError(
            f"--strict: reading {source.label} failed: {type(error).__name__}: {error}; nothing was written"
        ) from error
    return sorted(failures, key=lambda failure: failure.repo)
