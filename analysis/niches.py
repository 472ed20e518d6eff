"""Niches: Leiden communities of the collaboration network, a consensus over seeded runs,
per-project stability, readable labels, and their place in Neo4j (see docs/niches.md)."""

from __future__ import annotations

import itertools
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import igraph as ig
import leidenalg
import numpy as np

from nichegraph.analysis.drawers import DrawerSplit, Thresholds, split_drawers
from nichegraph.analysis.hubs import HubEvidence
from nichegraph.analysis.kinds import KindNiche, Placement, gather_kinds, members_by_group, place_unassigned
from nichegraph.analysis.metadata import MetadataIndex
from nichegraph.analysis.network import Network, link_rows, network_logins
from nichegraph.analysis.page_figures import write_repo_windows
from nichegraph.db import Graph
from nichegraph.errors import NOT_NEGATIVE, Requirement, at_least, checked

CONSENSUS_THRESHOLD = 0.5  # pairs together in at least half the runs stay linked
CONSENSUS_ROUNDS = 10
LABEL_MEMBERS = 3


@dataclass(frozen=True)
class NicheParams:
    resolution: float = 2.0  # above plain modularity (1.0): see docs/niches.md, "Resolution"
    runs: int = 20
    seed: int = 1
    min_size: int = 2
    # drawers (analysis/drawers.py): split a niche whose members' metadata is less alike than this
    # many times random projects' (0: never split anything) ...
    drawer_coherence: float = 2.0
    # ... when its own links form groups of at least this modularity (Newman & Girvan's 0.3)
    drawer_modularity: float = 0.3
    # ... or, whatever its coherence, when those groups are this many times as alike as the whole
    drawer_gain: float = 1.5
    # kind niches (analysis/kinds.py): at least this many projects of one declared kind, tied by the
    # data, become a niche of their kind (0: never)
    kind_min_size: int = 3
    # placed projects: an unassigned project joins the niche it shares most developers with when that
    # niche's members are also the most like it by metadata, at least this many times random (0: never)
    place_similarity: float = 3.0

    def check(self) -> NicheParams:
        return checked(
            self,
            resolution=Requirement(lambda value: value > 0, "must be greater than 0 (1.0 is plain modularity)"),
            runs=at_least(2, " (stability compares runs)"),
            seed=NOT_NEGATIVE,
            min_size=at_least(2),
            drawer_coherence=NOT_NEGATIVE,
            drawer_modularity=Requirement(lambda value: value <= 1, "must be at most 1 (modularity's bound)"),
            drawer_gain=NOT_NEGATIVE,
            kind_min_size=Requirement(lambda value: value == 0 or value >= 2, "must be 0 (never) or at least 2"),
            place_similarity=NOT_NEGATIVE,
        )


@dataclass
class Member:
    repo: str
    centrality: float  # weight of its links to the other members
    stability: float  # centrality-weighted share of runs it spends with the other members
    rank: int = 0
    placed: str | None = None  # why an unassigned project was placed here (analysis/kinds.py)


@dataclass
class Niche:
    id: str
    number: int
    members: list[Member]
    label: str = ""
    domain: str | None = None
    domain_share: float | None = None
    domain_labelled: int = 0
    internal_weight: float = 0.0
    external_weight: float = 0.0
    split_reason: str | None = None  # set when it is a part of a drawer (analysis/drawers.py)
    kind_reason: str | None = None  # set when it is a niche of one declared kind (analysis/kinds.py)

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def stability(self) -> float:
        return sum(member.stability for member in self.members) / len(self.members)

    @property
    def central(self) -> list[str]:
        return [member.repo for member in self.members[:LABEL_MEMBERS]]


@dataclass
class NicheResult:
    network: Network
    params: NicheParams
    niches: list[Niche]
    unassigned: dict[str, str]  # repo -> why it belongs nowhere
    mean_ari: float
    run_niche_counts: list[int]
    consensus_rounds: int
    modularity: float
    seconds: float = 0.0
    computed_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    hubs: dict[str, HubEvidence] = field(default_factory=dict)  # distribution hubs: in no niche, shown apart
    drawers: list[DrawerSplit] = field(default_factory=list)  # niches split as drawers, largest first
    described: int = 0  # projects whose GitHub metadata the drawer check could read
    kinds: list[KindNiche] = field(default_factory=list)  # niches of one declared kind, largest first
    placed: dict[str, Placement] = field(default_factory=dict)  # unassigned projects placed in a niche

    @property
    def window(self) -> str:
        return str(self.network.window)

    def membership(self) -> dict[str, str]:
        return {member.repo: niche.id for niche in self.niches for member in niche.members}


