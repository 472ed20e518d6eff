"""The collaboration network's weights, the random-mixing lift, the filters and the backbone
(analysis/network.py) on a hand-made window, every number worked out by hand below."""

from __future__ import annotations

import math

import pytest

from nichegraph.analysis.network import NetworkParams, build_network, link_rows
from nichegraph.errors import BadParameter
from tests.support.hand_networks import EVERY_LINK, WINDOW, network_of, window_activity

# developer -> {project: summed activity in the window}
HAND = {
    "d1": {"a/x": 4.0, "b/y": 2.0},  # T(d1) = 6
    "d2": {"a/x": 1.0, "b/y": 1.0, "c/z": 2.0},  # T(d2) = 4
    "d3": {"c/z": 3.0},
    "d4": {"a/x": 5.0},
}
A, B, C = 0, 1, 2  # projects are indexed by name
# project totals: A(a/x) = 4 + 1 + 5 = 10, A(b/y) = 2 + 1 = 3, A(c/z) = 2 + 3 = 5
# pair sums, over shared developers of a(d,r) a(d,s) / T(d):
PAIR_AB = 4 * 2 / 6 + 1 * 1 / 4  # d1 and d2
PAIR_AC = 1 * 2 / 4  # d2
PAIR_BC = 1 * 2 / 4  # d2
WEIGHT = {(A, B): PAIR_AB / math.sqrt(10 * 3), (A, C): PAIR_AC / math.sqrt(10 * 5), (B, C): PAIR_BC / math.sqrt(3 * 5)}
# random mixing: developers work on k = 2, 3, 1, 1 projects: kappa = sum k(k-1) / (sum k)^2 = 8 / 49;
# a pair expects devs(r) * devs(s) * kappa shared developers (a/x has 3 developers, b/y and c/z 2)
KAPPA = 8 / 49
EXPECTED = {(A, B): 3 * 2 * KAPPA, (A, C): 3 * 2 * KAPPA, (B, C): 2 * 2 * KAPPA}
SHARED = {(A, B): 2, (A, C): 1, (B, C): 1}


def test_the_activity_read_from_the_hand_made_window() -> None:
    activity = window_activity(HAND)
    assert activity.repos == ["a/x", "b/y", "c/z"]
    assert activity.repo_activity == [10.0, 3.0, 5.0]
    assert activity.repo_developers == [3, 2, 2]
    # a project's members, most active first
    assert activity.members(A) == [(5.0, 3), (4.0, 0), (1.0, 1)]


def test_members_with_equal_activity_are_ordered_by_developer_key() -> None:
    activity = window_activity({"zed": {"p/q": 1.0}, "amy": {"p/q": 1.0}, "bob": {"p/q": 2.0}})
    assert [activity.developers[dev] for _, dev in activity.members(0)] == ["bob", "amy", "zed"]


def test_weights_kappa_expected_and_lift() -> None:
    network = network_of(HAND, EVERY_LINK)
    assert network.kappa == pytest.approx(KAPPA)
    assert set(network.pairs) == set(WEIGHT)
    for key, link in network.pairs.items():
        assert link.shared == SHARED[key]
        assert link.weight == pytest.approx(WEIGHT[key])
        assert link.expected == pytest.approx(EXPECTED[key])
        assert link.lift == pytest.approx(SHARED[key] / EXPECTED[key])
    assert network.pairs[(A, B)].pair_sum == pytest.approx(PAIR_AB)


def test_shares_are_the_shared_developers_part_of_each_side() -> None:
    network = network_of(HAND, EVERY_LINK)
    # a/x: d1 and d2 bring 4 + 1 of its 10; b/y: they bring all of its 3
    assert network.shares(network.pairs[(A, B)]) == pytest.approx((0.5, 1.0))
    assert network.link(B, A) is network.pairs[(A, B)]


@pytest.mark.parametrize(
    ("params", "significant"),
    [
        (NetworkParams(), set()),  # nothing shares 3 developers
        (NetworkParams(min_shared=2, min_lift=2.0), {(A, B)}),  # lift 2 / (48/49) = 2.04
        (NetworkParams(min_shared=2, min_lift=2.1), set()),
        (NetworkParams(min_shared=1, min_lift=1.5), {(A, B), (B, C)}),  # lifts 2.04, 1.02, 1.53
        (EVERY_LINK, {(A, B), (A, C), (B, C)}),
    ],
)
def test_the_filters_keep_pairs_with_enough_shared_developers_and_lift(
    params: NetworkParams, significant: set[tuple[int, int]]
) -> None:
    network = network_of(HAND, params)
    assert set(network.significant) == significant
    assert set(network.pairs) == set(WEIGHT)  # every pair is still there, with its numbers


