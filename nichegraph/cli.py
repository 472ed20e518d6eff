"""The `nichegraph` console command. Each room contributes its own subcommands."""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path

import click
from neo4j.exceptions import Neo4jError

from nichegraph import __version__, localdb
from nichegraph.config import Settings
from nichegraph.errors import NichegraphError


class Group(click.Group):
    """Turn user-facing errors into one line on stderr and their exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except NichegraphError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)
        except Neo4jError as error:
            click.echo(f"error: Neo4j refused the request: {error.message}", err=True)
            sys.exit(1)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--neo4j-uri", envvar="NEO4J_URI", help="Bolt URI [env NEO4J_URI; bolt://localhost:7687]")
@click.option("--neo4j-user", envvar="NEO4J_USER", help="[env NEO4J_USER; neo4j]")
@click.option("--neo4j-password", envvar="NEO4J_PASSWORD", help="[env NEO4J_PASSWORD; nichegraph]")
@click.version_option(__version__, prog_name="nichegraph")
@click.pass_context
def main(ctx: click.Context, neo4j_uri: str | None, neo4j_user: str | None, neo4j_password: str | None) -> None:
    """Explore open source ecosystems as a graph: load OpenDigger data into Neo4j,
    find niches, rivals and upstreams, read trends, and walk it in a browser."""
    # The driver logs every retried transaction (deadlocks it resolves by retrying) as a
    # warning; real failures still surface as exceptions.
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    ctx.obj = Settings.from_env().with_overrides(
        neo4j_uri=neo4j_uri, neo4j_user=neo4j_user, neo4j_password=neo4j_password
    )


@main.command()
@click.option("--source", help="Where to load from [env NICHEGRAPH_SOURCE; default: the live OpenDigger service]")
@click.option(
    "--landscape",
    "landscape_dir",
    envvar="NICHEGRAPH_LANDSCAPE",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of landscape CSVs to load as domain labels [env NICHEGRAPH_LANDSCAPE; default: none]",
)
@click.option("--skip-load", is_flag=True, help="Use what the graph already holds")
@click.option("--skip-analysis", is_flag=True, help="Do not compute niches, relations and OpenRank")
@click.option("--no-serve", is_flag=True, help="Stop after loading and analysing; do not serve the explorer")
@click.option("--host", default="127.0.0.1", show_default=True, help="Explorer interface (loopback by default)")
@click.option("--port", default=5000, show_default=True, help="Explorer port")
@click.pass_obj
def run(
    settings: Settings,
    source: str | None,
    landscape_dir: Path | None,
    skip_load: bool,
    skip_analysis: bool,
    no_serve: bool,
    host: str,
    port: int,
) -> None:
    """The main job: start Neo4j if nothing answers, load the default data set, analyse it
    (niches and relations of the last 12 months, computed OpenRank), and serve the explorer.

    With a folder as the source it loads every repository in it; with the live service it
    loads the landscape's seed projects and their neighbourhood."""
    from nichegraph import job

    ensure_database(settings)
    if not skip_load:
        job.load(settings, source or settings.source, landscape_dir, say=click.echo)
    if not skip_analysis:
        job.analyse(settings, say=click.echo)
    if not no_serve:
        job.serve(settings, host, port)


def ensure_database(settings: Settings) -> None:
    """Use the server at NEO4J_URI if it answers; otherwise start the local one."""
    from nichegraph.db import Graph

    with Graph(settings) as graph:
        if graph.ping():
            click.echo(f"Using Neo4j at {settings.neo4j_uri}")
            return
    state = localdb.start(localdb.LocalServer.from_settings(settings), say=click.echo)
    click.echo(state.describe())


# Each room's command module exposes COMMANDS (top-level commands) and BENCH_COMMANDS
# (subcommands of `nichegraph bench`); add a module here to give it a place in the CLI.
ROOM_COMMAND_MODULES = [
    "nichegraph.loader.cli",
    "nichegraph.loader.bench",
    "nichegraph.queries.cli",
    "nichegraph.queries.bench",
    "nichegraph.web.cli",
    "nichegraph.web.bench",
    "nichegraph.queries.niche_cli",
    "nichegraph.queries.trend_cli",
]


def _register_rooms() -> None:
    for module_name in ROOM_COMMAND_MODULES:
        module = importlib.import_module(module_name)
        for command in getattr(module, "COMMANDS", []):
            main.add_command(command)
        for command in getattr(module, "BENCH_COMMANDS", []):
            bench.add_command(command)


@main.group()
def bench() -> None:
    """Benchmarks: speed and memory figures, printed (never asserted in tests)."""


# --- db --------------------------------------------------------------------------------


@main.group()
def db() -> None:
    """Run a real local Neo4j 5 (from Maven Central jars) on loopback."""


def _server_options(function):  # type: ignore[no-untyped-def]
    function = click.option(
        "--dir",
        "home",
        type=click.Path(file_okay=False, path_type=Path),
        help="Server folder (data, logs, conf) [default: <data dir>/neo4j; env NICHEGRAPH_DATA_DIR]",
    )(function)
    function = click.option("--http-port", type=int, help="HTTP/Browser port [env NICHEGRAPH_HTTP_PORT; 7474]")(
        function
    )
    return function


def _server(settings: Settings, home: Path | None, http_port: int | None) -> localdb.LocalServer:
    return localdb.LocalServer.from_settings(settings, home=home, http_port=http_port)


@db.command("install")
@_server_options
@click.pass_obj
def db_install(settings: Settings, home: Path | None, http_port: int | None) -> None:
    """Download the Neo4j server and Browser jars into the cache (done by start if needed)."""
    server = _server(settings, home, http_port)
    path = localdb.install(server, say=click.echo)
    click.echo(f"Neo4j {localdb.NEO4J_VERSION} jars ready in {path}")


@db.command("start")
@_server_options
@click.option("--timeout", default=180.0, show_default=True, help="Seconds to wait for Bolt")
@click.pass_obj
def db_start(settings: Settings, home: Path | None, http_port: int | None, timeout: float) -> None:
    """Start the local server in the background unless one already answers at NEO4J_URI."""
    server = _server(settings, home, http_port)
    state = localdb.start(server, say=click.echo, timeout=timeout)
    click.echo(state.describe())


@db.command("stop")
@_server_options
@click.pass_obj
def db_stop(settings: Settings, home: Path | None, http_port: int | None) -> None:
    """Stop the local server cleanly."""
    localdb.stop(_server(settings, home, http_port), say=click.echo)


@db.command("status")
@_server_options
@click.pass_obj
def db_status(settings: Settings, home: Path | None, http_port: int | None) -> None:
    """Say whether Neo4j answers, where, which version, and where its data lives."""
    state = localdb.status(_server(settings, home, http_port))
    click.echo(state.describe())
    if not state.answering:
        sys.exit(1)


_register_rooms()
