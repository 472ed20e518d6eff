"""OpenRank computed from our own contribution graph, month by month.

Follows X-lab's global OpenRank (OpenDigger `docs/metrics/global_openrank.md`, task
`src/cron/tasks/globalOpenrank.ts`); this is our own implementation, see docs/openrank.md:

- one graph per month: the developers and repositories active that month plus a background
  node; a contribution links developer and repository both ways, each direction weighted
  0.95 x activity / the sending node's total activity; every node sends 0.05 to the
  background node, which sends 1/n back to each of the n other nodes;
- start values follow one of three rules (`START_RULES`): `legacy`, X-lab's method until
  November 2023 and the one behind the published values of our snapshot (a new developer or
  repository starts at 1, an active node from last month's value; activity only weighs the
  edges), or its later task's (a new node starts at 0, an active one from 0.85 x last month's
  value, and developers add `sigmoid` or `log` of their monthly activity); a node that is not
  active keeps value x 0.85 while its value was above the rule's minimum, else it drops out;
- iterate v = r * init + (1 - r) * (W v), retention r = 0.5 developer, 0.3 repository,
  0.15 background, until no node moves by 0.01 or more (at most 100 supersteps); the
  background's value is then shared evenly among the other nodes.

Activity: our scores are sqrt(weighted count); global OpenRank weighs edges by the count
itself (OpenDigger's task squares the same score), so we square them. The sigmoid is
calibrated on the newer task's event weights, 11.1 times ours for an opened issue and for a
merged pull request with one push, so the squared score is multiplied by `activity_scale`
(11.1) before it. OpenDigger's details leave out developers scoring below 2; `tail` stands in
for them from the published participant and activity totals. See docs/openrank.md for both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nichegraph.errors import POSITIVE, BadParameter, checked
from nichegraph.months import Window
from nichegraph.progress import Progress

DEVELOPER, REPO = "developer", "repo"


def sigmoid_init(activity: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(0.10425 * (44.08 - activity)))


def log_init(activity: np.ndarray) -> np.ndarray:
    return np.minimum(1.0, np.log(activity + 1.0) / 3.0)


@dataclass(frozen=True)
class StartRule:
    """Where a month's start values come from (docs/openrank.md, "Start values")."""

    new_node: float  # a developer or repository without a value last month starts here
    attenuated: bool  # an active node starts from last month's value x attenuation (else whole)
    min_value: float  # an inactive node is kept (value x attenuation) while its value was above this
    # developers add gain(activity); None: activity only weighs the edges
    developer_gain: Callable[[np.ndarray], np.ndarray] | None = None


LEGACY = "legacy"
START_RULES: dict[str, StartRule] = {
    # X-lab until November 2023 (OpenDigger's docs of the time, open-wonderland issue #337)
    LEGACY: StartRule(new_node=1.0, attenuated=False, min_value=0.1),
    # X-lab's task since: min(1, ln(a + 1) / 3) in its first version (December 2023), a sigmoid now
    "log": StartRule(new_node=0.0, attenuated=True, min_value=1.0, developer_gain=log_init),
    "sigmoid": StartRule(new_node=0.0, attenuated=True, min_value=1.0, developer_gain=sigmoid_init),
}


@dataclass(frozen=True)
class OpenRankParams:
    """The method's constants; the defaults are X-lab's (docs/openrank.md explains each)."""

    developer_retention: float = 0.5
    repo_retention: float = 0.3
    background_retention: float = 0.15
    attenuation: float = 0.85
    # inactive nodes are kept while above this; None: the start rule's (0.1 legacy, 1 later)
    min_value: float | None = None
    background_share: float = 0.05
    tolerance: float = 0.01
    max_iterations: int = 100
    # more repository links than this in a month marks an account as automation
    max_repo_links: int = 300
    # squared score -> the activity units of X-lab's sigmoid (see docs/openrank.md)
    activity_scale: float = 11.1
    # the start rule (START_RULES): "legacy" reproduces the published values of our snapshot
    developer_init: str = LEGACY
    # stand in for the developers OpenDigger's details leave out (docs/openrank.md)
    tail: bool = True

    def __post_init__(self) -> None:
        if self.developer_init not in START_RULES:
            raise BadParameter(f"--developer-init: {self.developer_init!r} is not one of {', '.join(START_RULES)}")
        checked(self, activity_scale=POSITIVE)
        if self.min_value is None:
            # frozen: the resolved minimum is recorded with the run's parameters
            object.__setattr__(self, "min_value", self.rule.min_value)

    @property
    def rule(self) -> StartRule:
        return START_RULES[self.developer_init]


