"""The landscape report's expansion, decided member by member from the events' answers
(nichegraph.loader.events.expansion): which candidates are kept, which pairs become edges, and
why each of the others was left out (docs/niches.md, "Expansion from events").

1. candidates: the `top` repositories sharing the most active developers with the seeds;
2. nodes: seeds always; candidates whose mean monthly OpenRank in the period reaches
   `min_openrank` (published when loaded, else computed by `nichegraph openrank`);
3. edges: pairs of nodes sharing at least `min_shared` active developers;
4. a candidate node with no edge is left out as isolated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from nichegraph.db import Graph
from nichegraph.errors import NOT_NEGATIVE, at_least, checked
from nichegraph.queries.library import run_query

PUBLISHED = "published"
COMPUTED = "computed"


class RankedRepo(Protocol):
    name: str
    role: str
    active_developers: int
    shared: int
    rank: int | None


@dataclass(frozen=True)
class EventsExpandParams:
    top: int = 50
    min_shared: int = 10
    min_openrank: float = 10.0

    def check(self) -> EventsExpandParams:
        return checked(self, top=NOT_NEGATIVE, min_shared=at_least(1), min_openrank=NOT_NEGATIVE)


@dataclass(frozen=True)
class OpenRank:
    value: float
    months: int
    source: str  # published | computed


@dataclass
class Member:
    repo: str
    role: str  # seed | candidate
    rank: int | None
    shared_with_seeds: int
    active_developers: int
    openrank: OpenRank | None
    kept: bool = True
    reason: str = ""
    edges: int = 0

    def row(self) -> dict[str, Any]:
        return {
            "repo": self.repo,
            "role": self.role,
            "rank": self.rank,
            "sharedWithSeeds": self.shared_with_seeds,
            "activeDevelopers": self.active_developers,
            "meanOpenrank": round(self.openrank.value, 2) if self.openrank else None,
            "openrankSource": self.openrank.source if self.openrank else None,
            "openrankMonths": self.openrank.months if self.openrank else 0,
            "edges": self.edges,
            "kept": self.kept,
            "reason": self.reason,
        }


@dataclass
class EventsExpansion:
    period: str
    seeds: list[str]
    params: EventsExpandParams
    seed_developers: int
    members: list[Member]
    edges: list[tuple[str, str, int]]
    missing_seeds: list[str] = field(default_factory=list)

    def kept(self) -> list[Member]:
        return [member for member in self.members if member.kept]

    def left_out(self) -> list[Member]:
        return [member for member in self.members if not member.kept]

    def landscape_file(self) -> dict[str, Any]:
        """The kept nodes and edges in the layout of the report's own network file
        (graph_landscape_2025-05.json): nodes [repo, rounded mean OpenRank], edges [a, b, shared]."""
        nodes = sorted(self.kept(), key=lambda m: (-(m.openrank.value if m.openrank else 0.0), m.repo))
        return {
            "nodes": [[m.repo, round(m.openrank.value) if m.openrank else None] for m in nodes],
            "edges": [[a, b, shared] for a, b, shared in self.edges],
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "seeds": self.seeds,
            "missingSeeds": self.missing_seeds,
            "parameters": vars(self.params),
            "seedDevelopers": self.seed_developers,
            "members": [member.row() for member in self.kept()],
            "leftOut": [member.row() for member in self.left_out()],
            "edges": [{"source": a, "target": b, "sharedDevelopers": shared} for a, b, shared in self.edges],
        }


def graph_openrank(graph: Graph, window: str) -> dict[str, OpenRank]:
    """Mean monthly OpenRank per repository (lower-cased name): published, else computed."""
    found: dict[str, OpenRank] = {}
    for name, source in (("mean_openrank_computed_in_window", COMPUTED), ("mean_openrank_in_window", PUBLISHED)):
        for row in run_query(graph, name, window=window):
            found[row["repo"].lower()] = OpenRank(row["openrank"], row["months"], source)
    return found


def explain(
    period: str,
    seeds: list[RankedRepo],
    candidates: list[RankedRepo],
    pairs: list[tuple[str, str, int]],
    openrank: dict[str, OpenRank],
    params: EventsExpandParams,
    seed_developers: int = 0,
    missing_seeds: list[str] | None = None,
) -> EventsExpansion:
    """Keep or leave out every seed and candidate, with the reason, and the edges between kept ones."""
    members = [_member(seed, openrank) for seed in seeds]
    for member in members:
        if member.openrank is None or member.openrank.value < params.min_openrank:
            member.reason = "seed (kept below the OpenRank threshold)"
        else:
            member.reason = "seed"
    for candidate in candidates:
        member = _member(candidate, openrank)
        members.append(member)
        if candidate.rank is not None and candidate.rank > params.top:
            member.kept, member.reason = False, f"rank {candidate.rank}: beyond --top {params.top}"
        elif member.openrank is None:
            member.kept = False
            member.reason = "no OpenRank in the period (load it, or run `nichegraph openrank` after loading it)"
        elif member.openrank.value < params.min_openrank:
            member.kept = False
            member.reason = f"mean OpenRank {member.openrank.value:.1f} < {params.min_openrank:g}"
    kept = {member.repo for member in members if member.kept}
    edges = sorted(
        ((a, b, shared) for a, b, shared in pairs if a in kept and b in kept and shared >= params.min_shared),
        key=lambda edge: (-edge[2], edge[0], edge[1]),
    )
    degree: dict[str, int] = {}
    for a, b, _ in edges:
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1
    for member in members:
        member.edges = degree.get(member.repo, 0)
        if member.kept and member.role != "seed":
            if member.edges:
                member.reason = (
                    f"rank {member.rank}: {member.shared_with_seeds} active developers shared with the seeds"
                )
            else:
                member.kept = False
                member.reason = f"isolated: no other node shares {params.min_shared} active developers with it"
    names = [seed.name for seed in seeds]
    return EventsExpansion(period, names, params, seed_developers, members, edges, missing_seeds or [])


def _member(item: RankedRepo, openrank: dict[str, OpenRank]) -> Member:
    return Member(item.name, item.role, item.rank, item.shared, item.active_developers, openrank.get(item.name.lower()))
