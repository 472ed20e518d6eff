"""The project collaboration network of a time window (see docs/niches.md).

Two projects are linked when more developers work in both than random mixing predicts,
and the link's weight says how much of both projects' activity those developers carry:

    w(r, s) = sum over shared developers d of  a(d,r) * a(d,s) / T(d)
              -------------------------------------------------------
                              sqrt(A(r) * A(s))

with a(d,r) the developer's summed monthly activity in r over the window, T(d) their
total over all projects and A(r) the project's total (bots excluded everywhere).

The window's contributions are streamed from Neo4j grouped per repository (one record
per repository with `collect()` lists) and aggregated in Python: measured faster than
aggregating the developer pairs in Cypher (`nichegraph bench niches` prints both).
"""

from __future__ import annotations

import heapq
import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nichegraph.db import Graph
from nichegraph.errors import NOT_NEGATIVE, BadParameter, at_least, checked
from nichegraph.months import Window
from nichegraph.queries import windows

# Raw rows, not per-developer sums: summing in Python is cheaper than a second Cypher
# aggregation (measured, see docs/niches.md), and the row count is the months count.
STREAM_CONTRIBUTIONS = """
MATCH (d:Developer)-[c:CONTRIBUTED]->(r:Repo)
WHERE $first <= c.month <= $last AND coalesce(d.isBot, false) = false
WITH r.name AS repo, collect(d.key) AS developers, collect(c.activity) AS activity
RETURN repo, developers, activity ORDER BY repo
"""

# The same pair sums computed entirely in Cypher: only for the benchmark and the test
# that checks the Python aggregation against an independent one.
CYPHER_PAIR_SUMS = """
MATCH (d:Developer)-[c:CONTRIBUTED]->(r:Repo)
WHERE $first <= c.month <= $last AND coalesce(d.isBot, false) = false
WITH d, r.name AS repo, sum(c.activity) AS activity
WITH d, collect(repo) AS repos, collect(activity) AS acts, sum(activity) AS total
WHERE size(repos) >= 2
UNWIND range(0, size(repos) - 2) AS i
UNWIND range(i + 1, size(repos) - 1) AS j
WITH CASE WHEN repos[i] < repos[j] THEN repos[i] ELSE repos[j] END AS source,
     CASE WHEN repos[i] < repos[j] THEN repos[j] ELSE repos[i] END AS target,
     acts[i] * acts[j] / total AS part
RETURN source, target, count(*) AS shared, sum(part) AS pairSum
"""

CYPHER_REPO_TOTALS = """
MATCH (d:Developer)-[c:CONTRIBUTED]->(r:Repo)
WHERE $first <= c.month <= $last AND coalesce(d.isBot, false) = false
RETURN r.name AS repo, sum(c.activity) AS activity, count(DISTINCT d) AS developers
"""

TOP_DEVELOPERS = 5


@dataclass(frozen=True)
class NetworkParams:
    """The filters that decide which developer overlaps make a link (docs/niches.md)."""

    min_shared: int = 3  # fewer shared developers than this is anecdote, not a link
    min_lift: float = 3.0  # shared developers / the number random mixing predicts
    top_links: int = 5  # each project keeps its strongest links; the union is the network

    def check(self) -> NetworkParams:
        return checked(self, min_shared=at_least(1), min_lift=NOT_NEGATIVE, top_links=at_least(1))

    def as_properties(self) -> dict[str, Any]:
        return {"minShared": self.min_shared, "minLift": self.min_lift, "topLinks": self.top_links}


