"""The report's expansion in SQL over events, on the hand-made case of
tests/support/event_cases.py (March 2023), worked out by hand:

seed/a's active developers: d1..d10 (ci-bot[bot] is a bot). Shared with the seed:
c/one 8 (d1..d8; d8 only reviewed), c/two 5 (d1..d5), c/three 3 (d6..d8), c/four 2 (d9, d10),
c/five 1 (d10); c/bots none (a bot only), c/later none in March (its activity is in May).
With --top 4, c/five is beyond the top. Pairs: seed-one 8, seed-two 5, one-two 5 (d1..d5),
seed-three 3, one-three 3 (d6..d8), seed-four 2, the others 0.
With --min-shared 4 and --min-openrank 10 (c/one 20, c/two 15 computed, c/three 50, c/four 3):
c/four is below the threshold, c/three has no pair of 4 (isolated), and the landscape is
seed/a, c/one, c/two with edges seed-one 8, seed-two 5, one-two 5.
"""

from __future__ import annotations

import pytest

from nichegraph.analysis.events_expand import COMPUTED, PUBLISHED, EventsExpandParams, OpenRank, explain
from nichegraph.loader.events.expansion import pair_overlap, seed_overlap
from nichegraph.loader.events.stores import open_events
from nichegraph.months import Window
from tests.support.event_cases import expansion_case

MARCH = Window("2023-03", "2023-03")
OPENRANK = {
    "c/one": OpenRank(20.0, 1, PUBLISHED),
    "c/two": OpenRank(15.0, 1, COMPUTED),
    "c/three": OpenRank(50.0, 1, PUBLISHED),
    "c/four": OpenRank(3.0, 1, PUBLISHED),
    "c/five": OpenRank(99.0, 1, PUBLISHED),
}


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("expansion")
    expansion_case().write(folder)
    with open_events(str(folder)) as store:
        overlap = seed_overlap(store, ["Seed/A", "no/such"], MARCH, top=4)
        names = [item.name for item in [*overlap.seeds, *overlap.candidates[:4]]]
        pairs = pair_overlap(store, overlap, names, MARCH, min_shared=1)
    return overlap, pairs


def test_candidates_are_ranked_by_active_developers_shared_with_the_seeds(answers) -> None:  # type: ignore[no-untyped-def]
    overlap, _ = answers
    assert [(s.name, s.active_developers) for s in overlap.seeds] == [("seed/a", 10)]
    assert overlap.seed_developers == 10
    assert overlap.missing_seeds == ["no/such"]
    assert [(c.rank, c.name, c.shared, c.active_developers) for c in overlap.candidates] == [
        (1, "c/one", 8, 9),
        (2, "c/two", 5, 6),
        (3, "c/three", 3, 3),
        (4, "c/four", 2, 2),
        (5, "c/five", 1, 1),
    ]


def test_pairs_count_the_active_developers_both_share(answers) -> None:  # type: ignore[no-untyped-def]
    _, pairs = answers
    assert sorted(pairs) == sorted(
        [
            ("c/one", "seed/a", 8),
            ("c/two", "seed/a", 5),
            ("c/one", "c/two", 5),
            ("c/three", "seed/a", 3),
            ("c/one", "c/three", 3),
            ("c/four", "seed/a", 2),
        ]
    )


def test_the_landscape_and_why_each_other_project_was_left_out(answers) -> None:  # type: ignore[no-untyped-def]
    overlap, pairs = answers
    params = EventsExpandParams(top=4, min_shared=4, min_openrank=10)
    result = explain(str(MARCH), overlap.seeds, overlap.candidates, pairs, OPENRANK, params, 10, ["no/such"])
    assert [(m.repo, m.edges) for m in result.kept()] == [("seed/a", 2), ("c/one", 2), ("c/two", 2)]
    assert result.edges == [("c/one", "seed/a", 8), ("c/one", "c/two", 5), ("c/two", "seed/a", 5)]
    reasons = {m.repo: m.reason for m in result.members}
    assert reasons["seed/a"] == "seed (kept below the OpenRank threshold)"  # no OpenRank given for it
    assert reasons["c/one"] == "rank 1: 8 active developers shared with the seeds"
    assert {m.repo: m.row()["openrankSource"] for m in result.kept()} == {
        "seed/a": None,
        "c/one": "published",
        "c/two": "computed",
    }
    assert reasons["c/three"] == "isolated: no other node shares 4 active developers with it"
    assert reasons["c/four"] == "mean OpenRank 3.0 < 10"
    assert reasons["c/five"] == "rank 5: beyond --top 4"
    assert {m.repo for m in result.left_out()} == {"c/three", "c/four", "c/five"}


def test_without_openrank_a_candidate_is_left_out_with_the_way_to_get_it(answers) -> None:  # type: ignore[no-untyped-def]
    overlap, pairs = answers
    result = explain("2023-03:2023-03", overlap.seeds, overlap.candidates, pairs, {}, EventsExpandParams(top=2))
    assert [m.repo for m in result.kept()] == ["seed/a"]
    assert result.edges == []
    assert all("no OpenRank in the period" in m.reason for m in result.left_out() if m.rank and m.rank <= 2)
