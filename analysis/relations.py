"""Upstream / competitor / peer relations between projects (see docs/niches.md).

The deciding signal is where each project's core developers also work ("core crossing"):
a downstream project's core developers report issues and send fixes upstream, so much of
its core works in the upstream project too, while little of the upstream's core works
downstream. Substitutes share almost no core developers although their neighbourhoods look
alike. Peers are linked projects that fit neither pattern, typically one family or team.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from nichegraph.analysis.network import Network, developer_logins
from nichegraph.db import Graph
from nichegraph.queries.library import run_query

UPSTREAM, COMPETITOR, PEER = "upstream", "competitor", "peer"
REL_TYPES = {UPSTREAM: "UPSTREAM_OF", COMPETITOR: "COMPETES_WITH", PEER: "PEER_OF"}


@dataclass(frozen=True)
class RelationParams:
    core_size: int = 20  # a project's core: its most active developers in the window
    upstream_gap: float = 0.10  # downstream core in upstream minus the reverse, at least
    upstream_min_core: float = 0.15  # share of the downstream's core activity found upstream, at least
    same_team_core: float = 0.30  # above this the upstream's core also runs the downstream: one team
    same_team_gap: float = 0.15  # ... then the gap must be larger
    same_team_openrank: float = 2.0  # ... and the upstream clearly more influential (OpenRank ratio)
    upstream_min_openrank: float = 0.5  # upstream's OpenRank at least half the downstream's
    rival_max_core: float = 0.10  # rivals: at most this share of either core crosses over
    rival_min_similarity: float = 0.50  # neighbour-profile cosine at least
    rival_max_openrank_ratio: float = 4.0  # substitutes are of comparable weight
    rival_min_neighbours: int = 3  # a profile needs this many other links to compare


@dataclass
class Relation:
    source: str  # for upstream: the upstream project
    target: str
    relation: str
    confidence: float
    reason: str
    linked: bool
    same_niche: bool
    niche: str | None
    weight: float
    shared: int
    lift: float
    source_core_in_target: float
    target_core_in_source: float
    source_core_crossing: int
    target_core_crossing: int
    similarity: float
    source_openrank: float
    target_openrank: float
    source_share: float
    target_share: float
    top_developers: list[str] = field(default_factory=list)
    top_source_activity: list[float] = field(default_factory=list)
    top_target_activity: list[float] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "relation": self.relation,
            "confidence": round(self.confidence, 4),
            "reason": self.reason,
            "linked": self.linked,
            "sameNiche": self.same_niche,
            "niche": self.niche,
            "weight": self.weight,
            "sharedDevelopers": self.shared,
            "lift": self.lift,
            "sourceCoreInTarget": self.source_core_in_target,
            "targetCoreInSource": self.target_core_in_source,
            "sourceCoreCrossing": self.source_core_crossing,
            "targetCoreCrossing": self.target_core_crossing,
            "profileSimilarity": self.similarity,
            "sourceOpenrank": self.source_openrank,
            "targetOpenrank": self.target_openrank,
            "sourceShare": self.source_share,
            "targetShare": self.target_share,
            "topDevelopers": self.top_developers,
            "topDevelopersSourceActivity": self.top_source_activity,
            "topDevelopersTargetActivity": self.top_target_activity,
        }


@dataclass
class RelationResult:
    network: Network
    params: RelationParams
    relations: list[Relation]
    candidates: int
    seconds: float
    computed_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    @property
    def window(self) -> str:
        return str(self.network.window)

    def counts(self) -> dict[str, int]:
        return {kind: sum(1 for r in self.relations if r.relation == kind) for kind in (UPSTREAM, COMPETITOR, PEER)}

    def find(self, a: str, b: str) -> Relation | None:
        return next((r for r in self.relations if {r.source, r.target} == {a, b}), None)


class CoreCrossing:
    """Share of a project's core activity done by core developers also active in another."""

    def __init__(self, network: Network, core_size: int) -> None:
        self.activity = network.activity
        self.cores = [self.activity.members(r)[:core_size] for r in range(len(network.repos))]

    def __call__(self, source: int, target: int) -> tuple[float, int]:
        core = self.cores[source]
        total = sum(value for value, _ in core)
        crossing = [(value, dev) for value, dev in core if target in self.activity.activity[dev]]
        return (sum(value for value, _ in crossing) / total if total else 0.0), len(crossing)


def cosine(a: dict[int, float], b: dict[int, float], skip: Iterable[int]) -> float:
    """Similarity of two projects' neighbour profiles, leaving out their own link."""
    skipped = set(skip)
    keys = (a.keys() | b.keys()) - skipped
    dot = sum(a.get(k, 0.0) * b.get(k, 0.0) for k in keys)
    norm = math.sqrt(sum(a.get(k, 0.0) ** 2 for k in keys) * sum(b.get(k, 0.0) ** 2 for k in keys))
    return dot / norm if norm else 0.0


