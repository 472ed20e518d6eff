"""The main job's steps (`nichegraph run`), each delegated to the room that owns it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import BadParameter, NichegraphError
from nichegraph.progress import Progress

Say = Callable[[str], None]


def load(settings: Settings, source: str, landscape_dir: Path | None, say: Say) -> None:
    from nichegraph.loader.cli import run_load
    from nichegraph.loader.landscape import read_landscape, write_landscape

    summary = run_load(settings, source)
    say(summary.describe())
    if not summary.loaded and not summary.unchanged:
        raise NichegraphError("nothing could be loaded; see the messages above")
    if landscape_dir is None:
        return
    files = sorted(landscape_dir.glob("*.csv")) if landscape_dir.is_dir() else []
    if not files:
        raise BadParameter(f"--landscape: {landscape_dir} holds no .csv files")
    with Graph(settings) as graph:
        for file in files:
            say(write_landscape(graph, read_landscape(file)).describe())


def analyse(settings: Settings, say: Say) -> None:
    """Niches and relations of the default window (the last 12 months), then OpenRank."""
    from nichegraph.queries import openrank
    from nichegraph.queries.network import NetworkParams
    from nichegraph.queries.niche_cli import compute_niches, compute_relations
    from nichegraph.queries.niches import NicheParams
    from nichegraph.queries.relations import relation_logins, write_relations

    steps = Progress(total=None)
    with Graph(settings) as graph:
        niches = compute_niches(graph, None, NetworkParams(), NicheParams(), steps)
        relations = compute_relations(graph, str(niches.network.window), steps)
        write_relations(graph, relations, relation_logins(graph, relations))
        window = openrank.resolve_months(graph, None)
        say(f"Computing OpenRank for {window} ...")
        progress = Progress(total=window.length, unit="months")
        openrank.run_openrank(graph, window, openrank.OpenRankParams(), progress)
        progress.finish()
        summary = openrank.correlation_summary(openrank.correlation_by_month(graph, window))
    say(
        f"OpenRank computed for {window}: Spearman correlation with OpenDigger's published values "
        f"{summary['mean']} on average, {summary['last12Mean']} over the last 12 months"
    )


def serve(settings: Settings, host: str, port: int) -> None:
    from nichegraph.web.cli import serve_app

    serve_app(settings, host, port, threads=8)
