"""The relation rules (analysis/relations.py) on hand-made networks: where each project's
core developers also work decides upstream, competitor or peer. Every share is worked out by
hand in the comments."""

from __future__ import annotations

import pytest

from nichegraph.analysis.network import NetworkParams
from nichegraph.analysis.relations import (
    COMPETITOR,
    PEER,
    UPSTREAM,
    CoreCrossing,
    RelationParams,
    classify_pair,
    classify_relations,
    cosine,
    is_upstream,
    relation_rows,
)
from tests.support.hand_networks import EVERY_LINK, network_of

PARAMS = RelationParams()

# --- is_upstream: the numbers alone --------------------------------------------------------


@pytest.mark.parametrize(
    ("c_down_up", "c_up_down", "or_up", "or_down", "expected", "why"),
    [
        (0.80, 0.20, 100, 50, True, "downstream core works upstream, little the other way"),
        (0.80, 0.20, 25, 50, True, "upstream OpenRank exactly half the downstream's"),
        (0.80, 0.20, 24.9, 50, False, "upstream less than half as influential"),
        (0.31, 0.20, 100, 50, True, "gap 0.11, above the 0.10 needed"),
        (0.29, 0.20, 100, 50, False, "gap 0.09, below 0.10"),
        (0.15, 0.00, 100, 50, True, "downstream core share exactly 0.15"),
        (0.14, 0.00, 100, 50, False, "downstream core share below 0.15"),
        (0.90, 0.60, 200, 100, True, "one team: gap 0.30 and twice the OpenRank"),
        (0.90, 0.60, 199, 100, False, "one team: less than twice the OpenRank"),
        (0.52, 0.40, 300, 100, False, "one team: gap 0.12, below the 0.15 a team needs"),
        (0.20, 0.80, 100, 50, False, "the other way round"),
    ],
)
def test_is_upstream(
    c_down_up: float, c_up_down: float, or_up: float, or_down: float, expected: bool, why: str
) -> None:
    assert is_upstream(c_down_up, c_up_down, or_up, or_down, PARAMS) is expected, why


def test_cosine_leaves_out_the_pair_itself() -> None:
    # profiles over neighbours 1, 2 (and each other, 8 and 9, which are skipped)
    a = {1: 1.0, 2: 2.0, 9: 5.0}
    b = {1: 2.0, 2: 4.0, 8: 7.0}
    assert cosine(a, b, (8, 9)) == pytest.approx(1.0)
    assert cosine(a, {3: 1.0}, ()) == 0.0
    assert cosine({}, {}, ()) == 0.0
    # (1, 0) against (1, 1): 1 / sqrt(2)
    assert cosine({1: 1.0}, {1: 1.0, 2: 1.0}, ()) == pytest.approx(2**-0.5)


# --- an upstream and its downstream ----------------------------------------------------------

# lib/core: four developers of its own (10 each) and s1, s2 (5 each) who also work in app/tool
# app/tool: s1, s2 (4 each) and a1 (2)
UPSTREAM_NET = {
    **{f"u{i}": {"lib/core": 10.0} for i in range(1, 5)},
    "s1": {"lib/core": 5.0, "app/tool": 4.0},
    "s2": {"lib/core": 5.0, "app/tool": 4.0},
    "a1": {"app/tool": 2.0},
}
APP, LIB = 0, 1  # by name
# core crossing: app/tool's core activity by developers also active in lib/core: (4 + 4) / 10 = 0.8
# (2 of its developers); lib/core's core activity by developers active in app/tool: 10 / 50 = 0.2
C_APP_IN_LIB, C_LIB_IN_APP = 0.8, 0.2


def upstream_network():  # type: ignore[no-untyped-def]
    return network_of(UPSTREAM_NET, NetworkParams(min_shared=2, min_lift=0.0, top_links=5))


def classify(network, a: int, b: int, membership: dict[str, str], openrank: dict[str, float]):  # type: ignore[no-untyped-def]
    params = RelationParams()
    crossing = CoreCrossing(network, params.core_size)
    return classify_pair(network, a, b, membership, openrank, crossing, network.neighbours(), params)


def test_core_crossing_by_hand() -> None:
    network = upstream_network()
    crossing = CoreCrossing(network, 20)
    assert crossing(APP, LIB) == pytest.approx((C_APP_IN_LIB, 2))
    assert crossing(LIB, APP) == pytest.approx((C_LIB_IN_APP, 2))
    # a core of 3 is lib/core's three most active: u1..u3 (key order breaks the tie), none crossing
    assert CoreCrossing(network, 3)(LIB, APP) == (0.0, 0)


def test_the_project_whose_core_works_in_the_other_is_downstream() -> None:
    relation = classify(upstream_network(), APP, LIB, {}, {"lib/core": 100.0, "app/tool": 50.0})
    assert relation is not None
    assert (relation.relation, relation.source, relation.target) == (UPSTREAM, "lib/core", "app/tool")
    # (0.8 - 0.2) / (0.8 + 0.2), times k / (k + 1) for the downstream's 2 crossing core developers
    assert relation.confidence == pytest.approx(0.6 * 2 / 3)
    assert (relation.source_core_in_target, relation.target_core_in_source) == pytest.approx((0.2, 0.8))
    assert (relation.source_core_crossing, relation.target_core_crossing) == (2, 2)
    assert relation.linked and not relation.same_niche and relation.niche is None
    assert relation.shared == 2 and relation.top_developers == ["s1", "s2"]
    assert relation.top_source_activity == [5.0, 5.0] and relation.top_target_activity == [4.0, 4.0]
    # lib/core's shared developers bring 10 of its 50; app/tool's 8 of its 10
    assert (relation.source_share, relation.target_share) == pytest.approx((0.2, 0.8))
    assert relation.reason == (
        "80% of app/tool's core activity (2 of its 20 most active developers) comes from developers also "
        "active in lib/core, against 20% the other way; mean OpenRank 100.0 vs 50.0"
    )


