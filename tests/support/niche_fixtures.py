"""Shared pieces of the niche tests: the analysed window (the `analysed` fixture in
tests/conftest.py computes it once per session), and the pairs judged by hand."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from nichegraph.analysis.niches import NicheResult
from nichegraph.analysis.relations import RelationResult

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


def judged_pairs() -> list[dict[str, str]]:
    """Pairs whose relation we judged by hand (docs/niches.md, "What we checked")."""
    with JUDGED.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
