"""Drawer niches on the whole snapshot (analysis/drawers.py) with the shared metadata file loaded.
The niches are computed in memory from the analysed window's network, not stored, and the metadata
is taken off the full server again afterwards (other tests must not depend on whether this ran)."""

from __future__ import annotations

import csv
from collections.abc import Iterator

import pytest

from nichegraph.analysis.hubs import HubEvidence
from nichegraph.analysis.metadata import metadata_index, read_metadata
from nichegraph.analysis.niches import NicheParams, NicheResult, detect_niches
from nichegraph.db import Graph
from tests.conftest import METADATA_FILE
from tests.support.github_server import metadata_loaded
from tests.support.niche_fixtures import Analysed


@pytest.fixture(scope="module")
def with_metadata(full_settings, analysed: Analysed) -> Iterator[NicheResult]:  # type: ignore[no-untyped-def]
    """The analysed window's niches found again with the metadata file's descriptions and topics,
    drawers split and nothing else (the kind niches and placed projects of round 8 off: they are
    tested in test_niches_kinds_full.py)."""
    with Graph(full_settings) as graph, metadata_loaded(graph, METADATA_FILE):
        network = analysed.niches.network
        index = metadata_index(read_metadata(graph).values(), network.repos)
        yield detect_niches(network, DRAWERS_ONLY, hubs=hubs_of(analysed), metadata=index)


DRAWERS_ONLY = NicheParams(kind_min_size=0, place_similarity=0.0)


def hubs_of(analysed: Analysed) -> dict[int, HubEvidence]:
    index = analysed.niches.network.activity.index()
    return {index[repo]: evidence for repo, evidence in analysed.niches.hubs.items()}


def file_languages() -> dict[str, str]:
    """Each repository's primary language, read straight from the metadata file."""
    with METADATA_FILE.open(encoding="utf-8") as handle:
        return {row["repo"]: row["language"] for row in csv.DictReader(handle) if row["language"]}


def groups(result: NicheResult) -> list[frozenset[str]]:
    return [frozenset(member.repo for member in niche.members) for niche in result.niches]


def test_php_web_projects_and_rust_projects_no_longer_share_a_drawer(
    with_metadata: NicheResult, analysed: Analysed
) -> None:
    # Web frameworks and shops written in PHP and the projects written in Rust (a compiler, a game
    # engine, an editor, an emulator) do different jobs; without metadata one drawer holds both
    language = file_languages()
    php = {repo for repo, lang in language.items() if lang == "PHP"}
    rust = {repo for repo, lang in language.items() if lang == "Rust"}

    def mixed(result: NicheResult) -> list[frozenset[str]]:
        return [group for group in groups(result) if len(group & php) >= 2 and len(group & rust) >= 2]

    assert mixed(analysed.niches)
    assert mixed(with_metadata) == []


def test_only_drawers_change_and_each_says_why(with_metadata: NicheResult, analysed: Analysed) -> None:
    before = groups(analysed.niches)
    split = [niche for niche in with_metadata.niches if niche.split_reason]
    kept = [niche for niche in with_metadata.niches if not niche.split_reason]
    assert split and with_metadata.drawers
    # a niche that was no drawer is exactly as it was without metadata (the pytorch niche among them)
    assert all(frozenset(m.repo for m in niche.members) in before for niche in kept)
    assert any(niche.members[0].repo == "pytorch/pytorch" for niche in kept)
    # every part of a drawer lies inside one niche found without metadata
    for niche in split:
        members = {m.repo for m in niche.members}
        assert any(members <= group for group in before)
        assert niche.split_reason.startswith(("split from a drawer of ", "split from a niche of "))
    params = NicheParams()
    for drawer in with_metadata.drawers:
        assert drawer.modularity >= params.drawer_modularity
        if drawer.purposeless:
            assert drawer.coherence < params.drawer_coherence
        else:
            assert drawer.within is not None and drawer.within >= params.drawer_gain * drawer.coherence
    # projects are only ever moved between niches or left alone with the drawer named
    assert set(with_metadata.membership()) | set(with_metadata.unassigned) == set(analysed.niches.membership()) | set(
        analysed.niches.unassigned
    )
    for repo, reason in with_metadata.unassigned.items():
        assert repo in analysed.niches.unassigned or reason.startswith("alone in its part of a niche")
    # smaller niches: the largest is smaller than the largest drawer was
    assert max(n.size for n in with_metadata.niches) < max(drawer.members for drawer in with_metadata.drawers)


def test_without_metadata_the_niches_are_those_of_the_graph_alone(analysed: Analysed) -> None:
    network = analysed.niches.network
    nothing = detect_niches(network, NicheParams(), hubs=hubs_of(analysed), metadata=metadata_index([], network.repos))
    assert groups(nothing) == groups(analysed.niches)
    assert nothing.drawers == [] and nothing.described == 0
