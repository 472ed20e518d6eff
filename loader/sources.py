"""Where OpenDigger files come from: a local folder or an http(s) service of the same layout.

Both give, per repository, the raw bytes of each metric file (None when the file does
not exist). The HTTP source fetches with bounded concurrency, timeouts, and retries with
exponential backoff on 5xx, timeouts and broken connections; a 404 means "not tracked".
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Coroutine, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import orjson

from nichegraph.errors import BadParameter, NichegraphError
from nichegraph.loader.opendigger import ALL_FILES, UnknownRepo, check_repo_name

RawFiles = dict[str, bytes | None]
T = TypeVar("T")


class FetchError(NichegraphError):
    """A repository's files could not be fetched after all retries."""


class SourceUnreachable(NichegraphError):
    """The web source's host cannot be resolved or connected to: retrying will not help."""


REACH_SECONDS = 8.0  # name resolution and connection together; the whole check stays under 10 s
OFFLINE_HINT = (
    "no network, or the service is down. Load a snapshot folder instead (--source PATH, or NICHEGRAPH_SOURCE; "
    "on the development machines ../shared/data/opendigger-top300), or the small real sample shipped with "
    "nichegraph: `nichegraph run --source sample`"
)


@dataclass(frozen=True)
class Fetched:
    """One repository's raw files, or the error that stopped them arriving."""

    repo: str
    files: RawFiles | None
    error: NichegraphError | None = None


class FolderSource:
    """A folder holding `github/{owner}/{repo}/{metric}.json` (or the `github` folder itself)."""

    kind = "opendigger"

    def __init__(self, path: str | Path) -> None:
        root = Path(path).expanduser()
        if not root.is_dir():
            raise BadParameter(f"SOURCE: {path} is not a folder or an http(s):// URL")
        self.root = root / "github" if (root / "github").is_dir() else root
        self.label = str(root)

    def list_repos(self) -> list[str]:
        repos = [
            f"{repo_dir.parent.name}/{repo_dir.name}"
            for repo_dir in self.root.glob("*/*")
            if repo_dir.is_dir() and any(repo_dir.glob("*.json"))
        ]
        if not repos:
            raise BadParameter(f"SOURCE: {self.label} holds no github/{{owner}}/{{repo}}/{{metric}}.json files")
        return sorted(repos)

    def file_path(self, repo: str, stem: str) -> Path:
        return self.root / repo / f"{stem}.json"

    def read(self, repo: str) -> RawFiles:
        check_repo_name(repo)
        if not (self.root / repo).is_dir():
            raise UnknownRepo(f"{repo}: not found in {self.label} (no folder {self.root / repo})")
        files: RawFiles = {}
        for stem in ALL_FILES:
            path = self.file_path(repo, stem)
            files[stem] = path.read_bytes() if path.exists() else None
        return files

    async def fetch_all(self, repos: Iterable[str]) -> AsyncIterator[Fetched]:
        for repo in repos:
            try:
                yield Fetched(repo, self.read(repo))
            except NichegraphError as error:
                yield Fetched(repo, None, error)


async def as_completed_results(work: Iterable[Coroutine[Any, Any, T]]) -> AsyncIterator[T]:
    """Run every coroutine as a task and yield each result as it is ready; the tasks still
    running are cancelled when the caller stops early."""
    tasks = [asyncio.create_task(coroutine) for coroutine in work]
    try:
        for task in asyncio.as_completed(tasks):
            yield await task
    finally:
        for task in tasks:
            task.cancel()


@dataclass(frozen=True)
class HttpPolicy:
    concurrency: int = 8
    timeout: float = 30.0
    retries: int = 4
    backoff: float = 0.5  # seconds before the first retry; doubles each time


