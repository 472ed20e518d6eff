"""`nichegraph load ...`: the loader's commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Protocol

import click

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import BadParameter
from nichegraph.loader.events.cli import load_events
from nichegraph.loader.github import ApiOptions, load_metadata_api, load_metadata_file
from nichegraph.loader.labels import load_label_set
from nichegraph.loader.landscape import LandscapeLoad, read_landscape, write_landscape
from nichegraph.loader.neighbours import expand_seeds
from nichegraph.loader.networks import read_network_file, write_network
from nichegraph.loader.pipeline import LoadOptions, LoadSummary, load_repos, read_repo_list
from nichegraph.loader.series import SeriesLoad, read_series, series_file, write_series
from nichegraph.loader.sources import FolderSource, HttpSource, open_source
from nichegraph.loader.summary import AUTO, METHODS
from nichegraph.months import parse_window
from nichegraph.output import to_json
from nichegraph.progress import Progress
from nichegraph.writelock import no_wait_option, writer_lock

# The 2025 LLM landscape report's project lists (names and domains), shipped with the package:
# a web source without --repos loads these projects (python -m nichegraph.loader.make_sample
# writes them from the report's files).
REPORT_LISTS = sorted(Path(__file__).with_name("landscapes").glob("*.csv"))
REPOS_FILE_OPTION = click.option(
    "--repos-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File with one owner/repo per line (# comments allowed)",
)


@click.group()
def load() -> None:
    """Load data into the graph (OpenDigger metrics, GitHub events and metadata, landscape labels and series,
    project networks, evaluation labels)."""


class Summary(Protocol):
    @property
    def ok(self) -> bool: ...

    def to_dict(self) -> dict[str, Any]: ...

    def describe(self) -> str: ...


def finish(summary: Summary, as_json: bool) -> None:
    """Print a load's summary (as JSON on stdout, or as text: on stderr when not ok); exit 1 when not ok."""
    if as_json:
        click.echo(to_json(summary.to_dict()))
    else:
        click.echo(summary.describe(), err=not summary.ok)
    if not summary.ok:
        sys.exit(1)


def named_repos(repos: str | None, repos_file: Path | None) -> list[str] | None:
    """The names given with --repos or --repos-file; None when neither is given."""
    if repos and repos_file:
        raise BadParameter("--repos and --repos-file: give one or the other")
    if repos:
        return read_repo_list(repos, "--repos")
    if repos_file:
        try:
            text = repos_file.read_text(encoding="utf-8")
        except OSError as error:
            raise BadParameter(f"--repos-file: cannot read {repos_file}: {error}") from error
        return read_repo_list(text, f"--repos-file {repos_file}")
    return None


def choose_repos(
    source: FolderSource | HttpSource,
    repos: str | None,
    repos_file: Path | None,
    neighbours: int,
    progress: Progress,
) -> list[str]:
    named = named_repos(repos, repos_file)
    if named is not None:
        chosen = named
    elif isinstance(source, FolderSource):
        return source.list_repos()
    else:
        chosen = report_projects()
        progress.note(
            f"no --repos: the {len(chosen)} projects of the 2025 LLM landscape report's lists "
            f"({', '.join(path.name for path in REPORT_LISTS)})"
        )
    if neighbours:
        chosen = expand_seeds(source, chosen, neighbours, progress.note)
    return chosen


def report_projects() -> list[str]:
    """Every project the shipped report lists name, once, in list order."""
    names: dict[str, str] = {}
    for path in REPORT_LISTS:
        for entry in read_landscape(path).entries:
            if entry["repo"]:
                names.setdefault(entry["repo"].lower(), entry["repo"])
    return list(names.values())


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
    if isinstance(source, HttpSource):
        source.check_reachable()
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
@REPOS_FILE_OPTION
@click.option("--months", help="Only these months, FIRST:LAST, e.g. 2021-01:2023-03")
@click.option("--strict", is_flag=True, help="Validate everything first; write nothing if any repo is bad")
@click.option("--workers", default=1, show_default=True, help="Parallel repository transactions")
@click.option(
    "--neighbours",
    default=0,
    show_default=True,
    help="Also load up to N neighbours of each named repo (OpenDigger's repo_network.json; no longer regenerated)",
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
    finish(summary, as_json)


def file_with_name(name_help: str):  # type: ignore[no-untyped-def]
    """FILE, --name and --json: what the commands loading one labelled file take."""

    def decorate(function):  # type: ignore[no-untyped-def]
        function = click.pass_obj(function)
        function = click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON")(function)
        function = click.option("--name", help=name_help)(function)
        return click.argument("file", type=click.Path(dir_okay=False, path_type=Path))(function)

    return decorate


@load.command("landscape")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", help="Landscape name stored on the entries [default: the file name without .csv]")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON")
@no_wait_option
@click.pass_obj
def load_landscape(settings: Settings, files: tuple[Path, ...], name: str | None, as_json: bool, no_wait: bool) -> None:
    """Load hand-made domain labels from landscape CSVs (the 2025 LLM landscape, the report's
    2025-05 classification, the PyTorch landscape, or repo,domain[,layer,subdomain]) and monthly
    OpenRank series (month,repo_id,repo_name,openrank; renamed projects joined by repo_id).
    Rows for repositories not in the graph are kept as entries; bad rows are named and skipped,
    and make the exit status 1."""
    if name and len(files) > 1:
        raise BadParameter("--name: give it with one FILE only")
    results = load_landscape_files(settings, list(files), name, wait=not no_wait)
    if as_json:
        dicts = [result.to_dict() for result in results]
        click.echo(to_json(dicts[0] if len(dicts) == 1 else dicts))
    for result in results:
        if not as_json:
            click.echo(result.describe(), err=not result.ok)
    if not all(result.ok for result in results):
        sys.exit(1)


