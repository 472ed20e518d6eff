"""The OpenRank solver (analysis/openrank/method.py) on hand-solved graphs, and the pure
pieces around it: the unlisted tail, dropping automation, Spearman's rho, the rows stored
per developer. tests/support/openrank_by_hand.py writes each month out as its linear system."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from nichegraph.analysis.openrank.graph import TAIL_SCORE_CAP, tail_estimate
from nichegraph.analysis.openrank.method import (
    DEVELOPER,
    REPO,
    MonthEdges,
    NodeIndex,
    OpenRankParams,
    compute,
    solve_month,
)
from nichegraph.analysis.openrank.run import correlation_summary, spearman
from nichegraph.analysis.openrank.storage import developer_rows
from nichegraph.errors import BadParameter
from nichegraph.months import Window
from tests.support.openrank_by_hand import (
    EXACT,
    SEVEN_MONTHS,
    K,
    check_seven_months,
    one_listed_two_unlisted,
    one_repo_month,
    seven_months,
    sigmoid,
)
from tests.support.trend_fixtures import months


def edges(month: str, rows: list[tuple[int, int, float]], **tail: np.ndarray) -> MonthEdges:
    """rows: (developer index, repository index, score)."""
    dev, repo, score = (np.array(column) for column in zip(*rows, strict=True)) if rows else ([], [], [])
    return MonthEdges(
        month, np.asarray(dev, dtype=np.int64), np.asarray(repo, dtype=np.int64), np.asarray(score, float), **tail
    )


def test_one_developer_on_one_new_repository() -> None:
    # score 2: activity 4, start value sigmoid(11.1 x 4); the developer holds all of it
    result = solve_month(edges("2021-01", [(0, 0, 2.0)]), np.zeros(1), np.zeros(1), EXACT)
    dev, repo = one_repo_month(sigmoid(K * 4), 1, 1.0)
    assert result.developer_value == pytest.approx([dev], rel=1e-9)
    assert result.repo_value == pytest.approx([repo], rel=1e-9)
    assert (result.active_developers, result.active_repos, result.dropped_automation) == (1, 1, 0)
    assert result.developer_activity.tolist() == [4.0]


def test_the_default_tolerance_stops_close_to_the_fixed_point() -> None:
    sigmoid_rule = OpenRankParams(developer_init="sigmoid")
    result = solve_month(edges("2021-01", [(0, 0, 2.0)]), np.zeros(1), np.zeros(1), sigmoid_rule)
    dev, repo = one_repo_month(sigmoid(K * 4), 1, 1.0)
    assert result.iterations < 100
    # no node moved by 0.01 in the last step; the remaining steps shrink geometrically
    assert result.developer_value == pytest.approx([dev], abs=0.05)
    assert result.repo_value == pytest.approx([repo], abs=0.05)


def test_the_log_start_value() -> None:
    # score 0.5: activity 0.25, in sigmoid units 2.775; the 2023 task starts from ln(a + 1) / 3
    params = OpenRankParams(tolerance=1e-12, max_iterations=1000, developer_init="log")
    result = solve_month(edges("2021-01", [(0, 0, 0.5)]), np.zeros(1), np.zeros(1), params)
    dev, repo = one_repo_month(math.log(K * 0.25 + 1) / 3, 1, 1.0)
    assert result.developer_value == pytest.approx([dev], rel=1e-9)
    assert result.repo_value == pytest.approx([repo], rel=1e-9)


def run_seven_months(first: str = "2020-01", start: tuple[np.ndarray, np.ndarray] | None = None):  # type: ignore[no-untyped-def]
    developers, repos = NodeIndex(), NodeIndex()
    rows = [(developers.index(login), repos.index(repo), month, score) for login, repo, month, score in SEVEN_MONTHS]
    window = Window(first, "2020-07")
    by_month = [edges(month, [(d, r, s) for d, r, m, s in rows if m == month]) for month in window.months()]
    return compute(by_month, window, developers, repos, EXACT, start, start is not None)


def values(run) -> dict[tuple[str, str], float]:  # type: ignore[no-untyped-def]
    return {(name, month): value for kind in (DEVELOPER, REPO) for name, month, value in run.values(kind)}


def test_seven_months_with_decay_and_drop_out() -> None:
    run = run_seven_months()
    check_seven_months(values(run))
    assert [m.active_developers for m in run.months] == [4, 1, 0, 0, 0, 0, 0]
    assert not run.warm_start


def test_a_window_starting_later_continues_from_the_month_before() -> None:
    whole = run_seven_months()
    january = whole.months[0]
    dev, repo = np.zeros(4), np.zeros(2)
    dev[january.developer_index], repo[january.repo_index] = january.developer_value, january.repo_value
    later = run_seven_months("2020-02", (dev, repo))
    assert later.warm_start
    assert values(later) == pytest.approx({k: v for k, v in values(whole).items() if k[1] != "2020-01"}, rel=1e-12)


def test_inactive_nodes_keep_a_decayed_value_only_above_the_minimum() -> None:
    previous = np.array([0.0, 2.0, 1.0, 0.5])  # developer 0 is active; 1 is above 1; 2 and 3 are not
    result = solve_month(edges("2021-02", [(0, 0, 2.0)]), previous, np.zeros(1), EXACT)
    assert result.developer_index.tolist() == [0] and result.developer_activity.tolist() == [4.0]
    # inactive developers are carried apart: only 1 is above the minimum (1 for the sigmoid rule)
    assert result.carried_developer_index.tolist() == [1] and result.carried_developers == 1
    assert result.carried_developer_value[0] == pytest.approx(0.85 * 2.0)


def test_unlisted_developers_are_stood_in_for() -> None:
    # one listed developer (score 2) and, by OpenDigger's totals, two more with score 1.2 each
    tail = {"tail_repos": np.array([0]), "tail_counts": np.array([2.0]), "tail_scores": np.array([1.2])}
    result = solve_month(edges("2021-01", [(0, 0, 2.0)], **tail), np.zeros(1), np.zeros(1), EXACT)
    dev, repo = one_listed_two_unlisted(2.0, 1.2)
    assert (result.developer_value[0], result.repo_value[0]) == pytest.approx((dev, repo), rel=1e-9)
    # without the tail it is the one-developer case
    alone = solve_month(
        edges("2021-01", [(0, 0, 2.0)], **tail),
        np.zeros(1),
        np.zeros(1),
        OpenRankParams(developer_init="sigmoid", tolerance=1e-12, max_iterations=1000, tail=False),
    )
    dev, repo = one_repo_month(sigmoid(K * 4.0), 1, 1.0)
    assert (alone.developer_value[0], alone.repo_value[0]) == pytest.approx((dev, repo), rel=1e-9)


def test_accounts_with_more_than_300_repositories_are_dropped() -> None:
    repos = np.arange(301)
    month = MonthEdges(
        "2021-01",
        developers=np.r_[np.zeros(301, dtype=np.int64), [1]],  # developer 0: 301 repositories
        repos=np.r_[repos, [0]],
        scores=np.ones(302),
    )
    result = solve_month(month, np.zeros(2), np.zeros(301), EXACT)
    assert result.dropped_automation == 1
    assert result.developer_index.tolist() == [1]
    assert result.repo_index.tolist() == [0]
    alone = solve_month(edges("2021-01", [(1, 0, 1.0)]), np.zeros(2), np.zeros(301), EXACT)
    assert result.developer_value == pytest.approx(alone.developer_value)
    assert result.repo_value == pytest.approx(alone.repo_value)


def test_an_empty_month_only_decays() -> None:
    result = solve_month(edges("2021-03", []), np.array([3.0]), np.array([0.5, 4.0]), EXACT)
    assert (result.developer_index.tolist(), result.repo_index.tolist()) == ([], [1])
    assert result.carried_developer_index.tolist() == [0]
    assert (result.carried_developer_value[0], result.repo_value[0]) == pytest.approx((0.85 * 3.0, 0.85 * 4.0))


def test_tail_estimate_caps_the_unlisted_score() -> None:
    listed = pd.DataFrame(
        [
            {"month": "2021-01", "repo": "a/a", "listed": 2, "listedActivity": 10.0},
            {"month": "2021-01", "repo": "b/b", "listed": 4, "listedActivity": 9.0},
        ]
    )
    totals = pd.DataFrame(
        [
            {"month": "2021-01", "repo": "a/a", "participants": 5, "activity": 13.9},  # 3 more, 1.3 each
            {"month": "2021-01", "repo": "b/b", "participants": 5, "activity": 19.0},  # 1 more, 10 -> cap 2
            {"month": "2021-01", "repo": "c/c", "participants": 3, "activity": 3.0},  # none listed at all
        ]
    )
    tail = tail_estimate(listed, totals).set_index("repo")
    assert tail.loc["a/a", "count"] == 3 and tail.loc["a/a", "score"] == pytest.approx(1.3)
    assert tail.loc["b/b", "count"] == 1 and tail.loc["b/b", "score"] == TAIL_SCORE_CAP
    assert tail.loc["c/c", "count"] == 3 and tail.loc["c/c", "score"] == pytest.approx(1.0)


def test_no_tail_where_everyone_is_listed() -> None:
    listed = pd.DataFrame([{"month": "2021-01", "repo": "a/a", "listed": 5, "listedActivity": 10.0}])
    totals = pd.DataFrame([{"month": "2021-01", "repo": "a/a", "participants": 5, "activity": 12.0}])
    assert tail_estimate(listed, totals).empty
    assert tail_estimate(listed, totals.iloc[0:0]).empty


def test_spearman_uses_average_ranks_for_ties() -> None:
    # ranks of x: 1, 2.5, 2.5, 4; of y: 1, 2, 3, 4 -> Pearson of the ranks, worked out
    rx, ry = np.array([1, 2.5, 2.5, 4]), np.array([1, 2, 3, 4])
    expected = ((rx - rx.mean()) * (ry - ry.mean())).sum() / math.sqrt(
        ((rx - rx.mean()) ** 2).sum() * ((ry - ry.mean()) ** 2).sum()
    )
    assert spearman(np.array([10.0, 20, 20, 30]), np.array([1.0, 2, 3, 4])) == pytest.approx(expected)
    assert spearman(np.array([1.0, 2, 3]), np.array([30.0, 20, 10])) == pytest.approx(-1.0)
    assert math.isnan(spearman(np.array([1.0, 2]), np.array([1.0, 2])))  # too few
    assert math.isnan(spearman(np.array([1.0, 1, 1]), np.array([1.0, 2, 3])))  # no spread


def test_correlation_summary() -> None:
    rows = [{"month": f"2020-{m:02d}", "repos": 3, "spearman": m / 100} for m in range(1, 13)]
    rows = [{"month": "2019-12", "repos": 1, "spearman": None}, *rows, {"month": "2021-01", "spearman": 0.5}]
    summary = correlation_summary(rows)
    # 13 values: 0.01 .. 0.12 and 0.5; the last 12 rows hold 0.02 .. 0.12 and 0.5
    assert summary["months"] == 13 and summary["min"] == 0.01 and summary["max"] == 0.5
    assert summary["mean"] == round((0.78 + 0.5) / 13, 4)
    assert summary["last12Mean"] == round((0.78 - 0.01 + 0.5) / 12, 4) and summary["last12Min"] == 0.02
    assert correlation_summary([{"spearman": None}])["mean"] is None


def test_developer_rows_keep_each_developers_months_in_order() -> None:
    run = run_seven_months()
    rows = {row["key"]: row for row in developer_rows(run)}
    expected = seven_months()
    assert set(rows) == {"d1", "d2", "d3", "d4"}
    d1 = rows["d1"]
    assert d1["months"] == sorted(month for name, month in expected if name == "d1")
    assert d1["values"] == pytest.approx([expected[("d1", month)] for month in d1["months"]])
    # activity: 3^2 in January, 2^2 in February, 0 while only decaying
    assert d1["activity"] == [9.0, 4.0] + [0.0] * (len(d1["months"]) - 2)
    assert rows["d2"]["months"] == ["2020-01"] and rows["d2"]["activity"] == [9.0]
    assert months(1, 2) == d1["months"][:2]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"activity_scale": 0}, "--activity-scale: 0 must be positive"),
        ({"activity_scale": -1.5}, "--activity-scale: -1.5 must be positive"),
        ({"developer_init": "linear"}, "--developer-init: 'linear' is not one of legacy, log, sigmoid"),
    ],
)
def test_bad_parameters_are_named(params: dict[str, object], message: str) -> None:
    with pytest.raises(BadParameter) as error:
        OpenRankParams(**params)  # type: ignore[arg-type]
    assert str(error.value) == message
