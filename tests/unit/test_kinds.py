"""Niches of one declared kind and placed unassigned projects (analysis/kinds.py) on hand-made
networks and metadata: which projects declare a kind, when the data ties them, what is gathered,
what is left alone, when an unassigned project is placed and when it is not, and that nothing
moves without metadata or with the passes turned off."""

from __future__ import annotations

from collections import Counter

import pytest

from nichegraph.analysis.kinds import (
    DOCUMENTATION,
    KindNiche,
    Placement,
    components,
    declared_kind,
    gather_kinds,
    place_unassigned,
    whole_niche,
)
from nichegraph.analysis.metadata import RepoMetadata, metadata_index
from nichegraph.analysis.niches import NicheParams, detect_niches, niche_rows, run_properties
from nichegraph.errors import BadParameter
from tests.support.hand_networks import EVERY_LINK, network_of

LANGUAGES = ["lang/one", "lang/three", "lang/two"]


def ecosystems() -> dict[str, dict[str, float]]:
    """Three ecosystems, each a language and two libraries (two developers on the language and the
    first library, one on both libraries), the languages tied by one developer each (one-two,
    two-three), and 16 developers working on one library only.

    Random mixing: 11 developers in 2 projects and 16 in one: kappa = sum k(k-1) / (sum k)^2 =
    22 / 38^2. lang/one has 3 developers, lang/two 4: expected shared 3 * 4 * 22 / 1444 = 0.183,
    1 shared, lift 5.47 (>= 3: tied). lang/one and lang/three share none and have one neighbour in
    common (lang/two; two are asked): not tied to each other, but both to lang/two."""
    work: dict[str, dict[str, float]] = {}
    for eco in ("one", "two", "three"):
        for core in ("x", "y"):
            work[f"{core}-{eco}"] = {f"lang/{eco}": 10.0, f"lib/{eco}-a": 10.0}
        work[f"z-{eco}"] = {f"lib/{eco}-a": 5.0, f"lib/{eco}-b": 5.0}
    work["bridge-1"] = {"lang/one": 1.0, "lang/two": 1.0}
    work["bridge-2"] = {"lang/two": 1.0, "lang/three": 1.0}
    for i in range(16):
        work[f"single-{i}"] = {f"lib/{('one', 'two', 'three')[i % 3]}-b": 1.0}
    return work


def language_metadata() -> list[RepoMetadata]:
    return [RepoMetadata(f"lang/{eco}", f"The {eco.title()} programming language") for eco in ("one", "two", "three")]


ECOSYSTEM_GROUPS = {
    **{f"lang/{eco}": n for n, eco in enumerate(("one", "two", "three"))},
    **{f"lib/{eco}-{side}": n for n, eco in enumerate(("one", "two", "three")) for side in "ab"},
}


def test_a_project_declares_one_kind_by_its_metadata_or_documentation_by_its_name() -> None:
    index = metadata_index(
        [
            RepoMetadata("lang/one", "The One programming language"),
            RepoMetadata("lib/a", "A library"),
            RepoMetadata("tool/docs", "A game engine"),  # docs by its name and a game engine: which job?
        ]
    )
    assert declared_kind(index, "lang/one") == "programming language"
    assert declared_kind(index, "lib/a") is None
    assert declared_kind(index, "org/website") == DOCUMENTATION  # no metadata needed for the name
    assert declared_kind(index, "tool/docs") is None


def test_components_of_the_tie_graph() -> None:
    items = ["a", "b", "c", "d", "e"]
    assert components(items, [("a", "b"), ("c", "b"), ("d", "e")]) == [["a", "b", "c"], ["d", "e"]]
    assert components(items, []) == [[item] for item in items]


def test_a_whole_niche_is_nothing_to_gather() -> None:
    sizes = Counter({0: 3, 1: 5})
    assert whole_niche({0}, 3, sizes)
    assert not whole_niche({1}, 3, sizes)  # three of a niche of five
    assert not whole_niche({0, 1}, 3, sizes)
    assert not whole_niche({None}, 3, sizes)  # unassigned projects


