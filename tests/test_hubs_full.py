"""Distribution hubs on the whole snapshot: which repositories are recognised, the evidence
recomputed independently (stars from the JSON files, visitors' homes in Cypher), and what the
role changes (no niche, no upstream, the niches no longer glued)."""

from __future__ import annotations

import json

from nichegraph.analysis.niches import stored_membership, stored_run
from nichegraph.db import Graph
from tests.conftest import TOP300
from tests.support.niche_fixtures import Analysed

PACKAGING = {
    "Homebrew/homebrew-core",
    "NixOS/nixpkgs",
    "microsoft/winget-pkgs",
    "microsoft/vcpkg",
    "gentoo/gentoo",
    "void-linux/void-packages",
    "macports/macports-ports",
    "flathub/flathub",
    "spack/spack",
    "conda-forge/staged-recipes",
    "DefinitelyTyped/DefinitelyTyped",
}
FOUNDATIONS = {"pytorch/pytorch", "python/cpython", "kubernetes/kubernetes", "rust-lang/rust", "llvm/llvm-project"}

# each developer of the repository (bots left out) and the project holding most of their window activity
HOMES = """
MATCH (d:Developer)-[c:CONTRIBUTED]->(:Repo {name: $repo})
WHERE $first <= c.month <= $last AND NOT d.isBot
WITH DISTINCT d
MATCH (d)-[c:CONTRIBUTED]->(r:Repo) WHERE $first <= c.month <= $last
WITH d, r.name AS repo, sum(c.activity) AS activity ORDER BY activity DESC, repo
WITH d, collect(repo)[0] AS home
RETURN count(d) AS developers, [h IN collect(home) WHERE h <> $repo] AS homes
"""


def test_packaging_hubs_are_recognised_and_foundations_are_not(full_graph: Graph, analysed: Analysed) -> None:
    hubs = set(stored_run(full_graph, analysed.window)["hubs"])
    assert hubs >= PACKAGING
    assert not FOUNDATIONS & hubs
    roles = full_graph.read(
        "MATCH (r:Repo {role: 'hub', roleWindow: $w}) RETURN collect(r.name) AS names", w=analysed.window
    )[0]["names"]
    assert set(roles) == hubs
    assert not hubs & set(stored_membership(full_graph, analysed.window))


def test_homebrew_evidence_recomputed(full_graph: Graph, analysed: Analysed) -> None:
    repo = "Homebrew/homebrew-core"
    first, last = analysed.window.split(":")
    row = full_graph.read(HOMES, repo=repo, first=first, last=last)[0]
    stars_file = json.loads((TOP300 / "github" / repo / "stars.json").read_text())
    stars = sum(value for month, value in stars_file.items() if len(month) == 7 and first <= month <= last)
    evidence = analysed.niches.hubs[repo]
    assert evidence.developers == row["developers"] and evidence.visitors == len(row["homes"])
    assert evidence.stars == stars
    assert abs(evidence.stars_per_developer - stars / row["developers"]) < 1e-9
    counts: dict[str, int] = {}
    for home in row["homes"]:
        counts[home] = counts.get(home, 0) + 1
    simpson = 1 / sum((n / len(row["homes"])) ** 2 for n in counts.values())
    assert abs(evidence.origins - simpson) < 1e-9 and evidence.origins >= 12
    assert evidence.reason in stored_run(full_graph, analysed.window)["hubReasons"]


def test_no_niche_is_a_drawer(analysed: Analysed) -> None:
    """Packagers used to glue 64 desktop and systems projects into one niche; no niche is over
    40 projects now, and the ML frameworks keep their niche."""
    sizes = [niche.size for niche in analysed.niches.niches]
    assert max(sizes) <= 40
    membership = analysed.niches.membership()
    assert (
        membership["pytorch/pytorch"] == membership["tensorflow/tensorflow"] == membership["huggingface/transformers"]
    )
