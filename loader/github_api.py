"""GitHub's REST API, one `GET /repos/{owner}/{repo}` per repository, the way GitHub asks to be
used: a token when there is one, conditional requests against a file cache (a 304 costs no
rate limit), a pause until `X-RateLimit-Reset` when the budget is spent (or a stop, when the
reset is further away than the caller will wait), and retries like the OpenDigger source
(timeouts, broken connections, 5xx and truncated bodies, with exponential backoff).
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import orjson

from nichegraph.errors import BadParameter, NichegraphError
from nichegraph.loader.github_metadata import BadMetadata, RepoMetadata, api_record
from nichegraph.loader.sources import FetchError, HttpPolicy, as_completed_results
from nichegraph.progress import format_duration

# GitHub: after a secondary rate limit without Retry-After, "wait at least one minute"
SECONDARY_LIMIT_WAIT = 60.0
# X-RateLimit-Reset has one-second resolution; wait a little past it
RESET_SLACK = 1.0
# rate-limited answers to one request before that repository is given up
RATE_LIMIT_ANSWERS = 5
API_HEADERS = {
    "Accept": "application/vnd.github+json",
    "X-GitHub-Api-Version": "2022-11-28",
    "User-Agent": "nichegraph",
}


class StopFetching(NichegraphError):
    """The run cannot go on (the rate limit resets too late, the token is refused)."""


def _http_date(value: str | None) -> float | None:
    """An HTTP date as epoch seconds (a date without a zone is UTC, as HTTP says)."""
    try:
        parsed = parsedate_to_datetime(value or "")
    except (TypeError, ValueError):
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()


def _seconds_after(value: str | None, now: float) -> float | None:
    """Retry-After: delta seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    moment = _http_date(value)
    return None if moment is None else moment - now


def rate_limit_wait(status: int, headers: Mapping[str, str], now: float, body: bytes = b"") -> float | None:
    """Seconds to hold every request back after this answer, from GitHub's rate-limit headers,
    or None when nothing says to wait. `now` is the local clock (epoch seconds); GitHub's own
    `Date` header is preferred, so a skewed local clock does not shorten or stretch the wait."""
    headers = {key.lower(): value for key, value in headers.items()}
    retry_after = _seconds_after(headers.get("retry-after"), now)
    if retry_after is not None and status in (403, 429):
        return max(0.0, retry_after)
    if headers.get("x-ratelimit-remaining", "").strip() == "0":
        reset = headers.get("x-ratelimit-reset", "").strip()
        if reset.isdigit():
            server_now = _http_date(headers.get("date"))
            return max(0.0, int(reset) - (now if server_now is None else server_now)) + RESET_SLACK
        return SECONDARY_LIMIT_WAIT
    if status == 429 or (status == 403 and b"rate limit" in body.lower()):
        return SECONDARY_LIMIT_WAIT
    return None


def clock_time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%H:%M:%S UTC")


class RateGate:
    """Every request passes here first: held back while the rate limit is spent, refused for
    good once the run has stopped."""

    def __init__(self, max_wait: float, say: Callable[[str], None]) -> None:
        self.max_wait = max_wait
        self.say = say
        self.resume_at = 0.0  # time.monotonic()
        self.reason = ""
        self.stopped: str | None = None
        self.waited = 0.0
        self._announced = 0.0

    def hold(self, seconds: float, reason: str) -> None:
        until = time.monotonic() + seconds
        # answers racing in from the same spent budget name the same reset: only a later one moves it
        if until > self.resume_at + RESET_SLACK:
            self.resume_at, self.reason = until, reason

    def stop(self, message: str) -> StopFetching:
        self.stopped = self.stopped or message
        return StopFetching(self.stopped)

    async def enter(self) -> None:
        while True:
            if self.stopped:
                raise StopFetching(self.stopped)
            delay = self.resume_at - time.monotonic()
            if delay <= 0:
                return
            if delay > self.max_wait:
                raise self.stop(
                    f"GitHub's rate limit ({self.reason}) allows the next request at "
                    f"{clock_time(time.time() + delay)}, in {format_duration(delay)}: longer than --max-wait "
                    f"{format_duration(self.max_wait)}, so the load stopped with what it had stored. Set GITHUB_TOKEN "
                    "(5,000 requests an hour instead of 60), raise --max-wait, or run again after the reset "
                    "(answers already cached cost nothing then)"
                )
            if self._announced != self.resume_at:
                self._announced = self.resume_at
                self.waited += delay
                self.say(
                    f"GitHub rate limit ({self.reason}): waiting {format_duration(delay)} "
                    f"until {clock_time(time.time() + delay)}"
                )
            await asyncio.sleep(delay)