def leiden_runs(graph: ig.Graph, params: NicheParams) -> list[list[int]]:
    """One partition per seed: seed, seed+1, ... (leidenalg is deterministic for a seed)."""
    return [
        leidenalg.find_partition(
            graph,
            leidenalg.RBConfigurationVertexPartition,
            weights="weight",
            resolution_parameter=params.resolution,
            seed=params.seed + run,
            n_iterations=-1,
        ).membership
        for run in range(params.runs)
    ]


def co_assignment(partitions: list[list[int]]) -> np.ndarray:
    labels = np.array(partitions)
    return np.mean(labels[:, :, None] == labels[:, None, :], axis=0)


def mean_ari(partitions: list[list[int]]) -> float:
    scores = [ig.compare_communities(a, b, method="adjusted_rand") for a, b in itertools.combinations(partitions, 2)]
    return float(np.mean(scores)) if scores else 1.0


def consensus_partition(graph: ig.Graph, params: NicheParams) -> list[int]:
    """The consensus of `params.runs` seeded Leiden runs on `graph`, as the niches are found."""
    return consensus(co_assignment(leiden_runs(graph, params)), params)[0]


def consensus(together: np.ndarray, params: NicheParams) -> tuple[list[int], int]:
    """Lancichinetti & Fortunato's consensus clustering: cluster the graph of pairs that were
    together in at least half the runs, weighted by how often, until the runs agree."""
    matrix = together
    n = matrix.shape[0]
    for round_number in range(1, CONSENSUS_ROUNDS + 1):
        i, j = np.nonzero(np.triu(matrix >= CONSENSUS_THRESHOLD, k=1))
        graph = ig.Graph(n=n, edges=list(zip(i.tolist(), j.tolist(), strict=True)))
        graph.es["weight"] = matrix[i, j].tolist()
        partitions = leiden_runs(graph, NicheParams(resolution=1.0, runs=params.runs, seed=params.seed))
        if all(ig.compare_communities(partitions[0], other, method="adjusted_rand") == 1.0 for other in partitions[1:]):
            return partitions[0], round_number
        matrix = co_assignment(partitions)
    # no agreement after all rounds: keep the partition closest to all the others
    scores = [np.mean([ig.compare_communities(a, b, method="adjusted_rand") for b in partitions]) for a in partitions]
    return partitions[int(np.argmax(scores))], CONSENSUS_ROUNDS