@dataclass
class WindowActivity:
    """Who did how much where in the window: the input of every niche computation."""

    window: Window
    repos: list[str]
    developers: list[str]
    # per developer: repository index -> summed monthly activity
    activity: list[dict[int, float]]
    repo_activity: list[float]
    repo_developers: list[int]
    rows: int
    seconds: float = 0.0
    _members: list[list[tuple[float, int]]] | None = field(default=None, repr=False)

    def index(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.repos)}

    def developers_in(self, repo: int) -> list[tuple[float, int]]:
        """(activity, developer) of one repository, in no particular order."""
        if self._members is None:
            lists: list[list[tuple[float, int]]] = [[] for _ in self.repos]
            for dev, repos in enumerate(self.activity):
                for r, value in repos.items():
                    lists[r].append((value, dev))
            self._members = lists
        return self._members[repo]

    def members(self, repo: int) -> list[tuple[float, int]]:
        """(activity, developer) of one repository, most active first; ties broken by developer
        key so the order does not depend on load order."""
        return sorted(self.developers_in(repo), key=lambda item: (-item[0], self.developers[item[1]]))

    def core(self, repo: int, size: int) -> list[tuple[float, int]]:
        """The repository's `size` most active developers (the first `size` of `members`)."""
        members = self.developers_in(repo)
        if len(members) > size:
            # only the members at or above the size-th largest activity can be in the core
            floor = heapq.nlargest(size, (value for value, _ in members))[-1]
            members = [item for item in members if item[0] >= floor]
        return sorted(members, key=lambda item: (-item[0], self.developers[item[1]]))[:size]


def stream_activity(graph: Graph, window: Window) -> WindowActivity:
    """Read the window's contributions a repository at a time (in name order, so indexes do not
    depend on load order); only the per-developer sums are kept, never all rows at once (at ten
    times our data the rows alone took hundreds of MB)."""
    started = time.perf_counter()
    dev_index: dict[str, int] = {}
    developers: list[str] = []
    activity: list[dict[int, float]] = []
    repos: list[str] = []
    repo_activity: list[float] = []
    repo_developers: list[int] = []
    rows = 0
    with graph.session() as session:
        for record in session.run(STREAM_CONTRIBUTIONS, first=window.first, last=window.last):
            r = len(repos)
            repos.append(record["repo"])
            keys, values = record["developers"], record["activity"]
            rows += len(keys)
            seen = 0
            total = 0.0
            for key, value in zip(keys, values, strict=True):
                dev = dev_index.get(key)
                if dev is None:
                    dev = dev_index[key] = len(developers)
                    developers.append(key)
                    activity.append({})
                work = activity[dev]
                if r not in work:
                    seen += 1
                    work[r] = value
                else:
                    work[r] += value
                total += value
            repo_activity.append(total)
            repo_developers.append(seen)
    if not rows:
        data = windows.data_range(graph)
        held = f"the graph holds months {data.first}..{data.last}" if data else "the graph holds no monthly data"
        raise BadParameter(f"--window {window}: no contributions in this window ({held})")
    return WindowActivity(
        window, repos, developers, activity, repo_activity, repo_developers, rows, time.perf_counter() - started
    )


@dataclass
class Link:
    """A pair of projects that share developers, with every number behind its weight."""

    source: int  # source < target: repositories are sorted by name
    target: int
    shared: int = 0
    pair_sum: float = 0.0  # sum over shared developers of a(d,s) a(d,t) / T(d)
    source_shared_activity: float = 0.0  # the shared developers' activity in the source
    target_shared_activity: float = 0.0
    parts: list[tuple[float, int]] = field(default_factory=list)  # (a(d,s) a(d,t) / T(d), developer)
    weight: float = 0.0
    expected: float = 0.0
    lift: float = 0.0
    source_rank: int = 0  # rank of this link among the source's significant links (1 = strongest)
    target_rank: int = 0
    backbone: bool = False

    def top_parts(self, count: int = TOP_DEVELOPERS) -> list[tuple[float, int]]:
        return sorted(self.parts, key=lambda item: -item[0])[:count]