def test_a_much_less_influential_upstream_is_only_a_peer() -> None:
    relation = classify(upstream_network(), APP, LIB, {}, {"lib/core": 10.0, "app/tool": 50.0})
    assert relation is not None and relation.relation == PEER
    # peer confidence: the mean crossing (0.8 + 0.2) / 2 over 0.5, at most 1
    assert relation.confidence == 1.0
    assert relation.reason == (
        "linked, no clear direction: 80% of app/tool's core activity is by developers active in lib/core, "
        "20% the other way"
    )


def test_unlinked_projects_outside_one_niche_have_no_relation() -> None:
    # with --min-shared 3 the two shared developers make no link
    network = network_of(UPSTREAM_NET, NetworkParams(min_shared=3, min_lift=0.0))
    assert classify(network, APP, LIB, {}, {"lib/core": 100.0, "app/tool": 50.0}) is None


# --- substitutes: the same neighbourhood, separate cores ---------------------------------------

# r/one and r/two each have a developer of their own (10) and, for each of n/1..n/3, a developer
# working 2 there and 2 in the neighbour; z works 0.5 in both rivals
RIVALS = {
    "o1": {"r/one": 10.0},
    "t1": {"r/two": 10.0},
    **{f"x{i}": {"r/one": 2.0, f"n/{i}": 2.0} for i in range(1, 4)},
    **{f"y{i}": {"r/two": 2.0, f"n/{i}": 2.0} for i in range(1, 4)},
    "z": {"r/one": 0.5, "r/two": 0.5},
}
ONE, TWO = 3, 4  # n/1, n/2, n/3, r/one, r/two
SAME_NICHE = {"r/one": "w/n", "r/two": "w/n"}
# each rival's core activity: 10 + 3 * 2 + 0.5 = 16.5, of which z's 0.5 crosses: 1/33 each way;
# both link n/1..n/3 with the same weights, so their profiles are alike (cosine 1)
CROSS = 0.5 / 16.5


def test_same_niche_separate_cores_alike_neighbourhoods_are_competitors() -> None:
    relation = classify(network_of(RIVALS, EVERY_LINK), ONE, TWO, SAME_NICHE, {"r/one": 100.0, "r/two": 80.0})
    assert relation is not None
    assert (relation.relation, relation.source, relation.target) == (COMPETITOR, "r/one", "r/two")
    assert relation.similarity == pytest.approx(1.0)
    # similarity x (1 - largest crossing / (2 x 0.10))
    assert relation.confidence == pytest.approx(1 - CROSS / 0.2)
    assert relation.same_niche and relation.niche == "w/n"
    assert relation.reason == (
        "same niche, neighbour profiles 100% alike, but only 3% / 3% of their cores' activity "
        "(20 most active developers) comes from developers active in the other"
    )


@pytest.mark.parametrize(
    ("membership", "openrank", "why"),
    [
        ({"r/one": "w/n", "r/two": "w/other"}, {"r/one": 100.0, "r/two": 80.0}, "different niches"),
        (SAME_NICHE, {"r/one": 100.0, "r/two": 20.0}, "OpenRank more than 4 times apart"),
    ],
)
def test_without_the_rival_pattern_a_linked_pair_is_a_peer(
    membership: dict[str, str], openrank: dict[str, float], why: str
) -> None:
    relation = classify(network_of(RIVALS, EVERY_LINK), ONE, TWO, membership, openrank)
    assert relation is not None and relation.relation == PEER, why


def test_rivals_need_three_other_neighbours_each() -> None:
    fewer = {key: value for key, value in RIVALS.items() if key not in {"x3", "y3"}}
    one, two = 2, 3  # n/1, n/2, r/one, r/two
    relation = classify(network_of(fewer, EVERY_LINK), one, two, SAME_NICHE, {"r/one": 100.0, "r/two": 80.0})
    assert relation is not None and relation.relation == PEER


def test_a_whole_network_classified_and_stored_as_rows() -> None:
    network = upstream_network()
    result = classify_relations(network, {}, {"lib/core": 100.0, "app/tool": 50.0})
    assert result.candidates == 1 and result.counts() == {UPSTREAM: 1, COMPETITOR: 0, PEER: 0}
    assert result.find("app/tool", "lib/core") is result.relations[0]
    rows = relation_rows(result, {"s1": "S1"})
    assert list(rows) == ["UPSTREAM_OF", "COMPETES_WITH", "PEER_OF"]
    [row] = rows["UPSTREAM_OF"]
    assert (row["source"], row["target"]) == ("lib/core", "app/tool")
    assert row["props"]["topDevelopers"] == ["S1", "s2"] and row["props"]["window"] == result.window
    assert "relation" not in row["props"] and row["props"]["confidence"] == round(0.4, 4)