def detect_niches(
    network: Network,
    params: NicheParams | None = None,
    domains: dict[str, str] | None = None,
    hubs: dict[int, HubEvidence] | None = None,
    metadata: MetadataIndex | None = None,
) -> NicheResult:
    """Niches of the network's backbone. Distribution hubs (`hubs`, already left out of the
    backbone by `exclude_from_backbone`) are reported apart, neither in a niche nor unassigned.
    With GitHub `metadata`, drawer niches (no shared purpose, falling apart on their own links)
    are split (analysis/drawers.py), projects of one declared kind tied by the data are gathered
    into a niche of their kind and unassigned projects are placed where the data and the metadata
    agree (analysis/kinds.py)."""
    params = (params or NicheParams()).check()
    started = time.perf_counter()
    hub_names = {network.repos[repo]: evidence for repo, evidence in (hubs or {}).items()}
    names = network.backbone_repos()
    index = {name: i for i, name in enumerate(names)}
    repo_index = network.activity.index()
    edges, weights = [], []
    for link in network.backbone():
        edges.append((index[network.repos[link.source]], index[network.repos[link.target]]))
        weights.append(link.weight)
    graph = ig.Graph(n=len(names), edges=edges)
    graph.es["weight"] = weights
    unassigned = unlinked_reasons(network, set(names) | set(hub_names))
    if not names:
        return NicheResult(
            network, params, [], unassigned, 1.0, [], 0, 0.0, time.perf_counter() - started, hubs=hub_names
        )

    partitions = leiden_runs(graph, params)
    together = co_assignment(partitions)
    final, rounds = consensus(together, params)
    splits: dict[int, DrawerSplit] = {}
    if metadata is not None and params.drawer_coherence > 0:
        thresholds = Thresholds(params.drawer_coherence, params.drawer_modularity, params.drawer_gain)
        final, splits = split_drawers(
            graph, final, names, metadata, thresholds, lambda own: consensus_partition(own, params)
        )

    groups, kinds, placed = regroup(final, names, splits, unassigned, network, params, metadata, set(hub_names))
    membership = vertex_membership(final, names, groups)
    strength = internal_strength(graph, membership)
    niches = []
    for group, repos in members_by_group(groups).items():
        rows = [member_row(repo, index, repos, strength, together) for repo in repos]
        for row in rows:
            if row.repo in placed:
                row.placed = placed[row.repo].reason
        rows.sort(key=lambda m: (-m.centrality, m.repo))
        for rank, member in enumerate(rows, start=1):
            member.rank = rank
        niches.append((rows, splits.get(group), kinds.get(group)))
    niches.sort(key=lambda item: (-len(item[0]), item[0][0].repo))

    window = str(network.window)
    result_niches = []
    for number, (rows, split, kind) in enumerate(niches, start=1):
        niche = Niche(id=f"{window}/{rows[0].repo}", number=number, members=rows)
        niche.split_reason = split.reason if split else None
        niche.kind_reason = kind.reason if kind else None
        niche.internal_weight, niche.external_weight = niche_weights(network, repo_index, {m.repo for m in rows})
        label_niche(niche, domains or {}, kind.kind if kind else None)
        result_niches.append(niche)
    modularity = graph.modularity(membership, weights="weight", resolution=params.resolution)
    return NicheResult(
        network,
        params,
        result_niches,
        unassigned,
        mean_ari(partitions),
        [len(set(p)) for p in partitions],
        rounds,
        float(modularity),
        time.perf_counter() - started,
        hubs=hub_names,
        drawers=sorted(set(splits.values()), key=lambda split: (-split.members, split.reason)),
        described=sum(1 for name in names if metadata is not None and metadata.vectors.get(name)),
        kinds=sorted(kinds.values(), key=lambda kind: (-kind.members, kind.kind)),
        placed={repo: placement for repo, placement in sorted(placed.items())},
    )


def regroup(
    final: list[int],
    names: list[str],
    splits: dict[int, DrawerSplit],
    unassigned: dict[str, str],
    network: Network,
    params: NicheParams,
    metadata: MetadataIndex | None,
    hubs: set[str],
) -> tuple[dict[str, int], dict[int, KindNiche], dict[str, Placement]]:
    """Project -> niche number for every project in a niche: the consensus groups (drawers split)
    of at least `min_size`, then, with metadata, the niches of one kind and the placed projects;
    `unassigned` is updated with the reason of every project left out."""
    groups: dict[str, int] = {}
    for group, repos in members_by_group(dict(zip(names, final, strict=True))).items():
        if len(repos) < params.min_size:
            for repo in repos:
                unassigned[repo] = too_small_reason(params, splits.get(group))
        else:
            groups.update(dict.fromkeys(repos, group))
    if metadata is None or not metadata.vectors:
        return groups, {}, {}  # the graph alone says nothing of kinds: the niches are the graph's
    candidates = [repo for repo in [*groups, *unassigned] if repo not in hubs]
    before = dict(groups)
    first = max(final, default=-1) + 1  # above every consensus group and drawer part, kept or not
    groups, kinds = gather_kinds(groups, candidates, network, metadata, params.kind_min_size, first)
    for repo in [repo for repo in unassigned if repo in groups]:
        del unassigned[repo]  # an unassigned project of a kind, tied to others of it
    release_small(groups, before, kinds, unassigned, params.min_size)
    placed = place_unassigned(groups, unassigned, network, metadata, params.place_similarity)
    for repo, (group, _placement) in placed.items():
        groups[repo] = group
        del unassigned[repo]
    return groups, kinds, {repo: placement for repo, (_group, placement) in placed.items()}