def test_the_backbone_keeps_each_projects_strongest_links() -> None:
    # weights: a/x-b/y 0.289, b/y-c/z 0.129, a/x-c/z 0.071. With one link per project:
    # a/x and b/y keep a/x-b/y, c/z keeps b/y-c/z, and nobody keeps a/x-c/z (second at both ends)
    network = network_of(HAND, NetworkParams(min_shared=1, min_lift=0.0, top_links=1))
    ranks = {key: (link.source_rank, link.target_rank, link.backbone) for key, link in network.significant.items()}
    assert ranks == {(A, B): (1, 1, True), (B, C): (2, 1, True), (A, C): (2, 2, False)}
    assert network.backbone_repos() == ["a/x", "b/y", "c/z"]
    assert network.neighbours(backbone_only=True) == {
        A: {B: pytest.approx(WEIGHT[(A, B)])},
        B: {A: pytest.approx(WEIGHT[(A, B)]), C: pytest.approx(WEIGHT[(B, C)])},
        C: {B: pytest.approx(WEIGHT[(B, C)])},
    }
    assert set(network.neighbours()[A]) == {B, C}


def test_equal_weights_are_ranked_by_the_other_projects_name() -> None:
    network = network_of({"e1": {"p/hub": 1.0, "q/two": 1.0}, "e2": {"p/hub": 1.0, "q/one": 1.0}}, EVERY_LINK)
    hub, one, two = 0, 1, 2
    assert network.pairs[(hub, one)].weight == network.pairs[(hub, two)].weight
    assert (network.pairs[(hub, one)].source_rank, network.pairs[(hub, two)].source_rank) == (1, 2)


def test_a_developer_on_one_project_links_nothing() -> None:
    network = network_of({"solo": {"a/a": 5.0}, "pair": {"b/b": 1.0, "c/c": 1.0}}, EVERY_LINK)
    assert set(network.pairs) == {(1, 2)}
    # kappa: k = 1 and 2, so 2 / 3^2
    assert network.kappa == pytest.approx(2 / 9)


def test_link_rows_carry_the_evidence_of_each_backbone_link() -> None:
    network = network_of(HAND, NetworkParams(min_shared=2, min_lift=2.0))
    [row] = link_rows(network, {"d1": "D1"})
    assert (row["source"], row["target"]) == ("a/x", "b/y")
    props = row["props"]
    assert props["window"] == str(WINDOW) and props["sharedDevelopers"] == 2
    assert props["weight"] == pytest.approx(WEIGHT[(A, B)])
    assert props["expectedShared"] == pytest.approx(EXPECTED[(A, B)])
    assert (props["sourceShare"], props["targetShare"]) == pytest.approx((0.5, 1.0))
    assert (props["sourceRank"], props["targetRank"]) == (1, 1)
    # developers by their part a(d,s) a(d,t) / T(d): d1 4/3, d2 1/4; logins where known
    assert props["topDevelopers"] == ["D1", "d2"]
    assert props["topDevelopersSourceActivity"] == [4.0, 1.0]
    assert props["topDevelopersTargetActivity"] == [2.0, 1.0]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (NetworkParams(min_shared=0), "--min-shared: 0 must be at least 1"),
        (NetworkParams(min_lift=-0.5), "--min-lift: -0.5 must not be negative"),
        (NetworkParams(min_lift=math.nan), "--min-lift: nan must not be negative"),
        (NetworkParams(top_links=0), "--top-links: 0 must be at least 1"),
    ],
)
def test_bad_network_parameters_are_named(params: NetworkParams, message: str) -> None:
    with pytest.raises(BadParameter) as error:
        build_network(window_activity(HAND), params)
    assert str(error.value) == message


def test_network_parameters_as_stored() -> None:
    assert NetworkParams().as_properties() == {"minShared": 3, "minLift": 3.0, "topLinks": 5}
