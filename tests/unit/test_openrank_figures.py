"""The comparison page's figures worked out from a run's arrays (analysis/openrank/figures.py),
on a hand-made run whose amounts are worked out below by hand: value x score^2 / activity."""

from __future__ import annotations

import numpy as np
import pytest

from nichegraph.analysis.openrank.figures import KeptEdges, ProjectDevelopers, covers, figure_rows, project_developers
from nichegraph.analysis.openrank.method import MonthEdges, MonthResult, NodeIndex, OpenRankParams, OpenRankRun
from nichegraph.months import Window

WINDOW = Window("2023-01", "2023-02")


def month(name: str, devs: list[int], values: list[float], activity: list[float]) -> MonthResult:
    empty = np.zeros(0, dtype=np.int64)
    return MonthResult(
        name, np.array(devs), np.array(values), empty, np.zeros(0), 1, len(devs), 0, 0, np.array(activity)
    )


def edges(name: str, rows: list[tuple[int, int, float]]) -> MonthEdges:
    dev, repo, score = zip(*rows, strict=True)
    return MonthEdges(name, np.array(dev), np.array(repo), np.array(score, dtype=float))


def hand_run() -> tuple[OpenRankRun, KeptEdges]:
    developers, repos = NodeIndex(), NodeIndex()
    developers.indexes(["ann", "bob", "cat"])
    repos.indexes(["x/a", "x/b"])
    months = [
        # ann 2.0 (activity 5), bob 1.0 (activity 4); cat has no value (a bot); bob's x/b score is 0
        month("2023-01", [0, 1], [2.0, 1.0], [5.0, 4.0]),
        month("2023-02", [0], [3.0], [9.0]),
        month("2023-03", [1], [10.0], [1.0]),  # after the window
    ]
    stream = [
        edges("2023-01", [(0, 0, 1.0), (0, 1, 2.0), (1, 0, 2.0), (2, 0, 3.0), (1, 1, 0.0)]),
        edges("2023-02", [(0, 0, 3.0)]),
        edges("2023-03", [(1, 0, 1.0)]),
    ]
    kept = KeptEdges.for_windows([WINDOW])
    assert [e.month for e in kept.keep(iter(stream))] == ["2023-01", "2023-02", "2023-03"]  # passes all on
    run = OpenRankRun(Window("2023-01", "2023-03"), OpenRankParams(), developers, repos, months, False)
    return run, kept


def test_amounts_means_and_months_by_hand() -> None:
    run, kept = hand_run()
    assert set(kept.edges) == {"2023-01", "2023-02"}  # only the analysed window's months are kept
    projects = {p.repo: p for p in project_developers(run, kept, WINDOW, top=50)}
    a, b = projects[0], projects[1]
    # x/a: ann 2 x 1/5 + 3 x 9/9 = 3.4 over 2 months (mean value 2.5); bob 1 x 4/4 = 1.0
    assert a.developers == 2 and a.total == pytest.approx(4.4)
    assert a.leaders.tolist() == [0, 1]
    assert a.attributed.tolist() == pytest.approx([3.4, 1.0])
    assert a.mean.tolist() == pytest.approx([2.5, 1.0]) and a.months.tolist() == [2, 1]
    # x/b: ann 2 x 4/5 = 1.6; bob's zero score brings nothing and does not count him
    assert b.developers == 1 and b.total == pytest.approx(1.6) and b.leaders.tolist() == [0]


def test_rows_name_developers_and_cut_at_top() -> None:
    run, kept = hand_run()
    who = {0: ("ann", "Ann"), 1: ("bob", "Bob"), 2: ("cat", "Cat")}
    rows = figure_rows(project_developers(run, kept, WINDOW, top=1), run.repos.names, who, top=1)
    assert rows[0] == {
        "repo": "x/a",
        "developers": 2,
        "total": pytest.approx(4.4),
        "logins": ["Ann"],
        "attributed": [pytest.approx(3.4)],
        "mean": [pytest.approx(2.5)],
        "months": [2],
    }


def test_ties_at_the_cut_go_by_key() -> None:
    tied = ProjectDevelopers(0, 3, 3.0, np.array([2, 1, 0]), np.array([1.0, 1.0, 1.0]), np.ones(3), np.ones(3))
    who = {0: ("zed", "Zed"), 1: ("amy", "Amy"), 2: ("kim", "Kim")}
    assert figure_rows([tied], ["x/a"], who, top=2)[0]["logins"] == ["Amy", "Kim"]


def test_only_windows_the_run_computed_whole() -> None:
    run, _ = hand_run()
    assert covers(run.window, WINDOW) and covers(run.window, Window("2023-03", "2023-03"))
    assert not covers(run.window, Window("2022-12", "2023-01")) and not covers(run.window, Window("2023-02", "2023-04"))
