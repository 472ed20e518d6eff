"""`nichegraph serve`: the explorer on loopback (waitress, a threaded WSGI server)."""

from __future__ import annotations

import threading
import time

import click
from neo4j.exceptions import Neo4jError
from waitress import serve as waitress_serve

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import NichegraphError
from nichegraph.queries.library import plan_library
from nichegraph.web.app import create_app


def serve_app(settings: Settings, host: str, port: int, threads: int) -> None:
    with Graph(settings) as graph:
        graph.server_info()  # fail now, with the usual message, if Neo4j is down
    app = create_app(settings)
    click.echo(f"nichegraph explorer: http://{'localhost' if host in {'127.0.0.1', 'localhost'} else host}:{port}/")
    click.echo(f"  (Neo4j at {settings.neo4j_uri}; Ctrl-C stops)")
    threading.Thread(target=plan_queries, args=(settings,), name="plan-queries", daemon=True).start()
    waitress_serve(app, host=host, port=port, threads=threads, ident="nichegraph", _quiet=True)


def plan_queries(settings: Settings) -> None:
    """Warm Neo4j's plan cache while the first visitors arrive; pages work meanwhile, only slower."""
    started = time.monotonic()
    try:
        with Graph(settings) as graph:
            planned = plan_library(graph)
    except (NichegraphError, Neo4jError) as error:
        click.echo(f"  (query plans not prepared: {error})", err=True)
        return
    click.echo(f"  ({planned} library queries planned in {time.monotonic() - started:.1f}s)")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (loopback by default)")
@click.option("--port", default=5000, show_default=True, help="TCP port")
@click.option("--threads", default=8, show_default=True, help="Worker threads")
@click.pass_obj
def serve(settings: Settings, host: str, port: int, threads: int) -> None:
    """Serve the explorer (every page also answers as JSON: add .json to its address)."""
    serve_app(settings, host, port, threads)


COMMANDS = [serve]
