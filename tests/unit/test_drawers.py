"""Drawer niches (analysis/drawers.py) on hand-made graphs and metadata: how alike members describe
themselves against random projects, when a niche's own links fall apart, when its parts do sharper
jobs than the whole, how a split renumbers the groups, and that nothing is split without metadata."""

from __future__ import annotations

import math

import igraph as ig
import pytest

from nichegraph.analysis.drawers import (
    MIN_MEMBERS,
    DrawerSplit,
    Thresholds,
    coherence,
    mean_similarity,
    random_similarity,
    split_drawers,
)
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

A = ["a/1", "a/2", "a/3", "a/4"]
B = ["b/1", "b/2", "b/3", "b/4"]
OUTSIDE = ["x/1", "x/2", "x/3", "x/4"]
NAMES = A + B + OUTSIDE
THRESHOLDS = Thresholds(max_coherence=2.0, min_modularity=0.3, min_gain=1.5)
SPLIT_AB = [0, 0, 0, 0, 1, 1, 1, 1]  # a partition of A + B's own links: the two cliques
DRAWER = [0] * 8 + [1] * 4  # A and B put together, the outsiders another group


def described(words_by_group: dict[tuple[str, ...], str]) -> list[RepoMetadata]:
    return [RepoMetadata(repo, words) for repos, words in words_by_group.items() for repo in repos]


# A, B and the outsiders each describe themselves in two words of their own: two projects of one
# group have cosine 1, of two groups 0. 18 of the 66 pairs of the 12 projects are alike.
THREE_PURPOSES = metadata_index(
    described({tuple(A): "game engine", tuple(B): "database sql", tuple(OUTSIDE): "compiler toolchain"})
)
# A and B describe one purpose (28 alike pairs of 66); each outsider a purpose of its own
ONE_PURPOSE = metadata_index(
    described({tuple(A + B): "game engine", **{(repo,): f"word{i}" for i, repo in enumerate(OUTSIDE)}})
)
# A and B share "game" (in 8 of 12 documents, idf ln 1.5) but not "engine" / "database" (ln 3)
TWO_JOBS = metadata_index(
    described({tuple(A): "game engine", tuple(B): "game database", **{(r,): f"word{i}" for i, r in enumerate(OUTSIDE)}})
)


def two_cliques(bridge: float = 0.1) -> ig.Graph:
    """Vertices 0-3 (A) and 4-7 (B) as two cliques of weight 1, a/1-b/1 bridged; 8-11 alone."""
    edges = [(i, j) for group in (range(4), range(4, 8)) for i in group for j in group if i < j]
    graph = ig.Graph(n=len(NAMES), edges=[*edges, (0, 4)])
    graph.es["weight"] = [1.0] * len(edges) + [bridge]
    return graph


# plain modularity of the two cliques: m = 12.1, each side 6 inside and 12.1 of degree
CLIQUES_MODULARITY = 2 * (6 / 12.1 - 0.25)


def test_mean_similarity_over_pairs_by_the_sum_of_vectors() -> None:
    # 18 alike pairs of 66; A + B: 12 alike pairs of 28
    assert random_similarity(THREE_PURPOSES) == pytest.approx(18 / 66)
    assert mean_similarity(THREE_PURPOSES, A + B) == (pytest.approx(12 / 28), 8)
    # the same figure pair by pair
    pairs = [(a, b) for i, a in enumerate(A + B) for b in (A + B)[i + 1 :]]
    by_pairs = sum(THREE_PURPOSES.similarity(a, b) or 0.0 for a, b in pairs) / len(pairs)
    assert mean_similarity(THREE_PURPOSES, A + B)[0] == pytest.approx(by_pairs)
    assert mean_similarity(THREE_PURPOSES, ["a/1", "nobody/here"]) == (None, 1)


def test_coherence_is_the_members_mean_similarity_over_random_pairs() -> None:
    assert coherence(THREE_PURPOSES, A + B, 18 / 66) == pytest.approx((12 / 28) / (18 / 66))  # 1.57
    assert coherence(ONE_PURPOSE, A + B, random_similarity(ONE_PURPOSE) or 0.0) == pytest.approx(66 / 28)  # 2.36
    # fewer than three described members say nothing
    assert coherence(THREE_PURPOSES, ["a/1", "a/2", "nobody/here"], 0.5) is None


def test_a_drawer_is_split_along_its_own_links() -> None:
    params = NicheParams(runs=4)
    split, evidence = split_drawers(
        two_cliques(), DRAWER, NAMES, THREE_PURPOSES, THRESHOLDS, lambda own: consensus_partition(own, params)
    )
    # A keeps the drawer's number, B gets the next free one; the outsiders (no links) stay as they are
    assert split == [0] * 4 + [2] * 4 + [1] * 4
    within = 1 / (18 / 66)  # inside each part every pair is alike
    coherent = pytest.approx(66 * 12 / (28 * 18))
    expected = DrawerSplit(8, coherent, 8, pytest.approx(CLIQUES_MODULARITY), 2, pytest.approx(within), True)
    assert evidence[0] == evidence[2] == expected
    assert 1 not in evidence
    assert evidence[0].reason == (
        "split from a drawer of 8 projects: its 8 described members are 1.57x as alike as random projects "
        "(no shared purpose) and its own links fall into 2 groups (modularity 0.49)"
    )


