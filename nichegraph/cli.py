"""The `nichegraph` console command. Each room contributes its own subcommands, imported only
when they run: `nichegraph --help` loads neither the Neo4j driver nor pandas, igraph or Flask."""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path

import click

from nichegraph import __version__
from nichegraph.config import Settings
from nichegraph.errors import NichegraphError

# name -> (module, attribute, one-line summary for `--help`). The summary is written here so that
# listing the commands imports none of them; a fast test checks it against each command's help.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "load": ("nichegraph.loader.cli", "load", "Load data into the graph (OpenDigger metrics, GitHub..."),
    "stats": ("nichegraph.queries.cli", "stats", "Counts of repos, developers (bots separately), monthly..."),
    "query": ("nichegraph.queries.cli", "query", "Run a library query from queries/ with the example..."),
    "niches": ("nichegraph.analysis.cli", "niches", "Find niches: Leiden communities of the window's..."),
    "relations": ("nichegraph.analysis.cli", "relations", "Classify linked projects as upstream/downstream,..."),
    "expand": (
        "nichegraph.analysis.cli",
        "expand_command",
        "Grow a landscape from seed projects the way the landscape...",
    ),
    "export": (
        "nichegraph.analysis.cli",
        "export_command",
        "Export a window's (or a loaded network's) niches,...",
    ),
    "evaluate": (
        "nichegraph.analysis.evaluate_cli",
        "evaluate",
        "Measure relations, niches or a seed expansion against...",
    ),
    "openrank": (
        "nichegraph.analysis.openrank_cli",
        "openrank",
        "Compute monthly OpenRank for every repository and...",
    ),
    "trends": (
        "nichegraph.analysis.trends_cli",
        "trends",
        "Who leads, who grew, who fell, who went quiet: OpenRank...",
    ),
    "landscape": (
        "nichegraph.analysis.landscape_cli",
        "landscape",
        "The landscape of a loaded network or a window: detected...",
    ),
    "db": ("nichegraph.localdb_cli", "db", "Run a real local Neo4j 5 (from Maven Central jars) on..."),
    "serve": ("nichegraph.web.cli", "serve", "Serve the explorer (every page also answers as JSON: add..."),
}