@dataclass(frozen=True)
class Cached:
    etag: str
    document: object


class AnswerCache:
    """The last 200 answer and its ETag per repository, one small JSON file each, in
    `<cache dir>/github-api/<API host>/`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def for_api(cls, cache_dir: Path, base_url: str) -> AnswerCache:
        parts = urlsplit(base_url)
        return cls(cache_dir / "github-api" / quote(parts.netloc + parts.path.rstrip("/"), safe=""))

    def path(self, repo: str) -> Path:
        # one flat folder, the name percent-encoded: no repository name can reach outside it
        return self.folder / f"{quote(repo.lower(), safe='')}.json"

    def read(self, repo: str) -> Cached | None:
        try:
            entry = orjson.loads(self.path(repo).read_bytes())
            return Cached(str(entry["etag"]), entry["document"])
        except (OSError, orjson.JSONDecodeError, KeyError, TypeError):
            return None  # no copy, or a damaged one: ask without If-None-Match

    def write(self, repo: str, etag: str, document: object) -> None:
        path = self.path(repo)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(orjson.dumps({"etag": etag, "document": document}))
        os.replace(temporary, path)


@dataclass(frozen=True)
class Answer:
    """What the API said about one repository."""

    repo: str
    outcome: str  # fetched | cached (304) | not-found (404) | failed | not-fetched (the run stopped)
    record: RepoMetadata | None = None
    full_name: str | None = None
    fetched_at: str = ""
    message: str = ""

    @property
    def renamed(self) -> bool:
        return self.full_name is not None and self.full_name.lower() != self.repo.lower()


@dataclass
class ApiCounters:
    requests: int = 0
    not_modified: int = 0
    cache_problems: list[str] = field(default_factory=list)


class GithubApi:
    def __init__(
        self,
        base_url: str,
        token: str | None,
        cache: AnswerCache,
        policy: HttpPolicy,
        gate: RateGate,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise BadParameter(f"NICHEGRAPH_GITHUB_API: {base_url!r} is not an http(s):// URL")
        self.base = base_url.rstrip("/")
        self.cache = cache
        self.policy = policy
        self.gate = gate
        self.counters = ApiCounters()
        self._headers = dict(API_HEADERS)
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        self._transport = transport

    def url(self, repo: str) -> str:
        return f"{self.base}/repos/{repo}"

    async def fetch_all(self, repos: Iterable[str]) -> AsyncIterator[Answer]:
        """Yield each repository's answer as it arrives."""
        semaphore = asyncio.Semaphore(self.policy.concurrency)
        async with httpx.AsyncClient(
            timeout=self.policy.timeout,
            limits=httpx.Limits(max_connections=self.policy.concurrency),
            transport=self._transport,
            follow_redirects=True,  # a renamed repository answers 301 to its new address
            headers=self._headers,
        ) as client:
            async for answer in as_completed_results(self._fetch(client, semaphore, repo) for repo in repos):
                yield answer

    async def _fetch(self, client: httpx.AsyncClient, semaphore: asyncio.Semaphore, repo: str) -> Answer:
        cached = self.cache.read(repo)
        try:
            response, body = await self._get(client, semaphore, repo, cached)
        except StopFetching as stop:
            return Answer(repo, "not-fetched", message=str(stop))
        except NichegraphError as error:
            return Answer(repo, "failed", message=str(error))
        now = datetime.now(UTC)
        if response.status_code == 404:
            return Answer(repo, "not-found", message="GitHub answered 404: the repository does not exist or is private")
        if response.status_code == 304 and cached is not None:
            outcome, document = "cached", cached.document
            self.counters.not_modified += 1
        elif response.status_code == 200:
            outcome, document = "fetched", orjson.loads(body)
            self._remember(repo, response.headers.get("etag"), document)
        else:
            return Answer(repo, "failed", message=f"{repo}: {self.url(repo)} answered HTTP {response.status_code}")
        try:
            found = api_record(repo, document, now.strftime("%Y-%m-%d"))
        except BadMetadata as error:
            return Answer(repo, "failed", message=str(error))
        return Answer(repo, outcome, found.record, found.full_name, now.strftime("%Y-%m-%dT%H:%M:%SZ"))

    def _remember(self, repo: str, etag: str | None, document: object) -> None:
        if not etag:
            return
        try:
            self.cache.write(repo, etag, document)
        except OSError as error:
            self.counters.cache_problems.append(f"cannot write the cache {self.cache.folder}: {error}")

    async def _get(
        self, client: httpx.AsyncClient, semaphore: asyncio.Semaphore, repo: str, cached: Cached | None
    ) -> tuple[httpx.Response, bytes]:
        url = self.url(repo)
        conditional = {"If-None-Match": cached.etag} if cached else {}
        attempt = limited = 0
        while True:
            answer = await self._attempt(client, semaphore, url, conditional)
            problem = answer if isinstance(answer, str) else None
            if not isinstance(answer, str):
                response, body = answer
                wait = rate_limit_wait(response.status_code, response.headers, time.time(), body)
                if wait is not None:
                    self.gate.hold(wait, _limit_reason(response))
                if response.status_code in (403, 429) and wait is not None:
                    limited += 1
                    if limited > RATE_LIMIT_ANSWERS:
                        raise FetchError(f"{repo}: {url} still rate limited after {RATE_LIMIT_ANSWERS} waits; skipped")
                    continue
                problem = self._judge(repo, url, response, body)
                if problem is None:
                    return response, body
            attempt += 1
            if attempt > self.policy.retries:
                raise FetchError(f"{repo}: {url} {problem} after {attempt} attempts; skipped")
            delay = self.policy.backoff * 2 ** (attempt - 1)
            await asyncio.sleep(delay * (0.75 + random.random() / 2))

    async def _attempt(
        self, client: httpx.AsyncClient, semaphore: asyncio.Semaphore, url: str, conditional: dict[str, str]
    ) -> tuple[httpx.Response, bytes] | str:
        """One request through the gate: the answer, or what went wrong in transit."""
        async with semaphore:
            await self.gate.enter()
            self.counters.requests += 1
            try:
                response = await client.get(url, headers=conditional)
                # reading the body inside the try: a truncated body raises here
                return response, await response.aread()
            except httpx.TimeoutException:
                return "timed out"
            except httpx.TransportError as error:
                return f"connection failed ({type(error).__name__})"

    def _judge(self, repo: str, url: str, response: httpx.Response, body: bytes) -> str | None:
        """None for an answer to keep; the problem for one worth retrying; raises otherwise."""
        status = response.status_code
        if status == 401:
            raise self.gate.stop("GitHub refused the token (401 Bad credentials): check GITHUB_TOKEN")
        if status in (304, 404):
            return None
        if status >= 500:
            return f"HTTP {status}"
        if status != 200:
            raise FetchError(f"{repo}: {url} answered HTTP {status}{_github_message(body)}")
        try:
            orjson.loads(body)
        except orjson.JSONDecodeError:
            return f"answered a body that is not valid JSON ({len(body)} bytes; truncated?)"
        return None


def _limit_reason(response: httpx.Response) -> str:
    headers = response.headers
    if headers.get("x-ratelimit-remaining") == "0":
        limit = headers.get("x-ratelimit-limit")
        return f"0 of {limit} requests left" if limit else "no requests left"
    return f"HTTP {response.status_code}, secondary rate limit"


def _github_message(body: bytes) -> str:
    try:
        message = orjson.loads(body).get("message")
    except (orjson.JSONDecodeError, AttributeError):
        return ""
    return f" ({message})" if isinstance(message, str) and message else ""