def load_landscape_files(
    settings: Settings, files: list[Path], name: str | None = None, wait: bool = True
) -> list[LandscapeLoad | SeriesLoad]:
    """Read every file first (lists and series told apart by their header), then write the
    lists before the series: a series takes a renamed project's current name from the lists."""
    loads = [read_series(file, name) if series_file(file) else read_landscape(file, name) for file in files]
    with Graph(settings) as graph, writer_lock(graph, "nichegraph load landscape", wait=wait):
        for load in sorted(loads, key=lambda item: isinstance(item, SeriesLoad)):
            if isinstance(load, SeriesLoad):
                write_series(graph, load)
            else:
                write_landscape(graph, load)
    return loads


@load.command("network")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", help="Name of the network [default: the file name without extension]")
@click.option("--window", help="The period the network describes, FIRST:LAST (stored; not checked against the data)")
@click.option(
    "--nodes",
    "nodes_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With a .csv edge list: a nodes file id[,label][,openrank]",
)
@click.option("--weight-meaning", help="What an edge weight counts [the report's JSON: shared active developers]")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON")
@no_wait_option
@click.pass_obj
def load_network(
    settings: Settings,
    file: Path,
    name: str | None,
    window: str | None,
    nodes_file: Path | None,
    weight_meaning: str | None,
    as_json: bool,
    no_wait: bool,
) -> None:
    """Load a project-level collaboration network as a named network: the landscape report's
    JSON, a CSV edge list (source,target,weight), GraphML or GEXF. Stored apart from our own
    COLLABORATES links; projects not in the graph become Repo nodes without contributions. A bad
    file is refused whole, with its file and line."""
    data = read_network_file(file, name, window, nodes_file, weight_meaning)
    with Graph(settings) as graph, writer_lock(graph, "nichegraph load network", wait=not no_wait):
        result = write_network(graph, data)
    click.echo(to_json(result.to_dict()) if as_json else result.describe())


@load.command("github")
@click.option("--repos", help="Comma-separated owner/repo names [default: every repository in the graph, or in --file]")
@REPOS_FILE_OPTION
@click.option(
    "--file",
    "metadata_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Offline: read a metadata CSV with GitHub's fields (docs/model.md) instead of asking the API",
)
@click.option(
    "--max-wait",
    default=900.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Longest wait in seconds for GitHub's rate limit to reset; beyond it the load stops with what it stored",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout")
@no_wait_option
@click.pass_obj
def load_github(
    settings: Settings,
    repos: str | None,
    repos_file: Path | None,
    metadata_file: Path | None,
    max_wait: float,
    as_json: bool,
    no_wait: bool,
) -> None:
    """Load GitHub metadata (description, language, topics, licence, archived, creation date,
    homepage) onto repositories in the graph, from the REST API [env NICHEGRAPH_GITHUB_API,
    token GITHUB_TOKEN] or offline from a metadata CSV (--file). Repositories not in the graph
    are reported and skipped, as are 404s; renames are reported. Bad rows (nothing is written),
    failed fetches or a stop for the rate limit make the exit status 1."""
    named = named_repos(repos, repos_file)
    with Graph(settings) as graph, writer_lock(graph, "nichegraph load github", wait=not no_wait):
        if metadata_file is not None:
            summary = load_metadata_file(graph, metadata_file, named)
        else:
            summary = load_metadata_api(graph, settings, named, Progress(total=None), ApiOptions(max_wait=max_wait))
    if summary.stored:
        # stored niches and relations were computed before: they read metadata, so say how to use it
        summary.notes.append(
            "niches (drawers) and relations read this metadata: run `nichegraph niches`, then `nichegraph relations` "
            "(`nichegraph run --github-metadata FILE` loads a file before its analysis)"
        )
    finish(summary, as_json)


@load.command("labels")
@file_with_name("Name of the label set [default: the file name without .csv]")
@no_wait_option
def load_labels(settings: Settings, file: Path, name: str | None, as_json: bool, no_wait: bool) -> None:
    """Store a label file (a,b,relation | a,b,collection | repo,label | repo,source,label) as a
    label set, apart from the verdicts, for the explorer's evaluation page; a set of the same
    name is replaced. A bad row names the line and nothing is written."""
    with Graph(settings) as graph, writer_lock(graph, "nichegraph load labels", wait=not no_wait):
        result = load_label_set(graph, file, name)
    click.echo(to_json(result.to_dict()) if as_json else result.describe())


load.add_command(load_events)
