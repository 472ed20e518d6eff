"""GitHub events -> OpenDigger's activity, through embedded ClickHouse (chdb), on the hand-made
small case of tests/support/event_cases.py. Every expected score is worked out here by hand from
the weights in OpenDigger's source (src/metrics/indices.ts): sqrt(0.5252 * issue comments +
2.2235 * opened issues + 4.0679 * opened pull requests + 0.7427 * review comments + 2.0339 *
merged pull requests), or the integer weights 1, 2, 3, 4, 2 of its earlier versions."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from nichegraph.loader.events.activity import WEIGHTS, compute_activity
from nichegraph.loader.events.stores import open_events
from nichegraph.months import Window
from tests.support.event_cases import write_small_case

IC, OI, OP, RC, MP = 0.5252, 2.2235, 4.0679, 0.7427, 2.0339

# rocketorg/rocket (acme/rocket until February) and acme/engine, by hand (see event_cases.py)
EXPECTED_CURRENT = {
    "rocketorg/rocket": {
        "2023-01": {
            "alice": math.sqrt(2 * IC + OI + RC),  # 2 distinct comments (one repeated), issue #1, 1 review comment
            "bob": math.sqrt(IC + OP + MP),  # comment, PR #2, PR #2 merged by alice counts for bob
            "dependabot[bot]": math.sqrt(OP),  # PR #3 (closed unmerged: nothing for anyone)
            "dave": math.sqrt(OP),  # PR #5
        },
        "2023-02": {
            "Carol": math.sqrt(OI),  # issue #4 under her latest login
            "bob": math.sqrt(IC),  # merging #5 credits its author, the deleted account: dropped
        },
    },
    "acme/engine": {
        "2023-02": {
            "alice": math.sqrt(OP + MP),  # PR #7, merged by bob
            "bob": math.sqrt(RC),
        },
    },
}


@pytest.fixture(scope="module")
def small_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gharchive")
    write_small_case(folder)
    return folder


def scores(result) -> dict[str, dict[str, dict[str, float]]]:  # type: ignore[no-untyped-def]
    return {
        name: {month: {login: score for login, (score, _, _) in devs.items()} for month, devs in repo.months.items()}
        for name, repo in result.repos.items()
    }


def assert_scores(actual: dict, expected: dict) -> None:  # type: ignore[type-arg]
    assert actual.keys() == expected.keys()
    for repo, months in expected.items():
        assert actual[repo].keys() == months.keys(), repo
        for month, developers in months.items():
            assert actual[repo][month].keys() == developers.keys(), (repo, month)
            for login, score in developers.items():
                assert actual[repo][month][login] == pytest.approx(score, abs=1e-6), (repo, month, login)


def test_activity_of_every_repository_matches_the_hand_computed_scores(small_case: Path) -> None:
    with open_events(str(small_case)) as store:
        result = compute_activity(store, None, None, WEIGHTS["current"])
        imported = store.report.rows
    assert_scores(scores(result), EXPECTED_CURRENT)
    assert result.renamed() == {"rocketorg/rocket": ["acme/rocket"]}
    assert result.deleted_account_rows == 1
    # 18 lines of the six kinds that count (12 in January, the repeated comment included, 6 in
    # February) of 23; pushes, stars, forks and the sponsorship are not imported
    assert imported == 18


def test_classic_weights(small_case: Path) -> None:
    with open_events(str(small_case)) as store:
        result = compute_activity(store, ["acme/engine"], None, WEIGHTS["classic"])
    # classic weights: comment 1, issue 2, pull 3, review comment 4, merged 2
    assert_scores(scores(result), {"acme/engine": {"2023-02": {"alice": math.sqrt(3 + 2), "bob": math.sqrt(4)}}})


def test_series_per_repository_month(small_case: Path) -> None:
    with open_events(str(small_case)) as store:
        repo = compute_activity(store, None, None, WEIGHTS["current"]).repos["rocketorg/rocket"]
    january = repo.months["2023-01"]
    assert len(january) == 4  # participants
    assert sum(opened for _, opened, _ in january.values()) == 1  # issues opened: #1
    assert sum(opened for _, _, opened in january.values()) == 3  # pull requests opened: #2, #3, #5


def test_repositories_are_found_by_any_name_they_had(small_case: Path) -> None:
    with open_events(str(small_case)) as store:
        result = compute_activity(store, ["ACME/Rocket", "nobody/here"], None, WEIGHTS["current"])
    assert set(result.repos) == {"rocketorg/rocket"}
    assert result.missing == ["nobody/here"]


def test_months_limit_what_is_counted_not_the_names(small_case: Path) -> None:
    with open_events(str(small_case)) as store:
        result = compute_activity(store, None, Window("2023-02", "2023-02"), WEIGHTS["current"])
    expected = {
        repo: {m: devs for m, devs in months.items() if m == "2023-02"} for repo, months in EXPECTED_CURRENT.items()
    }
    assert_scores(scores(result), expected)


def test_a_repository_keeps_its_latest_name_whatever_the_months(small_case: Path) -> None:
    with open_events(str(small_case)) as store:
        january = compute_activity(store, ["acme/rocket"], Window("2023-01", "2023-01"), WEIGHTS["current"])
    assert list(january.repos) == ["rocketorg/rocket"]
    assert set(january.repos["rocketorg/rocket"].months) == {"2023-01"}
    assert january.repos["rocketorg/rocket"].former_names == {"acme/rocket"}