def activity_from_scores(scores: np.ndarray) -> np.ndarray:
    """OpenDigger's scores are sqrt(weighted event count); OpenRank weighs by the count."""
    return np.square(scores, dtype=np.float64)


# --- one month ----------------------------------------------------------------------------


@dataclass
class MonthEdges:
    """A month's contributions as parallel arrays of global node indexes."""

    month: str
    developers: np.ndarray  # int64 developer index per edge
    repos: np.ndarray  # int64 repository index per edge
    scores: np.ndarray  # float64 OpenDigger activity score per edge
    # The unlisted tail: per repository, how many developers the details cut and the mean
    # score of one of them (see tail_estimate). Empty arrays: no tail.
    tail_repos: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    tail_counts: np.ndarray = field(default_factory=lambda: np.zeros(0))
    tail_scores: np.ndarray = field(default_factory=lambda: np.zeros(0))


@dataclass
class MonthResult:
    month: str
    # the developers active this month, their values and their activity (sum of squared scores,
    # stored so that a developer's OpenRank can be split over its repositories)
    developer_index: np.ndarray
    developer_value: np.ndarray
    repo_index: np.ndarray  # repositories with a value: active, or inactive and carried
    repo_value: np.ndarray
    iterations: int
    active_developers: int
    active_repos: int
    dropped_automation: int
    developer_activity: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # inactive developers carried this month (value x attenuation while above the minimum);
    # `compute` keeps only their number: each value follows from the developer's last active one
    carried_developer_index: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    carried_developer_value: np.ndarray = field(default_factory=lambda: np.zeros(0))
    carried_developers: int = 0


def solve_month(
    edges: MonthEdges,
    previous_developers: np.ndarray,
    previous_repos: np.ndarray,
    params: OpenRankParams,
) -> MonthResult:
    """One month of OpenRank. `previous_*` are dense arrays of last month's values by global
    index (0 where a node had none); they are not modified."""
    dev, repo, activity, dropped = _without_automation(edges, params)
    tail_repo, tail_count, tail_activity = _tail(edges, params)
    active_dev, local_dev = np.unique(dev, return_inverse=True)
    active_repo, inverse = np.unique(np.concatenate([repo, tail_repo]), return_inverse=True)
    local_repo, local_tail = inverse[: repo.size], inverse[repo.size :]
    n_dev, n_repo = active_dev.size, active_repo.size
    n = n_dev + n_repo + tail_count.sum()  # nodes besides the background

    dev_total = np.bincount(local_dev, activity, n_dev)
    repo_total = np.bincount(local_repo, activity, n_repo) + np.bincount(local_tail, tail_count * tail_activity, n_repo)
    edge_share = 1.0 - params.background_share
    to_dev = edge_share * activity / repo_total[local_repo]  # repository -> developer weights
    to_repo = edge_share * activity / dev_total[local_dev]  # developer -> repository weights
    to_tail = edge_share * tail_activity / repo_total[local_tail]  # repository -> one tail developer

    init_dev = start_values(previous_developers[active_dev], params) + _gain(dev_total, params)
    init_repo = start_values(previous_repos[active_repo], params)
    # casual developers: no history we know of, so new every month
    init_tail = start_values(np.zeros(tail_activity.size), params) + _gain(tail_activity, params)
    r_dev, r_repo, r_bg = params.developer_retention, params.repo_retention, params.background_retention

    # X-lab's Pregel computation sends nothing in superstep 0, so superstep 1 leaves every
    # node at r * init; supersteps 2.. apply the update to all nodes at once (Jacobi).
    v_dev, v_repo, v_tail, v_bg = r_dev * init_dev, r_repo * init_repo, r_dev * init_tail, 0.0
    iterations = 1
    while iterations < params.max_iterations:
        iterations += 1
        spread = v_bg / n if n else 0.0
        into_dev = np.bincount(local_dev, to_dev * v_repo[local_repo], n_dev)
        # a tail developer works only on its repository: it sends that repository 0.95 of its value
        into_repo = np.bincount(local_repo, to_repo * v_dev[local_dev], n_repo) + np.bincount(
            local_tail, edge_share * tail_count * v_tail, n_repo
        )
        new_dev = r_dev * init_dev + (1 - r_dev) * (into_dev + spread)
        new_repo = r_repo * init_repo + (1 - r_repo) * (into_repo + spread)
        new_tail = r_dev * init_tail + (1 - r_dev) * (to_tail * v_repo[local_tail] + spread)
        total = v_dev.sum() + v_repo.sum() + (tail_count * v_tail).sum()
        new_bg = (1 - r_bg) * params.background_share * total
        change = max(
            _max_abs_change(new_dev, v_dev),
            _max_abs_change(new_repo, v_repo),
            _max_abs_change(new_tail, v_tail),
            abs(new_bg - v_bg),
        )
        v_dev, v_repo, v_tail, v_bg = new_dev, new_repo, new_tail, new_bg
        if change < params.tolerance:
            break

    # the background's value goes back to every other node in equal parts
    bonus = v_bg / n if n else 0.0
    carried_dev, carried_dev_value = carried(previous_developers, active_dev, params)
    carried_repo, carried_repo_value = carried(previous_repos, active_repo, params)
    repo_index = np.concatenate([active_repo, carried_repo])
    order = np.argsort(repo_index, kind="stable")
    return MonthResult(
        edges.month,
        active_dev,
        v_dev + bonus,
        repo_index[order],
        np.concatenate([v_repo + bonus, carried_repo_value])[order],
        iterations,
        n_dev,
        n_repo,
        dropped,
        dev_total,
        carried_dev,
        carried_dev_value,
        carried_dev.size,
    )


