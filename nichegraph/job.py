"""The main job's steps (`nichegraph run`), each delegated to the room that owns it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from nichegraph import localdb
from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import BadParameter, NichegraphError
from nichegraph.writelock import writer_lock

Say = Callable[[str], None]


def ensure_database(settings: Settings, say: Say) -> None:
    """Use the server at NEO4J_URI if it answers; otherwise start the local one."""
    with Graph(settings) as graph:
        if graph.ping():
            say(f"Using Neo4j at {settings.neo4j_uri}")
            return
    state = localdb.start(localdb.LocalServer.from_settings(settings), say=say)
    say(state.describe())


@contextmanager
def writing(settings: Settings, nothing_to_write: bool, wait: bool) -> Iterator[None]:
    """The writer lock for the loading and analysing steps (the steps inside take it again,
    which costs nothing in the same process), so no other writer runs in between."""
    if nothing_to_write:
        yield
        return
    with Graph(settings) as graph, writer_lock(graph, "nichegraph run", wait=wait):
        yield


def load(settings: Settings, source: str, landscape_dir: Path | None, say: Say) -> None:
    """Load the source: the packaged sample ('sample'), a folder, or a web service (for which,
    without a landscape folder, the report's shipped project lists are the labels)."""
    from nichegraph.loader.cli import REPORT_LISTS, load_landscape_files, run_load
    from nichegraph.loader.sample import SAMPLE, load_sample

    if source == SAMPLE:
        load_sample(settings, say)
    else:
        summary = run_load(settings, source)
        say(summary.describe())
        if not summary.loaded and not summary.unchanged:
            raise NichegraphError("nothing could be loaded; see the messages above")
    if landscape_dir is not None:
        files = sorted(landscape_dir.glob("*.csv")) if landscape_dir.is_dir() else []
        if not files:
            raise BadParameter(f"--landscape: {landscape_dir} holds no .csv files")
    elif source.startswith(("http://", "https://")):
        files = REPORT_LISTS
    else:
        return
    for result in load_landscape_files(settings, files):
        say(result.describe())


def load_metadata(settings: Settings, metadata_file: Path | None, say: Say, online: bool = False) -> None:
    """GitHub metadata onto the loaded repositories, before the analysis reads it: from a file;
    else, when `online` and GITHUB_TOKEN is set, from GitHub's REST API; else nothing, saying how."""
    if metadata_file is None:
        if online and settings.github_token:
            load_metadata_online(settings, say)
        elif online:
            say_stored_metadata(settings, say)
        return
    if not metadata_file.is_file():  # from NICHEGRAPH_GITHUB_METADATA (click checks the flag's file)
        raise BadParameter(f"--github-metadata (NICHEGRAPH_GITHUB_METADATA): {metadata_file} is not a file")
    from nichegraph.loader.github import load_metadata_file

    with Graph(settings) as graph:
        summary = load_metadata_file(graph, metadata_file)
    say(summary.describe())
    if not summary.ok:
        raise NichegraphError(f"--github-metadata: {metadata_file} was not loaded; see the messages above")


def say_stored_metadata(settings: Settings, say: Say) -> None:
    from nichegraph.loader.github import described_repos

    with Graph(settings) as graph:
        described = described_repos(graph)
    if described:
        say(
            f"GitHub metadata stored earlier on {described} repositories is read "
            "(`nichegraph load github` refreshes it)"
        )
    else:
        say(
            "no GitHub metadata: niches and relations read the graph alone (give --github-metadata FILE, "
            "or set GITHUB_TOKEN to fetch it from GitHub's API)"
        )


# the main job waits at most this long for GitHub's rate limit, then analyses with what it has
RUN_RATE_LIMIT_WAIT = 60.0


def load_metadata_online(settings: Settings, say: Say) -> None:
    """Every loaded repository's metadata from the API (cached; 304s cost no rate limit). Metadata
    is evidence, not data: a partial answer is analysed with what came, but nothing at all (a
    revoked token, an unreachable API) stops the run before the analysis, saying what to do."""
    from nichegraph.loader.github import ApiOptions, load_metadata_api
    from nichegraph.progress import Progress

    say(f"fetching GitHub metadata of the loaded repositories from {settings.github_api} (GITHUB_TOKEN) ...")
    with Graph(settings) as graph:
        summary = load_metadata_api(graph, settings, None, Progress(total=None), ApiOptions(RUN_RATE_LIMIT_WAIT))
    say(summary.describe())
    if summary.requested and not summary.stored and not summary.not_found:
        raise NichegraphError(
            f"GitHub metadata: nothing could be fetched from {settings.github_api} with GITHUB_TOKEN (see above); "
            "fix the token, give --github-metadata FILE, or unset GITHUB_TOKEN to analyse without metadata"
        )
    if not summary.ok:
        say("continuing with the metadata stored; run `nichegraph load github` later for the rest")


def analyse(settings: Settings, say: Say) -> None:
    """Niches and relations of the default window (the last 12 months), then OpenRank; then the
    niches and relations of every loaded network."""
    from nichegraph.analysis.networks import analyse_networks
    from nichegraph.analysis.pipeline import analyse as analyse_graph

    with Graph(settings) as graph:
        analyse_graph(graph, say)
        analyse_networks(graph, say)


def serve(settings: Settings, host: str, port: int) -> None:
    from nichegraph.web.cli import serve_app

    serve_app(settings, host, port, threads=8)