def test_the_lift_that_ties_two_languages() -> None:
    network = network_of(ecosystems(), EVERY_LINK)
    index = network.activity.index()
    assert network.kappa == pytest.approx(22 / 38**2)
    one_two = network.link(index["lang/one"], index["lang/two"])
    assert one_two is not None and (one_two.shared, one_two.lift) == (1, pytest.approx(1444 / (12 * 22)))
    assert network.link(index["lang/one"], index["lang/three"]) is None


def test_languages_tied_by_the_data_are_gathered_into_a_niche_of_their_kind() -> None:
    network = network_of(ecosystems(), EVERY_LINK)
    index = metadata_index(language_metadata(), network.repos)
    groups, kinds = gather_kinds(ECOSYSTEM_GROUPS, ECOSYSTEM_GROUPS, network, index, min_size=3, first=7)
    assert {repo for repo, group in groups.items() if group == 7} == set(LANGUAGES)
    # the libraries stay where they were
    assert all(groups[repo] == group for repo, group in ECOSYSTEM_GROUPS.items() if repo.startswith("lib/"))
    # 2 tied pairs (one-two, two-three), from 3 niches
    assert kinds == {7: KindNiche("programming language", 3, 2, 3)}
    assert kinds[7].reason == (
        "a niche of one kind (programming language): its 3 members declare it in their GitHub metadata, and the "
        "data ties them (2 pairs share a developer at 3x random mixing or two neighbours); they came from 3 niches, "
        "where their ecosystems are"
    )
    # four asked: three are not enough; 0: never
    for size in (4, 0):
        assert gather_kinds(ECOSYSTEM_GROUPS, ECOSYSTEM_GROUPS, network, index, size, 7) == (ECOSYSTEM_GROUPS, {})


def test_languages_the_data_does_not_tie_stay_with_their_ecosystems() -> None:
    work = ecosystems()
    del work["bridge-2"]  # lang/three is tied to no other language
    network = network_of(work, EVERY_LINK)
    index = metadata_index(language_metadata(), network.repos)
    assert gather_kinds(ECOSYSTEM_GROUPS, ECOSYSTEM_GROUPS, network, index, 3, 7) == (ECOSYSTEM_GROUPS, {})
    groups, kinds = gather_kinds(ECOSYSTEM_GROUPS, ECOSYSTEM_GROUPS, network, index, 2, 7)
    assert {repo for repo, group in groups.items() if group == 7} == {"lang/one", "lang/two"}
    assert kinds[7].members == 2 and kinds[7].ties == 1


def test_detect_niches_gathers_the_kind_and_leaves_nobody_behind_silently() -> None:
    network = network_of(ecosystems(), EVERY_LINK)
    index = metadata_index(language_metadata(), network.repos)
    params = NicheParams(runs=4, place_similarity=0.0)
    plain = detect_niches(network, params)
    assert sorted(sorted(m.repo for m in niche.members) for niche in plain.niches) == [
        ["lang/one", "lib/one-a", "lib/one-b"],
        ["lang/three", "lib/three-a", "lib/three-b"],
        ["lang/two", "lib/two-a", "lib/two-b"],
    ]
    found = detect_niches(network, params, metadata=index)
    assert sorted(sorted(m.repo for m in niche.members) for niche in found.niches) == [
        LANGUAGES,
        ["lib/one-a", "lib/one-b"],
        ["lib/three-a", "lib/three-b"],
        ["lib/two-a", "lib/two-b"],
    ]
    kind_niche = next(niche for niche in found.niches if niche.kind_reason)
    assert kind_niche.kind_reason == found.kinds[0].reason
    assert kind_niche.split_reason is None
    # stored: the niche's reason and the run's
    run = run_properties(found)
    assert (run["kindMinSize"], run["kindNiches"], run["kindReasons"]) == (3, 1, [found.kinds[0].reason])
    rows, _members = niche_rows(found)
    assert sorted(row["props"]["kindReason"] is not None for row in rows) == [False, False, False, True]
    # libraries of one ecosystem left with fewer than --min-size 3 members are unassigned, and say why
    small = detect_niches(network, NicheParams(runs=4, min_size=3, place_similarity=0.0), metadata=index)
    assert [sorted(m.repo for m in niche.members) for niche in small.niches] == [LANGUAGES]
    assert small.unassigned["lib/one-a"] == (
        "alone in its niche once its other members moved to a niche of their kind (programming language)"
    )


