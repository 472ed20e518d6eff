"""`nichegraph load github`: GitHub metadata onto the repositories already in the graph.

Two sources, one record shape (`github_metadata.RepoMetadata`): GitHub's REST API
(`github_api`), or offline a metadata CSV with the same fields. Every write sets all seven
fields of a repository at once (an absent field removes a stale value) with the source, the
per-field provenance and the fetch time, in batched `UNWIND` transactions: no repository is
ever left with half its fields. Metadata never creates a repository: names not in the
graph are reported and skipped.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.loader.github_api import AnswerCache, GithubApi, RateGate
from nichegraph.loader.github_metadata import RepoMetadata, read_metadata_file
from nichegraph.loader.sources import HttpPolicy
from nichegraph.progress import Progress
from nichegraph.repo_metadata import FIELD_PROPERTIES, GITHUB_API_SOURCE

BATCH_ROWS = 100

FIND_REPOS = """
UNWIND $names AS name
OPTIONAL MATCH (exact:Repo {name: name})
OPTIONAL MATCH (folded:Repo {nameLower: toLower(name)})
WITH name, exact, min(folded.name) AS folded
RETURN name, coalesce(exact.name, folded) AS inGraph
"""

ALL_REPOS = "MATCH (r:Repo) RETURN r.name AS name ORDER BY name"
WITH_METADATA = "MATCH (r:Repo) WHERE r.metadataFetchedAt IS NOT NULL RETURN count(r) AS repos"

# `+=` with a null value removes that property: a field the source does not give is absent.
WRITE_METADATA = """
UNWIND $rows AS row
MATCH (r:Repo {name: row.repo})
SET r += row.properties
RETURN count(r) AS written
"""


@dataclass(frozen=True)
class Problem:
    repo: str
    message: str


@dataclass
class GithubLoadSummary:
    source: str
    requested: int = 0
    stored: list[str] = field(default_factory=list)
    unchanged: int = 0  # API answers 304: the cached copy was still current
    requests: int = 0
    fields: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELD_PROPERTIES, 0))
    not_in_graph: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)
    not_found: list[Problem] = field(default_factory=list)
    renamed: list[dict[str, str]] = field(default_factory=list)
    failed: list[Problem] = field(default_factory=list)
    not_fetched: list[str] = field(default_factory=list)
    bad_rows: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # worth saying, not a failure (the cache could not be written)
    stopped: str | None = None
    waited: float = 0.0
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return not (self.failed or self.bad_rows or self.stopped)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        return data

    def count(self, record: RepoMetadata) -> None:
        self.stored.append(record.repo)
        for name in record.present():
            self.fields[name] += 1

    def describe(self) -> str:
        if self.bad_rows:
            lines = [f"{self.source}: {len(self.bad_rows)} bad rows; nothing written"]
            return "\n".join(lines + [f"  BAD {problem}" for problem in self.bad_rows])
        counted = ", ".join(f"{name} {count}" for name, count in self.fields.items())
        lines = [f"{self.source}: metadata stored on {len(self.stored)} of {self.requested} repositories ({counted})"]
        if self.requests:
            lines.append(
                f"{self.requests} API requests, {self.unchanged} answered 304 (cached copy current, no rate limit cost)"
            )
        if self.waited:
            lines.append(f"waited {self.waited:.0f} s for GitHub's rate limit to reset")
        lines += [f"  NOTE {note}" for note in self.notes]
        lines += _listed("not in the graph, skipped", self.not_in_graph)
        lines += _listed("not in the file", self.not_in_file)
        lines += [f"  NOT FOUND {problem.repo}: {problem.message}" for problem in self.not_found]
        lines += [
            f"  RENAMED {item['repo']}: GitHub calls it {item['now']} now (metadata stored on {item['repo']})"
            for item in self.renamed
        ]
        lines += [f"  FAILED {problem.repo}: {problem.message}" for problem in self.failed]
        if self.stopped:
            lines.append(f"STOPPED: {self.stopped}")
            lines += _listed("not fetched", self.not_fetched)
        return "\n".join(lines)


def _listed(what: str, names: list[str], shown: int = 20) -> list[str]:
    if not names:
        return []
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return [f"  {len(names)} {what}: {', '.join(names[:shown])}{more}"]


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def resolve_repos(graph: Graph, names: list[str]) -> tuple[dict[str, str], list[str]]:
    """{given name: name in the graph} (case-insensitive when there is no exact match), and the names not there."""
    rows = graph.read(FIND_REPOS, names=names)
    found = {row["name"]: row["inGraph"] for row in rows if row["inGraph"] is not None}
    return found, [name for name in names if name not in found]


def metadata_row(record: RepoMetadata, source: str, fetched_at: str) -> dict[str, Any]:
    return {
        "repo": record.repo,
        "properties": {
            **record.fields,
            "metadataSource": source,
            "metadataProvenance": record.provenance,
            "metadataFetchedAt": fetched_at,
        },
    }


def write_rows(graph: Graph, rows: list[dict[str, Any]]) -> None:
    """One transaction per batch; each row sets every field of its repository at once."""
    for start in range(0, len(rows), BATCH_ROWS):
        graph.write(WRITE_METADATA, rows=rows[start : start + BATCH_ROWS])


def described_repos(graph: Graph) -> int:
    """How many repositories carry metadata stored earlier (by a file or the API)."""
    return graph.read(WITH_METADATA)[0]["repos"]


def load_metadata_file(graph: Graph, path: Path, repos: list[str] | None = None) -> GithubLoadSummary:
    """Offline: every row of a metadata CSV (or the rows of `repos`), checked whole before any write."""
    started = time.monotonic()
    metadata = read_metadata_file(path)
    summary = GithubLoadSummary(source=str(path), bad_rows=metadata.bad_rows)
    if not metadata.ok:
        return summary
    records = metadata.records
    if repos is not None:
        by_name = {record.repo.lower(): record for record in records}
        summary.not_in_file = [name for name in repos if name.lower() not in by_name]
        records = [by_name[name.lower()] for name in repos if name.lower() in by_name]
    summary.requested = len(records)
    found, summary.not_in_graph = resolve_repos(graph, [record.repo for record in records])
    fetched_at = utc_now()
    rows = []
    for record in records:
        if record.repo in found:
            stored = RepoMetadata(found[record.repo], record.fields, record.provenance)
            rows.append(metadata_row(stored, path.name, fetched_at))
            summary.count(stored)
    write_rows(graph, rows)
    summary.elapsed = time.monotonic() - started
    return summary


@dataclass(frozen=True)
class ApiOptions:
    max_wait: float = 900.0  # seconds: the longest wait for a rate-limit reset before stopping
    policy: HttpPolicy = field(default_factory=lambda: HttpPolicy(concurrency=4))


def load_metadata_api(
    graph: Graph,
    settings: Settings,
    repos: list[str] | None,
    progress: Progress,
    options: ApiOptions | None = None,
) -> GithubLoadSummary:
    """Online: `repos` (every repository in the graph when None) from GitHub's REST API,
    written in batches as the answers arrive, so a stop keeps what was fetched."""
    options = options or ApiOptions()
    started = time.monotonic()
    summary = GithubLoadSummary(source=f"GitHub API at {settings.github_api}")
    if repos is None:
        names = [row["name"] for row in graph.read(ALL_REPOS)]
    else:
        found, summary.not_in_graph = resolve_repos(graph, repos)
        names = list(dict.fromkeys(found[name] for name in repos if name in found))
    summary.requested = len(names)
    progress.total = len(names)
    gate = RateGate(options.max_wait, progress.note)
    api = GithubApi(
        settings.github_api,
        settings.github_token,
        AnswerCache.for_api(settings.cache_dir, settings.github_api),
        options.policy,
        gate,
    )
    asyncio.run(_fetch_and_write(graph, api, names, summary, progress))
    summary.requests = api.counters.requests
    summary.unchanged = api.counters.not_modified
    summary.stopped = gate.stopped
    summary.waited = gate.waited
    summary.notes = list(dict.fromkeys(api.counters.cache_problems))
    summary.elapsed = time.monotonic() - started
    progress.finish()
    return summary


async def _fetch_and_write(
    graph: Graph, api: GithubApi, names: list[str], summary: GithubLoadSummary, progress: Progress
) -> None:
    pending: list[dict[str, Any]] = []
    async for answer in api.fetch_all(names):
        if answer.record is not None:
            pending.append(metadata_row(answer.record, GITHUB_API_SOURCE, answer.fetched_at))
            summary.count(answer.record)
            if answer.renamed:
                summary.renamed.append({"repo": answer.repo, "now": str(answer.full_name)})
            progress.item_done(answer.repo, 1, f"({answer.outcome})")
        elif answer.outcome == "not-found":
            summary.not_found.append(Problem(answer.repo, answer.message))
            progress.item_done(answer.repo, 0, "(not found)")
        elif answer.outcome == "not-fetched":
            summary.not_fetched.append(answer.repo)
        else:
            summary.failed.append(Problem(answer.repo, answer.message))
            progress.item_failed(answer.repo, answer.message)
        if len(pending) >= BATCH_ROWS:
            write_rows(graph, pending)
            pending = []
    write_rows(graph, pending)
    summary.not_fetched.sort()
