"""`nichegraph bench scale`: how load, niches + relations, OpenRank and the library queries grow
with the data, on snapshots resampled from the real one (docs/scale.md).

A factor-N snapshot holds N copies of every repository and every developer under new names
(copy 0 keeps the real names, so factor 1 is the real snapshot). Developer copy k works on copy k
of each of its repositories, except that each (developer, repository) pair moves to another,
randomly chosen copy with probability `mix` (10%): the copies are linked the way real projects
share a few developers, instead of being N separate graphs. Every developer copy keeps its
original's activity per month, number of repositories and months, so those distributions are
the real ones; a repository copy keeps its monthly series (OpenRank, activity, participants,
...) and, in expectation, its number of developers. The files go to a temporary folder in
OpenDigger's layout, are loaded by the real loader into a throw-away server
(nichegraph.scratch), and are deleted afterwards.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import re
import resource
import shutil
import statistics
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import orjson

from nichegraph.analysis.network import NetworkParams
from nichegraph.analysis.niches import NicheParams
from nichegraph.analysis.openrank.method import OpenRankParams
from nichegraph.analysis.openrank.run import run_openrank
from nichegraph.analysis.pipeline import compute_niches, relations_of
from nichegraph.analysis.relations import relation_logins, write_relations
from nichegraph.bench.stats import percentile
from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import BadParameter, NichegraphError
from nichegraph.loader.opendigger import ALL_FILES, DETAILS_FILE
from nichegraph.loader.pipeline import LoadOptions, load_repos
from nichegraph.loader.sources import FolderSource
from nichegraph.loader.summary import AUTO
from nichegraph.months import is_month
from nichegraph.output import to_json, to_table
from nichegraph.progress import Progress
from nichegraph.queries import windows
from nichegraph.queries.library import load_library
from nichegraph.scratch import scratch_server

DEFAULT_FACTORS = (1, 3, 10)
MAX_FACTOR = 20
DEFAULT_MIX = 0.1
RSS_LIMIT_MB = 4096  # the target for the Python process at 10x (issue 13)

# --- resampling ---------------------------------------------------------------------------


def copy_name(name: str, copy: int) -> str:
    """Copy 0 is the original; others get a prefix (a suffix would hide `[bot]` and `-bot`)."""
    return name if copy == 0 else f"s{copy}-{name}"


def copy_repo(repo: str, copy: int) -> str:
    owner, name = repo.split("/", 1)
    return f"{copy_name(owner, copy)}/{name}"


def target_copy(login_key: str, repo: str, copy: int, factor: int, mix: float, seed: int) -> int:
    """The repository copy developer copy `copy` works on: its own, or with probability `mix`
    another one (deterministic: the same developer stays with the same copy every month)."""
    if factor == 1:
        return 0
    draw = zlib.crc32(f"{seed}|{login_key}|{repo}|{copy}".encode())
    if draw / 2**32 >= mix:
        return copy
    return (copy + 1 + (draw >> 7) % (factor - 1)) % factor


@dataclass
class ResampleSummary:
    repos: int = 0
    rows: int = 0
    seconds: float = 0.0


def resample(
    source: FolderSource,
    factor: int,
    out: Path,
    *,
    mix: float = DEFAULT_MIX,
    seed: int = 0,
    repos: list[str] | None = None,
) -> ResampleSummary:
    """Write a factor-`factor` snapshot of `source` (or of `repos` in it) into `out`
    (OpenDigger's layout), one original repository at a time (memory stays that of one
    repository's files)."""
    check_factor(factor)
    if not 0 <= mix <= 1:
        raise BadParameter(f"--mix: {mix} must be between 0 and 1")
    started = time.perf_counter()
    summary = ResampleSummary()
    for repo in source.list_repos() if repos is None else repos:
        files = source.read(repo)
        details = split_details(repo, files.get(DETAILS_FILE), factor, mix, seed)
        for copy in range(factor):
            folder = out / "github" / copy_repo(repo, copy)
            folder.mkdir(parents=True, exist_ok=True)
            for stem in ALL_FILES:
                body = orjson.dumps(details[copy]) if stem == DETAILS_FILE and details else files.get(stem)
                if body is not None:
                    (folder / f"{stem}.json").write_bytes(body)
            summary.repos += 1
            summary.rows += sum(len(rows) for rows in details[copy].values()) if details else 0
    summary.seconds = time.perf_counter() - started
    return summary


def split_details(
    repo: str, body: bytes | None, factor: int, mix: float, seed: int
) -> list[dict[str, list[list[Any]]]] | None:
    """The activity details of each copy of `repo`: every row once per developer copy, in the
    repository copy that developer copy works on."""
    if body is None:
        return None
    data = orjson.loads(body)
    copies: list[dict[str, list[list[Any]]]] = [{} for _ in range(factor)]
    targets: dict[tuple[str, int], int] = {}
    for month, rows in data.items():
        if not is_month(month):
            continue  # yearly roll-ups and "-raw" keys: the loader derives or skips them
        for login, score in rows:
            key = login.lower()
            for copy in range(factor):
                target = targets.get((key, copy))
                if target is None:
                    target = targets[(key, copy)] = target_copy(key, repo, copy, factor, mix, seed)
                copies[target].setdefault(month, []).append([copy_name(login, copy), score])
    return copies


def check_factor(factor: int) -> int:
    if not 1 <= factor <= MAX_FACTOR:
        raise BadParameter(f"--factor: {factor} must be between 1 and {MAX_FACTOR}")
    return factor


# --- measuring ------------------------------------------------------------------------------


_HWM = re.compile(r"VmHWM:\s+(\d+) kB")


def reset_peak_rss() -> None:
    """Start a new high-water mark of this process's resident memory (Linux: clear_refs 5)."""
    # elsewhere the figure is the process's peak so far
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_rss_mb() -> float:
    try:
        match = _HWM.search(Path("/proc/self/status").read_text())
    except OSError:
        match = None
    if match:
        return int(match.group(1)) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Step:
    name: str
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    worker_peak_rss_mb: float = 0.0  # the largest child process doing the step's work, if any
    figures: dict[str, Any] = field(default_factory=dict)


def release_memory() -> None:
    """Collect garbage and hand freed heap pages back to the OS (glibc keeps them otherwise), so a
    step's peak is its own and not what an earlier step left: in real use each step is its own
    command (`load`, `niches`, `openrank`)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@contextmanager
def measured(steps: list[Step], name: str) -> Iterator[Step]:
    step = Step(name)
    release_memory()
    reset_peak_rss()
    started = time.perf_counter()
    yield step
    step.seconds = time.perf_counter() - started
    step.peak_rss_mb = peak_rss_mb()
    steps.append(step)


def library_p95(graph: Graph, repeats: int) -> dict[str, Any]:
    """Every library query that answers a page-sized question (not whole-graph analytics), with
    its example parameters: p95 over all their timed runs, and the slowest query's p95."""
    timings: list[float] = []
    worst = ("", 0.0)
    for name, query in load_library().items():
        if query.whole_graph:
            continue
        params = query.parameters()
        graph.read(query.cypher, **params)  # plan, warm the page cache
        mine = []
        for _ in range(repeats):
            started = time.perf_counter()
            graph.read(query.cypher, **params)
            mine.append((time.perf_counter() - started) * 1000)
        timings += mine
        if percentile(mine, 0.95) > worst[1]:
            worst = (name, percentile(mine, 0.95))
    return {
        "queries p50 ms": round(statistics.median(timings), 1),
        "queries p95 ms": round(percentile(timings, 0.95), 1),
        "slowest query": worst[0],
        "slowest query p95 ms": round(worst[1], 1),
    }


def niches_and_relations(graph: Graph) -> dict[str, int]:
    """Compute and store the default window's niches and relations (their objects die here)."""
    quiet = Progress(None, quiet=True)
    niches = compute_niches(graph, None, NetworkParams(), NicheParams(), quiet)
    relations = relations_of(graph, niches.network, niches.membership(), quiet)
    write_relations(graph, relations, relation_logins(graph, relations))
    return {"niches": len(niches.niches), "relations": sum(relations.counts().values())}


def openrank_phases(graph: Graph) -> dict[str, float]:
    """OpenRank over all the data, stored; seconds per phase (the run's arrays die here)."""
    window = windows.resolve_window(graph, None, default=windows.ALL)
    run = run_openrank(graph, window, OpenRankParams())
    return {phase: round(seconds, 1) for phase, seconds in run.seconds.items()}


def measure(settings: Settings, folder: Path, repeats: int, say: Callable[[str], None]) -> list[Step]:
    """Load `folder` into an empty scratch server and time each step."""
    steps: list[Step] = []
    source = FolderSource(folder)
    repos = source.list_repos()
    with scratch_server(settings, say=lambda _m: None) as target, Graph(target) as graph:
        with measured(steps, "load") as step:
            # the scratch server is empty and nichegraph's own: the bulk path, as `load opendigger`
            summary = load_repos(graph, source, repos, LoadOptions(workers=2, method=AUTO), Progress(None, quiet=True))
            if not summary.ok:
                raise NichegraphError("bench scale: the load failed:\n" + summary.describe())
            step.figures = {"repos": len(summary.loaded), "rows": summary.rows_in, "method": summary.method}
            step.worker_peak_rss_mb = summary.worker_peak_rss_mb
        say(f"  load: {steps[-1].seconds:.0f} s")
        with measured(steps, "niches + relations") as step:
            step.figures = niches_and_relations(graph)
        say(f"  niches + relations: {steps[-1].seconds:.0f} s")
        with measured(steps, "openrank") as step:
            step.figures = openrank_phases(graph)
        say(f"  OpenRank: {steps[-1].seconds:.0f} s")
        with measured(steps, "library queries") as step:
            step.figures = library_p95(graph, repeats)
        say(f"  library queries: p95 {step.figures['queries p95 ms']} ms")
        counts = graph.read(
            "CALL () { MATCH (d:Developer) RETURN count(d) AS developers } "
            "CALL () { MATCH ()-[c:CONTRIBUTED]->() RETURN count(c) AS contributions } "
            "RETURN developers, contributions"
        )[0]
        steps[0].figures |= counts
    return steps


@dataclass(frozen=True)
class ScaleOptions:
    factors: tuple[int, ...] = DEFAULT_FACTORS
    mix: float = DEFAULT_MIX
    seed: int = 0
    repeats: int = 5
    slice: int | None = None  # only the first N repositories of the snapshot (tests, trials)


def bench_scale(
    settings: Settings, source: FolderSource, options: ScaleOptions, say: Callable[[str], None]
) -> list[dict[str, Any]]:
    """One row of figures per factor; each factor's files and server are deleted before the next."""
    repos = source.list_repos()
    if options.slice is not None:
        repos = repos[: options.slice]
    rows = []
    for factor in options.factors:
        check_factor(factor)
        say(f"factor {factor}:")
        folder = Path(tempfile.mkdtemp(prefix=f"nichegraph-scale{factor}-"))
        try:
            with measured([], "resample") as step:
                generated = resample(source, factor, folder, mix=options.mix, seed=options.seed, repos=repos)
            say(f"  resampled {generated.repos} repositories, {generated.rows:,} rows in {step.seconds:.0f} s")
            steps = measure(settings, folder, options.repeats, say)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        rows.append(row_of(factor, generated, steps))
    return rows


def row_of(factor: int, generated: ResampleSummary, steps: list[Step]) -> dict[str, Any]:
    by = {step.name: step for step in steps}
    load, niches, openrank, queries = by["load"], by["niches + relations"], by["openrank"], by["library queries"]
    peak = max(step.peak_rss_mb for step in steps)
    workers = max(step.worker_peak_rss_mb for step in steps)
    return {
        "factor": factor,
        "repos": load.figures["repos"],
        "developers": load.figures["developers"],
        "contributions": load.figures["contributions"],
        "detail rows": generated.rows,
        "load s": round(load.seconds, 1),
        "load method": load.figures["method"],
        "niches + relations s": round(niches.seconds, 1),
        "openrank s": round(openrank.seconds, 1),
        "openrank read / compute / write s": "/".join(
            str(openrank.figures.get(phase, "-")) for phase in ("read edges", "compute", "write")
        ),
        "queries p95 ms": queries.figures["queries p95 ms"],
        "slowest query": f"{queries.figures['slowest query']} {queries.figures['slowest query p95 ms']} ms",
        "peak RSS MB": round(peak),
        "peak RSS by step MB": {step.name: round(step.peak_rss_mb) for step in steps},
        # the bulk load parses in worker processes: each is a Python process held to the same line
        "parse workers peak RSS MB": round(workers),
        "under 4 GB": max(peak, workers) < RSS_LIMIT_MB,
    }


@click.command("scale")
@click.option(
    "--factor",
    "factors",
    type=int,
    multiple=True,
    help=f"Size relative to the real snapshot; repeat for several [{', '.join(map(str, DEFAULT_FACTORS))}]",
)
@click.option("--source", help="The real snapshot to resample [env NICHEGRAPH_SOURCE, which must be a folder]")
@click.option("--mix", type=float, default=DEFAULT_MIX, show_default=True, help="Share of links between copies")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the resampling")
@click.option("--repeats", type=int, default=5, show_default=True, help="Timed runs per library query")
@click.option("--slice", "slice_", type=int, help="Only the first N repositories of the snapshot (a quick trial)")
@click.option("--json", "as_json", is_flag=True, help="Print the table as JSON")
@click.pass_obj
def bench_scale_command(
    settings: Settings,
    factors: tuple[int, ...],
    source: str | None,
    mix: float,
    seed: int,
    repeats: int,
    slice_: int | None,
    as_json: bool,
) -> None:
    """Resample the real snapshot to N times its size and time load, niches + relations,
    OpenRank, library-query p95 and peak memory on a scratch server, per factor."""
    folder = source or settings.source
    if folder.startswith(("http://", "https://")):
        raise BadParameter("--source: bench scale resamples a snapshot folder, not a web service")
    if repeats < 1:
        raise BadParameter(f"--repeats: {repeats} must be at least 1")
    if not 0 <= mix <= 1:
        raise BadParameter(f"--mix: {mix} must be between 0 and 1")
    if slice_ is not None and slice_ < 1:
        raise BadParameter(f"--slice: {slice_} must be at least 1")
    chosen = tuple(check_factor(factor) for factor in factors) or DEFAULT_FACTORS
    options = ScaleOptions(chosen, mix, seed, repeats, slice_)

    def say(message: str) -> None:  # progress on stderr, so --json's stdout stays JSON
        click.echo(message, err=True)

    rows = bench_scale(settings, FolderSource(folder), options, say)
    if as_json:
        click.echo(to_json(rows))
        return
    click.echo(to_table([{k: v for k, v in row.items() if k != "peak RSS by step MB"} for row in rows]))
    for row in rows:
        click.echo(f"factor {row['factor']}: peak RSS by step (MB) {row['peak RSS by step MB']}")


BENCH_COMMANDS = [bench_scale_command]
