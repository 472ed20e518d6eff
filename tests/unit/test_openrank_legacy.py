"""The legacy start rule (the default; X-lab's global OpenRank until November 2023), worked out
by hand on small graphs: every new developer and repository starts at 1, an active node starts
from last month's value as it is, activity only weighs the edges, an inactive node keeps 0.85 x
its value while that was above 0.1. No Neo4j: the method's functions on hand-made edges."""

from __future__ import annotations

import numpy as np
import pytest

from nichegraph.analysis.openrank.method import MonthEdges, NodeIndex, OpenRankParams, compute, solve_month
from nichegraph.months import Window

EXACT = OpenRankParams(tolerance=1e-12, max_iterations=1000)


def month(name: str, rows: list[tuple[int, int, float]], **tail: np.ndarray) -> MonthEdges:
    """rows: (developer index, repository index, score)."""
    edges = MonthEdges(
        name,
        np.array([d for d, _, _ in rows], dtype=np.int64),
        np.array([r for _, r, _ in rows], dtype=np.int64),
        np.array([s for _, _, s in rows], dtype=np.float64),
    )
    for key, value in tail.items():
        setattr(edges, key, value)
    return edges


def january() -> tuple[float, float]:
    """Four new developers (score 3, activity 9) on one new repository: (developer, repository).

    dev:  v_d = 0.5 * 1 + 0.5 (0.95 * 9/36 * v_r + b/5)
    repo: v_r = 0.3 * 1 + 0.7 (4 * 0.95 * v_d + b/5)     (each sends it all its activity)
    bg:   b   = 0.85 * 0.05 (4 v_d + v_r)                 (the background starts at 0)
    then each of the 5 nodes gets b/5."""
    a = np.array(
        [
            [1, -0.5 * 0.95 * 9 / 36, -0.5 / 5],
            [-0.7 * 4 * 0.95, 1, -0.7 / 5],
            [-0.85 * 0.05 * 4, -0.85 * 0.05, 1],
        ]
    )
    v_d, v_r, b = np.linalg.solve(a, [0.5, 0.3, 0.0])
    return v_d + b / 5, v_r + b / 5


def alone(start_dev: float, start_repo: float = 1.0) -> tuple[float, float]:
    """One developer alone on one repository, with these start values: (developer, repository)."""
    a = np.array([[1, -0.5 * 0.95, -0.5 / 2], [-0.7 * 0.95, 1, -0.7 / 2], [-0.85 * 0.05, -0.85 * 0.05, 1]])
    v_d, v_r, b = np.linalg.solve(a, [0.5 * start_dev, 0.3 * start_repo, 0.0])
    return v_d + b / 2, v_r + b / 2


def test_new_nodes_start_at_one_and_active_nodes_carry_their_value_whole() -> None:
    developers, repos = NodeIndex(), NodeIndex()
    developers.indexes(["d1", "d2", "d3", "d4"])
    repos.indexes(["x/a", "x/b"])
    months = [
        month("2020-01", [(d, 0, 3.0) for d in range(4)]),
        month("2020-02", [(0, 1, 2.0)]),  # d1 alone on the new x/b
        month("2020-03", [(1, 0, 1.0)]),  # d2 back on x/a, both inactive in February
    ]
    run = compute(iter(months), Window("2020-01", "2020-03"), developers, repos, EXACT)
    dev1, repo1 = january()
    dev2, repo2 = alone(dev1)  # d1 starts from its January value, not 0.85 x it; x/b is new: 1
    dev3, repo3 = alone(0.85 * dev1, 0.85 * repo1)  # both start from their carried February values
    jan, feb, mar = run.months

    assert jan.developer_value == pytest.approx([dev1] * 4, rel=1e-9)
    assert jan.repo_value == pytest.approx([repo1], rel=1e-9)
    assert feb.developer_index.tolist() == [0] and feb.developer_value == pytest.approx([dev2], rel=1e-9)
    assert feb.carried_developers == 3  # d2..d4 at 0.85 x their January value
    assert feb.repo_index.tolist() == [0, 1]
    assert feb.repo_value == pytest.approx([0.85 * repo1, repo2], rel=1e-9)
    assert mar.developer_index.tolist() == [1] and mar.developer_value == pytest.approx([dev3], rel=1e-9)
    assert mar.carried_developers == 3  # d1, d3, d4
    assert mar.repo_value == pytest.approx([repo3, 0.85 * repo2], rel=1e-9)
    # activity only weighs edges: it is stored, but the start values ignore it
    assert jan.developer_activity == pytest.approx([9.0] * 4)


def test_an_inactive_node_is_kept_above_a_tenth_and_starts_again_at_one() -> None:
    previous_dev = np.array([0.2, 0.1, 0.0])  # kept (above 0.1), dropped (not above), never seen
    previous_repo = np.array([0.0])
    result = solve_month(month("2021-01", [(2, 0, 1.0)]), previous_dev, previous_repo, EXACT)
    assert result.carried_developer_index.tolist() == [0]
    assert result.carried_developer_value == pytest.approx([0.85 * 0.2])
    # the developer and the repository are new: both start at 1
    one_dev, one_repo = alone(1.0)
    assert result.developer_index.tolist() == [2]
    assert result.developer_value == pytest.approx([one_dev], rel=1e-9)
    assert result.repo_value == pytest.approx([one_repo], rel=1e-9)


def test_unlisted_developers_start_at_one_every_month() -> None:
    # one listed developer (score 2) and, standing in for the unlisted, two more (score 1.2)
    edges = month(
        "2021-01",
        [(0, 0, 2.0)],
        tail_repos=np.array([0]),
        tail_counts=np.array([2.0]),
        tail_scores=np.array([1.2]),
    )
    result = solve_month(edges, np.array([5.0]), np.array([0.0]), EXACT)
    a_d, a_t = 4.0, 1.44
    total = a_d + 2 * a_t
    n = 4  # e1, two tail developers, the repository
    # unknowns v_d (starts from its last value 5), v_t (one tail developer, starts at 1), v_r (new: 1), b
    system = np.array(
        [
            [1, 0, -0.5 * 0.95 * a_d / total, -0.5 / n],
            [0, 1, -0.5 * 0.95 * a_t / total, -0.5 / n],
            [-0.7 * 0.95, -0.7 * 2 * 0.95, 1, -0.7 / n],
            [-0.85 * 0.05, -0.85 * 0.05 * 2, -0.85 * 0.05, 1],
        ]
    )
    v_d, _v_t, v_r, b = np.linalg.solve(system, [0.5 * 5.0, 0.5 * 1.0, 0.3 * 1.0, 0])
    assert result.developer_value == pytest.approx([v_d + b / n], rel=1e-9)
    assert result.repo_value == pytest.approx([v_r + b / n], rel=1e-9)


def test_the_rule_sets_the_minimum_unless_given() -> None:
    assert OpenRankParams().min_value == 0.1
    assert OpenRankParams(developer_init="sigmoid").min_value == 1.0
    assert OpenRankParams(min_value=0.5).min_value == 0.5
