"""`nichegraph serve`: the explorer on loopback (waitress, a threaded WSGI server)."""

from __future__ import annotations

import threading

import click
from flask import Flask
from waitress import serve as waitress_serve

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.web.app import create_app, plan_queries
from nichegraph.web.warm import warm_pages


def serve_app(settings: Settings, host: str, port: int, threads: int) -> None:
    with Graph(settings) as graph:
        graph.server_info()  # fail now, with the usual message, if Neo4j is down
    app = create_app(settings)
    click.echo(f"nichegraph explorer: http://{'localhost' if host in {'127.0.0.1', 'localhost'} else host}:{port}/")
    click.echo(f"  (Neo4j at {settings.neo4j_uri}; Ctrl-C stops)")
    # pages work while the plans are prepared and the default pages computed, only slower
    threading.Thread(target=report_planning, args=(app,), name="plan-queries", daemon=True).start()
    waitress_serve(app, host=host, port=port, threads=threads, ident="nichegraph", _quiet=True)


def report_planning(app: Flask) -> None:
    click.echo(f"  ({plan_queries(app)})")
    click.echo(f"  ({warm_pages(app)})")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (loopback by default)")
@click.option("--port", default=5000, show_default=True, help="TCP port")
@click.option("--threads", default=8, show_default=True, help="Worker threads")
@click.pass_obj
def serve(settings: Settings, host: str, port: int, threads: int) -> None:
    """Serve the explorer (every page also answers as JSON: add .json to its address)."""
    serve_app(settings, host, port, threads)