BENCH_COMMANDS: dict[str, tuple[str, str, str]] = {
    "load": (
        "nichegraph.bench.load",
        "bench_load_command",
        "Load a whole OpenDigger folder into an empty database by...",
    ),
    "events": (
        "nichegraph.bench.events",
        "bench_events_command",
        "Read GH Archive files with embedded ClickHouse and...",
    ),
    "layout": ("nichegraph.bench.load", "bench_layout_command", "Compare one relationship per month with one per..."),
    "niches": ("nichegraph.bench.niches", "bench_niches", "Time the network build (Python over streamed rows, and..."),
    "openrank": (
        "nichegraph.bench.openrank",
        "bench_openrank",
        "Time `nichegraph openrank` over all the data at NEO4J_URI...",
    ),
    "queries": ("nichegraph.bench.queries", "bench_queries", "Run every library query with its example parameters..."),
    "scale": (
        "nichegraph.bench.scale",
        "bench_scale_command",
        "Resample the real snapshot to N times its size and time...",
    ),
    "web": ("nichegraph.bench.web", "bench_web", "Load the explorer on loopback (8 concurrent clients, a..."),
    "newcomer": (
        "nichegraph.bench.newcomer",
        "bench_newcomer",
        "Time `nichegraph run --source sample` from nothing (fresh...",
    ),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported when used, and whose `--help` lists them from
    the registry's summaries without importing anything."""

    def __init__(self, *args: object, lazy: dict[str, tuple[str, str, str]] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lazy = lazy or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, attribute, _summary = self.lazy[cmd_name]
            command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            if name in self.commands:
                rows.append((name, self.commands[name].get_short_help_str(formatter.width)))
            else:
                limit = formatter.width - 6 - max(len(n) for n in self.list_commands(ctx))
                rows.append((name, click.utils.make_default_short_help(self.lazy[name][2], limit)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class Group(LazyGroup):
    """Turn user-facing errors into one line on stderr and their exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except NichegraphError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)
        except Exception as error:
            # Only commands that talk to Neo4j import the driver: without it loaded, this is no
            # Neo4j error (importing it here would load it for every `--help` of a subcommand,
            # which click ends with an exception too).
            driver_errors = sys.modules.get("neo4j.exceptions")
            if driver_errors is None or not isinstance(error, driver_errors.Neo4jError):
                raise
            click.echo(f"error: Neo4j refused the request: {error.message}", err=True)
            sys.exit(1)


@click.group(cls=Group, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--neo4j-uri", envvar="NEO4J_URI", help="Bolt URI [env NEO4J_URI; bolt://localhost:7687]")
@click.option("--neo4j-user", envvar="NEO4J_USER", help="[env NEO4J_USER; neo4j]")
@click.option("--neo4j-password", envvar="NEO4J_PASSWORD", help="[env NEO4J_PASSWORD; nichegraph]")
@click.version_option(__version__, prog_name="nichegraph")
@click.pass_context
def main(ctx: click.Context, neo4j_uri: str | None, neo4j_user: str | None, neo4j_password: str | None) -> None:
    """Explore open source ecosystems as a graph: load OpenDigger data into Neo4j,
    find niches, rivals and upstreams, read trends, and walk it in a browser."""
    # The driver logs every retried transaction (deadlocks it resolves by retrying) as a
    # warning, and a connection it drops and replaces as an error; real failures still
    # surface as exceptions.
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    ctx.obj = Settings.from_env().with_overrides(
        neo4j_uri=neo4j_uri, neo4j_user=neo4j_user, neo4j_password=neo4j_password
    )


@main.command()
@click.option(
    "--source",
    help="Where to load from: a snapshot folder, an http(s) URL, or 'sample' (the small real sample shipped "
    "with nichegraph; no network needed) [env NICHEGRAPH_SOURCE; default: the live OpenDigger service]",
)
@click.option(
    "--landscape",
    "landscape_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of landscape CSVs to load as domain labels [env NICHEGRAPH_LANDSCAPE; default: none]",
)
@click.option(
    "--github-metadata",
    "metadata_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="GitHub metadata CSV loaded after the data (also with --skip-load) and before the analysis, as "
    "`load github --file` (niches split drawers, relations weigh it) [env NICHEGRAPH_GITHUB_METADATA; "
    "default: from GitHub's API when GITHUB_TOKEN is set and the analysis runs, else none]",
)
@click.option("--skip-load", is_flag=True, help="Use what the graph already holds")
@click.option("--skip-analysis", is_flag=True, help="Do not compute niches, relations and OpenRank")
@click.option("--no-serve", is_flag=True, help="Stop after loading and analysing; do not serve the explorer")
@click.option("--host", default="127.0.0.1", show_default=True, help="Explorer interface (loopback by default)")
@click.option("--port", default=5000, show_default=True, help="Explorer port")
@click.option(
    "--no-wait", is_flag=True, help="If another nichegraph command is writing to the graph, exit 1 instead of waiting"
)
@click.pass_obj
def run(
    settings: Settings,
    source: str | None,
    landscape_dir: Path | None,
    metadata_file: Path | None,
    skip_load: bool,
    skip_analysis: bool,
    no_serve: bool,
    host: str,
    port: int,
    no_wait: bool,
) -> None:
    """The main job: start Neo4j if nothing answers, load the default data set, analyse it
    (niches and relations of the last 12 months, computed OpenRank), and serve the explorer.

    With a folder as the source it loads every repository in it; with the live service, the
    projects of the 2025 LLM landscape report's lists (shipped with nichegraph) and their domains;
    with `--source sample`, the packaged sample (AI and scientific Python 2020-04..2023-03, the
    report's 2025-05 network and OpenRank series). The loaded networks are analysed too."""
    from nichegraph import job

    metadata_file = metadata_file or settings.github_metadata
    job.ensure_database(settings, say=click.echo)
    with job.writing(settings, skip_load and skip_analysis and metadata_file is None, wait=not no_wait):
        if not skip_load:
            job.load(settings, source or settings.source, landscape_dir or settings.landscape_dir, say=click.echo)
        job.load_metadata(settings, metadata_file, say=click.echo, online=not skip_analysis)
        if not skip_analysis:
            job.analyse(settings, say=click.echo)
    if not no_serve:
        job.serve(settings, host, port)


@main.group(cls=LazyGroup, lazy=BENCH_COMMANDS)
def bench() -> None:
    """Benchmarks: speed and memory figures, printed (never asserted in tests)."""


SUMMARY_LENGTH = 60


def summary_of(command: click.Command) -> str:
    """What the registries above list for a command: the start of its help, as click shortens it."""
    return click.utils.make_default_short_help(command.help or "", SUMMARY_LENGTH)
