"""Shared setup for the niche tests: the landscape labels and one analysed window of the full
snapshot, computed once per session by the same code the commands run."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

from nichegraph.analysis.network import NetworkParams
from nichegraph.analysis.niches import NicheParams, NicheResult
from nichegraph.analysis.pipeline import compute_niches, compute_relations
from nichegraph.analysis.relations import RelationResult, relation_logins, write_relations
from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.loader.labels import load_label_set
from nichegraph.loader.landscape import read_landscape, write_landscape
from nichegraph.progress import Progress
from tests.conftest import LANDSCAPE

WINDOW = "2022-04:2023-03"
JUDGED = Path(__file__).with_name("judged_pairs.csv")
BEGINNER_REPOS = [
    "firstcontributions/first-contributions",
    "education/GitHubGraduation-2022",
    "zero-to-mastery/start-here-guidelines",
    "jlord/patchwork",
]


@dataclass
class Analysed:
    window: str
    niches: NicheResult
    relations: RelationResult


def quiet() -> Progress:
    return Progress(total=None, quiet=True)


@pytest.fixture(scope="session", name="analysed")
def analysed_fixture(full_settings: Settings) -> Analysed:
    """Landscape labels and the judged pairs (as label set `judged_pairs`) loaded, niches and
    relations of WINDOW computed and stored."""
    with Graph(full_settings) as graph:
        for path in sorted(LANDSCAPE.glob("*.csv")):
            assert write_landscape(graph, read_landscape(path)).ok
        load_label_set(graph, JUDGED)
        niches = compute_niches(graph, WINDOW, NetworkParams(), NicheParams(), quiet())
        relations = compute_relations(graph, WINDOW, quiet())
        write_relations(graph, relations, relation_logins(graph, relations))
    return Analysed(WINDOW, niches, relations)


def judged_pairs() -> list[dict[str, str]]:
    """Pairs whose relation we judged by hand (docs/niches.md, "What we checked")."""
    with JUDGED.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
