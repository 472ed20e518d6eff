"""What a load did: the summary a command prints and the LoadRun node it records."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from nichegraph.db import Graph
from nichegraph.loader.opendigger import RepoData

AUTO, BULK, INCREMENTAL = "auto", "bulk", "incremental"
METHODS = (AUTO, BULK, INCREMENTAL)

START_RUN = """
CREATE (l:LoadRun {id: randomUUID(), kind: $kind, source: $source,
                   startedAt: datetime(), status: 'running', repos: $repos, method: $method})
RETURN l.id AS id
"""

FINISH_RUN = """
MATCH (l:LoadRun {id: $id})
SET l += $summary, l.finishedAt = datetime()
"""


def start_run(graph: Graph, summary: LoadSummary) -> str:
    """Record a running LoadRun of `summary`'s source and method; its id."""
    rows = graph.write(
        START_RUN, kind=summary.kind, source=summary.source, repos=summary.requested, method=summary.method
    )
    return str(rows[0]["id"])


@dataclass(frozen=True)
class RepoFailure:
    repo: str
    message: str


@dataclass
class LoadSummary:
    source: str
    requested: int
    # what the source is: 'opendigger' (folder or service) or 'events' (GitHub events)
    kind: str = "opendigger"
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
    method: str = INCREMENTAL
    # what stopped the run before every repository was processed (not a bad repository)
    error: str | None = None
    # bulk path: seconds per step (parse and write files, stop, import, swap, start, schema)
    steps: dict[str, float] = field(default_factory=dict)
    # bulk path: CPU seconds of the steps that use it (files: this process and the parsing
    # processes; import: the importer; start and schema: the server)
    step_cpu: dict[str, float] = field(default_factory=dict)
    worker_peak_rss_mb: float = 0.0  # bulk path: the largest parsing process's peak RSS

    def _step(self, name: str, seconds: float) -> str:
        cpu = self.step_cpu.get(name)
        return f"{name} {seconds:.1f}s" + ("" if cpu is None else f" (CPU {cpu:.1f}s)")

    @property
    def processed(self) -> int:
        return len(self.loaded) + len(self.unchanged) + len(self.failed)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.stopped_early and self.error is None and self.processed == self.requested

    @property
    def status(self) -> str:
        if self.ok:
            return "ok"
        if self.error is not None or self.processed < self.requested:
            return "failed"
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
        if self.steps:
            lines.append(f"{self.method} load: " + ", ".join(self._step(name, sec) for name, sec in self.steps.items()))
        if self.stopped_early:
            lines.append("stopped at the first bad repository (--strict)")
        if self.error is not None:
            lines.append(f"STOPPED: {self.error}")
        if self.processed < self.requested and not self.stopped_early:
            lines.append(f"{self.requested - self.processed} of {self.requested} repositories not processed")
        lines += [f"  FAILED {failure.repo}: {failure.message}" for failure in self.failed]
        return "\n".join(lines)


def count_input(summary: LoadSummary, data: RepoData) -> None:
    summary.rows_in += data.rows_in
    summary.contributions += len(data.contributions)
    summary.merged_repeats += data.merged_repeats
    summary.aggregate_keys_skipped += data.skipped_aggregate_keys


def run_properties(summary: LoadSummary) -> dict[str, Any]:
    """The LoadRun properties a finished (or stopped) run records."""
    properties = {
        "status": summary.status,
        "method": summary.method,
        "reposLoaded": len(summary.loaded),
        "reposUnchanged": len(summary.unchanged),
        "reposFailed": len(summary.failed),
        "reposNotProcessed": summary.requested - summary.processed,
        "failedRepos": [failure.repo for failure in summary.failed],
        "rowsIn": summary.rows_in,
        "contributions": summary.contributions,
        "contributionsWritten": summary.contributions_written,
        "mergedRepeats": summary.merged_repeats,
        "seconds": round(summary.elapsed, 2),
    }
    if summary.error is not None:
        properties["error"] = " ".join(summary.error.split())  # one line: it may travel in a CSV
    return properties
