"""Drawer niches (analysis/drawers.py) on hand-made graphs and metadata: how alike members describe
themselves against random projects, when a niche's own links fall apart, how a split renumbers the
groups, and that nothing is split without metadata."""

from __future__ import annotations

import math

import igraph as ig
import pytest

from nichegraph.analysis.drawers import DrawerSplit, coherence, random_similarity, split_drawers
from nichegraph.analysis.metadata import RepoMetadata, metadata_index
from nichegraph.analysis.niches import (
    NicheParams,
    consensus_partition,
    detect_niches,
    niche_rows,
    run_properties,
    too_small_reason,
)
from nichegraph.errors import BadParameter
from tests.support.hand_networks import EVERY_LINK, network_of

A = ["a/one", "a/two", "a/three"]
B = ["b/one", "b/two", "b/three"]
OUTSIDE = ["x/one", "x/two", "x/three"]
NAMES = A + B + OUTSIDE
THRESHOLDS = (2.0, 0.3)


def described(words_by_group: dict[tuple[str, ...], str]) -> list[RepoMetadata]:
    return [RepoMetadata(repo, words) for repos, words in words_by_group.items() for repo in repos]


# Three groups of three projects, each group describing itself in the same two words: every term is
# in 3 of the 9 documents (idf log 3), so two projects of one group have cosine 1, of two groups 0.
THREE_PURPOSES = metadata_index(
    described({tuple(A): "game engine", tuple(B): "database sql", tuple(OUTSIDE): "compiler toolchain"})
)
# A and B describe one purpose; the outsiders each a purpose of their own
ONE_PURPOSE = metadata_index(
    described({tuple(A + B): "game engine", ("x/one",): "database", ("x/two",): "compiler", ("x/three",): "browser"})
)


def two_triangles(bridge: float = 0.1) -> ig.Graph:
    """Vertices 0-2 (A) and 3-5 (B) as two triangles of weight 1, a1-b1 bridged; 6-8 (outside) alone."""
    edges = [(0, 1), (0, 2), (1, 2), (3, 4), (3, 5), (4, 5), (0, 3)]
    graph = ig.Graph(n=len(NAMES), edges=edges)
    graph.es["weight"] = [1.0] * 6 + [bridge]
    return graph


def test_coherence_is_the_members_mean_similarity_over_random_pairs() -> None:
    # 36 pairs among the 9 described projects, 9 of them inside a group (cosine 1): 0.25
    assert random_similarity(THREE_PURPOSES) == pytest.approx(9 / 36)
    # A + B: 15 pairs, 6 inside a group: 0.4, i.e. 1.6 times random
    assert coherence(THREE_PURPOSES, A + B, 9 / 36) == pytest.approx((6 / 15) / (9 / 36))
    # with one purpose for A + B: 15 of the 36 pairs alike; the six are 1 / (15/36) = 2.4 times random
    assert coherence(ONE_PURPOSE, A + B, random_similarity(ONE_PURPOSE) or 0.0) == pytest.approx(36 / 15)


def test_coherence_needs_three_described_members() -> None:
    index = metadata_index(described({("a/one", "a/two"): "game engine", ("x/one",): "database"}))
    assert coherence(index, ["a/one", "a/two", "b/one"], 0.5) is None  # b/one has no metadata
    assert coherence(index, ["a/one", "a/two", "x/one"], 1 / 3) == pytest.approx(1.0)


def test_a_drawer_is_split_along_its_own_links() -> None:
    membership = [0] * 6 + [1, 1, 1]  # A and B put together; the outsiders another group
    params = NicheParams(runs=4)
    split, evidence = split_drawers(
        two_triangles(), membership, NAMES, THREE_PURPOSES, THRESHOLDS, lambda own: consensus_partition(own, params)
    )
    # A keeps the drawer's number, B gets the next free one; the outsiders (not linked) stay as they are
    assert split == [0, 0, 0, 2, 2, 2, 1, 1, 1]
    # plain modularity of the two triangles: m = 6.1, each side 3 inside and 6.1 of degree:
    # 2 * (3 / 6.1 - (6.1 / 12.2)^2)
    modularity = 2 * (3 / 6.1 - 0.25)
    assert evidence[0] == evidence[2] == DrawerSplit(6, pytest.approx(1.6), 6, pytest.approx(modularity), 2)
    assert 1 not in evidence
    assert evidence[0].reason == (
        "split from a drawer of 6 projects: its 6 described members are 1.60x as alike as random projects "
        "(no shared purpose) and its own links fall into 2 groups (modularity 0.48)"
    )