def release_small(
    groups: dict[str, int], before: dict[str, int], kinds: dict[int, KindNiche], unassigned: dict[str, str], size: int
) -> None:
    """Niches left with fewer than `size` members once their projects of a kind moved out: their
    members become unassigned, saying why."""
    for group, repos in members_by_group(groups).items():
        if len(repos) < size and group not in kinds:
            for repo in repos:
                del groups[repo]
                unassigned[repo] = left_alone_reason(before, groups, kinds, repo)


def left_alone_reason(before: dict[str, int], groups: dict[str, int], kinds: dict[int, KindNiche], repo: str) -> str:
    """Why a project is left alone when the rest of its niche moved to niches of their kind."""
    moved = {
        kinds[groups[other]].kind
        for other, group in before.items()
        if group == before[repo] and groups.get(other) in kinds
    }
    return f"alone in its niche once its other members moved to a niche of their kind ({', '.join(sorted(moved))})"


def vertex_membership(final: list[int], names: list[str], groups: dict[str, int]) -> list[int]:
    """The niche of each vertex of the graph for modularity and centrality; a vertex in no niche
    keeps its consensus group (as before the kind niches), numbered apart from the niches."""
    offset = max([*groups.values(), *final], default=0) + 1
    return [groups.get(name, offset + final[vertex]) for vertex, name in enumerate(names)]


def member_row(
    repo: str, vertex_of: dict[str, int], members: list[str], strength: list[float], together: np.ndarray
) -> Member:
    """Centrality and stability of a member; a member without a link in the graph (a placed
    project) has neither."""
    vertex = vertex_of.get(repo)
    if vertex is None:
        return Member(repo, 0.0, 0.0)
    others = [vertex_of[m] for m in members if m != repo and m in vertex_of]
    total = sum(strength[m] for m in others)
    stability = sum(strength[m] * together[vertex, m] for m in others) / total if total else 0.0
    return Member(repo, strength[vertex], float(stability))


def too_small_reason(params: NicheParams, split: DrawerSplit | None) -> str:
    if split is not None:
        return f"alone in its part of a niche that was split ({split.reason})"
    return (
        f"no stable group: it shares a group with fewer than {params.min_size - 1} other project(s) "
        f"in most of the {params.runs} runs"
    )


def unlinked_reasons(network: Network, linked: set[str]) -> dict[str, str]:
    params = network.params
    paired: Counter[int] = Counter()
    for s, t in network.pairs:
        paired[s] += 1
        paired[t] += 1
    hub_partners: dict[int, set[str]] = defaultdict(set)
    for s, t in network.significant:
        for one, other in ((s, t), (t, s)):
            if other in network.excluded:
                hub_partners[one].add(network.repos[other])
    reasons = {}
    for i, repo in enumerate(network.repos):
        if repo in linked:
            continue
        if not paired[i]:
            reasons[repo] = "no developer in the window also works on another project"
        elif hub_partners[i]:
            reasons[repo] = (
                "its only links that pass the filters are to distribution hubs, which join no niche: "
                + ", ".join(sorted(hub_partners[i]))
            )
        else:
            reasons[repo] = (
                f"no link passes the filters: with each of its {paired[i]} partner project(s) it shares fewer than "
                f"{params.min_shared} developers or fewer than {params.min_lift:g}x the developers random mixing "
                "predicts"
            )
    return reasons


def internal_strength(graph: ig.Graph, membership: list[int]) -> list[float]:
    strength = [0.0] * graph.vcount()
    for edge in graph.es:
        a, b = edge.tuple
        if membership[a] == membership[b]:
            strength[a] += edge["weight"]
            strength[b] += edge["weight"]
    return strength


def niche_weights(network: Network, repo_index: dict[str, int], members: set[str]) -> tuple[float, float]:
    inside = outside = 0.0
    member_index = {repo_index[name] for name in members}
    for link in network.backbone():
        ends = (link.source in member_index) + (link.target in member_index)
        if ends == 2:
            inside += link.weight
        elif ends == 1:
            outside += link.weight
    return inside, outside


