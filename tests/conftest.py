"""Fixtures: real Neo4j servers (tests/support/servers.py) and the real shared data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from nichegraph.config import PROJECT_ROOT, Settings
from nichegraph.db import Graph
from nichegraph.loader.pipeline import LoadOptions, LoadSummary, load_repos
from nichegraph.loader.sources import FolderSource
from nichegraph.progress import Progress
from tests.support import servers

SHARED_DATA = Path(os.environ.get("NICHEGRAPH_SHARED_DATA") or PROJECT_ROOT.parent / "shared" / "data")
TOP300 = SHARED_DATA / "opendigger-top300"
LANDSCAPE = SHARED_DATA / "landscape"

# 24 real repositories, about 45,000 monthly rows: small enough to wipe and reload in
# seconds, and between them they have every quirk of the real files: missing metric
# files, (developer, month) repeats inside a file, a series ending early, and the
# October 2021 "-raw" keys.
SMALL_REPOS = [
    "idsb3t1/KEEP-pipeline-tests-resources",
    "google-test/signclav2-probe-repo",
    "JacksonKearl/testissues",
    "element-fi/elf-council-frontend",
    "archway-network/testnets",
    "freddier/hyperblog",
    "helium/denylist",
    "ValveSoftware/Dota2-Gameplay",
    "microsoft/vscode-jupyter",
    "remix-run/remix",
    "nuxt/framework",
    "mui/mui-x",
    "lensapp/lens",
    "yt-dlp/yt-dlp",
    "files-community/Files",
    "apache/apisix",
    "flybywiresim/a32nx",
    "mlflow/mlflow",
    "vitejs/vite",
    "firebase/flutterfire",
    "Kaiserreich/Kaiserreich-4",
    "sveltejs/kit",
    "helix-editor/helix",
    "tailscale/tailscale",
]


def pytest_configure(config: pytest.Config) -> None:
    if not TOP300.is_dir():
        raise pytest.UsageError(f"the shared data is missing: {TOP300} (see ../shared/data/README.md)")


@pytest.fixture(scope="session")
def top300() -> FolderSource:
    return FolderSource(TOP300)


@pytest.fixture(scope="session")
def scratch_settings() -> Settings:
    return servers.ensure_started("scratch")


@pytest.fixture
def scratch(scratch_settings: Settings) -> Iterator[Graph]:
    """An empty database for one test (loader tests only load small sets of repos)."""
    with Graph(scratch_settings) as graph:
        wipe(graph)
        yield graph


def wipe(graph: Graph) -> None:
    graph.run_autocommit("MATCH ()-[c]->() CALL (c) { DELETE c } IN TRANSACTIONS OF 50000 ROWS")
    graph.run_autocommit("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 50000 ROWS")


def quiet_progress() -> Progress:
    return Progress(total=None, quiet=True)


def load_folder(graph: Graph, repos: list[str], **options: object) -> LoadSummary:
    return load_repos(graph, FolderSource(TOP300), repos, LoadOptions(**options), quiet_progress())  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def full_settings() -> Settings:
    """The whole top-300 snapshot, loaded through the real loader (a no-op when the
    server already holds it: unchanged months are skipped)."""
    settings = servers.ensure_started("full")
    with Graph(settings) as graph:
        summary = load_repos(
            graph, FolderSource(TOP300), FolderSource(TOP300).list_repos(), LoadOptions(), quiet_progress()
        )
    assert summary.ok, summary.describe()
    return settings


@pytest.fixture
def full_graph(full_settings: Settings) -> Iterator[Graph]:
    with Graph(full_settings) as graph:
        yield graph
