"""Niches and relations on a named network loaded from outside (`nichegraph load network`),
the same way as on a window of our own contributions (see docs/niches.md, "Named networks").

A named network has no developer-level data: only its links' weights (for the landscape
report's network, the active developers two projects share), shared-developer counts,
each project's OpenRank, and its structure. So:

- the link weight used for niches is the raw weight divided by the geometric mean of the two
  projects' strengths (the sum of their raw weights), w / sqrt(S(a) S(b)): a link that holds
  a large share of both projects' ties is strong, a hub's many links are not;
- each project keeps its 3 strongest links (the file already dropped weak pairs);
- Leiden with the consensus of issue 3 (`analysis/niches.py`) finds the niches;
- relations use tie shares (the share of a project's summed weight that a link carries) where
  windows use core crossing, neighbour-profile similarity and OpenRank.

Results are stored like a window's, under the key 'network:NAME' (`nichegraph.names.network_scope`)
in the `window` property, with `network: NAME` on the niches; the network's own links stay
`NETWORK_LINK`, never `COLLABORATES`.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nichegraph.analysis.network import Link, Network, NetworkParams, WindowActivity, mark_backbone
from nichegraph.analysis.niches import (
    DELETE_WINDOW,
    WRITE_MEMBERS,
    WRITE_NICHES,
    WRITE_RUN,
    NicheParams,
    NicheResult,
    detect_niches,
    niche_rows,
    read_domains,
    run_properties,
)
from nichegraph.analysis.pair_signals import PairSignals, cosine
from nichegraph.analysis.relations import (
    COMPETITOR,
    PEER,
    UPSTREAM,
    Relation,
    RelationResult,
    write_relations,
)
from nichegraph.db import Graph
from nichegraph.errors import BadParameter, NichegraphError
from nichegraph.names import check_network_name, network_scope
from nichegraph.progress import Progress
from nichegraph.queries.library import run_query

TOP_LINKS = 3  # measured on the report's network: docs/niches.md, "Named networks"
# a loaded network's niches: plain modularity (docs/niches.md, section 9; a window's default is 2.0)
RESOLUTION = 1.0
WEIGHTING = "w / sqrt(S(a) S(b)), S = a project's summed link weight in the network"


@dataclass(frozen=True)
class NetworkScope:
    """Stands where a time window stands in a window's results: printed, it is the key the
    network's niches and relations are stored under ('network:NAME')."""

    name: str

    def __str__(self) -> str:
        return network_scope(self.name)


@dataclass
class StoredNetwork:
    """A named network as the graph holds it (`queries/network_graph.cypher`)."""

    name: str
    properties: dict[str, Any]
    nodes: list[dict[str, Any]]  # {repo, openrank, niche, nicheNumber, nicheLabel, stability, domain}
    links: list[dict[str, Any]]  # {source, target, weight, sharedDevelopers}: weight as loaded
    relations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def openrank(self) -> dict[str, float]:
        return {node["repo"]: node["openrank"] for node in self.nodes if node["openrank"] is not None}


def read_network(graph: Graph, name: str) -> StoredNetwork:
    check_network_name(name, "--network")
    rows = run_query(graph, "network_graph", network=name)
    if not rows:
        known = [row["name"] for row in graph.read("MATCH (n:Network) RETURN n.name AS name ORDER BY name")]
        hint = (
            f"; loaded: {', '.join(known)}" if known else "; load one with `nichegraph load network FILE --name NAME`"
        )
        raise BadParameter(f"--network: no network named {name!r}{hint}")
    row = rows[0]
    return StoredNetwork(name, row["network"], row["nodes"], row["links"], row["relations"])


def strengths(links: list[dict[str, Any]]) -> dict[str, float]:
    """Each project's summed raw link weight."""
    total: dict[str, float] = defaultdict(float)
    for link in links:
        total[link["source"]] += link["weight"]
        total[link["target"]] += link["weight"]
    return total


