"""OpenRank worked out by hand from the method's rules (docs/openrank.md), for the fast tests
of the solver and the full tests of a run on the scratch server: each month is the linear
system v = r*init + (1-r)*(W v), written out node by node, then the background's value shared
out, then decay."""

from __future__ import annotations

import math

import numpy as np

from nichegraph.analysis.openrank.method import OpenRankParams
from tests.support.trend_fixtures import months

# exact fixed points: the tests compare with the algebra, not with where 0.01 stops; the sigmoid
# start rule (X-lab's task now) worked out by hand (the default, legacy rule: test_openrank_legacy)
EXACT = OpenRankParams(developer_init="sigmoid", tolerance=1e-12, max_iterations=1000)
K = 11.1  # squared score -> sigmoid units (the default activity_scale)


def sigmoid(activity: float) -> float:
    return 1 / (1 + math.exp(0.10425 * (44.08 - activity)))


def one_repo_month(init_devs: float, n_devs: int, share: float) -> tuple[float, float]:
    """n_devs identical developers (start value init_devs each, each working only on one new
    repository, holding `share` of its activity): returns (developer, repository) values.

    dev:  v_d = 0.5 init + 0.5 (0.95 share v_r + b / n)
    repo: v_r = 0.3 * 0  + 0.7 (n * 0.95 * 1 * v_d + b / n)   (all of a developer's activity is here)
    bg:   b   = 0.15 * 0 + 0.85 (0.05 (n v_d + v_r))
    with n = n_devs + 1 nodes besides the background; afterwards each node gets b / n."""
    n = n_devs + 1
    a = np.array(
        [
            [1, -0.5 * 0.95 * share, -0.5 / n],
            [-0.7 * n_devs * 0.95, 1, -0.7 / n],
            [-0.85 * 0.05 * n_devs, -0.85 * 0.05, 1],
        ]
    )
    v_d, v_r, b = np.linalg.solve(a, [0.5 * init_devs, 0.0, 0.0])
    return v_d + b / n, v_r + b / n


def seven_months() -> dict[tuple[str, str], float]:
    """(name, month) -> value over 2020-01..2020-07 for the contributions of `SEVEN_MONTHS`:
    2020-01: d1..d4 with score 3 on the new x/a; 2020-02: d1 alone with score 2 on the new x/b;
    nothing after."""
    out: dict[tuple[str, str], float] = {}
    # 2020-01: four developers with score 3 (activity 9) on new x/a; each holds 9/36 of it
    dev1, repo1 = one_repo_month(sigmoid(K * 9), 4, 9 / 36)
    for login in ("d1", "d2", "d3", "d4"):
        out[(login, "2020-01")] = dev1
    out[("x/a", "2020-01")] = repo1
    # 2020-02: d1 alone on new x/b with score 2 (activity 4); it starts from 0.85 x its January value
    dev2, repo2 = one_repo_month(0.85 * dev1 + sigmoid(K * 4), 1, 1.0)
    out[("d1", "2020-02")], out[("x/b", "2020-02")] = dev2, repo2
    # inactive nodes: value x 0.85 while last month's value was above 1, then dropped
    for name, value, first in (("x/a", repo1, 2), ("d1", dev2, 3), ("x/b", repo2, 3)):
        for month in months(first, 7):
            if value <= 1:
                break
            value = out[(name, month)] = 0.85 * value
    return out


def check_seven_months(got: dict[tuple[str, str], float]) -> None:
    """`got` ((name, month) -> value) holds exactly the values `seven_months` works out."""
    expected = seven_months()
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert math.isclose(got[key], value, rel_tol=1e-9), (key, got[key], value)
    # the decay rule at work: x/a above 1 through 2020-06 (0.94 there, kept because May was
    # above 1), gone in July; developers below the minimum drop out when inactive
    assert expected[("x/a", "2020-06")] < 1 < expected[("x/a", "2020-05")]
    assert ("x/a", "2020-07") not in got and ("d2", "2020-02") not in got


# (login, repo, month, score) behind `seven_months`
SEVEN_MONTHS = [
    *[(login, "x/a", "2020-01", 3.0) for login in ("d1", "d2", "d3", "d4")],
    ("d1", "x/b", "2020-02", 2.0),
]


def one_listed_two_unlisted(score: float = 2.0, tail_score: float = 1.2) -> tuple[float, float]:
    """One listed developer (`score`) and, by OpenDigger's totals, two more it does not list
    (`tail_score` each) on one new repository: returns the (listed developer, repository) values."""
    a_d, a_t = score**2, tail_score**2  # squared scores
    total = a_d + 2 * a_t  # the repository's activity, tail included
    n = 4  # the developer, two tail developers, the repository
    # unknowns v_d, v_t (one tail developer), v_r, b
    system = np.array(
        [
            [1, 0, -0.5 * 0.95 * a_d / total, -0.5 / n],
            [0, 1, -0.5 * 0.95 * a_t / total, -0.5 / n],
            [-0.7 * 0.95, -0.7 * 2 * 0.95, 1, -0.7 / n],
            [-0.85 * 0.05, -0.85 * 0.05 * 2, -0.85 * 0.05, 1],
        ]
    )
    v_d, _v_t, v_r, b = np.linalg.solve(system, [0.5 * sigmoid(K * a_d), 0.5 * sigmoid(K * a_t), 0, 0])
    return v_d + b / n, v_r + b / n
