"""Fixtures shared by every test: the real shared data, and for the full tier real Neo4j
servers (tests/support/servers.py) with what the analyses leave in them.

The fast tier (tests/unit/) uses only the data paths: the server fixtures start a server
only when a test asks for them, and tests/unit/conftest.py refuses them there.

What full-tier tests may leave on the shared `full` server: the analysis of the default window
(`analysed`) and OpenRank over all the data (`openrank_computed`), each computed once per
session by whichever test asks first, so no test depends on the order the tests run in. A test
that analyses other windows removes them again (`other_windows`)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nichegraph.config import PROJECT_ROOT, Settings
from nichegraph.db import Graph
from nichegraph.loader.pipeline import LoadOptions, LoadSummary, load_repos
from nichegraph.loader.sources import FolderSource
from nichegraph.loader.summary import AUTO
from nichegraph.progress import Progress
from tests.support import servers
from tests.support.niche_fixtures import WINDOW, Analysed

SHARED_DATA = Path(os.environ.get("NICHEGRAPH_SHARED_DATA") or PROJECT_ROOT.parent / "shared" / "data")
TOP300 = SHARED_DATA / "opendigger-top300"
LANDSCAPE = SHARED_DATA / "landscape"
METADATA_FILE = SHARED_DATA / "github-metadata" / "repo_metadata.csv"
# The explorer's reads stop after NICHEGRAPH_QUERY_TIMEOUT (5 s by default). The tests share a
# busy machine with heavy fixtures, so their pages (and the servers they start) get a generous
# budget; tests/test_web_limits.py sets its own to check the timeout itself.
os.environ.setdefault("NICHEGRAPH_QUERY_TIMEOUT", "120")

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

# fixtures shared by the landscape tests (the report's network loaded into the scratch server)
pytest_plugins = ["tests.support.landscape_fixtures"]


def pytest_configure(config: pytest.Config) -> None:
    if not TOP300.is_dir():
        raise pytest.UsageError(f"the shared data is missing: {TOP300} (see ../shared/data/README.md)")
    # a developer's own token or API must never reach the tests: `run` would ask GitHub with it;
    # the tests that need one set their own, against a local server
    for name in ("GITHUB_TOKEN", "NICHEGRAPH_GITHUB_API", "NICHEGRAPH_GITHUB_METADATA"):
        os.environ.pop(name, None)


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
    """The whole top-300 snapshot, loaded through the real loader as `load opendigger` does
    (method auto): into a fresh server by the bulk path, a no-op when the server already holds
    it (unchanged months are skipped)."""
    settings = servers.ensure_started("full")
    with Graph(settings) as graph:
        summary = load_repos(
            graph,
            FolderSource(TOP300),
            FolderSource(TOP300).list_repos(),
            LoadOptions(method=AUTO),
            quiet_progress(),
        )
    assert summary.ok, summary.describe()
    return settings


@pytest.fixture
def full_graph(full_settings: Settings) -> Iterator[Graph]:
    with Graph(full_settings) as graph:
        yield graph


@pytest.fixture(scope="session")
def analysed(full_settings: Settings) -> Analysed:
    """Landscape labels and the judged pairs (as label set `judged_pairs`) loaded, niches and
    relations of the default window (WINDOW, the last 12 months of the snapshot) computed and
    stored, as `nichegraph run` leaves them."""
    from nichegraph.analysis.network import NetworkParams
    from nichegraph.analysis.niches import NicheParams
    from nichegraph.analysis.pipeline import compute_niches, compute_relations
    from nichegraph.analysis.relations import relation_logins, write_relations
    from nichegraph.loader.labels import load_label_set
    from nichegraph.loader.landscape import read_landscape, write_landscape
    from tests.support.niche_fixtures import JUDGED

    with Graph(full_settings) as graph:
        for path in sorted(LANDSCAPE.glob("*.csv")):
            assert write_landscape(graph, read_landscape(path)).ok
        load_label_set(graph, JUDGED)
        niches = compute_niches(graph, WINDOW, NetworkParams(), NicheParams(), quiet_progress())
        relations = compute_relations(graph, WINDOW, quiet_progress())
        write_relations(graph, relations, relation_logins(graph, relations))
    return Analysed(WINDOW, niches, relations)


@pytest.fixture(scope="session")
def openrank_computed(full_settings: Settings) -> dict[str, Any]:
    """`nichegraph openrank` over all the data of the full server: {window, seconds}."""
    from nichegraph.analysis.openrank.method import OpenRankParams
    from nichegraph.analysis.openrank.run import run_openrank
    from nichegraph.queries.windows import data_range, require_data

    with Graph(full_settings) as graph:
        graph.apply_schema()
        window = require_data(data_range(graph))
        run = run_openrank(graph, window, OpenRankParams())
    return {"window": window, "seconds": run.seconds}


REMOVE_WINDOW = """
CALL () { MATCH (:Repo)-[c:COLLABORATES {window: $window}]->(:Repo) DELETE c }
CALL () { MATCH (:Repo)-[x:UPSTREAM_OF|COMPETES_WITH|PEER_OF {window: $window}]->(:Repo) DELETE x }
CALL () { MATCH (n:Niche {window: $window}) DETACH DELETE n }
CALL () { MATCH (run:NicheRun {window: $window}) DELETE run }
CALL () { MATCH (w:RepoWindow {window: $window}) DETACH DELETE w }
"""


@pytest.fixture
def other_windows(full_graph: Graph, analysed: Analysed) -> Iterator[list[str]]:
    """Windows a test may analyse besides the default one: afterwards their results are removed
    and Browser's display labels (which follow the last analysed window) are those of the
    default window again, as the session fixture left them."""
    from nichegraph.analysis.display_labels import apply_display_labels
    from nichegraph.months import parse_window

    roles_before = repo_roles(full_graph)
    windows: list[str] = []
    yield windows
    for window in windows:
        assert window != analysed.window, "the default window's analysis is shared by the session"
        full_graph.write(REMOVE_WINDOW, window=window)
    apply_display_labels(full_graph, parse_window(analysed.window))
    restore_repo_roles(full_graph, roles_before)


REPO_ROLES = """
MATCH (r:Repo) WHERE any(key IN keys(r) WHERE key STARTS WITH 'role')
RETURN r.name AS repo, [key IN keys(r) WHERE key STARTS WITH 'role' | [key, r[key]]] AS pairs
"""
SET_REPO_PROPERTIES = "UNWIND $rows AS row MATCH (r:Repo {name: row.repo}) SET r += row.props"


def repo_roles(graph: Graph) -> dict[str, dict[str, Any]]:
    """Every repository's role properties (Repo.role follows the last window analysed)."""
    return {row["repo"]: dict(row["pairs"]) for row in graph.read(REPO_ROLES)}


def restore_repo_roles(graph: Graph, before: dict[str, dict[str, Any]]) -> None:
    """The role properties as `before` had them: others' set to null (removed)."""
    now = repo_roles(graph)
    keys = {key for props in [*before.values(), *now.values()] for key in props}
    rows = [
        {"repo": repo, "props": {key: before.get(repo, {}).get(key) for key in keys}}
        for repo in sorted(before.keys() | now.keys())
    ]
    graph.write(SET_REPO_PROPERTIES, rows=rows)