def normalised_links(links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The links with `weight` = w / sqrt(S(a) S(b)) and the loaded weight kept as `rawWeight`."""
    total = strengths(links)
    return [
        {
            **link,
            "rawWeight": link["weight"],
            "weight": normalised(link["weight"], total[link["source"]], total[link["target"]]),
        }
        for link in links
    ]


def kept_pairs(stored: StoredNetwork, top_links: int = TOP_LINKS) -> set[frozenset[str]]:
    """The links niches are found on: each project's strongest by the normalised weight."""
    network = build_network(stored, top_links)
    return {frozenset((network.repos[link.source], network.repos[link.target])) for link in network.backbone()}


def normalised(weight: float, strength_a: float, strength_b: float) -> float:
    return weight / math.sqrt(strength_a * strength_b) if strength_a > 0 and strength_b > 0 else 0.0


def build_network(stored: StoredNetwork, top_links: int = TOP_LINKS) -> Network:
    """The in-memory `Network` the niche and relation code reads, from a stored named network.
    There are no developers: `repo_activity` holds each project's strength."""
    started = time.perf_counter()
    params = NetworkParams(min_shared=1, min_lift=0.0, top_links=top_links).check()
    repos = sorted(node["repo"] for node in stored.nodes)
    index = {repo: i for i, repo in enumerate(repos)}
    total = strengths(stored.links)
    activity = WindowActivity(
        NetworkScope(stored.name),  # type: ignore[arg-type]  # printed as the results' key
        repos,
        [],
        [],
        [total.get(repo, 0.0) for repo in repos],
        [0] * len(repos),
        len(stored.links),
    )
    pairs: dict[tuple[int, int], Link] = {}
    for raw in stored.links:
        s, t = sorted((index[raw["source"]], index[raw["target"]]))
        link = Link(s, t, shared=raw["sharedDevelopers"] or 0, pair_sum=raw["weight"])
        link.weight = normalised(raw["weight"], total[raw["source"]], total[raw["target"]])
        pairs[s, t] = link
    significant = dict(pairs)
    mark_backbone(repos, significant, params.top_links)
    return Network(activity, params, 0.0, pairs, significant, time.perf_counter() - started)


# --- niches -------------------------------------------------------------------------------------


def network_niches(stored: StoredNetwork, params: NicheParams, domains: dict[str, str], top_links: int) -> NicheResult:
    network = build_network(stored, top_links)
    result = detect_niches(network, params, domains)
    linked = {repo for link in stored.links for repo in (link["source"], link["target"])}
    for repo in result.unassigned:
        if repo not in linked:
            result.unassigned[repo] = f"no link in network {stored.name} (the file keeps no pair with it)"
    return result


def compute_network_niches(
    graph: Graph, name: str, params: NicheParams, steps: Progress, top_links: int = TOP_LINKS
) -> NicheResult:
    """Find the niches of a stored network and store them (replacing its niches and relations)."""
    params.check()
    if top_links < 1:
        raise BadParameter(f"--top-links: {top_links} must be at least 1")
    stored = read_network(graph, name)
    result = network_niches(stored, params, read_domains(graph), top_links)
    network = result.network
    steps.note(
        f"network {name}: {len(network.repos)} projects, {len(network.pairs)} links, {len(network.backbone())} kept "
        f"(each project's {top_links} strongest by {WEIGHTING})"
    )
    steps.note(
        f"Leiden: {params.runs} runs (resolution {params.resolution:g}), consensus in {result.consensus_rounds} "
        f"round(s): {len(result.niches)} niches, {len(result.unassigned)} unassigned, mean pairwise ARI "
        f"{result.mean_ari:.3f}"
    )
    write_network_niches(graph, result, name)
    return result


def write_network_niches(graph: Graph, result: NicheResult, name: str) -> None:
    """Replace the network's niches and (now stale) relations in one transaction; the network's
    links are the loaded NETWORK_LINKs, so none are written."""
    scope = result.window
    niches, members = niche_rows(result)
    for row in niches:
        row["props"]["network"] = name
    props = run_properties(result) | {"network": name, "weighting": WEIGHTING}

    def work(tx: Any) -> None:
        tx.run(DELETE_WINDOW, window=scope).consume()
        tx.run(WRITE_RUN, window=scope, props=props).consume()
        tx.run(WRITE_NICHES, rows=niches).consume()
        tx.run(WRITE_MEMBERS, rows=members).consume()

    graph.write_tx(work)


def stored_network_membership(graph: Graph, name: str) -> dict[str, str]:
    rows = graph.read(
        "MATCH (r:Repo)-[:IN_NICHE]->(n:Niche {window: $scope}) RETURN r.name AS repo, n.id AS niche",
        scope=network_scope(name),
    )
    return {row["repo"]: row["niche"] for row in rows}


# --- relations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkRelationParams:
    """Rules for a network without developer data (docs/niches.md, "Named networks")."""

    upstream_gap: float = 0.10  # downstream's tie share to the upstream minus the reverse, at least
    upstream_min_share: float = 0.15  # share of the downstream's ties the link carries, at least
    upstream_openrank: float = 2.0  # the upstream clearly more influential
    rival_min_similarity: float = 0.50  # neighbour-profile cosine at least
    rival_max_openrank_ratio: float = 4.0
    rival_min_neighbours: int = 3


def classify_network_relations(
    network: Network,
    membership: dict[str, str],
    openrank: dict[str, float],
    params: NetworkRelationParams | None = None,
) -> RelationResult:
    """Every kept link and every same-niche pair of the network, classified from tie shares,
    neighbour profiles and OpenRank."""
    params = params or NetworkRelationParams()
    started = time.perf_counter()
    repos = network.repos
    neighbours = network.neighbours()
    candidates = {(link.source, link.target) for link in network.backbone()}
    candidates |= {key for key in network.pairs if membership.get(repos[key[0]], "") == membership.get(repos[key[1]])}
    relations = []
    for a, b in sorted(candidates):
        relation = classify_network_pair(network, a, b, membership, openrank, neighbours, params)
        if relation is not None:
            relations.append(relation)
    relations.sort(key=lambda r: (r.relation, -r.confidence, r.source, r.target))
    # the result reports the rules it used: these, not the window rules
    return RelationResult(network, params, relations, len(candidates), time.perf_counter() - started)  # type: ignore[arg-type]


# a network's rules (docs/niches.md, "Relations without developers"): N for network
NETWORK_RULES = {COMPETITOR: "NC", UPSTREAM: "NU", PEER: "NP"}


def network_signals(
    network: Network, link: Link, similarity: float, or_a: float, or_b: float, same_niche: bool
) -> PairSignals:
    """What a network without developers tells about a pair: its link, profile similarity and
    OpenRank; core crossing, lean, reach and metadata are unknown (0, None or empty)."""
    return PairSignals(
        a=link.source,
        b=link.target,
        shared=link.shared,
        lift=0.0,
        weight=link.weight,
        significant=True,
        backbone=link.backbone,
        core_ab=0.0,
        core_ba=0.0,
        core_count_ab=0,
        core_count_ba=0,
        lean=0.0,
        previous_ab=None,
        previous_ba=None,
        similarity=similarity,
        common=0,
        reach_a=0,
        reach_b=0,
        openrank_a=or_a,
        openrank_b=or_b,
        same_niche=same_niche,
        metadata_similarity=None,
        a_names_b=False,
        b_names_a=False,
        shared_terms=[],
    )


def classify_network_pair(
    network: Network,
    a: int,
    b: int,
    membership: dict[str, str],
    openrank: dict[str, float],
    neighbours: dict[int, dict[int, float]],
    params: NetworkRelationParams,
) -> Relation | None:
    repos = network.repos
    link = network.link(a, b)
    if link is None:
        return None
    strength = network.activity.repo_activity
    share_ab = link.pair_sum / strength[a] if strength[a] else 0.0  # share of a's ties that go to b
    share_ba = link.pair_sum / strength[b] if strength[b] else 0.0
    niche_a, niche_b = membership.get(repos[a]), membership.get(repos[b])
    same_niche = niche_a is not None and niche_a == niche_b
    similarity = cosine(neighbours.get(a, {}), neighbours.get(b, {}), (a, b))
    or_a, or_b = openrank.get(repos[a], 0.0), openrank.get(repos[b], 0.0)

    signals = network_signals(network, link, similarity, or_a, or_b, same_niche)

    def make(source: int, kind: str, confidence: float, reason: str) -> Relation:
        forward = source == a
        return Relation(
            source=repos[source],
            target=repos[b if forward else a],
            relation=kind,
            confidence=max(0.0, min(1.0, confidence)),
            rule=NETWORK_RULES[kind],
            reason=reason,
            signals=signals,
            forward=forward,
            linked=link.backbone,
            niche=niche_a if same_niche else None,
            source_share=share_ab if forward else share_ba,
            target_share=share_ba if forward else share_ab,
        )

    comparable = min(or_a, or_b) * params.rival_max_openrank_ratio >= max(or_a, or_b) > 0
    profiled = min(len(set(neighbours.get(a, {})) - {b}), len(set(neighbours.get(b, {})) - {a}))
    if (
        same_niche
        and similarity >= params.rival_min_similarity
        and comparable
        and profiled >= params.rival_min_neighbours
    ):
        reason = (
            f"same niche, neighbour profiles {similarity:.0%} alike, OpenRank {or_a:.0f} vs {or_b:.0f}: projects that "
            "draw on the same developers for the same job (no developer data to tell substitutes from partners)"
        )
        return make(a, COMPETITOR, similarity, reason)
    if not link.backbone:
        return None
    for up, down, share_down_up, share_up_down, or_up, or_down in (
        (a, b, share_ba, share_ab, or_a, or_b),
        (b, a, share_ab, share_ba, or_b, or_a),
    ):
        gap = share_down_up - share_up_down
        if (
            gap >= params.upstream_gap
            and share_down_up >= params.upstream_min_share
            and or_up >= params.upstream_openrank * or_down > 0
        ):
            reason = (
                f"{share_down_up:.0%} of {repos[down]}'s shared developers (summed over its links) are shared with "
                f"{repos[up]}, against {share_up_down:.0%} the other way; OpenRank {or_up:.0f} vs {or_down:.0f}"
            )
            return make(up, UPSTREAM, gap / (share_down_up + share_up_down), reason)
    reason = (
        f"linked, no clear direction: the link carries {share_ab:.0%} of {repos[a]}'s ties and {share_ba:.0%} of "
        f"{repos[b]}'s"
    )
    return make(a, PEER, min(1.0, (share_ab + share_ba) / 2 / 0.25), reason)


def compute_network_relations(graph: Graph, name: str, steps: Progress) -> RelationResult:
    """Relations of a network from its stored niches (computing the niches first when it has none)."""
    stored = read_network(graph, name)
    run = graph.read("MATCH (run:NicheRun {window: $scope}) RETURN run.topLinks AS top", scope=network_scope(name))
    if not run:
        steps.note(f"no niches stored for network {name}: computing them with the default settings first")
        result = compute_network_niches(graph, name, NicheParams(resolution=RESOLUTION), steps)
        network, membership = result.network, result.membership()
    else:
        network, membership = build_network(stored, run[0]["top"] or TOP_LINKS), stored_network_membership(graph, name)
    relations = classify_network_relations(network, membership, stored.openrank)
    counts = relations.counts()
    steps.note(
        f"relations on network {name}: {relations.candidates} candidate pairs -> {counts[UPSTREAM]} upstream, "
        f"{counts[COMPETITOR]} competitor, {counts[PEER]} peer"
    )
    return relations


def require_network_results(graph: Graph, name: str) -> dict[str, Any]:
    rows = graph.read("MATCH (run:NicheRun {window: $scope}) RETURN run", scope=network_scope(name))
    if not rows:
        raise NichegraphError(f"network {name}: no niches computed yet; run `nichegraph niches --network {name}` first")
    return dict(rows[0]["run"])


def analyse_networks(graph: Graph, say: Callable[[str], None]) -> None:
    """Niches and relations of every loaded network (the main job's last analysis step)."""
    steps = Progress(total=None, quiet=True)
    for row in run_query(graph, "networks"):
        name = row["name"]
        niches = compute_network_niches(graph, name, NicheParams(resolution=RESOLUTION), steps)
        relations = classify_network_relations(niches.network, niches.membership(), read_network(graph, name).openrank)
        write_relations(graph, relations, {})
        counts = relations.counts()
        say(
            f"network {name}: {len(niches.niches)} niches ({len(niches.unassigned)} projects unassigned); relations "
            f"{counts[UPSTREAM]} upstream, {counts[COMPETITOR]} competitor, {counts[PEER]} peer"
        )