def classify_relations(
    network: Network,
    membership: dict[str, str],
    openrank: dict[str, float],
    params: RelationParams | None = None,
) -> RelationResult:
    """Classify every backbone link, and every same-niche pair whose neighbourhoods look alike."""
    params = params or RelationParams()
    started = time.perf_counter()
    repos = network.repos
    crossing = CoreCrossing(network, params.core_size)
    neighbours = network.neighbours()
    # every stored link, and beyond them every significant pair inside one niche (rivals
    # often share too few developers to be among each other's strongest links)
    candidates = {(link.source, link.target) for link in network.backbone()}
    candidates |= {
        key for key in network.significant if membership.get(repos[key[0]], "") == membership.get(repos[key[1]])
    }
    relations = []
    for a, b in sorted(candidates):
        relation = classify_pair(network, a, b, membership, openrank, crossing, neighbours, params)
        if relation is not None:
            relations.append(relation)
    relations.sort(key=lambda r: (r.relation, -r.confidence, r.source, r.target))
    return RelationResult(network, params, relations, len(candidates), time.perf_counter() - started)


def classify_pair(
    network: Network,
    a: int,
    b: int,
    membership: dict[str, str],
    openrank: dict[str, float],
    crossing: CoreCrossing,
    neighbours: dict[int, dict[int, float]],
    params: RelationParams,
) -> Relation | None:
    repos = network.repos
    name_a, name_b = repos[a], repos[b]
    link = network.link(a, b)
    linked = bool(link and link.backbone)
    niche_a, niche_b = membership.get(name_a), membership.get(name_b)
    same_niche = niche_a is not None and niche_a == niche_b
    c_ab, k_ab = crossing(a, b)  # share of a's core also active in b
    c_ba, k_ba = crossing(b, a)
    similarity = cosine(neighbours.get(a, {}), neighbours.get(b, {}), (a, b))
    family = name_a.split("/")[0].lower() == name_b.split("/")[0].lower()
    or_a, or_b = openrank.get(name_a, 0.0), openrank.get(name_b, 0.0)

    def make(source: int, kind: str, confidence: float, reason: str) -> Relation:
        target = b if source == a else a
        c_st, k_st = (c_ab, k_ab) if source == a else (c_ba, k_ba)
        c_ts, k_ts = (c_ba, k_ba) if source == a else (c_ab, k_ab)
        share_s = share_t = 0.0
        top: list[tuple[float, int]] = []
        if link is not None:
            shares = network.shares(link)
            share_s, share_t = shares if link.source == source else (shares[1], shares[0])
            top = link.top_parts()
        acts = network.activity.activity
        return Relation(
            source=repos[source],
            target=repos[target],
            relation=kind,
            confidence=max(0.0, min(1.0, confidence)),
            reason=reason,
            linked=linked,
            same_niche=same_niche,
            niche=niche_a if same_niche else None,
            weight=link.weight if link is not None else 0.0,
            shared=link.shared if link is not None else 0,
            lift=link.lift if link is not None else 0.0,
            source_core_in_target=c_st,
            target_core_in_source=c_ts,
            source_core_crossing=k_st,
            target_core_crossing=k_ts,
            similarity=similarity,
            source_openrank=openrank.get(repos[source], 0.0),
            target_openrank=openrank.get(repos[target], 0.0),
            source_share=share_s,
            target_share=share_t,
            top_developers=[network.activity.developers[dev] for _, dev in top],
            top_source_activity=[acts[dev][source] for _, dev in top],
            top_target_activity=[acts[dev][target] for _, dev in top],
        )

    core_a, core_b = f"{params.core_size} most active developers", f"{params.core_size} most active developers"
    # rivals: same niche, cores apart, neighbourhoods alike, comparable weight
    comparable = min(or_a, or_b) * params.rival_max_openrank_ratio >= max(or_a, or_b)
    profiled = min(len(set(neighbours.get(a, {})) - {b}), len(set(neighbours.get(b, {})) - {a}))
    if (
        same_niche
        and max(c_ab, c_ba) <= params.rival_max_core
        and similarity >= params.rival_min_similarity
        and comparable
        and profiled >= params.rival_min_neighbours
    ):
        confidence = similarity * (1 - max(c_ab, c_ba) / (2 * params.rival_max_core))
        reason = (
            f"same niche, neighbour profiles {similarity:.0%} alike, but only {c_ab:.0%} / {c_ba:.0%} of their "
            f"cores' activity ({core_a}) comes from developers active in the other"
        )
        return make(a, COMPETITOR, confidence, reason)
    if not linked:
        return None
    for up, down, c_down_up, c_up_down, k_down, or_up, or_down in (
        (a, b, c_ba, c_ab, k_ba, or_a, or_b),
        (b, a, c_ab, c_ba, k_ab, or_b, or_a),
    ):
        if is_upstream(c_down_up, c_up_down, or_up, or_down, params):
            confidence = (c_down_up - c_up_down) / (c_down_up + c_up_down) * k_down / (k_down + 1)
            reason = (
                f"{c_down_up:.0%} of {repos[down]}'s core activity ({k_down} of its {core_b}) comes from developers "
                f"also active in {repos[up]}, against {c_up_down:.0%} the other way; mean OpenRank "
                f"{or_up:.1f} vs {or_down:.1f}"
            )
            return make(up, UPSTREAM, confidence, reason)
    mean_crossing = (c_ab + c_ba) / 2
    confidence = min(1.0, mean_crossing / 0.5)
    kind = "one family" if family else "linked"
    reason = (
        f"{kind}, no clear direction: {c_ab:.0%} of {name_a}'s core activity is by developers active in {name_b}, "
        f"{c_ba:.0%} the other way"
    )
    return make(a, PEER, confidence, reason)