@dataclass
class Network:
    activity: WindowActivity
    params: NetworkParams
    kappa: float  # sum k(k-1) / (sum k)^2 over developers: the random-mixing factor
    pairs: dict[tuple[int, int], Link]  # every pair with a shared developer
    significant: dict[tuple[int, int], Link]  # pairs passing min_shared and min_lift
    seconds: float = 0.0
    excluded: frozenset[int] = frozenset()  # hubs: their links are in no project's strongest links

    @property
    def window(self) -> Window:
        return self.activity.window

    @property
    def repos(self) -> list[str]:
        return self.activity.repos

    def backbone(self) -> list[Link]:
        return [link for link in self.significant.values() if link.backbone]

    def backbone_repos(self) -> list[str]:
        used = {i for link in self.backbone() for i in (link.source, link.target)}
        return [self.repos[i] for i in sorted(used)]

    def neighbours(self, *, backbone_only: bool = False, skip_excluded: bool = False) -> dict[int, dict[int, float]]:
        """repository -> {neighbour: weight} over significant (or backbone) links, optionally
        leaving out the links of excluded projects (hubs)."""
        result: dict[int, dict[int, float]] = defaultdict(dict)
        for (s, t), link in self.significant.items():
            if backbone_only and not link.backbone:
                continue
            if skip_excluded and (s in self.excluded or t in self.excluded):
                continue
            result[s][t] = link.weight
            result[t][s] = link.weight
        return result

    def link(self, a: int, b: int) -> Link | None:
        return self.pairs.get((a, b) if a < b else (b, a))

    def shares(self, link: Link) -> tuple[float, float]:
        """Share of each side's activity done by the developers they share."""
        acts = self.activity.repo_activity
        return link.source_shared_activity / acts[link.source], link.target_shared_activity / acts[link.target]


def pair_statistics(activity: WindowActivity) -> tuple[dict[tuple[int, int], Link], float]:
    """Every pair of projects with a shared developer, and the random-mixing factor."""
    pairs: dict[tuple[int, int], Link] = {}
    stubs = 0
    stub_pairs = 0
    for dev, repos in enumerate(activity.activity):
        k = len(repos)
        stubs += k
        stub_pairs += k * (k - 1)
        if k < 2:
            continue
        total = sum(repos.values())
        items = sorted(repos.items())
        for i, (s, a_s) in enumerate(items):
            for t, a_t in items[i + 1 :]:
                link = pairs.get((s, t))
                if link is None:
                    link = pairs[(s, t)] = Link(s, t)
                part = a_s * a_t / total
                link.shared += 1
                link.pair_sum += part
                link.source_shared_activity += a_s
                link.target_shared_activity += a_t
                link.parts.append((part, dev))
    kappa = stub_pairs / (stubs * stubs) if stubs else 0.0
    return pairs, kappa


def build_network(activity: WindowActivity, params: NetworkParams | None = None) -> Network:
    params = (params or NetworkParams()).check()
    started = time.perf_counter()
    pairs, kappa = pair_statistics(activity)
    acts, devs = activity.repo_activity, activity.repo_developers
    significant: dict[tuple[int, int], Link] = {}
    for key, link in pairs.items():
        s, t = key
        link.weight = link.pair_sum / math.sqrt(acts[s] * acts[t])
        link.expected = devs[s] * devs[t] * kappa
        link.lift = link.shared / link.expected if link.expected else 0.0
        if link.shared >= params.min_shared and link.lift >= params.min_lift:
            significant[key] = link
    mark_backbone(activity.repos, significant, params.top_links)
    return Network(activity, params, kappa, pairs, significant, time.perf_counter() - started)


def mark_backbone(repos: list[str], links: dict[tuple[int, int], Link], top_links: int) -> None:
    """Rank each project's links; a link is kept when it is among the strongest of either end."""
    by_repo: dict[int, list[Link]] = defaultdict(list)
    for link in links.values():
        by_repo[link.source].append(link)
        by_repo[link.target].append(link)
    for repo, own in by_repo.items():
        # ties broken by the other project's name: the same graph gives the same network
        own.sort(key=lambda link: (-link.weight, repos[link.target if link.source == repo else link.source]))
        for rank, link in enumerate(own, start=1):
            if link.source == repo:
                link.source_rank = rank
            else:
                link.target_rank = rank
            if rank <= top_links:
                link.backbone = True


