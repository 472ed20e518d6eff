"""Seed expansion (analysis/expand.py) on a hand-made window: ranking by developers shared with
the landscape, the lift, hubs skipped, rounds, and every rejection's reason."""

from __future__ import annotations

import pytest

from nichegraph.analysis.expand import LANGUAGE_REASON, ExpandParams, declared_languages, expand
from nichegraph.analysis.hubs import HubEvidence
from nichegraph.analysis.metadata import RepoMetadata, metadata_index
from nichegraph.errors import BadParameter
from tests.unit.hand_activity import network_of

WINDOW = {
    "s1": {"s/seed": 5.0, "c/close": 3.0, "c/big": 1.0},
    "s2": {"s/seed": 5.0, "c/close": 3.0, "c/big": 1.0},
    "s3": {"s/seed": 5.0, "c/close": 3.0, "c/hub": 1.0},
    "s4": {"s/seed": 5.0, "c/close": 3.0, "c/hub": 1.0},
    "s5": {"s/seed": 5.0},
    **{f"k{i}": {"c/close": 5.0, "c/far": 3.0} for i in range(1, 4)},
    **{f"b{i}": {"c/big": 5.0} for i in range(1, 21)},
    **{f"h{i}": {"c/hub": 5.0} for i in range(1, 4)},
}
OPENRANK = {name: (100.0, 12) for name in ("s/seed", "c/close", "c/big", "c/hub", "c/far")}


def setup(openrank: dict[str, tuple[float, int]] = OPENRANK):  # type: ignore[no-untyped-def]
    network = network_of(WINDOW)
    hub = network.activity.index()["c/hub"]
    hubs = {hub: HubEvidence("c/hub", 5, 2, 1, 1.0, 0, 0.0, 1, ["s/seed"])}
    return network, hubs, openrank


def test_first_round_ranks_by_shared_developers_and_skips_the_hub() -> None:
    network, hubs, openrank = setup()
    result = expand(network, ["s/seed"], openrank, ExpandParams(depth=1, min_shared=2, min_lift=0.0), hubs)
    assert result.member_names() == ["s/seed", "c/close", "c/big"]
    close, big = result.members[1], result.members[2]
    assert (close.shared, close.rank, close.via, close.depth) == (4, 1, "s/seed", 1)
    # c/hub and c/big both share 2; the smaller hub ranks first by lift, and is turned down
    assert (big.shared, big.rank) == (2, 3)
    reasons = {item.repo: item.reason for item in result.left_out}
    assert reasons["c/hub"].startswith("distribution hub: not followed")
    # c/far is tied only to c/close: met past the last round
    assert reasons["c/far"] == "beyond --depth 1"


def test_lift_against_the_landscape() -> None:
    network, hubs, openrank = setup()
    result = expand(network, ["s/seed"], openrank, ExpandParams(depth=1, min_shared=2, min_lift=0.0), hubs)
    # projects per developer: s1-s4 3, s5 1, k1-k3 2, b1-b20 1, h1-h3 1: sum 42, sum k(k-1) 30,
    # kappa = 30 / 42^2; c/close has 7 developers, the landscape (the seed) 5:
    expected = 7 * 5 * 30 / 42**2
    assert network.kappa == pytest.approx(30 / 42**2)
    assert result.members[1].lift == pytest.approx(4 / expected)


def test_second_round_reaches_through_the_first() -> None:
    network, hubs, openrank = setup()
    result = expand(network, ["s/seed"], openrank, ExpandParams(depth=2, min_shared=2, min_lift=0.0), hubs)
    far = next(m for m in result.members if m.repo == "c/far")
    # k1-k3 joined the landscape with c/close
    assert (far.depth, far.shared, far.via, far.via_shared) == (2, 3, "c/close", 3)


def test_rejections_by_strength_threshold_and_top() -> None:
    network, hubs, openrank = setup()
    weak = expand(network, ["s/seed"], openrank, ExpandParams(depth=1, min_shared=3, min_lift=0.0), hubs)
    reasons = {item.repo: item.reason for item in weak.left_out}
    # c/big: 22 developers; 2 / (22 * 5 * kappa) = 1.07
    big_lift = 2 / (22 * 5 * 30 / 42**2)
    assert reasons["c/big"] == (
        f"too weak: 2 developers shared with the landscape, {big_lift:.1f}x random mixing (needs 3 and 0x)"
    )
    low = {**OPENRANK, "c/close": (5.0, 12)}
    below = expand(network, ["s/seed"], low, ExpandParams(depth=1, min_shared=2, min_lift=0.0), hubs)
    assert {i.repo: i.reason for i in below.left_out}["c/close"] == "below threshold: mean OpenRank 5.0 < 10"
    one = expand(network, ["s/seed"], openrank, ExpandParams(depth=1, top=1, min_shared=2, min_lift=0.0), hubs)
    assert one.member_names() == ["s/seed", "c/close"]
    assert {i.repo: i.reason for i in one.left_out}[
        "c/big"
    ] == "not among the 1 best of depth 1 (rank 3 by shared developers)"


def test_seeds_are_kept_and_bad_parameters_named() -> None:
    network, hubs, _ = setup()
    result = expand(network, ["s/seed"], {}, ExpandParams(depth=0), hubs)
    assert result.member_names() == ["s/seed"] and "below the OpenRank threshold" in result.members[0].note
    for params, flag in [
        (ExpandParams(top=0), "--top"),
        (ExpandParams(min_shared=0), "--min-shared"),
        (ExpandParams(min_lift=-1), "--min-lift"),
        (ExpandParams(depth=-1), "--depth"),
    ]:
        with pytest.raises(BadParameter, match=flag):
            params.check()


def test_a_declared_language_is_not_followed_unless_asked() -> None:
    network, hubs, openrank = setup()
    # c/close (4 developers shared, the best candidate) calls itself a language; c/big only uses one
    metadata = metadata_index(
        [
            RepoMetadata("c/close", "The Close programming language"),
            RepoMetadata("c/big", "A web app written in a programming-language-agnostic way", ("web",)),
            RepoMetadata("s/seed", "The seed library"),
        ],
        network.repos,
    )
    languages = declared_languages(network, metadata)
    assert languages == {network.activity.index()["c/close"]: LANGUAGE_REASON}
    params = ExpandParams(depth=2, min_shared=2, min_lift=0.0)
    skipped = expand(network, ["s/seed"], openrank, params, hubs, languages)
    # c/far was reached only through c/close: without it, it is never met
    assert skipped.member_names() == ["s/seed", "c/big"]
    assert {item.repo: item.reason for item in skipped.left_out}["c/close"] == LANGUAGE_REASON
    followed = expand(
        network,
        ["s/seed"],
        openrank,
        ExpandParams(depth=2, min_shared=2, min_lift=0.0, follow_languages=True),
        hubs,
        languages,
    )
    assert followed.member_names() == ["s/seed", "c/close", "c/big", "c/far"]
    # a language given as a seed stays a seed; no metadata, no language
    assert expand(network, ["c/close"], openrank, params, hubs, languages).members[0].note == "seed"
    assert declared_languages(network, None) == {}
