"""Seed expansion, the landscape method: start from seed projects, follow the strongest
collaboration links outwards, keep projects influential enough (see docs/niches.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nichegraph.analysis.network import Network
from nichegraph.db import Graph
from nichegraph.errors import NOT_NEGATIVE, BadParameter, at_least, checked


@dataclass(frozen=True)
class ExpandParams:
    min_openrank: float = 10.0
    depth: int = 2
    follow: int = 5  # links followed from each member: its strongest ones

    def check(self) -> ExpandParams:
        return checked(self, min_openrank=NOT_NEGATIVE, depth=NOT_NEGATIVE, follow=at_least(1))


@dataclass
class Reached:
    repo: str
    depth: int
    path: list[str]  # seed ... repo
    path_weights: list[float]  # weight of each link along the path
    openrank: float | None
    openrank_months: int
    rank_at_parent: int | None  # this link's rank among the parent's links
    note: str = ""

    def row(self) -> dict[str, Any]:
        return {
            "repo": self.repo,
            "depth": self.depth,
            "reachedFrom": self.path[-2] if len(self.path) > 1 else None,
            "linkWeight": self.path_weights[-1] if self.path_weights else None,
            "rankAtParent": self.rank_at_parent,
            "meanOpenrank": self.openrank,
            "openrankMonths": self.openrank_months,
            "path": self.path,
            "pathWeights": self.path_weights,
            "note": self.note,
        }


@dataclass
class LeftOut:
    repo: str
    reason: str
    via: str
    link_weight: float
    rank_at_parent: int
    openrank: float | None

    def row(self) -> dict[str, Any]:
        return {
            "repo": self.repo,
            "reason": self.reason,
            "via": self.via,
            "linkWeight": self.link_weight,
            "rankAtParent": self.rank_at_parent,
            "meanOpenrank": self.openrank,
        }


@dataclass
class ExpandResult:
    window: str
    seeds: list[str]
    params: ExpandParams
    members: list[Reached]
    left_out: list[LeftOut] = field(default_factory=list)

    def member_names(self) -> list[str]:
        return [member.repo for member in self.members]


def resolve_seeds(graph: Graph, text: str) -> list[str]:
    """Seed names as the graph spells them; unknown names are an error naming --seeds."""
    wanted = [part.strip() for part in text.split(",") if part.strip()]
    if not wanted:
        raise BadParameter(
            "--seeds: give at least one repository, e.g. --seeds pytorch/pytorch,huggingface/transformers"
        )
    rows = graph.read(
        "UNWIND $names AS name OPTIONAL MATCH (r:Repo {nameLower: toLower(name)}) RETURN name, r.name AS repo",
        names=wanted,
    )
    found = {row["name"]: row["repo"] for row in rows}
    unknown = [name for name in wanted if not found.get(name)]
    if unknown:
        raise BadParameter(f"--seeds: unknown repository {unknown[0]!r} (not in the graph; check owner/name)")
    seeds: list[str] = []
    for name in wanted:
        if found[name] not in seeds:
            seeds.append(found[name])
    return seeds


def expand(
    network: Network, seeds: list[str], openrank: dict[str, tuple[float, int]], params: ExpandParams | None = None
) -> ExpandResult:
    """Breadth first from the seeds over significant links, strongest first; a project joins
    when reached through one of a member's `follow` strongest links and its mean monthly
    OpenRank in the window is at least the threshold."""
    params = (params or ExpandParams()).check()
    index = network.activity.index()
    neighbours = network.neighbours()
    repos = network.repos

    def ranked(repo: str) -> list[tuple[int, float]]:
        own = neighbours.get(index[repo], {}) if repo in index else {}
        return sorted(own.items(), key=lambda item: (-item[1], repos[item[0]]))

    members: dict[str, Reached] = {}
    for seed in seeds:
        score, months = openrank.get(seed, (None, 0))
        note = "seed"
        if seed not in index:
            note = "seed; no contributions in the window"
        elif score is None or score < params.min_openrank:
            note = "seed; below the OpenRank threshold but kept as a seed"
        members[seed] = Reached(seed, 0, [seed], [], score, months, None, note)
    candidates: dict[str, LeftOut] = {}
    frontier = list(seeds)
    for depth in range(1, params.depth + 2):
        next_frontier: list[str] = []
        for parent in frontier:
            for rank, (other, weight) in enumerate(ranked(parent), start=1):
                name = repos[other]
                if name in members:
                    continue
                score, months = openrank.get(name, (None, 0))
                if depth > params.depth:
                    if rank <= params.follow:
                        remember(
                            candidates, LeftOut(name, f"beyond --depth {params.depth}", parent, weight, rank, score)
                        )
                    continue
                if rank > params.follow:
                    reason = f"too weak: link rank {rank} at {parent}, only the {params.follow} strongest are followed"
                    remember(candidates, LeftOut(name, reason, parent, weight, rank, score))
                    continue
                if score is None or score < params.min_openrank:
                    shown = "no OpenRank in the window" if score is None else f"mean OpenRank {score:.1f}"
                    reason = f"below threshold: {shown} < {params.min_openrank:g}"
                    remember(candidates, LeftOut(name, reason, parent, weight, rank, score))
                    continue
                via = members[parent]
                members[name] = Reached(
                    name, depth, [*via.path, name], [*via.path_weights, weight], score, months, rank
                )
                next_frontier.append(name)
        frontier = next_frontier
    left_out = [candidate for name, candidate in candidates.items() if name not in members]
    left_out.sort(key=lambda item: (-item.link_weight, item.repo))
    # seeds in the order given, then by depth and link strength
    reached = [m for m in members.values() if m.depth > 0]
    ordered = [members[seed] for seed in seeds]
    ordered += sorted(reached, key=lambda m: (m.depth, -m.path_weights[-1], m.repo))
    return ExpandResult(str(network.window), seeds, params, ordered, left_out)


def remember(candidates: dict[str, LeftOut], candidate: LeftOut) -> None:
    """Keep, per project, the strongest link that reached it (the most telling reason)."""
    known = candidates.get(candidate.repo)
    if known is None or candidate.link_weight > known.link_weight:
        candidates[candidate.repo] = candidate


def expand_json(result: ExpandResult) -> dict[str, Any]:
    return {
        "window": result.window,
        "seeds": result.seeds,
        "parameters": vars(result.params),
        "members": [member.row() for member in result.members],
        "leftOut": [item.row() for item in result.left_out],
    }
