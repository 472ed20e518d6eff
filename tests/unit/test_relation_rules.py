"""The relation rules (analysis/relations.decide) on hand-written evidence, one case per rule and
per guard, and the signals they read (lean, core crossing, metadata) on hand-made data."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from nichegraph.analysis.metadata import RepoMetadata, metadata_index
from nichegraph.analysis.pair_signals import CoreCrossing, PairSignals, extends, flagships, heads, is_docs, lean
from nichegraph.analysis.relations import COMPETITOR, PEER, UPSTREAM, RelationParams, classify_relations, decide
from tests.unit.hand_activity import activity_of, network_of

REPOS = ["a/up", "b/down"]
PARAMS = RelationParams()
BASE = PairSignals(
    a=0, b=1, shared=40, lift=30.0, weight=0.01, significant=True, backbone=True,
    core_ab=0.0, core_ba=0.0, core_count_ab=0, core_count_ba=0, lean=0.0, previous_ab=None, previous_ba=None,
    similarity=0.0, common=0, reach_a=0, reach_b=0, openrank_a=100.0, openrank_b=100.0, same_niche=False,
    metadata_similarity=None, a_names_b=False, b_names_a=False, shared_terms=[],
)  # fmt: skip


def verdict(signals: PairSignals, hubs: frozenset[int] = frozenset()):  # type: ignore[no-untyped-def]
    return decide(signals, hubs, PARAMS, REPOS)


def test_u1_different_teams() -> None:
    # 46% of b's core works in a, 4% the other way, 7 of b's core developers; the window before agrees
    s = replace(BASE, core_ab=0.04, core_ba=0.46, core_count_ba=7, lean=2.0, previous_ab=0.09, previous_ba=0.48,
                openrank_a=1200.0, openrank_b=280.0)  # fmt: skip
    v = verdict(s)
    assert (v.relation, v.source_is_a, v.rule) == (UPSTREAM, True, "U1")
    # contrast (0.46 - 0.04) / (0.46 + 0.04) = 0.84, support 7/8, persistence 1
    assert v.confidence == pytest.approx(0.84 * 7 / 8)
    # the window before pointing the other way lowers it by a quarter
    assert verdict(replace(s, previous_ab=0.5, previous_ba=0.1)).confidence == pytest.approx(0.84 * 7 / 8 * 0.75)


def test_u1_guards() -> None:
    s = replace(BASE, core_ab=0.04, core_ba=0.46, core_count_ba=7, lean=2.0, openrank_a=1200.0, openrank_b=280.0)
    # the shared developers at home in the upstream, far beyond its size: no direction
    assert verdict(replace(s, lean=-0.6)).relation != UPSTREAM
    # a small satellite (a quarter of the other's OpenRank) is not upstream of its parent
    assert verdict(replace(s, openrank_a=60.0)).relation != UPSTREAM
    # a hub is never upstream or downstream
    hub = verdict(s, frozenset({0}))
    assert hub is None or hub.relation != UPSTREAM


def test_u1_needs_the_shared_developers_to_lean_towards_the_downstream() -> None:
    # 25% of b's core (4 developers) works in a, 14% the other way: U1 when the shared developers are
    # at home in b beyond its size (lean +0.6); balanced shared developers (lean -0.1, +0.2: sibling
    # SDKs, one organisation's tools) say the cores differ in size, not a direction (round 5)
    s = replace(BASE, core_ab=0.14, core_ba=0.25, core_count_ab=3, core_count_ba=4, lean=0.6,
                openrank_a=230.0, openrank_b=240.0)  # fmt: skip
    v = verdict(s)
    assert (v.relation, v.source_is_a, v.rule) == (UPSTREAM, True, "U1")
    assert v.confidence == pytest.approx(0.11 / 0.39 * 4 / 5)  # contrast 0.11 / 0.39, support 4/5
    assert verdict(replace(s, lean=0.3)).rule == "U1"  # at the bar
    assert verdict(replace(s, lean=0.2)) is None  # mean core crossing 0.195: no peer either
    assert verdict(replace(s, lean=-0.1)) is None


def test_an_upstream_does_not_describe_itself_by_its_downstream() -> None:
    # one team (b's core 70% in a, a's 49% in b, lean +0.3, the window before agreeing): U2 makes a
    # upstream of b; but a's description names b ("the registry of general Julia packages"), so the
    # name decides: b is upstream of a (U3, the gap ignored within one team), at 0.55 + 0.25 * 0 (the
    # shared developers lean towards a, not b)
    s = replace(BASE, core_ab=0.49, core_ba=0.70, core_count_ab=15, core_count_ba=14, lean=0.3,
                previous_ab=0.52, previous_ba=0.68)  # fmt: skip
    assert verdict(s).rule == "U2" and verdict(s).source_is_a is True
    named = verdict(replace(s, a_names_b=True))
    assert (named.relation, named.source_is_a, named.rule) == (UPSTREAM, False, "U3")
    assert named.confidence == pytest.approx(0.55)
    assert "one team" in named.reason
    # both name each other: no direction from the names, U2 stands
    assert verdict(replace(s, a_names_b=True, b_names_a=True)).rule == "U2"
    # cores apart in one direction (U1's case, b's core 46% in a, a's 4% in b): a naming b stops U1,
    # and U3 the other way needs the cores within 10 points (they are 42 apart): a peer (mean 0.25)
    apart = replace(BASE, core_ab=0.04, core_ba=0.46, core_count_ba=7, lean=2.0, openrank_a=1200.0, openrank_b=280.0)
    assert verdict(apart).rule == "U1"
    assert verdict(replace(apart, a_names_b=True)).rule == "P"


def test_u1_needs_two_core_developers() -> None:
    # 30% of b's core works in a, none the other way, but it is one developer: no evidence of a
    # direction (gitea -> renovate, Proton -> mastodon were such claims)
    s = replace(BASE, core_ba=0.30, core_count_ba=1, lean=2.0, openrank_a=300.0, openrank_b=200.0)
    assert verdict(s) is None
    v = verdict(replace(s, core_count_ba=2))
    assert (v.relation, v.source_is_a, v.rule) == (UPSTREAM, True, "U1")
    assert v.confidence == pytest.approx(1.0 * 2 / 3)  # contrast 0.30 / 0.30, support 2/3


def test_one_declared_kind_is_no_dependency_by_core_crossing() -> None:
    # a fifth of b's core (3 developers) works in a, none the other way: U1, unless both declare
    # one kind (two languages: their people work on both, b is not built on a)
    s = replace(BASE, core_ba=0.2, core_count_ba=3, lean=1.7, openrank_a=430.0, openrank_b=170.0)
    assert verdict(s).rule == "U1"
    # ... they are rivals (C4): the cores cross one way without being one team (round 6: go and zig)
    kind = verdict(replace(s, shared_kind="programming language"))
    assert (kind.relation, kind.rule) == (COMPETITOR, "C4")
    # named by the other, no upstream either (round 5): deno, "a runtime for JavaScript and TypeScript",
    # names the language whose job it does; nor a rival (it names it), so nothing is claimed
    assert verdict(replace(s, shared_kind="programming language", b_names_a=True)) is None


def test_documentation_is_never_upstream_of_what_it_documents() -> None:
    # b's core (9 developers, 45% of its activity) writes in a: U1 would make a upstream of b; when
    # a is a documentation repository that is the writers' work, not a dependency
    s = replace(BASE, core_ba=0.45, core_count_ba=9, lean=1.5, openrank_a=300.0, openrank_b=200.0)
    assert verdict(s).rule == "U1"
    assert verdict(replace(s, a_docs=True)).rule == "P"  # mean core crossing 0.225: one family, no direction
    # the other way round stands: a project upstream of its documentation
    assert verdict(replace(s, b_docs=True)).rule == "U1"
    # and two documentation repositories may be upstream of each other (translations)
    assert verdict(replace(s, a_docs=True, b_docs=True)).rule == "U1"
    # named by the downstream (U3) does not make documentation upstream either
    named = replace(BASE, core_ba=0.04, lean=1.3, b_names_a=True)
    assert verdict(named).rule == "U3" and verdict(replace(named, a_docs=True)) is None


def test_documentation_does_the_job_of_no_other_project() -> None:
    # C1 would hold (metadata 40% alike, cores apart, shared users): not with a docs repository
    s = replace(BASE, shared=3, lift=5.0, metadata_similarity=0.4, common=2)
    assert verdict(s).rule == "C1"
    assert verdict(replace(s, a_docs=True)) is None and verdict(replace(s, b_docs=True)) is None


def test_documentation_repositories_by_name() -> None:
    docs = ["dotnet/docs", "dotnet/AspNetCore.Docs", "openshift/openshift-docs", "kubernetes/website",
            "home-assistant/home-assistant.io", "GoogleChrome/developer.chrome.com",
            "newrelic/docs-website"]  # fmt: skip
    code = ["docker/compose", "dotnet/runtime", "vercel/next.js", "nodejs/node", "sitespeedio/browsertime",
            "facebook/docusaurus", "mdn/content"]  # fmt: skip
    assert [repo for repo in docs if not is_docs(repo)] == []
    assert [repo for repo in code if is_docs(repo)] == []  # next.js is no web address, docusaurus no "docs" word


def test_c4_one_declared_kind() -> None:
    # metadata barely alike (5%: "The Go programming language" / "The PHP Interpreter"), but both
    # declare a programming language; cores apart, two common neighbours, OpenRank 100 vs 100
    s = replace(BASE, shared=0, lift=0.0, metadata_similarity=0.05, common=2, shared_kind="programming language")
    v = verdict(s)
    assert (v.relation, v.rule, v.confidence) == (COMPETITOR, "C4", 0.7)
    assert "programming language" in v.reason
    assert verdict(replace(s, shared_kind=None)) is None
    assert verdict(replace(s, common=1)) is None  # nothing in the data ties them
    # cores crossing one way (15% of a's core works in b) is no dependency between two of one kind
    # (round 6): still rivals; one team (both cores over 30% in the other) is not
    assert verdict(replace(s, core_ab=0.15, core_count_ab=3)).rule == "C4"
    assert verdict(replace(s, core_ab=0.35, core_ba=0.40, core_count_ab=8, core_count_ba=8)).relation == PEER
    # one names the other (deno names rust): not instead of it, and not built on it either when both
    # declare the kind (round 5): nothing is claimed
    assert verdict(replace(s, a_names_b=True)) is None
    # OpenRank within a factor 6 for one declared kind (5 here), not beyond (7)
    assert verdict(replace(s, openrank_a=500.0)).rule == "C4"
    assert verdict(replace(s, openrank_a=700.0)) is None
    # ... and the wider factor is for C4 alone: metadata alike (C1's bar) at factor 5 is no rival
    assert verdict(replace(s, openrank_a=500.0, shared_kind=None, metadata_similarity=0.4)) is None
    # C1 goes first when the metadata is alike anyway
    assert verdict(replace(s, metadata_similarity=0.4)).rule == "C1"


def test_c4_two_of_one_kind_whose_cores_cross() -> None:
    # two languages' runtimes (deno and node): 13% of a's core works in b, 40% of b's in a, 27 shared
    # developers at 58x random mixing. U1 reads no direction between two of one kind, U2 needs both
    # cores over 30% (a's is 13%): not one team, so one declared kind makes them rivals (round 6)
    s = replace(BASE, shared=27, lift=58.0, core_ab=0.13, core_ba=0.40, core_count_ab=3, core_count_ba=9, lean=0.4,
                openrank_a=188.0, openrank_b=430.0, shared_kind="programming language")  # fmt: skip
    v = verdict(s)
    assert (v.relation, v.rule, v.confidence) == (COMPETITOR, "C4", 0.7)
    assert "cores crossing (13% / 40%) but not one team" in v.reason
    # without the kind: the cores mix, no rival rule speaks; mean crossing 0.265 makes them peers
    assert verdict(replace(s, shared_kind=None)).rule == "P"
    # one team (both cores over 30%): peers whatever they declare
    assert verdict(replace(s, core_ab=0.31)).relation == PEER


def test_a_hub_and_a_project_are_rivals_only_by_one_declared_kind() -> None:
    # a (index 0) is a distribution hub: a package collection; b a package index of its own, 5x random
    # mixing, cores apart (round 6: they used to be peers or nothing, never rivals)
    s = replace(BASE, shared=21, lift=10.0, metadata_similarity=0.1, shared_kind="package manager")
    hub = frozenset({0})
    v = verdict(s, hub)
    assert (v.relation, v.rule) == (COMPETITOR, "C4")
    assert verdict(replace(s, shared_kind=None), hub) is None  # nothing but the tie: no rival
    # metadata alike at C1's bar is not enough between a hub and a project (tied to everything)
    assert verdict(replace(s, shared_kind=None, metadata_similarity=0.4), hub) is None
    # ... and C1 still speaks first between two projects that are not hubs, as before
    assert verdict(replace(s, metadata_similarity=0.4)).rule == "C1"


def test_u2_one_team_needs_lean_and_persistence() -> None:
    s = replace(BASE, core_ab=0.45, core_ba=0.65, core_count_ba=12, lean=0.6, previous_ab=0.40, previous_ba=0.84)
    v = verdict(s)
    assert (v.relation, v.source_is_a, v.rule) == (UPSTREAM, True, "U2")
    # gap 0.20 / 0.3, lean factor 0.5 + 0.6 / 2 = 0.8
    assert v.confidence == pytest.approx(0.2 / 0.3 * 0.8)
    assert verdict(replace(s, previous_ab=0.84, previous_ba=0.40)).relation == PEER  # the window before disagrees
    # lean 0.1, under 0.3: the gap held a year before (0.44) and the lean is not against it (round 6)
    assert verdict(replace(s, lean=0.1)).rule == "U2"
    assert verdict(replace(s, lean=-0.1)).relation == PEER


def test_u2_a_gap_held_a_year_needs_the_lean_not_against_it() -> None:
    # a library on its foundation, one team (scipy and scikit-learn): 64% of b's core works in a, 42% of
    # a's in b; a year before 46% and 24% (gap 0.22 both times); the shared developers lean +0.26 towards
    # b, under U2's 0.3. The gap held for two windows and the lean is not against it: U2 (round 6)
    s = replace(BASE, core_ab=0.42, core_ba=0.64, core_count_ab=4, core_count_ba=8, lean=0.26,
                previous_ab=0.24, previous_ba=0.46)  # fmt: skip
    v = verdict(s)
    assert (v.relation, v.source_is_a, v.rule) == (UPSTREAM, True, "U2")
    assert "the gap held a year before" in v.reason
    # gap 0.22 / 0.3, lean factor 0.5 + 0.26 / 2 = 0.63
    assert v.confidence == pytest.approx(0.22 / 0.3 * 0.63)
    # a gap of 5 points a year before does not hold U2's 10: peers (mean crossing 0.53)
    assert verdict(replace(s, previous_ab=0.41, previous_ba=0.46)).rule == "P"
    assert verdict(replace(s, previous_ab=None, previous_ba=None)).rule == "P"  # no window before
    assert verdict(replace(s, lean=-0.1)).rule == "P"  # leaning away: the gap may be size


def test_u3_named_by_the_downstream() -> None:
    s = replace(BASE, core_ab=0.0, core_ba=0.04, lean=1.3, b_names_a=True)
    v = verdict(s)
    assert (v.relation, v.source_is_a, v.rule) == (UPSTREAM, True, "U3")
    assert v.confidence == pytest.approx(0.55 + 0.25 * 1.0)
    assert verdict(replace(s, a_names_b=True)) is None  # both name each other: no direction
    # the shared developers may lean somewhat towards the upstream (its people visit the library built
    # on it, pandas and cpython), and the cores may point the other way by up to 10 points
    loose = verdict(replace(s, lean=-0.8, core_ab=0.09, core_ba=0.0))
    assert (loose.relation, loose.source_is_a, loose.rule) == (UPSTREAM, True, "U3")
    assert loose.confidence == pytest.approx(0.55)  # 0.55 + 0.25 * max(0, -0.8)
    assert verdict(replace(s, lean=-1.2)) is None  # the shared developers are the upstream's own people
    assert verdict(replace(s, core_ab=0.15, core_ba=0.03)) is None  # a's core works in b: gap -0.12


def test_c1_alike_by_metadata() -> None:
    s = replace(BASE, shared=3, lift=5.0, core_ab=0.0, core_ba=0.05, metadata_similarity=0.4, common=2,
                shared_terms=["game-engine"])  # fmt: skip
    v = verdict(s)
    assert (v.relation, v.rule) == (COMPETITOR, "C1") and "game-engine" in v.reason
    assert v.confidence == pytest.approx(0.5 + 0.4 * (0.4 / 0.5))
    mixed = verdict(replace(s, core_ba=0.2, core_count_ba=3, lean=1.0))  # cores mix: not rivals (b builds on a)
    assert mixed is not None and mixed.relation != COMPETITOR
    assert verdict(replace(s, openrank_a=500.0)) is None  # five times the weight
    assert verdict(replace(s, b_names_a=True, lean=-1.5)) is None  # built on the other, not instead of it


def test_c3_alike_by_metadata_and_position() -> None:
    # metadata alike below C1's bar (0.15 < 0.25), but six common neighbours and one user in common
    s = replace(BASE, shared=1, lift=4.0, metadata_similarity=0.15, common=6, similarity=0.1,
                shared_terms=["language"])  # fmt: skip
    v = verdict(s)
    assert (v.relation, v.rule) == (COMPETITOR, "C3") and "language" in v.reason
    assert v.confidence == pytest.approx(0.35 + 0.5 * 0.15)  # under 0.6: a candidate
    assert verdict(replace(s, metadata_similarity=0.3)).rule == "C1"  # at C1's bar C1 decides
    assert verdict(replace(s, common=4)) is None  # positions not alike: 4 common neighbours, profiles 10% alike
    assert verdict(replace(s, common=4, similarity=0.35)).rule == "C3"  # ... unless the profiles are
    assert verdict(replace(s, metadata_similarity=0.10)) is None  # below 0.12
    assert verdict(replace(s, shared=0, lift=0.0, common=6)).rule == "C3"  # common neighbours tie them
    mixed = verdict(replace(s, core_ab=0.2, core_count_ab=4, lean=-1.0))  # cores mix: not rivals (a builds on b)
    assert mixed is not None and mixed.relation != COMPETITOR


def test_c3_one_niche_with_users_in_common_is_an_alike_position() -> None:
    # two databases: metadata 19% alike, no common neighbours, profiles 0% alike, but one niche and 4
    # shared developers at 28.5x random mixing: alike positions (round 6)
    s = replace(BASE, shared=4, lift=28.5, metadata_similarity=0.19, same_niche=True, shared_terms=["sql"])
    v = verdict(s)
    assert (v.relation, v.rule) == (COMPETITOR, "C3") and "same niche" in v.reason
    assert v.confidence == pytest.approx(0.35 + 0.5 * 0.19)
    assert verdict(replace(s, same_niche=False)) is None  # two niches: positions not alike
    assert verdict(replace(s, lift=4.0)) is None  # users in common, but under 5x random mixing
    assert verdict(replace(s, metadata_similarity=0.10)) is None  # below 0.12: C2 needs alike neighbourhoods


def test_c2_alike_by_position_within_a_niche() -> None:
    s = replace(BASE, shared=10, lift=20.0, similarity=0.6, common=8, same_niche=True, reach_a=5, reach_b=-3)
    v = verdict(s)
    assert (v.relation, v.rule) == (COMPETITOR, "C2")
    assert v.confidence == pytest.approx(0.3 + 0.3 * 0.6 * math.log(20) / math.log(30))
    assert verdict(replace(s, same_niche=False)) is None
    assert verdict(replace(s, reach_a=20, reach_b=-10)) is None  # a foundation and its dependant
    assert verdict(replace(s, lift=4.0)) is None


def test_u4_the_organisations_flagship_breaks_a_one_team_tie() -> None:
    # one team without a direction in the data (cores 50% / 55%, lean +0.1): a peer, unless the
    # names say which is the organisation's flagship
    s = replace(BASE, core_ab=0.5, core_ba=0.55, lean=0.1)
    assert verdict(s).rule == "P"
    v = verdict(replace(s, a_heads_b=True))
    assert (v.relation, v.source_is_a, v.rule, v.confidence) == (UPSTREAM, True, "U4", 0.6)
    assert verdict(replace(s, b_heads_a=True)).source_is_a is False
    assert verdict(replace(s, a_heads_b=True, b_heads_a=True)).rule == "P"  # both: no direction
    # cores that overlap a little (mean 0.165 >= 0.1) are enough for a name that extends the other's to
    # decide (react, react-native), not for a peer
    family = replace(s, core_ab=0.17, core_ba=0.16)
    named = ["facebook/react", "facebook/react-native"]
    assert verdict(family) is None and decide(replace(family, a_heads_b=True), frozenset(), PARAMS, named).rule == "U4"
    assert decide(replace(family, core_ab=0.05, core_ba=0.05, a_heads_b=True), frozenset(), PARAMS, named) is None
    # ... while the flagship alone decides only within one team (both cores over 0.30, round 5): a
    # product of the organisation with a core of its own (grafana/loki, 29% each way) is a peer
    products = ["grafana/grafana", "grafana/loki"]
    sibling = replace(s, core_ab=0.29, core_ba=0.29, a_heads_b=True)
    assert decide(sibling, frozenset(), PARAMS, products).rule == "P"  # mean 0.29 >= 0.2
    assert decide(replace(sibling, core_ab=0.31, core_ba=0.31), frozenset(), PARAMS, products).rule == "U4"
    assert decide(replace(family, a_heads_b=True), frozenset(), PARAMS, products) is None  # mean 0.165: no peer
    assert verdict(replace(s, a_heads_b=True), frozenset({0})).rule == "H"  # never with a hub
    # a direction in the data goes first: U2 here (gap 0.2, lean towards the downstream 0.6)
    assert verdict(replace(s, core_ab=0.45, core_ba=0.65, lean=0.6, b_heads_a=True)).rule == "U2"


def test_flagships_and_names_that_extend() -> None:
    repos = ["kubernetes/kubernetes", "kubernetes/website", "rust-lang/rust", "rust-lang/cargo",
             "facebook/react", "facebook/react-native", "Azure/azure-cli", "Azure/azure", "Azure/azure-docs",
             "home-assistant/core", "home-assistant/home-assistant.io"]  # fmt: skip
    found = flagships(repos)
    # named like the organisation: kubernetes, rust ("rust-lang" contains "rust"), azure (only the exact
    # name qualifies, azure-cli does not); home-assistant.io holds the owner but is not named like it
    assert found == {"kubernetes": "kubernetes", "rust-lang": "rust", "azure": "azure"}
    assert heads("kubernetes/kubernetes", "kubernetes/website", found)
    assert not heads("kubernetes/website", "kubernetes/kubernetes", found)
    assert heads("rust-lang/rust", "rust-lang/cargo", found)
    assert heads("facebook/react", "facebook/react-native", found)  # the name extends it
    assert not heads("facebook/react-native", "facebook/react", found)
    assert not heads("kubernetes/kubernetes", "rust-lang/cargo", found)  # two organisations
    assert not heads("home-assistant/core", "home-assistant/home-assistant.io", found)
    assert extends("tachiyomi-extensions", "tachiyomi") and extends("translated-content", "content")
    assert not extends("reactive", "react") and not extends("react", "react")


def test_peers_need_a_real_tie() -> None:
    s = replace(BASE, core_ab=0.5, core_ba=0.55, lean=0.1)
    v = verdict(s)
    assert (v.relation, v.rule) == (PEER, "P") and v.confidence == pytest.approx(1.0)
    assert verdict(replace(s, core_ab=0.1, core_ba=0.1)) is None  # linked, nothing more to say
    assert verdict(replace(s, significant=False)) is None
    hub = verdict(s, frozenset({1}))
    assert (hub.relation, hub.rule) == (PEER, "H")


def test_lean_and_core_crossing_by_hand() -> None:
    # u: the upstream, big; d: the downstream; x and y are d's people who also report upstream
    window = {"u1": {"u/u": 50.0}, "u2": {"u/u": 30.0}, "x": {"d/d": 8.0, "u/u": 2.0}, "y": {"d/d": 4.0, "u/u": 1.0}}
    network = network_of(window)
    d, u = network.activity.index()["d/d"], network.activity.index()["u/u"]
    # shared developers x, y: 12 in d, 3 in u; sizes A(d) = 12, A(u) = 83
    assert lean(network, u, d) == pytest.approx(math.log(13 / 4) - math.log(12 / 83))
    crossing = CoreCrossing(network.activity, core_size=2)
    # d's core (x, y) is all active in u; u's core (u1, u2) is not in d
    assert crossing(d, u) == (1.0, 2) and crossing(u, d) == (0.0, 0)
    assert crossing.by_name("d/d", "nobody/here") is None


def test_classify_on_a_hand_made_window() -> None:
    window = {
        "u1": {"u/u": 50.0}, "u2": {"u/u": 30.0},
        "x": {"d/d": 8.0, "u/u": 2.0}, "y": {"d/d": 4.0, "u/u": 1.0}, "z": {"d/d": 3.0, "u/u": 1.0},
    }  # fmt: skip
    activity = activity_of(window)
    network = network_of(window)
    result = classify_relations(network, {}, {"u/u": 500.0, "d/d": 100.0}, RelationParams(core_size=2))
    (relation,) = result.relations
    assert (relation.source, relation.target, relation.relation, relation.rule) == ("u/u", "d/d", UPSTREAM, "U1")
    row = relation.row()
    assert row["targetCoreInSource"] == 1.0 and row["sourceCoreInTarget"] == 0.0 and row["lean"] > 0
    assert row["previousSourceCoreInTarget"] is None and activity.repos == ["d/d", "u/u"]


def test_metadata_similarity_and_names() -> None:
    index = metadata_index(
        [
            RepoMetadata("g/godot", "Multi-platform 2D and 3D game engine", ("game-engine", "gamedev")),
            RepoMetadata("b/bevy", "A data-driven game engine built in Rust", ("game-engine", "rust")),
            RepoMetadata("r/rust", "Empowering everyone to build reliable software", ("compiler", "language")),
            RepoMetadata("l/framework", "A web application framework", ("php",)),
            RepoMetadata("python/cpython", "The Python programming language", ()),
            RepoMetadata("p/pandas", "Data analysis library for Python", ("python",)),
        ],
        repos=["n/framework"],
    )
    assert index.similarity("g/godot", "b/bevy") > index.similarity("g/godot", "r/rust")
    assert "game-engine" in index.shared_terms("g/godot", "b/bevy")
    assert index.similarity("g/godot", "nobody/none") is None
    assert index.names("b/bevy", "r/rust")  # "built in Rust"
    assert index.names("p/pandas", "python/cpython")  # the owner is in the name: "python"
    # "framework" names two repositories in the graph: it names no project in particular
    assert not index.names("r/rust", "l/framework") and "framework" in index.shared_names


def test_an_owner_with_several_repositories_of_its_name_names_none_of_them() -> None:
    index = metadata_index(
        [
            RepoMetadata("hashicorp/terraform-provider-azurerm", "Terraform provider for Azure Resource Manager", ()),
            RepoMetadata("Azure/azure-cli", "Azure Command-Line Interface", ("azure",)),
            RepoMetadata("p/pandas", "Data analysis library for Python", ("python",)),
        ],
        repos=["Azure/azure-sdk-for-net", "python/cpython", "python/mypy"],
    )
    # azure-cli and azure-sdk-for-net both carry their owner's name: "azure" names neither
    assert not index.names("hashicorp/terraform-provider-azurerm", "Azure/azure-cli")
    assert not index.names("hashicorp/terraform-provider-azurerm", "Azure/azure-sdk-for-net")
    assert "azure" in index.shared_names
    # python/mypy does not carry "python" in its name: "python" still names python/cpython
    assert index.names("p/pandas", "python/cpython")
    # the run-together owner and name stays specific
    index = metadata_index([RepoMetadata("x/tool", "A client for azureazure-cli", ())], ["Azure/azure-cli"])
    assert index.names("x/tool", "Azure/azure-cli")


def test_kinds_a_project_declares() -> None:
    languages = frozenset({"php", "javascript", "c#", "go"})
    kinds = {
        meta.repo: meta.kinds(languages)
        for meta in [
            RepoMetadata("golang/go", "The Go programming language", ("go",)),
            RepoMetadata("rust-lang/rust", "Empowering everyone to build reliable software", ("compiler", "language")),
            RepoMetadata("php/php-src", "The PHP Interpreter", ()),
            RepoMetadata("nodejs/node", "Node.js JavaScript runtime", ("nodejs",)),
            RepoMetadata("dotnet/roslyn", "The Roslyn .NET compiler provides C# and Visual Basic languages", ()),
            RepoMetadata("microsoft/onnxruntime", "ONNX Runtime: high performance ML inferencing", ()),
            RepoMetadata("apache/tvm", "Open Machine Learning Compiler Framework", ("compiler",)),
            RepoMetadata("x/runner", "A runtime for containers, in Go", ()),
            RepoMetadata("godotengine/godot", "Multi-platform 2D and 3D game engine", ()),
            RepoMetadata("microsoft/vcpkg", "C++ Library Manager", ("package-manager",)),
            RepoMetadata("element-plus/element-plus", "A Vue.js 3 UI Library made by Element team", ("vue",)),
            RepoMetadata("mui/material-ui", "Comprehensive React component library", ("react",)),
            RepoMetadata("ant-design/ant-design", "An enterprise-class design language", ("ui-kit", "react")),
            RepoMetadata("storybookjs/storybook", "A workshop for building UI components", ("react",)),
            RepoMetadata("helix-editor/helix", "A post-modern modal text editor.", ("rust", "vim")),
            RepoMetadata("neovim/neovim", "Vim-fork focused on extensibility and usability", ("text-editor", "vim")),
            RepoMetadata("WordPress/gutenberg", "The Block Editor project for WordPress and beyond.", ()),
            RepoMetadata("RPCS3/rpcs3", "PlayStation 3 emulator and debugger", ()),
            RepoMetadata("x/mmo-server", "Modular solution for MMO", ("emulator", "server")),
            RepoMetadata("ValveSoftware/Proton", "Compatibility tool for Steam Play based on Wine", ()),
        ]
    }
    language = frozenset({"programming language"})
    assert kinds["golang/go"] == kinds["rust-lang/rust"] == language  # by the phrase, by the topic
    assert kinds["php/php-src"] == kinds["nodejs/node"] == kinds["dotnet/roslyn"] == language  # implementations
    # a runtime or compiler of no language GitHub knows is not a language (a topic `compiler` is no kind)
    assert kinds["microsoft/onnxruntime"] == kinds["apache/tvm"] == frozenset()
    # the language's name must be a word of the description ("Go" here: a runtime written in Go claims it)
    assert kinds["x/runner"] == language
    assert kinds["godotengine/godot"] == frozenset({"game engine"})
    assert kinds["microsoft/vcpkg"] == frozenset({"package manager"})
    ui = frozenset({"UI component library"})  # round 6: by the phrase ("UI library", "component library") or topic
    assert kinds["element-plus/element-plus"] == kinds["mui/material-ui"] == kinds["ant-design/ant-design"] == ui
    assert kinds["storybookjs/storybook"] == frozenset()  # a tool for building components is not a library of them
    editor = frozenset({"text editor"})  # round 7: by the phrase or the topic
    assert kinds["helix-editor/helix"] == kinds["neovim/neovim"] == editor
    assert kinds["WordPress/gutenberg"] == frozenset()  # a block editor of web pages edits no code
    emulator = frozenset({"emulator"})  # round 8: by the word or the topic; a compatibility layer says neither
    assert kinds["RPCS3/rpcs3"] == kinds["x/mmo-server"] == emulator
    assert kinds["ValveSoftware/Proton"] == frozenset()


def test_shared_kind_reads_the_languages_from_the_projects() -> None:
    index = metadata_index(
        [
            RepoMetadata("php/php-src", "The PHP Interpreter", (), "C"),
            RepoMetadata("golang/go", "The Go programming language", ("go",), "Go"),
            RepoMetadata("laravel/framework", "A web application framework", ("php",), "PHP"),
            RepoMetadata("x/onnxruntime", "ONNX Runtime", (), "C++"),
        ]
    )
    # "PHP" is a language GitHub gives laravel: the PHP interpreter declares a language
    assert index.shared_kind("php/php-src", "golang/go") == "programming language"
    assert index.shared_kind("golang/go", "laravel/framework") is None  # laravel declares no kind
    assert index.shared_kind("golang/go", "x/onnxruntime") is None
    assert index.shared_kind("golang/go", "nobody/none") is None
