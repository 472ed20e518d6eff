"""Niches of one declared kind and placed projects (analysis/kinds.py) on the whole snapshot with the
shared metadata file loaded. The niches are computed in memory from the analysed window's network,
with the round-8 passes and without them (drawers only), and the expected outcome is read from the
metadata file itself: which projects call themselves a programming language, which repositories are
named as documentation, which projects are written in PHP or tagged as game engines."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from nichegraph.analysis.metadata import metadata_index, read_metadata
from nichegraph.analysis.niches import Niche, NicheParams, NicheResult, detect_niches
from nichegraph.db import Graph
from tests.conftest import METADATA_FILE
from tests.support.github_server import metadata_loaded
from tests.support.niche_fixtures import Analysed
from tests.test_niches_drawers_full import DRAWERS_ONLY, hubs_of


@dataclass
class Both:
    drawers_only: NicheResult
    kinds: NicheResult


@pytest.fixture(scope="module")
def both(full_settings, analysed: Analysed) -> Iterator[Both]:  # type: ignore[no-untyped-def]
    with Graph(full_settings) as graph, metadata_loaded(graph, METADATA_FILE):
        network = analysed.niches.network
        index = metadata_index(read_metadata(graph).values(), network.repos)
        hubs = hubs_of(analysed)
        yield Both(
            detect_niches(network, DRAWERS_ONLY, hubs=hubs, metadata=index),
            detect_niches(network, NicheParams(), hubs=hubs, metadata=index),
        )


def file_rows() -> dict[str, dict[str, str]]:
    with METADATA_FILE.open(encoding="utf-8") as handle:
        return {row["repo"]: row for row in csv.DictReader(handle)}


def niche_of(result: NicheResult, repo: str) -> Niche | None:
    return next((niche for niche in result.niches if any(m.repo == repo for m in niche.members)), None)


def members(niche: Niche | None) -> set[str]:
    return {m.repo for m in niche.members} if niche else set()


def says_language(row: dict[str, str]) -> bool:
    """A language by the file's words: the phrase, the topic, or an implementation of one."""
    words = set(re.findall(r"[a-z]+", row["description"].lower()))
    return (
        "programming language" in row["description"].lower()
        or "language" in row["topics"].split("|")
        or bool(words & {"compiler", "interpreter", "runtime"})
    )


def test_the_projects_that_call_themselves_a_programming_language_share_a_niche_of_their_kind(both: Both) -> None:
    rows = file_rows()
    # by the phrase or the topic alone: go, cpython, julia, swift, zig, rust, TypeScript
    languages = {
        repo
        for repo, row in rows.items()
        if "programming language" in row["description"].lower() or "language" in row["topics"].split("|")
    }
    assert {"golang/go", "python/cpython", "rust-lang/rust", "ziglang/zig"} <= languages
    # without the pass each sits with its ecosystem: in at least five niches
    assert len({niche_of(both.drawers_only, repo).id for repo in languages}) >= 5  # type: ignore[union-attr]
    # with it, one niche, which says why, and each of its members says it is a language in the file
    niche = niche_of(both.kinds, "golang/go")
    assert niche is not None and languages <= members(niche)
    assert niche.kind_reason is not None and niche.kind_reason.startswith("a niche of one kind (programming language)")
    assert niche.label.startswith("programming language: ")
    assert all(says_language(rows[repo]) for repo in members(niche))


def test_documentation_repositories_by_their_names_share_a_niche(both: Both) -> None:
    # the projects in a niche with "docs" as a word of their name: dotnet/docs, github/docs,
    # openshift-docs, AspNetCore.Docs, cloudflare-docs, the Microsoft 365 and Graph docs, ...
    docs = {
        repo
        for niche in both.drawers_only.niches
        for repo in members(niche)
        if "docs" in re.split(r"[-._]", repo.lower().split("/")[1])
    }
    homes = {niche_of(both.drawers_only, repo).id for repo in docs}  # type: ignore[union-attr]
    assert len(docs) >= 5 and len(homes) >= 4  # each beside the project it documents
    reason = "a niche of one kind (documentation)"
    gathered = [niche for niche in both.kinds.niches if (niche.kind_reason or "").startswith(reason)]
    assert len(gathered) == 1
    assert len(members(gathered[0]) & docs) >= 5


def test_an_unassigned_project_is_placed_only_beside_projects_doing_its_kind_of_job(both: Both) -> None:
    rows = file_rows()
    php = {repo for repo, row in rows.items() if row["language"] == "PHP"}
    engines = {repo for repo, row in rows.items() if "game-engine" in row["topics"].split("|")}
    # magento, a PHP shop, and o3de, a game engine, have no link passing the filters
    assert {"magento/magento2", "o3de/o3de"} <= set(both.drawers_only.unassigned)
    assert len(members(niche_of(both.kinds, "magento/magento2")) & php) >= 3  # itself and two PHP projects
    assert len(members(niche_of(both.kinds, "o3de/o3de")) & engines) >= 2  # itself and another engine
    # every placed project was unassigned, keeps its reason, and is the only kind of member added
    assert both.kinds.placed
    for repo, placement in both.kinds.placed.items():
        assert repo in both.drawers_only.unassigned
        assert placement.similarity >= NicheParams().place_similarity
        member = next(m for m in niche_of(both.kinds, repo).members if m.repo == repo)  # type: ignore[union-attr]
        assert member.placed == placement.reason
    # the rest of the unassigned stay unassigned, with their reasons
    for repo, reason in both.kinds.unassigned.items():
        assert both.drawers_only.unassigned.get(repo) == reason or reason.startswith("alone in its niche once")


def test_projects_only_move_to_a_niche_of_their_kind_or_are_placed(both: Both) -> None:
    before = [members(niche) for niche in both.drawers_only.niches]
    for niche in both.kinds.niches:
        if niche.kind_reason is None:
            own = members(niche) - set(both.kinds.placed)
            assert any(own <= group for group in before)
    assert set(both.kinds.membership()) | set(both.kinds.unassigned) == set(both.drawers_only.membership()) | set(
        both.drawers_only.unassigned
    )
    assert max(niche.size for niche in both.kinds.niches) <= 40
    assert both.drawers_only.kinds == [] and both.drawers_only.placed == {}