def is_upstream(c_down_up: float, c_up_down: float, or_up: float, or_down: float, params: RelationParams) -> bool:
    gap = c_down_up - c_up_down
    if gap < params.upstream_gap or c_down_up < params.upstream_min_core:
        return False
    if c_up_down <= params.same_team_core:
        return or_up >= params.upstream_min_openrank * or_down
    # the upstream's own core also runs the other project (docs, engine and framework...):
    # a direction needs a larger gap and a clearly more influential upstream
    return gap >= params.same_team_gap and or_up >= params.same_team_openrank * or_down


# --- OpenRank of the window -------------------------------------------------------------


def mean_openrank(graph: Graph, window: str) -> dict[str, tuple[float, int]]:
    """Mean monthly published OpenRank over the months of the window that have a value."""
    rows = run_query(graph, "mean_openrank_in_window", window=window)
    return {row["repo"]: (row["openrank"], row["months"]) for row in rows}


# --- storage -----------------------------------------------------------------------------

DELETE_RELATIONS = """
MATCH (:Repo)-[x:UPSTREAM_OF|COMPETES_WITH|PEER_OF {window: $window}]->(:Repo)
DELETE x
"""

# relationship types cannot be parameters: one statement per type, the type a constant
WRITE_RELATIONS = {
    rel_type: f"""
UNWIND $rows AS row
MATCH (s:Repo {{name: row.source}})
MATCH (t:Repo {{name: row.target}})
MERGE (s)-[x:{rel_type} {{window: $window}}]->(t)
SET x = row.props
"""
    for rel_type in REL_TYPES.values()
}

MARK_RUN = "MATCH (run:NicheRun {window: $window}) SET run.relationsComputedAt = $at, run += $counts"


def relation_rows(result: RelationResult, logins: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {rel_type: [] for rel_type in REL_TYPES.values()}
    for relation in result.relations:
        props = relation.row()
        props["topDevelopers"] = [logins.get(key, key) for key in relation.top_developers]
        props = {key: value for key, value in props.items() if key not in {"source", "target", "relation"}}
        props["window"] = result.window
        rows[REL_TYPES[relation.relation]].append(
            {"source": relation.source, "target": relation.target, "props": props}
        )
    return rows


def relation_logins(graph: Graph, result: RelationResult) -> dict[str, str]:
    return developer_logins(graph, sorted({key for r in result.relations for key in r.top_developers}))


def write_relations(graph: Graph, result: RelationResult, logins: dict[str, str]) -> None:
    """Replace this window's relations (and only this window's) in one transaction."""
    rows = relation_rows(result, logins)
    counts = result.counts()

    def work(tx: Any) -> None:
        tx.run(DELETE_RELATIONS, window=result.window).consume()
        for rel_type, type_rows in rows.items():
            tx.run(WRITE_RELATIONS[rel_type], rows=type_rows, window=result.window).consume()
        tx.run(
            MARK_RUN,
            window=result.window,
            at=result.computed_at,
            counts={
                "upstreamRelations": counts[UPSTREAM],
                "competitorRelations": counts[COMPETITOR],
                "peerRelations": counts[PEER],
            },
        ).consume()

    graph.write_tx(work)


def relations_json(result: RelationResult, logins: dict[str, str]) -> dict[str, Any]:
    rows = []
    for relation in result.relations:
        row = relation.row()
        row["topDevelopers"] = [logins.get(key, key) for key in relation.top_developers]
        rows.append(row)
    return {"window": result.window, "parameters": vars(result.params), "counts": result.counts(), "relations": rows}
