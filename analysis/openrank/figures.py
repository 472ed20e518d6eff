"""The comparison page's developers by computed OpenRank, worked out from a run's own arrays.

**Definition.** For a project and a window: each month, a developer's computed OpenRank split
over the projects they worked on that month in proportion to their squared activity score
(`value x score^2 / activity`, `activity` being the month's total the developer's series keeps);
summed over the window's months it is what the developer *brings* to the project. Per project:
how many developers bring something, the sum, and the `top` developers by that amount (ties by
key) with their mean monthly value and active months. `queries/trend_compare_developers.cypher`
computes the same from the stored series for a window nobody analysed.

**Why here.** Worked out in Cypher for every analysed project it reads every developer's
series again (about 400,000 contributions for the default window: 6-8 s of the server's time
on a busy machine); the run holds the values and this window's contributions anyway.

**Parameters.** The windows to keep contributions for (those with page figures), `top`.

**Example.** Developer d has value 2.0 and activity 5.0 in 2023-01, with scores 1.0 in x/a and
2.0 in x/b: d brings 2.0 x 1 / 5 = 0.4 to x/a and 2.0 x 4 / 5 = 1.6 to x/b that month.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from nichegraph.analysis.openrank.method import MonthEdges, MonthResult, OpenRankRun
from nichegraph.months import Window, month_range


@dataclass
class KeptEdges:
    """The contributions (developer index, repository index, score > 0) of the months some
    analysed window covers, kept while the run streams the rest past."""

    months: set[str]
    edges: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)

    @classmethod
    def for_windows(cls, windows: Iterable[Window]) -> KeptEdges:
        return cls({month for window in windows for month in month_range(window.first, window.last)})

    def keep(self, months: Iterator[MonthEdges]) -> Iterator[MonthEdges]:
        for edges in months:
            if edges.month in self.months:
                scored = edges.scores > 0
                self.edges[edges.month] = (
                    edges.developers[scored].astype(np.int64),
                    edges.repos[scored].astype(np.int64),
                    edges.scores[scored].astype(np.float64),
                )
            yield edges


@dataclass
class ProjectDevelopers:
    """One project's figures: developers bringing something, their sum, and the leaders
    (developer indexes, amounts, mean monthly values, active months), largest first; ties at the
    cut are all kept, for the caller to order by key."""

    repo: int
    developers: int
    total: float
    leaders: np.ndarray
    attributed: np.ndarray
    mean: np.ndarray
    months: np.ndarray


def covers(outer: Window, inner: Window) -> bool:
    """Whether every month of `inner` is in `outer` (a run over `outer` computed all of them; for
    the others its slot holds values kept from earlier runs)."""
    return inner.first in outer and inner.last in outer


def project_developers(run: OpenRankRun, kept: KeptEdges, window: Window, top: int) -> list[ProjectDevelopers]:
    """The figures of every project with a contribution in `window` (which the run covers)."""
    results = {result.month: result for result in run.months}
    parts = [_month_parts(run, results[month], kept.edges[month]) for month in month_range(window.first, window.last)]
    parts = [part for part in parts if part[0].size]
    if not parts:
        return []
    repo, dev, attributed, value = (np.concatenate(column) for column in zip(*parts, strict=True))
    order = np.lexsort((dev, repo))
    repo, dev, attributed, value = repo[order], dev[order], attributed[order], value[order]
    starts = np.flatnonzero(np.r_[True, (repo[1:] != repo[:-1]) | (dev[1:] != dev[:-1])])
    pair_repo, pair_dev = repo[starts], dev[starts]
    pair_attributed = np.add.reduceat(attributed, starts)
    pair_months = np.diff(np.r_[starts, repo.size])
    pair_mean = np.add.reduceat(value, starts) / pair_months
    bounds = np.flatnonzero(np.r_[True, pair_repo[1:] != pair_repo[:-1], True])
    return [
        _leaders(pair_repo[a], pair_dev[a:b], pair_attributed[a:b], pair_mean[a:b], pair_months[a:b], top)
        for a, b in pairwise(bounds.tolist())
    ]


def _month_parts(
    run: OpenRankRun, result: MonthResult, edges: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    dev, repo, score = edges
    value = np.zeros(len(run.developers))
    activity = np.zeros(len(run.developers))
    value[result.developer_index] = result.developer_value
    activity[result.developer_index] = result.developer_activity
    valued = activity[dev] > 0  # the series keeps the month (bots and automation have none)
    dev, repo, score = dev[valued], repo[valued], score[valued]
    return repo, dev, value[dev] * score**2 / activity[dev], value[dev]


def _leaders(
    repo: int, dev: np.ndarray, attributed: np.ndarray, mean: np.ndarray, months: np.ndarray, top: int
) -> ProjectDevelopers:
    order = np.argsort(-attributed, kind="stable")
    if order.size > top:
        cut = attributed[order[top - 1]]
        order = order[attributed[order] >= cut]  # the ties at the cut, ordered by key later
    return ProjectDevelopers(
        int(repo), int(dev.size), float(attributed.sum()), dev[order], attributed[order], mean[order], months[order]
    )


def figure_rows(
    projects: list[ProjectDevelopers], repo_names: list[str], who: dict[int, tuple[str, str]], top: int
) -> list[dict[str, object]]:
    """One row per project for the graph: `who` gives each leader's (key, login); leaders are
    ordered by amount, then key, and cut at `top`."""
    rows = []
    for project in projects:
        leaders = sorted(
            range(project.leaders.size),
            key=lambda i: (-project.attributed[i], who[int(project.leaders[i])][0]),
        )[:top]
        rows.append(
            {
                "repo": repo_names[project.repo],
                "developers": project.developers,
                "total": project.total,
                "logins": [who[int(project.leaders[i])][1] for i in leaders],
                "attributed": [float(project.attributed[i]) for i in leaders],
                "mean": [float(project.mean[i]) for i in leaders],
                "months": [int(project.months[i]) for i in leaders],
            }
        )
    return rows