def start_values(previous: np.ndarray, params: OpenRankParams) -> np.ndarray:
    """Start values of active nodes from last month's values (0: new, or dropped out)."""
    rule = params.rule
    carried = params.attenuation * previous if rule.attenuated else previous
    return np.where(previous > 0, carried, rule.new_node)


def _gain(activity: np.ndarray, params: OpenRankParams) -> np.ndarray | float:
    gain = params.rule.developer_gain
    return 0.0 if gain is None else gain(params.activity_scale * activity)


def _tail(edges: MonthEdges, params: OpenRankParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not params.tail or edges.tail_repos.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
    keep = (edges.tail_counts > 0) & (edges.tail_scores > 0)
    return edges.tail_repos[keep], edges.tail_counts[keep], activity_from_scores(edges.tail_scores[keep])


def _max_abs_change(new: np.ndarray, old: np.ndarray) -> float:
    return float(np.max(np.abs(new - old))) if new.size else 0.0


def _without_automation(edges: MonthEdges, params: OpenRankParams) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Drop accounts with more repository links than `max_repo_links` that month (and say how
    many), and zero-activity edges (they carry no weight and would give a node a zero total)."""
    activity = activity_from_scores(edges.scores)
    keep = activity > 0
    dropped = 0
    if keep.any():
        # the loader merges repeats, so each edge is one distinct repository of its developer
        links = np.bincount(edges.developers[keep])
        dropped = int(np.count_nonzero(links > params.max_repo_links))
        keep &= links[edges.developers] <= params.max_repo_links
    return edges.developers[keep], edges.repos[keep], activity[keep], dropped


def carried(previous: np.ndarray, active: np.ndarray, params: OpenRankParams) -> tuple[np.ndarray, np.ndarray]:
    """Inactive nodes whose last value was above the minimum, with that value attenuated once
    more (`previous` dense by index, `active` the indexes active this month)."""
    keep = previous > params.min_value
    keep[active] = False
    index = np.flatnonzero(keep)
    return index, params.attenuation * previous[index]


# --- many months ----------------------------------------------------------------------------


@dataclass
class NodeIndex:
    """Names <-> dense integer indexes, growing as new names appear."""

    names: list[str] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)

    def index(self, name: str) -> int:
        position = self.positions.get(name)
        if position is None:
            position = self.positions[name] = len(self.names)
            self.names.append(name)
        return position

    def indexes(self, names: Iterable[str]) -> list[int]:
        return [self.index(name) for name in names]

    def __len__(self) -> int:
        return len(self.names)


class NodeIds:
    """Neo4j node ids <-> dense integer indexes, in numpy: what a run reads for its developers
    (a few bytes per developer instead of a name in a list and a dict; at ten times our data the
    names alone took gigabytes). Indexes are given in order of first appearance, as NodeIndex
    does. `names` (the developers' keys) are read from the graph only when asked for (CSV
    export, tests), through `read_names`."""

    def __init__(self, read_names: Callable[[np.ndarray], list[str]] | None = None) -> None:
        self._ids = np.zeros(0, dtype=np.int64)
        self._count = 0
        self._position = np.zeros(0, dtype=np.int32)  # by node id; -1: not seen
        self._read_names = read_names
        self._names: list[str] | None = None

    @property
    def ids(self) -> np.ndarray:
        """Node id of each index."""
        return self._ids[: self._count]

    def indexes_of(self, ids: np.ndarray) -> np.ndarray:
        """The index of each node id (int64 array), new ids numbered as they first appear."""
        ids = np.asarray(ids, dtype=np.int64)
        if ids.size == 0:
            return np.zeros(0, dtype=np.int64)
        if ids.min() < 0:
            raise ValueError("node ids are never negative")
        top = int(ids.max()) + 1
        if top > self._position.size:
            grown = np.full(max(top, 2 * self._position.size), -1, dtype=np.int32)
            grown[: self._position.size] = self._position
            self._position = grown
        seen = self._position[ids]
        if (seen < 0).any():
            new = pd.unique(ids[seen < 0])
            end = self._count + new.size
            if end > self._ids.size:
                self._ids = np.concatenate(
                    [self._ids, np.zeros(max(end, 2 * self._ids.size) - self._ids.size, np.int64)]
                )
            self._ids[self._count : end] = new
            self._position[new] = np.arange(self._count, end, dtype=np.int32)
            self._count = end
            seen = self._position[ids]
        return seen.astype(np.int64)

    @property
    def names(self) -> list[str]:
        if self._names is None or len(self._names) != self._count:
            if self._read_names is None:
                raise ValueError("these developers are known by node id only")
            self._names = self._read_names(self.ids)
        return self._names

    def __len__(self) -> int:
        return self._count


@dataclass
class OpenRankRun:
    """Results of a run: per month, the values of every developer and repository that has one."""

    window: Window
    params: OpenRankParams
    developers: NodeIndex | NodeIds
    repos: NodeIndex
    months: list[MonthResult]
    warm_start: bool
    seconds: dict[str, float] = field(default_factory=dict)

    def values(self, kind: str) -> Iterator[tuple[str, str, float]]:
        """(name, month, value) for every node of `kind` with a value."""
        names = self.developers.names if kind == DEVELOPER else self.repos.names
        for result in self.months:
            index, value = (
                (result.developer_index, result.developer_value)
                if kind == DEVELOPER
                else (result.repo_index, result.repo_value)
            )
            for i, v in zip(index.tolist(), value.tolist(), strict=True):
                yield names[i], result.month, v


def _grown(values: np.ndarray, size: int) -> np.ndarray:
    if values.size >= size:
        return values
    return np.concatenate([values, np.zeros(size - values.size)])


def compute(
    months: Iterable[MonthEdges],
    window: Window,
    developers: NodeIndex | NodeIds,
    repos: NodeIndex,
    params: OpenRankParams,
    start: tuple[np.ndarray, np.ndarray] | None = None,
    warm_start: bool = False,
    progress: Progress | None = None,
) -> OpenRankRun:
    """Run month after month; `start` holds the values of the month before the window
    (dense, by index), or nothing for a cold start. Months must come in calendar order, one
    per month of the window (an empty MonthEdges for a month without contributions)."""
    previous_dev, previous_repo = start if start is not None else (np.zeros(0), np.zeros(0))
    results: list[MonthResult] = []
    for edges in months:
        previous_dev = _grown(previous_dev, len(developers))
        previous_repo = _grown(previous_repo, len(repos))
        result = solve_month(edges, previous_dev, previous_repo, params)
        results.append(result)
        previous_dev = np.zeros(len(developers))
        previous_dev[result.carried_developer_index] = result.carried_developer_value
        previous_dev[result.developer_index] = result.developer_value
        # a carried value follows from the developer's last active one, so the run keeps none
        # (the legacy rule carries 14.5 million of them for our snapshot, 7 for each active one)
        result.carried_developer_index, result.carried_developer_value = np.zeros(0, dtype=np.int64), np.zeros(0)
        previous_repo = np.zeros(len(repos))
        previous_repo[result.repo_index] = result.repo_value
        if progress is not None:
            progress.item_done(edges.month, edges.scores.size, f"{result.iterations} supersteps")
    return OpenRankRun(window, params, developers, repos, results, warm_start)