def test_a_niche_with_a_purpose_is_not_split() -> None:
    membership = [0] * 6 + [1, 1, 1]
    split, evidence = split_drawers(
        two_triangles(), membership, NAMES, ONE_PURPOSE, THRESHOLDS, lambda own: [0, 0, 0, 1, 1, 1]
    )
    assert split == membership and evidence == {}


def test_a_niche_whose_links_hold_together_is_not_split() -> None:
    # the same drawer metadata, but the partition of its own links is weak: a bridge of 3.0 between
    # the triangles gives m = 9, each side 3 inside and 9 of degree: 2 * (3/9 - 1/4) = 0.17 < 0.3
    membership = [0] * 6 + [1, 1, 1]
    split, evidence = split_drawers(
        two_triangles(bridge=3.0), membership, NAMES, THREE_PURPOSES, THRESHOLDS, lambda own: [0, 0, 0, 1, 1, 1]
    )
    assert split == membership and evidence == {}
    # ... and a partition that keeps it whole splits nothing
    whole = split_drawers(two_triangles(), membership, NAMES, THREE_PURPOSES, THRESHOLDS, lambda own: [0] * 6)
    assert whole == (membership, {})


def test_without_metadata_nothing_is_split() -> None:
    membership = [0] * 6 + [1, 1, 1]
    empty = metadata_index([])
    assert random_similarity(empty) is None
    assert split_drawers(two_triangles(), membership, NAMES, empty, THRESHOLDS, lambda own: [0, 0, 0, 1, 1, 1]) == (
        membership,
        {},
    )


def test_detect_niches_with_and_without_metadata() -> None:
    # two cliques of four joined by a bridge are two niches already: no drawer to split, and the
    # result is the same with metadata, without, and with the check turned off
    left, right = ["left/a", "left/b", "left/c", "left/d"], ["right/a", "right/b", "right/c", "right/d"]
    work = {f"{a}~{b}": {a: 1.0, b: 1.0} for group in (left, right) for a in group for b in group if a < b}
    work["bridge"] = {"left/a": 0.1, "right/a": 0.1}
    index = metadata_index(described({tuple(left): "game engine", tuple(right): "database"}))
    groups = [
        [sorted(m.repo for m in niche.members) for niche in result.niches]
        for result in (
            detect_niches(network_of(work, EVERY_LINK), NicheParams(runs=4)),
            detect_niches(network_of(work, EVERY_LINK), NicheParams(runs=4), metadata=index),
            detect_niches(network_of(work, EVERY_LINK), NicheParams(runs=4, drawer_coherence=0.0), metadata=index),
        )
    ]
    assert groups[0] == groups[1] == groups[2] == [left, right]
    with_metadata = detect_niches(network_of(work, EVERY_LINK), NicheParams(runs=4), metadata=index)
    assert with_metadata.described == 8 and with_metadata.drawers == []
    assert all(niche.split_reason is None for niche in with_metadata.niches)
    # what is stored says whether the check could read metadata and what it split
    run = run_properties(with_metadata)
    assert (run["describedProjects"], run["drawers"], run["drawerReasons"]) == (8, 0, [])
    assert (run["drawerCoherence"], run["drawerModularity"]) == (2.0, 0.3)
    niches, _members = niche_rows(with_metadata)
    assert [row["props"]["splitReason"] for row in niches] == [None, None]


def test_a_project_left_alone_by_a_split_says_so() -> None:
    split = DrawerSplit(9, 1.2, 8, 0.5, 3)
    assert too_small_reason(NicheParams(), split) == f"alone in its part of a drawer that was split ({split.reason})"
    assert too_small_reason(NicheParams(runs=5), None).startswith("no stable group")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (NicheParams(drawer_coherence=-1.0), "--drawer-coherence"),
        (NicheParams(drawer_modularity=1.5), "--drawer-modularity"),
    ],
)
def test_bad_drawer_parameters_are_refused(params: NicheParams, message: str) -> None:
    with pytest.raises(BadParameter, match=message):
        params.check()


def test_the_hand_figures() -> None:
    # the idf weights cancel in a cosine of two identical documents: a check of the premise above
    a, b = THREE_PURPOSES.vectors["a/one"], THREE_PURPOSES.vectors["a/two"]
    assert a == b and sum(w * w for w in a.values()) == pytest.approx(1.0)
    assert math.isclose(THREE_PURPOSES.similarity("a/one", "b/one") or 0.0, 0.0)
