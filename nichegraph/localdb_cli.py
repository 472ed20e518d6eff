"""`nichegraph db install|start|stop|status`: the local Neo4j server (nichegraph/localdb.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from nichegraph import localdb
from nichegraph.config import Settings


@click.group()
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
