"""`nichegraph load ...`: the loader's commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import BadParameter
from nichegraph.loader.landscape import read_landscape, write_landscape
from nichegraph.loader.neighbours import expand_seeds
from nichegraph.loader.pipeline import LoadOptions, LoadSummary, load_repos, read_repo_list
from nichegraph.loader.sources import FolderSource, HttpSource, open_source
from nichegraph.loader.summary import AUTO, METHODS
from nichegraph.months import parse_window
from nichegraph.output import to_json
from nichegraph.progress import Progress
from nichegraph.writelock import no_wait_option, writer_lock

SEEDS_FILE = Path(__file__).with_name("seeds.txt")


@click.group()
def load() -> None:
    """Load data into the graph (OpenDigger metrics, landscape labels)."""


def choose_repos(
    source: FolderSource | HttpSource,
    repos: str | None,
    repos_file: Path | None,
    neighbours: int,
    progress: Progress,
) -> list[str]:
    if repos and repos_file:
        raise BadParameter("--repos and --repos-file: give one or the other")
    if repos:
        chosen = read_repo_list(repos, "--repos")
    elif repos_file:
        try:
            text = repos_file.read_text(encoding="utf-8")
        except OSError as error:
            raise BadParameter(f"--repos-file: cannot read {repos_file}: {error}") from error
        chosen = read_repo_list(text, f"--repos-file {repos_file}")
    elif isinstance(source, FolderSource):
        return source.list_repos()
    else:
        chosen = read_repo_list(SEEDS_FILE.read_text(encoding="utf-8"), str(SEEDS_FILE))
        neighbours = neighbours or 30
        progress.note(f"no --repos: starting from the {len(chosen)} landscape seeds in {SEEDS_FILE.name}")
    if neighbours:
        chosen = expand_seeds(source, chosen, neighbours, progress.note)
    return chosen


def run_load(
    settings: Settings,
    source_text: str,
    repos: str | None = None,
    repos_file: Path | None = None,
    months: str | None = None,
    strict: bool = False,
    workers: int = 1,
    neighbours: int = 0,
    quiet: bool = False,
    method: str = AUTO,
    wait: bool = True,
) -> LoadSummary:
    """Everything `load opendigger` does, reusable by `nichegraph run`."""
    if workers < 1:
        raise BadParameter("--workers: must be at least 1")
    if neighbours < 0:
        raise BadParameter("--neighbours: must not be negative")
    window = parse_window(months, "--months") if months else None
    source = open_source(source_text)
    progress = Progress(total=None, quiet=quiet)
    chosen = choose_repos(source, repos, repos_file, neighbours, progress)
    progress.total = len(chosen)
    progress.note(f"Loading {len(chosen)} repositories from {source.label} into {settings.neo4j_uri}")
    options = LoadOptions(window, strict, workers, method=method)
    with Graph(settings) as graph, writer_lock(graph, "nichegraph load opendigger", wait=wait):
        return load_repos(graph, source, chosen, options, progress)


@load.command("opendigger")
@click.argument("source", required=False)
@click.option("--repos", help="Comma-separated owner/repo names (default: every repo of a folder)")
@click.option(
    "--repos-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File with one owner/repo per line (# comments allowed)",
)
@click.option("--months", help="Only these months, FIRST:LAST, e.g. 2021-01:2023-03")
@click.option("--strict", is_flag=True, help="Validate everything first; write nothing if any repo is bad")
@click.option("--workers", default=1, show_default=True, help="Parallel repository transactions")
@click.option(
    "--neighbours",
    default=0,
    show_default=True,
    help="Also load up to N neighbours of each named repo (OpenDigger repo_network.json)",
)
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default=AUTO,
    show_default=True,
    help="bulk: Neo4j's offline importer (an empty database of the local server nichegraph runs); "
    "incremental: transactions with fingerprints; auto: bulk when possible",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout")
@no_wait_option
@click.pass_obj
def load_opendigger(
    settings: Settings,
    source: str | None,
    repos: str | None,
    repos_file: Path | None,
    months: str | None,
    strict: bool,
    workers: int,
    neighbours: int,
    method: str,
    as_json: bool,
    no_wait: bool,
) -> None:
    """Load OpenDigger metrics from SOURCE: a folder of github/{owner}/{repo}/{metric}.json
    files or an http(s):// base URL of the same layout [default: env NICHEGRAPH_SOURCE, else
    the live service]. Idempotent and atomic per repository; bad repositories are named,
    skipped, and make the exit status 1."""
    summary = run_load(
        settings,
        source or settings.source,
        repos,
        repos_file,
        months,
        strict,
        workers,
        neighbours,
        method=method,
        wait=not no_wait,
    )
    if as_json:
        click.echo(to_json(summary.to_dict()))
    else:
        click.echo(summary.describe(), err=not summary.ok)
    if not summary.ok:
        sys.exit(1)


@load.command("landscape")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", help="Landscape name stored on the entries [default: the file name without .csv]")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON")
@no_wait_option
@click.pass_obj
def load_landscape(settings: Settings, file: Path, name: str | None, as_json: bool, no_wait: bool) -> None:
    """Load hand-made domain labels from a landscape CSV (the 2025 LLM landscape, the PyTorch
    landscape, or repo,domain[,layer,subdomain]). Rows for repositories not in the graph are
    kept as entries; bad rows are named and skipped, and make the exit status 1."""
    result = read_landscape(file, name)
    with Graph(settings) as graph, writer_lock(graph, "nichegraph load landscape", wait=not no_wait):
        write_landscape(graph, result)
    if as_json:
        click.echo(
            to_json(
                {
                    "file": str(file),
                    "landscape": result.landscape,
                    "format": result.format,
                    "entries": len(result.entries),
                    "linked": result.linked,
                    "badRows": result.bad_rows,
                    "replacedCharacters": result.replaced_characters,
                }
            )
        )
    else:
        click.echo(result.describe(), err=not result.ok)
    if not result.ok:
        sys.exit(1)


COMMANDS = [load]