def label_niche(niche: Niche, domains: dict[str, str], kind: str | None = None) -> None:
    """Its most central projects (after the kind its members declare, for a niche of one kind),
    and the dominant hand-made domain when labels are loaded."""
    label = (f"{kind}: " if kind else "") + ", ".join(niche.central)
    if niche.size > LABEL_MEMBERS:
        label += f" +{niche.size - LABEL_MEMBERS}"
    labelled = [domains[m.repo] for m in niche.members if domains.get(m.repo)]
    if labelled:
        domain, count = sorted(Counter(labelled).items(), key=lambda item: (-item[1], item[0]))[0]
        niche.domain, niche.domain_share, niche.domain_labelled = domain, count / len(labelled), len(labelled)
        label += f" · {domain} ({count} of {len(labelled)} labelled)"
    niche.label = label


def read_domains(graph: Graph) -> dict[str, str]:
    rows = graph.read("MATCH (r:Repo) WHERE r.domain IS NOT NULL RETURN r.name AS repo, r.domain AS domain")
    return {row["repo"]: row["domain"] for row in rows}


# --- storage -----------------------------------------------------------------------------

DELETE_WINDOW = """
CALL () { MATCH (:Repo)-[c:COLLABORATES {window: $window}]->(:Repo) DELETE c }
CALL () { MATCH (n:Niche {window: $window}) DETACH DELETE n }
CALL () { MATCH (:Repo)-[x:UPSTREAM_OF|COMPETES_WITH|PEER_OF {window: $window}]->(:Repo) DELETE x }
"""

WRITE_LINKS = """
UNWIND $rows AS row
MATCH (s:Repo {name: row.source})
MATCH (t:Repo {name: row.target})
MERGE (s)-[c:COLLABORATES {window: $window}]->(t)
SET c += row.props
"""

WRITE_RUN = """
MERGE (run:NicheRun {window: $window})
SET run = $props
"""

WRITE_NICHES = """
UNWIND $rows AS row
MERGE (n:Niche {id: row.id})
SET n = row.props
"""

# Repo.role holds the role found in the last window analysed (roleWindow says which); each
# window's own list of hubs stays on its NicheRun.
CLEAR_ROLES = """
MATCH (r:Repo {roleWindow: $window})
REMOVE r.role, r.roleWindow, r.roleReason, r.roleVisitors, r.roleOrigins, r.roleStarsPerDeveloper, r.roleLinks
"""

WRITE_ROLES = """
UNWIND $rows AS row
MATCH (r:Repo {name: row.repo})
SET r += row.props, r.roleWindow = $window
"""

WRITE_MEMBERS = """
UNWIND $rows AS row
MATCH (r:Repo {name: row.repo})
MATCH (n:Niche {id: row.niche})
MERGE (r)-[i:IN_NICHE]->(n)
SET i = row.props
"""


def run_properties(result: NicheResult) -> dict[str, Any]:
    network = result.network
    unassigned = sorted(result.unassigned)
    return {
        "window": result.window,
        "computedAt": result.computed_at,
        **network.params.as_properties(),
        "resolution": result.params.resolution,
        "runs": result.params.runs,
        "seed": result.params.seed,
        "minSize": result.params.min_size,
        "drawerCoherence": result.params.drawer_coherence,
        "drawerModularity": result.params.drawer_modularity,
        "drawerGain": result.params.drawer_gain,
        "describedProjects": result.described,
        "drawers": len(result.drawers),
        "drawerReasons": [split.reason for split in result.drawers],
        "kindMinSize": result.params.kind_min_size,
        "placeSimilarity": result.params.place_similarity,
        "kindNiches": len(result.kinds),
        "kindReasons": [kind.reason for kind in result.kinds],
        "placed": sorted(result.placed),
        "placedReasons": [result.placed[repo].reason for repo in sorted(result.placed)],
        "projects": len(network.repos),
        "linkedProjects": len(network.backbone_repos()),
        "significantLinks": len(network.significant),
        "links": len(network.backbone()),
        "niches": len(result.niches),
        "meanAri": result.mean_ari,
        "modularity": result.modularity,
        "consensusRounds": result.consensus_rounds,
        "unassigned": unassigned,
        "unassignedReasons": [result.unassigned[repo] for repo in unassigned],
        "hubs": sorted(result.hubs),
        "hubReasons": [result.hubs[repo].reason for repo in sorted(result.hubs)],
        "relationsComputedAt": None,
    }