def exclude_from_backbone(network: Network, excluded: set[int]) -> None:
    """Rank every project's links again leaving out the links of `excluded` projects (hubs):
    those links stay significant (they are real overlaps) but are nobody's strongest link, so
    they neither enter the niche network nor push another project's real ties out of its top."""
    for link in network.significant.values():
        link.backbone = False
        link.source_rank = link.target_rank = 0
    kept = {key: link for key, link in network.significant.items() if not set(key) & excluded}
    mark_backbone(network.activity.repos, kept, network.params.top_links)
    network.excluded = frozenset(excluded)


def load_network(
    graph: Graph, window: Window, params: NetworkParams | None = None, note: Callable[[str], None] | None = None
) -> Network:
    activity = stream_activity(graph, window)
    if note:
        note(
            f"streamed {activity.rows:,} monthly contributions of {len(activity.developers):,} developers "
            f"to {len(activity.repos)} projects in {window} ({activity.seconds:.1f} s)"
        )
    network = build_network(activity, params)
    if note:
        note(
            f"network: {len(network.pairs):,} project pairs share a developer, {len(network.significant):,} pass the "
            f"filters, {len(network.backbone()):,} links kept on {len(network.backbone_repos())} projects "
            f"({network.seconds:.1f} s)"
        )
    return network


def developer_logins(graph: Graph, keys: list[str]) -> dict[str, str]:
    """Display logins for developer keys (keys are lower-cased logins)."""
    if not keys:
        return {}
    rows = graph.read("MATCH (d:Developer) WHERE d.key IN $keys RETURN d.key AS key, d.login AS login", keys=keys)
    return {row["key"]: row["login"] or row["key"] for row in rows}


def link_rows(network: Network, logins: dict[str, str]) -> list[dict[str, Any]]:
    """The backbone as rows to store: one COLLABORATES relationship per link."""
    activity = network.activity
    rows = []
    for link in sorted(network.backbone(), key=lambda item: (item.source, item.target)):
        share_s, share_t = network.shares(link)
        top = link.top_parts()
        keys = [activity.developers[dev] for _, dev in top]
        rows.append(
            {
                "source": network.repos[link.source],
                "target": network.repos[link.target],
                "props": {
                    "window": str(network.window),
                    "weight": link.weight,
                    "sharedDevelopers": link.shared,
                    "expectedShared": link.expected,
                    "lift": link.lift,
                    "sourceShare": share_s,
                    "targetShare": share_t,
                    "sourceRank": link.source_rank,
                    "targetRank": link.target_rank,
                    "topDevelopers": [logins.get(key, key) for key in keys],
                    "topDevelopersSourceActivity": [activity.activity[dev][link.source] for _, dev in top],
                    "topDevelopersTargetActivity": [activity.activity[dev][link.target] for _, dev in top],
                },
            }
        )
    return rows


def network_logins(graph: Graph, network: Network) -> dict[str, str]:
    keys = {network.activity.developers[dev] for link in network.backbone() for _, dev in link.top_parts()}
    return developer_logins(graph, sorted(keys))


def cypher_pair_sums(graph: Graph, window: Window) -> dict[str, Any]:
    """The network's raw numbers aggregated by Neo4j itself (benchmark and cross-check)."""
    pairs = graph.read(CYPHER_PAIR_SUMS, first=window.first, last=window.last)
    totals = graph.read(CYPHER_REPO_TOTALS, first=window.first, last=window.last)
    return {
        "pairs": {(row["source"], row["target"]): (row["shared"], row["pairSum"]) for row in pairs},
        "totals": {row["repo"]: (row["activity"], row["developers"]) for row in totals},
    }
