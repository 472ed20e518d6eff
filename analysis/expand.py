"""Seed expansion, the landscape report's method (docs/niches.md, "Seed expansion"): from the
seeds, rank the other projects by the number of active developers they share with the landscape
so far, keep those influential enough (OpenRank) and tied to it beyond random mixing, skip
distribution hubs and (with GitHub metadata) programming languages, and grow depth by depth; say
why each member joined and why others did not."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nichegraph.analysis.hubs import HubEvidence
from nichegraph.analysis.metadata import LANGUAGE, MetadataIndex
from nichegraph.analysis.network import Network
from nichegraph.db import Graph
from nichegraph.errors import NOT_NEGATIVE, BadParameter, at_least, checked


@dataclass(frozen=True)
class ExpandParams:
    min_openrank: float = 10.0
    depth: int = 2
    top: int = 10  # projects added per depth at most: the most shared developers first
    min_shared: int = 3  # active developers shared with the landscape, at least
    min_lift: float = 4.0  # shared developers / what random mixing with the landscape predicts, at least
    # a project declaring itself a programming language (GitHub metadata) is not followed: every
    # community works in its languages, so a language ties to any landscape without being of it
    follow_languages: bool = False

    def check(self) -> ExpandParams:
        return checked(
            self,
            min_openrank=NOT_NEGATIVE,
            depth=NOT_NEGATIVE,
            top=at_least(1),
            min_shared=at_least(1),
            min_lift=NOT_NEGATIVE,
        )


@dataclass
class Reached:
    repo: str
    depth: int
    shared: int  # active developers shared with the landscape when it joined
    lift: float  # shared / what random mixing with the landscape predicts
    rank: int  # its rank by shared developers among the candidates of its depth
    via: str | None  # the member it shares most developers with
    via_shared: int
    openrank: float | None
    openrank_months: int
    note: str = ""

    def row(self) -> dict[str, Any]:
        return {
            "repo": self.repo,
            "depth": self.depth,
            "sharedDevelopers": self.shared,
            "lift": self.lift,
            "rankAtDepth": self.rank,
            "closestMember": self.via,
            "sharedWithClosest": self.via_shared,
            "meanOpenrank": self.openrank,
            "openrankMonths": self.openrank_months,
            "note": self.note,
        }


@dataclass
class LeftOut:
    repo: str
    reason: str
    depth: int  # the depth at which it was last considered
    shared: int
    lift: float
    openrank: float | None

    def row(self) -> dict[str, Any]:
        return {
            "repo": self.repo,
            "reason": self.reason,
            "depth": self.depth,
            "sharedDevelopers": self.shared,
            "lift": self.lift,
            "meanOpenrank": self.openrank,
        }


@dataclass
class ExpandResult:
    window: str
    seeds: list[str]
    params: ExpandParams
    members: list[Reached]
    left_out: list[LeftOut] = field(default_factory=list)
    window_repos: list[str] = field(default_factory=list)  # projects with contributions in the window

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


@dataclass
class Candidate:
    repo: int
    shared: int
    lift: float
    via: int
    via_shared: int


class Landscape:
    """The members so far and their active developers, for ranking the other projects."""

    def __init__(self, network: Network, seeds: list[int]) -> None:
        self.network = network
        activity = network.activity
        self.developers_of: list[set[int]] = [set() for _ in activity.repos]
        for dev, repos in enumerate(activity.activity):
            for repo in repos:
                self.developers_of[repo].add(dev)
        self.members = list(seeds)
        self.developers: set[int] = set().union(*(self.developers_of[r] for r in seeds)) if seeds else set()
        self.linked = network.neighbours()

    def add(self, repo: int) -> None:
        self.members.append(repo)
        self.developers |= self.developers_of[repo]

    def candidate(self, repo: int) -> Candidate | None:
        """Its overlap with the landscape, or None when it has no significant link to any member."""
        partners = [m for m in self.members if m in self.linked.get(repo, {})]
        if not partners:
            return None
        mine = self.developers_of[repo]
        shared = len(mine & self.developers)
        expected = len(mine) * len(self.developers) * self.network.kappa
        via = max(partners, key=lambda m: (len(mine & self.developers_of[m]), -m))
        return Candidate(repo, shared, shared / expected if expected else 0.0, via, len(mine & self.developers_of[via]))


LANGUAGE_REASON = (
    "a programming language by its GitHub metadata: every community works in its languages, "
    "not followed (--follow-languages to follow them)"
)


def declared_languages(network: Network, metadata: MetadataIndex | None) -> dict[int, str]:
    """The projects of the network that declare themselves a programming language, with why they
    are not followed."""
    if metadata is None:
        return {}
    index = network.activity.index()
    return {
        index[repo]: LANGUAGE_REASON
        for repo, kinds in sorted(metadata.declared.items())
        if LANGUAGE in kinds and repo in index
    }


def expand(
    network: Network,
    seeds: list[str],
    openrank: dict[str, tuple[float, int]],
    params: ExpandParams | None = None,
    hubs: dict[int, HubEvidence] | None = None,
    languages: dict[int, str] | None = None,
) -> ExpandResult:
    """Grow the landscape depth by depth: candidates are projects with a significant link to a
    member; they are ranked by active developers shared with the whole landscape, and the `top`
    best that clear the OpenRank threshold, `min_shared` and `min_lift` join at that depth.
    Distribution hubs (`hubs`) and, unless `follow_languages`, programming languages
    (`languages`, from `declared_languages`) are turned down whatever they share; seeds stay."""
    params = (params or ExpandParams()).check()
    hubs = hubs or {}
    skipped = {} if params.follow_languages else dict(languages or {})
    repos = network.repos
    index = network.activity.index()
    members: dict[str, Reached] = {}
    for seed in seeds:
        score, months = openrank.get(seed, (None, 0))
        note = "seed"
        if seed not in index:
            note = "seed; no contributions in the window"
        elif score is None or score < params.min_openrank:
            note = "seed; below the OpenRank threshold but kept as a seed"
        members[seed] = Reached(seed, 0, 0, 0.0, 0, None, 0, score, months, note)
    landscape = Landscape(network, [index[s] for s in seeds if s in index])
    left_out: dict[str, LeftOut] = {}
    for depth in range(1, params.depth + 2):
        ranked = sorted(
            (c for r in range(len(repos)) if repos[r] not in members for c in [landscape.candidate(r)] if c),
            key=lambda c: (-c.shared, -c.lift, repos[c.repo]),
        )
        added = []
        for rank, c in enumerate(ranked, start=1):
            name = repos[c.repo]
            score, months = openrank.get(name, (None, 0))
            reason = skipped.get(c.repo) or rejection(c, rank, len(added), score, depth, params, hubs)
            if reason:
                # past the last round only projects met for the first time get "beyond --depth";
                # the others keep the reason they were turned down for within the depth
                if depth <= params.depth or name not in left_out:
                    left_out[name] = LeftOut(name, reason, depth, c.shared, c.lift, score)
                continue
            left_out.pop(name, None)
            members[name] = Reached(name, depth, c.shared, c.lift, rank, repos[c.via], c.via_shared, score, months)
            added.append(c.repo)
        for repo in added:
            landscape.add(repo)
        if not added:
            break
    ordered = [members[seed] for seed in seeds]
    ordered += sorted((m for m in members.values() if m.depth > 0), key=lambda m: (m.depth, m.rank, m.repo))
    rejected = sorted(left_out.values(), key=lambda item: (-item.shared, item.repo))
    return ExpandResult(str(network.window), seeds, params, ordered, rejected, list(repos))


def rejection(
    c: Candidate,
    rank: int,
    added: int,
    score: float | None,
    depth: int,
    params: ExpandParams,
    hubs: dict[int, HubEvidence],
) -> str | None:
    """Why a candidate does not join at this depth (None: it joins)."""
    if c.repo in hubs:
        return "distribution hub: not followed (" + hubs[c.repo].reason.split(": ", 1)[1] + ")"
    if c.shared < params.min_shared or c.lift < params.min_lift:
        return (
            f"too weak: {c.shared} developers shared with the landscape, {c.lift:.1f}x random mixing "
            f"(needs {params.min_shared} and {params.min_lift:g}x)"
        )
    if score is None or score < params.min_openrank:
        shown = "no OpenRank in the window" if score is None else f"mean OpenRank {score:.1f}"
        return f"below threshold: {shown} < {params.min_openrank:g}"
    if depth > params.depth:
        return f"beyond --depth {params.depth}"
    if added >= params.top:
        return f"not among the {params.top} best of depth {depth} (rank {rank} by shared developers)"
    return None


def expand_json(result: ExpandResult) -> dict[str, Any]:
    return {
        "window": result.window,
        "seeds": result.seeds,
        "parameters": vars(result.params),
        "members": [member.row() for member in result.members],
        "leftOut": [item.row() for item in result.left_out],
    }
