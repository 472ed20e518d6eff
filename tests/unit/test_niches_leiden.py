"""Leiden with consensus on small hand-made networks (analysis/niches.py): two cliques joined
by a bridge, a pair too small to be a niche, projects that link to nothing, and the pieces of
the consensus worked out by hand."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from nichegraph.analysis.network import NetworkParams
from nichegraph.analysis.niches import (
    LABEL_MEMBERS,
    Member,
    Niche,
    NicheParams,
    co_assignment,
    consensus,
    detect_niches,
    label_niche,
    mean_ari,
    result_json,
    summary_rows,
)
from nichegraph.errors import BadParameter
from tests.support.hand_networks import EVERY_LINK, WINDOW, network_of

FAST = NicheParams(runs=5)


def clique(names: list[str], prefix: str) -> dict[str, dict[str, float]]:
    """One developer for every pair of the projects, working 1.0 on each of the two."""
    return {f"{prefix}{a}-{b}": {a: 1.0, b: 1.0} for a, b in itertools.combinations(names, 2)}


LEFT = ["left/a", "left/b", "left/c", "left/d"]
RIGHT = ["right/a", "right/b", "right/c", "right/d"]
# inside a clique every link weighs 0.5 / 3 (each project has 3.0 of activity); the bridge
# developer's 0.1 in left/a and right/a gives a link of 0.005 / 3.1
TWO_CLIQUES = {**clique(LEFT, "l"), **clique(RIGHT, "r"), "bridge": {"left/a": 0.1, "right/a": 0.1}}


def test_two_cliques_joined_by_a_bridge_are_two_niches() -> None:
    result = detect_niches(network_of(TWO_CLIQUES, EVERY_LINK), FAST)
    assert [sorted(m.repo for m in niche.members) for niche in result.niches] == [LEFT, RIGHT]
    assert result.unassigned == {}
    # every run finds the same two groups: perfect agreement, one consensus round
    assert result.mean_ari == 1.0 and result.run_niche_counts == [2] * 5 and result.consensus_rounds == 1
    assert all(member.stability == 1.0 for niche in result.niches for member in niche.members)
    # modularity at resolution g of two equal cliques with a negligible bridge: 2 * (1/2 - g (1/2)^2),
    # a hair less; at the default g = 2 that is 0, at plain modularity (g = 1) 0.5
    assert FAST.resolution == 2.0
    assert result.modularity == pytest.approx(0.0, abs=0.01) and result.modularity < 0.0
    plain = detect_niches(network_of(TWO_CLIQUES, EVERY_LINK), NicheParams(runs=5, resolution=1.0))
    assert plain.modularity == pytest.approx(0.5, abs=0.01) and plain.modularity < 0.5


def test_members_are_ranked_by_their_weight_inside_the_niche() -> None:
    result = detect_niches(network_of(TWO_CLIQUES, EVERY_LINK), FAST)
    left = result.niches[0]
    # left/a's links weigh 0.5 / sqrt(3.1 * 3) each, the others' links to each other 0.5 / 3:
    # left/a is the least central; the other three tie and are ordered by name
    inner, outer = 0.5 / 3, 0.5 / (3.1 * 3) ** 0.5
    assert [m.repo for m in left.members] == ["left/b", "left/c", "left/d", "left/a"]
    assert [m.rank for m in left.members] == [1, 2, 3, 4]
    assert left.members[0].centrality == pytest.approx(2 * inner + outer)
    assert left.members[3].centrality == pytest.approx(3 * outer)
    assert left.id == f"{WINDOW}/left/b" and left.number == 1
    assert left.label == "left/b, left/c, left/d +1"
    # the bridge is the only link leaving the niche
    assert left.internal_weight == pytest.approx(3 * inner + 3 * outer)
    assert left.external_weight == pytest.approx(0.1 * 0.1 / 0.2 / 3.1)


def test_the_same_seed_gives_the_same_niches() -> None:
    network = network_of(TWO_CLIQUES, EVERY_LINK)
    first, second = (
        detect_niches(network, NicheParams(runs=4, seed=9)),
        detect_niches(network, NicheParams(runs=4, seed=9)),
    )
    assert first.membership() == second.membership()
    assert result_json(first)["niches"] == result_json(second)["niches"]


def test_a_group_below_the_minimum_size_is_unassigned_with_its_reason() -> None:
    pair = {"p1": {"pair/one": 1.0, "pair/two": 1.0}, "p2": {"pair/one": 1.0, "pair/two": 1.0}}
    result = detect_niches(network_of({**TWO_CLIQUES, **pair}, EVERY_LINK), NicheParams(runs=5, min_size=3))
    assert len(result.niches) == 2
    reason = "no stable group: it shares a group with fewer than 2 other project(s) in most of the 5 runs"
    assert result.unassigned == {"pair/one": reason, "pair/two": reason}
    kept = detect_niches(network_of({**TWO_CLIQUES, **pair}, EVERY_LINK), FAST)
    assert ["pair/one", "pair/two"] in [sorted(m.repo for m in n.members) for n in kept.niches]


def test_projects_without_links_say_why() -> None:
    contributions = {
        **TWO_CLIQUES,
        "loner": {"solo/repo": 5.0},  # nobody here works anywhere else
        "visitor": {"thin/repo": 1.0, "left/b": 0.5},  # one shared developer: below --min-shared 2
    }
    params = NetworkParams(min_shared=2, min_lift=0.0, top_links=100)
    # with --min-shared 2 the cliques (one developer per pair) have no links either
    result = detect_niches(network_of(contributions, params), FAST)
    assert result.niches == [] and result.mean_ari == 1.0
    assert result.unassigned["solo/repo"] == "no developer in the window also works on another project"
    assert result.unassigned["thin/repo"] == (
        "no link passes the filters: with each of its 1 partner project(s) it shares fewer than 2 developers "
        "or fewer than 0x the developers random mixing predicts"
    )
    assert len(result.unassigned) == len(LEFT) + len(RIGHT) + 2


def test_summary_and_json_rows() -> None:
    result = detect_niches(network_of(TWO_CLIQUES, EVERY_LINK), FAST)
    rows = summary_rows(result)
    assert [(row["niche"], row["size"], row["stability"]) for row in rows] == [(1, 4, 1.0), (2, 4, 1.0)]
    payload = result_json(result)
    assert payload["window"] == str(WINDOW) and payload["parameters"]["runs"] == 5
    assert payload["parameters"]["minShared"] == 1 and payload["unassigned"] == []


# --- the consensus, piece by piece --------------------------------------------------------


def test_co_assignment_is_the_share_of_runs_two_projects_spend_together() -> None:
    # run 1 groups {0, 1}, run 2 groups {1, 2}
    together = co_assignment([[0, 0, 1], [5, 7, 7]])
    assert together.tolist() == [[1.0, 0.5, 0.0], [0.5, 1.0, 0.5], [0.0, 0.5, 1.0]]


def test_mean_ari() -> None:
    assert mean_ari([[0, 0, 1, 1], [1, 1, 0, 0]]) == 1.0  # the same grouping, other names
    assert mean_ari([[0, 1, 2, 3]]) == 1.0  # one run: nothing to disagree with
    assert mean_ari([[0, 0, 1, 1], [0, 1, 0, 1]]) < 0


def test_consensus_keeps_the_pairs_together_in_most_runs() -> None:
    # 0-1 and 2-3 always together; 1-2 in 40 % of the runs (below one half: dropped)
    together = np.array(
        [
            [1.0, 1.0, 0.0, 0.0],
            [1.0, 1.0, 0.4, 0.0],
            [0.0, 0.4, 1.0, 1.0],
            [0.0, 0.0, 1.0, 1.0],
        ]
    )
    partition, rounds = consensus(together, FAST)
    assert rounds == 1
    assert partition[0] == partition[1] != partition[2] == partition[3]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (NicheParams(resolution=0), "--resolution: 0 must be greater than 0 (1.0 is plain modularity)"),
        (NicheParams(resolution=-1.0), "--resolution: -1.0 must be greater than 0 (1.0 is plain modularity)"),
        (NicheParams(runs=1), "--runs: 1 must be at least 2 (stability compares runs)"),
        (NicheParams(seed=-1), "--seed: -1 must not be negative"),
        (NicheParams(min_size=1), "--min-size: 1 must be at least 2"),
    ],
)
def test_bad_niche_parameters_are_refused(params: NicheParams, message: str) -> None:
    with pytest.raises(BadParameter) as error:
        params.check()
    assert str(error.value) == message


# --- labels -------------------------------------------------------------------------------


def niche_of(names: list[str]) -> Niche:
    return Niche(id="w/x", number=1, members=[Member(name, 1.0, 1.0) for name in names])


def test_a_label_names_the_most_central_projects() -> None:
    niche = niche_of(["a/a", "b/b"])
    label_niche(niche, {})
    assert niche.label == "a/a, b/b" and niche.domain is None and LABEL_MEMBERS == 3


def test_the_dominant_hand_made_domain_joins_the_label() -> None:
    niche = niche_of(["a/a", "b/b", "c/c", "d/d", "e/e"])
    label_niche(niche, {"a/a": "Serving", "c/c": "Training", "e/e": "Serving", "x/x": "Training"})
    assert niche.label == "a/a, b/b, c/c +2 · Serving (2 of 3 labelled)"
    assert (niche.domain, niche.domain_share, niche.domain_labelled) == ("Serving", 2 / 3, 3)


def test_a_tie_between_domains_goes_to_the_first_by_name() -> None:
    niche = niche_of(["a/a", "b/b"])
    label_niche(niche, {"a/a": "Training", "b/b": "Serving"})
    assert niche.domain == "Serving" and niche.label.endswith("· Serving (1 of 2 labelled)")


def test_a_niche_of_one_kind_says_its_kind_first() -> None:
    niche = niche_of(["a/a", "b/b", "c/c", "d/d"])
    label_niche(niche, {"b/b": "Languages"}, kind="programming language")
    assert niche.label == "programming language: a/a, b/b, c/c +1 · Languages (1 of 1 labelled)"