class HttpSource:
    """An http(s) base URL; `.../github` or its parent both work."""

    kind = "opendigger"

    def __init__(
        self,
        base_url: str,
        policy: HttpPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        base = base_url.rstrip("/")
        self.base = base if base.endswith("/github") else f"{base}/github"
        self.label = base_url
        self.policy = policy or HttpPolicy()
        self._transport = transport

    def url(self, repo: str, stem: str) -> str:
        return f"{self.base}/{repo}/{stem}.json"

    def list_repos(self) -> list[str]:
        raise BadParameter(
            f"SOURCE: {self.label} is a web service and cannot be listed; name repositories "
            "with --repos / --repos-file (or run the default job, which loads the landscape report's projects)"
        )

    async def fetch_all(self, repos: Iterable[str]) -> AsyncIterator[Fetched]:
        """Yield each repository as soon as all of its files have arrived."""
        semaphore = asyncio.Semaphore(self.policy.concurrency)
        limits = httpx.Limits(max_connections=self.policy.concurrency)
        async with httpx.AsyncClient(
            timeout=self.policy.timeout,
            limits=limits,
            transport=self._transport,
            follow_redirects=True,
            headers={"User-Agent": "nichegraph"},
        ) as client:
            async for fetched in as_completed_results(self._fetch_repo(client, semaphore, r) for r in repos):
                yield fetched

    def check_reachable(self) -> None:
        """Fail at once, with what to do, when the host cannot be resolved or connected to.
        Any answer (a 404, a 5xx) or a slow one means the host is there: the load then keeps its
        retries for timeouts and 5xx."""
        try:
            asyncio.run(self._probe(f"{self.base}/"))
        except (httpx.ConnectError, httpx.ConnectTimeout, TimeoutError) as error:
            problem = str(error) or type(error).__name__
            if isinstance(error, TimeoutError):
                problem = f"no connection within {REACH_SECONDS:g} s"
            raise SourceUnreachable(f"cannot reach {self.label} ({problem}): {OFFLINE_HINT}") from error

    async def _probe(self, url: str) -> None:
        timeout = httpx.Timeout(self.policy.timeout, connect=REACH_SECONDS)
        async with httpx.AsyncClient(timeout=timeout, transport=self._transport, follow_redirects=True) as client:
            try:
                # bounds name resolution too, which no socket timeout covers
                async with asyncio.timeout(REACH_SECONDS):
                    async with client.stream("GET", url, headers={"User-Agent": "nichegraph"}):
                        pass
            except (httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.ReadError):
                return  # connected: a slow or broken answer is for the retries

    async def fetch_one(self, repo: str, stem: str) -> bytes | None:
        """One file, with the same retry policy; None on 404."""
        async with httpx.AsyncClient(
            timeout=self.policy.timeout, transport=self._transport, follow_redirects=True
        ) as client:
            return await self._get(client, asyncio.Semaphore(1), repo, stem)

    async def _fetch_repo(self, client: httpx.AsyncClient, semaphore: asyncio.Semaphore, repo: str) -> Fetched:
        try:
            check_repo_name(repo)
            bodies = await asyncio.gather(*(self._get(client, semaphore, repo, stem) for stem in ALL_FILES))
        except NichegraphError as error:
            return Fetched(repo, None, error)
        files = dict(zip(ALL_FILES, bodies, strict=True))
        if all(body is None for body in files.values()):
            return Fetched(
                repo,
                None,
                UnknownRepo(f"{repo}: not tracked by OpenDigger at {self.label} (every file answered 404)"),
            )
        return Fetched(repo, files)

    async def _get(self, client: httpx.AsyncClient, semaphore: asyncio.Semaphore, repo: str, stem: str) -> bytes | None:
        url = self.url(repo, stem)
        last_problem = ""
        for attempt in range(self.policy.retries + 1):
            if attempt:
                delay = self.policy.backoff * 2 ** (attempt - 1)
                await asyncio.sleep(delay * (0.75 + random.random() / 2))
            try:
                async with semaphore:
                    response = await client.get(url)
                    # reading the body inside the try: a truncated body raises here
                    body = await response.aread()
            except httpx.TimeoutException:
                last_problem = "timed out"
                continue
            except httpx.TransportError as error:
                last_problem = f"connection failed ({type(error).__name__}: {error})"
                continue
            if response.status_code == 404:
                return None
            if response.status_code >= 500 or response.status_code == 429:
                last_problem = f"HTTP {response.status_code}"
                continue
            if response.status_code != 200:
                raise FetchError(f"{repo}: {url} answered HTTP {response.status_code}")
            try:
                orjson.loads(body)
            except orjson.JSONDecodeError:
                # a body cut short without a framing error (e.g. a proxy that drops the
                # connection after sending a complete-looking response) is worth a retry
                last_problem = f"answered a body that is not valid JSON ({len(body)} bytes; truncated?)"
                continue
            return body
        raise FetchError(f"{repo}: {url} {last_problem} after {self.policy.retries + 1} attempts; repo skipped")


def open_source(source: str, policy: HttpPolicy | None = None) -> FolderSource | HttpSource:
    if source.startswith(("http://", "https://")):
        return HttpSource(source, policy)
    if "://" in source:
        raise BadParameter(f"SOURCE: {source!r}: only folders and http(s):// URLs are supported")
    return FolderSource(source)