def test_without_metadata_or_turned_off_nothing_moves() -> None:
    network = network_of(ecosystems(), EVERY_LINK)
    params = NicheParams(runs=4)

    def groups(**changes: object) -> list[list[str]]:
        metadata = changes.pop("metadata", None)
        result = detect_niches(network, NicheParams(runs=4, **changes), metadata=metadata)  # type: ignore[arg-type]
        return sorted(sorted(m.repo for m in niche.members) for niche in result.niches)

    plain = groups()
    assert groups(metadata=metadata_index([], network.repos)) == plain
    assert groups(metadata=metadata_index(language_metadata(), network.repos), kind_min_size=0) == plain
    assert detect_niches(network, params).kinds == []


# Placement: niche 0 (a/1-a/3) describes itself "chess board", niche 1 (b/1-b/3) "sql store".
# new/thing ("chess board") works more with a/1 than with b/1; odd/one ("sql store") more with a/2
# than with b/2: the data says niche 0 for both, the metadata only for new/thing.
PLACING = {
    "core-a": {"a/1": 10.0, "a/2": 10.0, "a/3": 10.0},
    "core-b": {"b/1": 10.0, "b/2": 10.0, "b/3": 10.0},
    "n1": {"new/thing": 2.0, "a/1": 2.0},  # 2 * 2 / 4 = 1.0 to the pair's sum
    "n2": {"new/thing": 1.0, "b/1": 1.0},  # 1 * 1 / 2 = 0.5
    "fill-1": {"b/1": 1.0},  # a/1 and b/1 both of activity 12: the weights differ only by the sums
    "o1": {"odd/one": 2.0, "a/2": 2.0},
    "o2": {"odd/one": 1.0, "b/2": 1.0},
    "fill-2": {"b/2": 1.0},
}
PLACED_GROUPS = {"a/1": 0, "a/2": 0, "a/3": 0, "b/1": 1, "b/2": 1, "b/3": 1}


def placing_metadata() -> list[RepoMetadata]:
    words = {**dict.fromkeys(["a/1", "a/2", "a/3", "new/thing"], "chess board")}
    words |= dict.fromkeys(["b/1", "b/2", "b/3", "odd/one"], "sql store")
    return [RepoMetadata(repo, text) for repo, text in words.items()]


def test_an_unassigned_project_is_placed_only_where_the_data_and_the_metadata_agree() -> None:
    network = network_of(PLACING, EVERY_LINK)
    index = metadata_index(placing_metadata(), network.repos)
    # 8 described projects, two groups of 4 alike (cosine 1), the rest 0: random pairs 12 / 28 alike;
    # new/thing is as alike as can be to niche 0's three members: 1 / (12/28) = 2.33x
    placed = place_unassigned(PLACED_GROUPS, ["new/thing", "odd/one"], network, index, min_similarity=2.0)
    # its weight: 1.0 / sqrt(3 * 12) to niche 0, 0.5 / sqrt(3 * 12) to niche 1: 2/3 to niche 0
    assert placed == {"new/thing": (0, Placement(pytest.approx(2 / 3), pytest.approx(28 / 12), 3))}
    assert placed["new/thing"][1].reason == (
        "placed: no link of its own passes the filters, but the niche it shares most developers with (67% of that "
        "weight) is also the one whose 3 described members are most like it (2.3x as alike as random projects)"
    )
    # asked 3x random: 2.33x is not enough; 0: never
    assert place_unassigned(PLACED_GROUPS, ["new/thing", "odd/one"], network, index, 3.0) == {}
    assert place_unassigned(PLACED_GROUPS, ["new/thing", "odd/one"], network, index, 0.0) == {}
    # without metadata nothing is placed
    assert place_unassigned(PLACED_GROUPS, ["new/thing"], network, metadata_index([]), 2.0) == {}


@pytest.mark.parametrize(
    ("params", "message"),
    [(NicheParams(kind_min_size=1), "--kind-min-size"), (NicheParams(place_similarity=-1.0), "--place-similarity")],
)
def test_bad_kind_parameters_are_refused(params: NicheParams, message: str) -> None:
    with pytest.raises(BadParameter, match=message):
        params.check()