def niche_rows(result: NicheResult) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    niches, members = [], []
    for niche in result.niches:
        niches.append(
            {
                "id": niche.id,
                "props": {
                    "id": niche.id,
                    "window": result.window,
                    "number": niche.number,
                    "label": niche.label,
                    "size": niche.size,
                    "stability": niche.stability,
                    "centralRepos": niche.central,
                    "members": [m.repo for m in niche.members],
                    "domain": niche.domain,
                    "domainShare": niche.domain_share,
                    "domainLabelled": niche.domain_labelled,
                    "internalWeight": niche.internal_weight,
                    "externalWeight": niche.external_weight,
                    "splitReason": niche.split_reason,
                    "kindReason": niche.kind_reason,
                    "resolution": result.params.resolution,
                    "computedAt": result.computed_at,
                },
            }
        )
        for member in niche.members:
            members.append(
                {
                    "repo": member.repo,
                    "niche": niche.id,
                    "props": {
                        "window": result.window,
                        "stability": member.stability,
                        "centrality": member.centrality,
                        "rank": member.rank,
                        "placed": member.placed,
                    },
                }
            )
    return niches, members


def write_niches(graph: Graph, result: NicheResult) -> None:
    """Replace this window's network, niches and (now stale) relations, and the figures the
    explorer's pages read for the window (page_figures), in one transaction; other windows are
    left as they are."""
    links = link_rows(result.network, network_logins(graph, result.network))
    niches, members = niche_rows(result)
    roles = [{"repo": repo, "props": evidence.properties()} for repo, evidence in sorted(result.hubs.items())]
    window = result.window

    def work(tx: Any) -> None:
        tx.run(DELETE_WINDOW, window=window).consume()
        tx.run(WRITE_LINKS, rows=links, window=window).consume()
        tx.run(WRITE_RUN, window=window, props=run_properties(result)).consume()
        tx.run(WRITE_NICHES, rows=niches).consume()
        tx.run(WRITE_MEMBERS, rows=members).consume()
        tx.run(CLEAR_ROLES, window=window).consume()
        tx.run(WRITE_ROLES, rows=roles, window=window).consume()
        write_repo_windows(tx, window, result.computed_at)

    graph.write_tx(work)


READ_MEMBERSHIP = """
MATCH (r:Repo)-[:IN_NICHE]->(n:Niche {window: $window})
RETURN r.name AS repo, n.id AS niche
"""

READ_RUN = "MATCH (run:NicheRun {window: $window}) RETURN run"


def stored_run(graph: Graph, window: str) -> dict[str, Any] | None:
    rows = graph.read(READ_RUN, window=window)
    return dict(rows[0]["run"]) if rows else None


def stored_membership(graph: Graph, window: str) -> dict[str, str]:
    return {row["repo"]: row["niche"] for row in graph.read(READ_MEMBERSHIP, window=window)}


def summary_rows(result: NicheResult) -> list[dict[str, Any]]:
    return [
        {
            "niche": niche.number,
            "id": niche.id,
            "size": niche.size,
            "stability": round(niche.stability, 3),
            "label": niche.label,
        }
        for niche in result.niches
    ]


def result_json(result: NicheResult) -> dict[str, Any]:
    return {
        "window": result.window,
        "parameters": {**result.network.params.as_properties(), **vars(result.params)},
        "niches": [
            {
                "id": niche.id,
                "number": niche.number,
                "label": niche.label,
                "size": niche.size,
                "stability": niche.stability,
                "domain": niche.domain,
                "domainShare": niche.domain_share,
                "splitReason": niche.split_reason,
                "kindReason": niche.kind_reason,
                "members": [vars(member) for member in niche.members],
            }
            for niche in result.niches
        ],
        "drawers": [split.reason for split in result.drawers],
        "describedProjects": result.described,
        "kindNiches": [kind.reason for kind in result.kinds],
        "placed": [{"repo": repo, "reason": placement.reason} for repo, placement in sorted(result.placed.items())],
        "unassigned": [{"repo": repo, "reason": reason} for repo, reason in sorted(result.unassigned.items())],
        "hubs": [{"repo": repo, "reason": evidence.reason} for repo, evidence in sorted(result.hubs.items())],
        "meanAri": result.mean_ari,
        "modularity": result.modularity,
        "runNicheCounts": result.run_niche_counts,
        "consensusRounds": result.consensus_rounds,
    }