def test_a_niche_whose_parts_do_sharper_jobs_is_split() -> None:
    # "game engine" / "game database": across A and B the cosine is that of the shared "game",
    # (ln 1.5)^2 / ((ln 1.5)^2 + (ln 3)^2); the whole is 2.36x random (has a purpose), its parts
    # 2.01x as alike again (above the 1.5 asked)
    game, own = math.log(1.5) ** 2, math.log(3) ** 2
    across = game / (game + own)
    mean_ab = (12 + 16 * across) / 28
    base = (12 + 16 * across) / 66
    split, evidence = split_drawers(two_cliques(), DRAWER, NAMES, TWO_JOBS, THRESHOLDS, lambda own: SPLIT_AB)
    assert split == [0] * 4 + [2] * 4 + [1] * 4
    assert not evidence[0].purposeless
    assert evidence[0].coherence == pytest.approx(mean_ab / base) and evidence[0].coherence >= 2
    assert evidence[0].within == pytest.approx(1 / base)
    assert evidence[0].within / evidence[0].coherence == pytest.approx((1 / base) / (mean_ab / base))
    assert evidence[0].reason.startswith("split from a niche of 8 projects doing several jobs: ")
    # without the gain rule it stays whole
    kept = split_drawers(two_cliques(), DRAWER, NAMES, TWO_JOBS, Thresholds(2.0, 0.3, 0.0), lambda own: SPLIT_AB)
    assert kept == (DRAWER, {})


def test_a_niche_with_one_purpose_is_not_split() -> None:
    # 2.36x random as a whole, and its parts no sharper (gain 1.0)
    split, evidence = split_drawers(two_cliques(), DRAWER, NAMES, ONE_PURPOSE, THRESHOLDS, lambda own: SPLIT_AB)
    assert split == DRAWER and evidence == {}


def test_a_niche_whose_links_hold_together_is_not_split() -> None:
    # a bridge of 6.0 between the cliques: m = 18, each side 6 inside and 18 of degree:
    # 2 * (6/18 - 1/4) = 0.17 < 0.3
    split, evidence = split_drawers(
        two_cliques(bridge=6.0), DRAWER, NAMES, THREE_PURPOSES, THRESHOLDS, lambda own: SPLIT_AB
    )
    assert split == DRAWER and evidence == {}
    # ... and a partition that keeps it whole splits nothing
    whole = split_drawers(two_cliques(), DRAWER, NAMES, THREE_PURPOSES, THRESHOLDS, lambda own: [0] * 8)
    assert whole == (DRAWER, {})


def test_small_niches_are_not_checked() -> None:
    assert MIN_MEMBERS == 8
    seven = [0] * 7 + [1] * 5  # b/4 moved out: A + 3 of B is under the size checked
    split, evidence = split_drawers(two_cliques(), seven, NAMES, THREE_PURPOSES, THRESHOLDS, lambda own: [0] * 7)
    assert split == seven and evidence == {}


def test_without_metadata_nothing_is_split() -> None:
    empty = metadata_index([])
    assert random_similarity(empty) is None
    assert split_drawers(two_cliques(), DRAWER, NAMES, empty, THRESHOLDS, lambda own: SPLIT_AB) == (DRAWER, {})


def test_detect_niches_with_and_without_metadata() -> None:
    # two cliques of four joined by a bridge are two niches already: nothing to split, and the
    # result is the same with metadata, without, and with the check turned off
    work = {f"{a}~{b}": {a: 1.0, b: 1.0} for group in (A, B) for a in group for b in group if a < b}
    work["bridge"] = {"a/1": 0.1, "b/1": 0.1}
    groups = [
        [sorted(m.repo for m in niche.members) for niche in result.niches]
        for result in (
            detect_niches(network_of(work, EVERY_LINK), NicheParams(runs=4)),
            detect_niches(network_of(work, EVERY_LINK), NicheParams(runs=4), metadata=THREE_PURPOSES),
            detect_niches(
                network_of(work, EVERY_LINK), NicheParams(runs=4, drawer_coherence=0.0), metadata=THREE_PURPOSES
            ),
        )
    ]
    assert groups[0] == groups[1] == groups[2] == [A, B]
    with_metadata = detect_niches(network_of(work, EVERY_LINK), NicheParams(runs=4), metadata=THREE_PURPOSES)
    assert with_metadata.described == 8 and with_metadata.drawers == []
    assert all(niche.split_reason is None for niche in with_metadata.niches)
    # what is stored says whether the check could read metadata and what it split
    run = run_properties(with_metadata)
    assert (run["describedProjects"], run["drawers"], run["drawerReasons"]) == (8, 0, [])
    assert (run["drawerCoherence"], run["drawerModularity"], run["drawerGain"]) == (2.0, 0.3, 1.5)
    niches, _members = niche_rows(with_metadata)
    assert [row["props"]["splitReason"] for row in niches] == [None, None]


def test_a_project_left_alone_by_a_split_says_so() -> None:
    split = DrawerSplit(9, 1.2, 8, 0.5, 3)
    assert too_small_reason(NicheParams(), split) == f"alone in its part of a niche that was split ({split.reason})"
    assert too_small_reason(NicheParams(runs=5), None).startswith("no stable group")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (NicheParams(drawer_coherence=-1.0), "--drawer-coherence"),
        (NicheParams(drawer_modularity=1.5), "--drawer-modularity"),
        (NicheParams(drawer_gain=-0.5), "--drawer-gain"),
    ],
)
def test_bad_drawer_parameters_are_refused(params: NicheParams, message: str) -> None:
    with pytest.raises(BadParameter, match=message):
        params.check()


def test_the_hand_figures() -> None:
    # the idf weights cancel in a cosine of two identical documents: a check of the premise above
    a, b = THREE_PURPOSES.vectors["a/1"], THREE_PURPOSES.vectors["a/2"]
    assert a == b and sum(w * w for w in a.values()) == pytest.approx(1.0)
    assert math.isclose(THREE_PURPOSES.similarity("a/1", "b/1") or 0.0, 0.0)
    game, own = math.log(1.5) ** 2, math.log(3) ** 2
    assert TWO_JOBS.similarity("a/1", "b/1") == pytest.approx(game / (game + own))
