"""The landscape report's data on the scratch server, for the network, landscape and web tests:
one top-300 project with developer data (mlflow/mlflow), the report's 2025-05 network, its
classification, the LLM landscape 2025-09 and the OpenRank series, with niches and relations
computed on the network by the same code the commands run. Loaded once per module that asks
(and again only when another module wiped the scratch server)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from nichegraph.analysis.networks import RESOLUTION, compute_network_niches, compute_network_relations
from nichegraph.analysis.niches import NicheParams, NicheResult
from nichegraph.analysis.relations import RelationResult, write_relations
from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.loader.cli import load_landscape_files
from nichegraph.loader.networks import read_network_file, write_network
from nichegraph.progress import Progress
from tests.conftest import LANDSCAPE, load_folder, wipe

ANT = LANDSCAPE / "ant-2025"
REPORT_NETWORK = ANT / "graph_landscape_2025-05.json"
CLASSIFICATION = ANT / "landscape_2025-05.csv"
LLM_2025_09 = LANDSCAPE / "llm_landscape_2025-09.csv"
SERIES = sorted(ANT.glob("openrank_*.csv"))
NAME = "ant-2025"
WITH_DEVELOPERS = "mlflow/mlflow"


@dataclass
class LandscapeGraph:
    settings: Settings
    name: str
    niches: NicheResult | None
    relations: RelationResult | None


def loaded(graph: Graph) -> bool:
    rows = graph.read(
        "MATCH (run:NicheRun {window: $scope}) WHERE run.relationsComputedAt IS NOT NULL "
        "RETURN count(run) AS runs, COUNT { (:Repo {name: $repo})<-[:CONTRIBUTED]-() } > 0 AS developers",
        scope=f"network:{NAME}",
        repo=WITH_DEVELOPERS,
    )
    return bool(rows and rows[0]["runs"] and rows[0]["developers"])


def load_report(settings: Settings) -> LandscapeGraph:
    """Wipe the scratch server and load the report's data; niches and relations on the network."""
    quiet = Progress(total=None, quiet=True)
    with Graph(settings) as graph:
        if loaded(graph):
            return LandscapeGraph(settings, NAME, None, None)
        wipe(graph)
        assert load_folder(graph, [WITH_DEVELOPERS]).ok
        write_network(graph, read_network_file(REPORT_NETWORK, NAME))
    assert all(result.ok for result in load_landscape_files(settings, [CLASSIFICATION, LLM_2025_09, *SERIES]))
    with Graph(settings) as graph:
        niches = compute_network_niches(graph, NAME, NicheParams(resolution=RESOLUTION), quiet)
        relations = compute_network_relations(graph, NAME, quiet)
        write_relations(graph, relations, {})
    return LandscapeGraph(settings, NAME, niches, relations)


@pytest.fixture(scope="module", name="report_graph")
def report_graph_fixture(scratch_settings: Settings) -> LandscapeGraph:
    return load_report(scratch_settings)
