"""Upstream / competitor / peer relations between projects (see docs/niches.md, "Relations").

Each candidate pair gets the evidence in `pair_signals` and goes through rules in order; the
first that holds decides, and the relation keeps its rule, a reason in words and every number
behind it. Pairs no rule speaks about are unrelated (nothing is stored).

- upstream, different teams (U1): much of the downstream's core (at least two of its developers)
  works in the upstream, little the other way; the shared developers lean towards the downstream
  (its people come upstream); the two do not declare one kind (two languages are no dependency).
- upstream, one team (U2): both cores overlap, but the downstream's core is clearly more in the
  upstream than the reverse, its people lean towards it (or, when the same gap held in the window
  before, do not lean away), and the previous window agrees.
- upstream, named (U3): the downstream's GitHub topics or description name the upstream, the
  shared developers are not mostly the upstream's own people, the cores do not say the opposite
  (within one team they cannot: the name decides), and the two do not declare one kind.

U1 and U2 never make a project upstream of one its own metadata names (a registry naming its
language is the language's downstream, whatever way the cores flow).
- competitor (C1): cores apart, comparable weight, GitHub metadata alike, and the data links
  them (shared users beyond random mixing, or common neighbours).
- competitor (C4): cores apart or crossing without being one team, OpenRank within a wider factor,
  both declare one kind of project in their metadata (programming languages and their
  implementations, game engines, package managers, UI component libraries), and the data links
  them; the one rival rule that may pair a distribution hub with a project that is not one.
- competitor (C3): cores apart, comparable weight, GitHub metadata somewhat alike and alike
  positions (neighbour profiles, common neighbours, or one niche with users in common); a
  candidate (confidence under 0.5).
- competitor (C2): cores apart, comparable weight, one niche, shared users well beyond random
  mixing and alike neighbourhoods, and not a foundation and its dependant.
- upstream, the organisation's flagship (U4): a significant pair of one organisation whose cores
  overlap without a direction in the data, where one is the organisation's flagship (named like the
  organisation) or the other's name extends its name (react, react-native).
- peer: a significant link whose cores overlap (one team or family) with no direction.

Distribution hubs are never upstream or downstream; a hub and a non-hub are at most peers, or
rivals of one declared kind (C4). A
documentation repository (by its name) is never upstream of a code project, nor anyone's rival.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from nichegraph.analysis.metadata import MetadataIndex
from nichegraph.analysis.network import Network, WindowActivity, developer_logins
from nichegraph.analysis.pair_signals import PairSignals, SignalSource, extends, shared_user_pairs, tied_by_data
from nichegraph.db import Graph
from nichegraph.errors import BadParameter
from nichegraph.queries.library import run_query

UPSTREAM, COMPETITOR, PEER = "upstream", "competitor", "peer"
REL_TYPES = {UPSTREAM: "UPSTREAM_OF", COMPETITOR: "COMPETES_WITH", PEER: "PEER_OF"}
RULE_NAMES = {
    "U1": "upstream, different teams",
    "U2": "upstream, one team",
    "U3": "upstream, named by the downstream",
    "U4": "upstream, the organisation's flagship",
    "C1": "competitor, alike by metadata",
    "C2": "competitor, alike by position",
    "C3": "competitor, alike by metadata and position",
    "C4": "competitor, the same declared kind",
    "P": "peer, one team",
    "H": "peer, distribution hub",
}


@dataclass(frozen=True)
class RelationParams:
    core_size: int = 20  # a project's core: its most active developers in the window
    upstream_min_core: float = 0.15  # share of the downstream's core activity found upstream, at least
    upstream_gap: float = 0.10  # downstream core in upstream minus the reverse, at least
    same_team_core: float = 0.30  # above this the upstream's core also runs the downstream: one team
    same_team_lean: float = 0.3  # ... then the downstream's people must lean towards the upstream
    persistent_min_lean: float = 0.0  # U2: ... or not away from it when the gap held a year before too (round 6)
    lean_floor: float = -0.5  # shared developers leaning this much the other way contradict a direction
    upstream_min_lean: float = 0.3  # U1: the shared developers lean towards the downstream at least this much
    upstream_min_count: int = 2  # U1: core developers of the downstream active upstream, at least
    upstream_min_shared: int = 1  # U1: shared developers, at least
    upstream_min_openrank: float = 0.5  # upstream's OpenRank at least half the downstream's (U1)
    named_max_reverse_gap: float = 0.10  # U3: the cores may point the other way by at most this
    named_min_lean: float = -1.0  # U3: the shared developers may lean towards the upstream at most this much
    rival_max_core: float = 0.10  # rivals: at most this share of either core crosses over
    rival_max_openrank_ratio: float = 4.0  # substitutes are of comparable weight
    rival_min_metadata: float = 0.25  # C1: metadata cosine at least
    rival_min_metadata_placed: float = 0.12  # C3: metadata cosine at least, when positions are alike too
    rival_placed_similarity: float = 0.3  # C3: neighbour-profile cosine at least ...
    rival_placed_common: int = 5  # ... or this many common neighbours
    rival_placed_lift: float = 5.0  # ... or one niche and shared developers at this many times random mixing (round 6)
    rival_min_lift: float = 5.0  # C2: shared users at least this many times random mixing
    rival_min_shared: int = 2  # C2: shared developers at least
    rival_min_similarity: float = 0.3  # C2: neighbour-profile cosine at least ...
    rival_min_common: int = 5  # ... or this many common neighbours
    rival_max_reach_gap: int = 25  # C2: a foundation and its dependant are not rivals
    flagship_min_core: float = 0.1  # U4: mean core crossing at least (one team or family)
    flagship_confidence: float = 0.6  # U4: right 4 of 5 times on the judged pairs, a name is no proof
    kind_confidence: float = 0.7  # C4: right on every dev-label claim, but mostly one clique of languages
    kind_max_openrank_ratio: float = 6.0  # C4: OpenRanks within this factor
    peer_min_core: float = 0.2  # peers: mean core crossing at least (one team or family)

    def check(self) -> RelationParams:
        if self.core_size < 1:
            raise BadParameter(f"--core-size: {self.core_size} must be at least 1")
        return self


@dataclass
class Relation:
    source: str  # for upstream: the upstream project
    target: str
    relation: str
    confidence: float
    rule: str
    reason: str
    signals: PairSignals
    forward: bool  # source is the pair's `a`
    linked: bool
    niche: str | None
    source_share: float
    target_share: float
    top_developers: list[str] = field(default_factory=list)
    top_source_activity: list[float] = field(default_factory=list)
    top_target_activity: list[float] = field(default_factory=list)

    def side(self, a_value: Any, b_value: Any) -> tuple[Any, Any]:
        """(source's, target's) of a value known for the pair's a and b."""
        return (a_value, b_value) if self.forward else (b_value, a_value)

    def row(self) -> dict[str, Any]:
        s = self.signals
        core_st, core_ts = self.side(s.core_ab, s.core_ba)
        count_st, count_ts = self.side(s.core_count_ab, s.core_count_ba)
        previous_st, previous_ts = self.side(s.previous_ab, s.previous_ba)
        openrank_s, openrank_t = self.side(s.openrank_a, s.openrank_b)
        reach_s, reach_t = self.side(s.reach_a, s.reach_b)
        names_st, names_ts = self.side(s.a_names_b, s.b_names_a)
        heads_st, heads_ts = self.side(s.a_heads_b, s.b_heads_a)
        return {
            "source": self.source,
            "target": self.target,
            "relation": self.relation,
            "confidence": round(self.confidence, 4),
            "rule": self.rule,
            "reason": self.reason,
            "linked": self.linked,
            "sameNiche": s.same_niche,
            "niche": self.niche,
            "weight": s.weight,
            "sharedDevelopers": s.shared,
            "lift": s.lift,
            "sourceCoreInTarget": core_st,
            "targetCoreInSource": core_ts,
            "sourceCoreCrossing": count_st,
            "targetCoreCrossing": count_ts,
            "previousSourceCoreInTarget": previous_st,
            "previousTargetCoreInSource": previous_ts,
            # > 0: the shared developers are at home in the target beyond its size (its people come to the source)
            "lean": s.lean if self.forward else -s.lean,
            "profileSimilarity": s.similarity,
            "commonNeighbours": s.common,
            "sourceReach": reach_s,
            "targetReach": reach_t,
            "sourceOpenrank": openrank_s,
            "targetOpenrank": openrank_t,
            "metadataSimilarity": s.metadata_similarity,
            "sharedTerms": s.shared_terms,
            "sourceNamesTarget": names_st,
            "targetNamesSource": names_ts,
            "sourceHeadsTarget": heads_st,
            "targetHeadsSource": heads_ts,
            "sharedKind": s.shared_kind,
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
    metadata_projects: int = 0  # projects with GitHub metadata the rules could read
    previous_window: str | None = None

    @property
    def window(self) -> str:
        return str(self.network.window)

    def counts(self) -> dict[str, int]:
        return {kind: sum(1 for r in self.relations if r.relation == kind) for kind in (UPSTREAM, COMPETITOR, PEER)}

    def find(self, a: str, b: str) -> Relation | None:
        return next((r for r in self.relations if {r.source, r.target} == {a, b}), None)


@dataclass(frozen=True)
class Verdict:
    """What a rule decided: the relation, which side is the source, its confidence and why."""

    relation: str
    source_is_a: bool
    rule: str
    confidence: float
    reason: str


def candidate_pairs(source: SignalSource) -> set[tuple[int, int]]:
    """Every significant pair, every pair sharing users beyond random mixing, and every pair
    with common neighbours (rivals rarely share many developers)."""
    network = source.network
    pairs = set(network.significant)
    pairs |= shared_user_pairs(network, 1, 3.0)
    pairs |= set(source.common_neighbour_pairs(2))
    return pairs


def classify_relations(
    network: Network,
    membership: dict[str, str],
    openrank: dict[str, float],
    params: RelationParams | None = None,
    previous: WindowActivity | None = None,
    metadata: MetadataIndex | None = None,
) -> RelationResult:
    """Classify every candidate pair; `previous` (the window before) and `metadata` are optional
    evidence: without them the rules that need them say less, never something else."""
    params = (params or RelationParams()).check()
    started = time.perf_counter()
    source = SignalSource(network, membership, openrank, params.core_size, previous, metadata)
    candidates = candidate_pairs(source)
    relations = []
    for a, b in sorted(candidates):
        signals = source(a, b)
        verdict = decide(signals, network.excluded, params, network.repos)
        if verdict is not None:
            relations.append(make_relation(network, signals, verdict, membership))
    relations.sort(key=lambda r: (r.relation, -r.confidence, r.source, r.target))
    return RelationResult(
        network,
        params,
        relations,
        len(candidates),
        time.perf_counter() - started,
        metadata_projects=sum(1 for vector in metadata.vectors.values() if vector) if metadata else 0,
        previous_window=str(previous.window) if previous is not None else None,
    )


def make_relation(network: Network, s: PairSignals, verdict: Verdict, membership: dict[str, str]) -> Relation:
    repos = network.repos
    source, target = (s.a, s.b) if verdict.source_is_a else (s.b, s.a)
    link = network.link(s.a, s.b)
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
        relation=verdict.relation,
        confidence=max(0.0, min(1.0, verdict.confidence)),
        rule=verdict.rule,
        reason=verdict.reason,
        signals=s,
        forward=verdict.source_is_a,
        linked=s.backbone,
        niche=membership.get(repos[s.a]) if s.same_niche else None,
        source_share=share_s,
        target_share=share_t,
        top_developers=[network.activity.developers[dev] for _, dev in top],
        top_source_activity=[acts[dev][source] for _, dev in top],
        top_target_activity=[acts[dev][target] for _, dev in top],
    )


def decide(s: PairSignals, hubs: frozenset[int], params: RelationParams, repos: list[str]) -> Verdict | None:
    """The rules in order; the first that holds decides (module docstring)."""
    hub_a, hub_b = s.a in hubs, s.b in hubs
    if not (hub_a or hub_b) and s.significant:
        verdict = upstream_verdict(s, params, repos)
        if verdict is not None:
            return verdict
    if hub_a == hub_b or s.shared_kind is not None:
        # a distribution hub is tied to everything; only a declared kind makes one a non-hub's rival
        verdict = competitor_verdict(s, params, repos, kind_only=hub_a != hub_b)
        if verdict is not None:
            return verdict
    return peer_verdict(s, params, repos, hub_a or hub_b)


@dataclass(frozen=True)
class Direction:
    """One way of reading a pair: `up` upstream of `down`."""

    up_is_a: bool
    core_down_up: float  # share of the downstream's core active upstream
    core_up_down: float
    core_count_down: int
    lean_down: float  # > 0: the shared developers lean towards the downstream
    previous_gap: float | None  # the same gap in the window before
    openrank_up: float
    openrank_down: float
    down_names_up: bool
    up_names_down: bool
    up_docs: bool = False  # the would-be upstream is a documentation repository
    down_docs: bool = False

    @property
    def gap(self) -> float:
        return self.core_down_up - self.core_up_down


def directions(s: PairSignals) -> tuple[Direction, Direction]:
    previous = None if s.previous_ab is None or s.previous_ba is None else s.previous_ba - s.previous_ab
    a_up = Direction(
        True,
        s.core_ba,
        s.core_ab,
        s.core_count_ba,
        s.lean,
        previous,
        s.openrank_a,
        s.openrank_b,
        s.b_names_a,
        s.a_names_b,
        s.a_docs,
        s.b_docs,
    )
    b_up = Direction(
        False,
        s.core_ab,
        s.core_ba,
        s.core_count_ab,
        -s.lean,
        None if previous is None else -previous,
        s.openrank_b,
        s.openrank_a,
        s.a_names_b,
        s.b_names_a,
        s.b_docs,
        s.a_docs,
    )
    return a_up, b_up


def upstream_verdict(s: PairSignals, p: RelationParams, repos: list[str]) -> Verdict | None:
    for d in directions(s):
        if d.up_docs and not d.down_docs:
            continue  # documentation serves what it documents: the cores it draws are its writers, not its users
        up, down = (repos[s.a], repos[s.b]) if d.up_is_a else (repos[s.b], repos[s.a])
        # the would-be upstream describes itself by the other (JuliaRegistries/General, "the official
        # registry of general Julia packages"): the name says which serves which, the cores do not
        named_against = d.up_names_down and not d.down_names_up
        flows = (
            f"{d.core_down_up:.0%} of {down}'s core activity is by developers also active in {up}, "
            f"{d.core_up_down:.0%} the other way"
        )
        leans = f"shared developers lean {d.lean_down:+.1f} towards {down}"
        persists = (
            "no data in the window before"
            if d.previous_gap is None
            else f"gap {d.previous_gap:+.0%} in the window before"
        )
        if (
            not named_against
            and d.core_down_up >= p.upstream_min_core
            and d.gap >= p.upstream_gap
            and d.lean_down >= p.lean_floor
        ):
            if (
                d.core_up_down <= p.same_team_core
                and d.openrank_up >= p.upstream_min_openrank * d.openrank_down
                and d.core_count_down >= p.upstream_min_count
                and s.shared >= p.upstream_min_shared
                and s.shared_kind is None
                and d.lean_down >= p.upstream_min_lean
            ):
                confidence = u1_confidence(d)
                reason = (
                    f"U1 ({RULE_NAMES['U1']}): {flows}; {leans}; {persists}; "
                    f"mean OpenRank {d.openrank_up:.0f} vs {d.openrank_down:.0f}"
                )
                return Verdict(UPSTREAM, d.up_is_a, "U1", confidence, reason)
            # within one team the gap may be size; the shared developers leaning towards the downstream
            # say it is not, and so does the same gap held a year before with them not leaning away
            persistent = d.previous_gap is not None and d.previous_gap >= p.upstream_gap
            leaning = d.lean_down >= p.same_team_lean or (persistent and d.lean_down >= p.persistent_min_lean)
            if d.core_up_down > p.same_team_core and leaning and (d.previous_gap is None or d.previous_gap >= 0):
                confidence = u2_confidence(d)
                held = "" if d.lean_down >= p.same_team_lean else " (the gap held a year before)"
                reason = f"U2 ({RULE_NAMES['U2']}): {flows}; {leans}; {persists}{held}"
                return Verdict(UPSTREAM, d.up_is_a, "U2", confidence, reason)
        # one team (both cores overlap): which way the cores flow says whose core is smaller, not
        # which serves which, so the name decides alone
        one_team = min(d.core_down_up, d.core_up_down) > p.same_team_core
        if (
            d.down_names_up
            and not d.up_names_down
            and d.lean_down >= p.named_min_lean
            and (d.gap >= -p.named_max_reverse_gap or one_team)
            and s.shared_kind is None  # deno, "a runtime for JavaScript and TypeScript", does TypeScript's job
        ):
            confidence = u3_confidence(d)
            team = "; one team, the cores' flow gives no direction" if one_team and d.gap < 0 else ""
            reason = f"U3 ({RULE_NAMES['U3']}): {down}'s GitHub topics or description name {up}; {leans}; {flows}{team}"
            return Verdict(UPSTREAM, d.up_is_a, "U3", confidence, reason)
    return None


def competitor_verdict(s: PairSignals, p: RelationParams, repos: list[str], kind_only: bool = False) -> Verdict | None:
    """The rival rules; `kind_only`: only C4 may speak (a distribution hub and a project that is not one)."""
    # one declared kind says "the same job" by itself; weight still has to be comparable, less so
    max_ratio = p.kind_max_openrank_ratio if s.shared_kind is not None else p.rival_max_openrank_ratio
    apart = max(s.core_ab, s.core_ba) <= p.rival_max_core
    # two of one declared kind whose cores cross without being one team (deno and node, zig and go)
    # stay rivals: people working on two languages is no dependency (as U1 and U3 do not read it)
    kind_crossing = s.shared_kind is not None and min(s.core_ab, s.core_ba) <= p.same_team_core
    if not (apart or kind_crossing) or s.openrank_ratio() > max_ratio:
        return None
    if s.a_names_b or s.b_names_a:
        return None  # one describes itself by the other: built on it, not instead of it
    if s.a_docs or s.b_docs:
        return None  # documentation serves its project; it does the job of no other project
    cores = f"cores apart ({s.core_ab:.0%} / {s.core_ba:.0%} of each core's activity crosses over)"
    weight = f"OpenRank {s.openrank_a:.0f} vs {s.openrank_b:.0f}"
    users = f"{s.shared} shared developers, {s.lift:.1f}x random mixing"
    metadata = s.metadata_similarity
    tied = tied_by_data(s.shared, s.lift, s.common)  # shared users, or common neighbours
    alike = f"GitHub metadata {metadata or 0:.0%} alike ({', '.join(s.shared_terms) or 'their descriptions'})"
    comparable = s.openrank_ratio() <= p.rival_max_openrank_ratio
    if apart and not kind_only and metadata is not None and metadata >= p.rival_min_metadata and tied and comparable:
        reason = f"C1 ({RULE_NAMES['C1']}): {alike}; {cores}; {users}; {s.common} common neighbours; {weight}"
        return Verdict(COMPETITOR, True, "C1", c1_confidence(s), reason)
    if s.shared_kind is not None and tied:
        cores = cores if apart else f"cores crossing ({s.core_ab:.0%} / {s.core_ba:.0%}) but not one team"
        reason = (
            f"C4 ({RULE_NAMES['C4']}): both declare themselves a {s.shared_kind} in their GitHub metadata; "
            f"{alike}; {cores}; {users}; {s.common} common neighbours; {weight}"
        )
        return Verdict(COMPETITOR, True, "C4", p.kind_confidence, reason)
    if kind_only or not apart:
        return None
    # alike positions: neighbour profiles, common neighbours, or one niche with users in common (round 6)
    in_niche = s.same_niche and s.shared >= 1 and s.lift >= p.rival_placed_lift
    placed = s.similarity >= p.rival_placed_similarity or s.common >= p.rival_placed_common or in_niche
    if metadata is not None and metadata >= p.rival_min_metadata_placed and placed and tied and comparable:
        reason = (
            f"C3 ({RULE_NAMES['C3']}): {alike}; neighbourhoods {s.similarity:.0%} alike, {s.common} common "
            f"neighbours{'; same niche' if s.same_niche else ''}; {cores}; {users}; {weight}"
        )
        return Verdict(COMPETITOR, True, "C3", c3_confidence(s), reason)
    if (
        comparable
        and s.same_niche
        and s.shared >= p.rival_min_shared
        and s.lift >= p.rival_min_lift
        and (s.similarity >= p.rival_min_similarity or s.common >= p.rival_min_common)
        and abs(s.reach_a - s.reach_b) < p.rival_max_reach_gap
    ):
        reason = (
            f"C2 ({RULE_NAMES['C2']}): same niche; {cores}; {users}; neighbourhoods {s.similarity:.0%} alike, "
            f"{s.common} common neighbours; reach {s.reach_a:+d} vs {s.reach_b:+d}; {weight}"
        )
        return Verdict(COMPETITOR, True, "C2", c2_confidence(s), reason)
    return None


def peer_verdict(s: PairSignals, p: RelationParams, repos: list[str], with_hub: bool) -> Verdict | None:
    mean = (s.core_ab + s.core_ba) / 2
    if not s.significant or mean < p.flagship_min_core:
        return None
    if not with_hub and s.a_heads_b != s.b_heads_a and u4_named_or_one_team(s, p, repos):
        up, down = (repos[s.a], repos[s.b]) if s.a_heads_b else (repos[s.b], repos[s.a])
        reason = (
            f"U4 ({RULE_NAMES['U4']}): one organisation, cores overlapping ({s.core_ab:.0%} of {repos[s.a]}'s core "
            f"activity is by developers active in {repos[s.b]}, {s.core_ba:.0%} the other way) with no direction in "
            f"the data; {up} is the organisation's flagship or {down}'s name extends it"
        )
        return Verdict(UPSTREAM, s.a_heads_b, "U4", p.flagship_confidence, reason)
    if mean < p.peer_min_core:
        return None
    rule = "H" if with_hub else "P"
    reason = (
        f"{rule} ({RULE_NAMES[rule]}): {s.core_ab:.0%} of {repos[s.a]}'s core activity is by developers active in "
        f"{repos[s.b]}, {s.core_ba:.0%} the other way; no direction"
        + ("; distribution hubs are never upstream or downstream" if with_hub else "")
    )
    return Verdict(PEER, True, rule, min(1.0, mean / 0.5), reason)


def u4_named_or_one_team(s: PairSignals, p: RelationParams, repos: list[str]) -> bool:
    """U4's names say which serves which when the downstream's name extends the upstream's
    (react-native), or when the flagship and the other are one team (both cores over
    `same_team_core` in the other: angular/components); a product of the organisation with a core
    of its own (grafana/loki, cores 29% each way) is its flagship's peer, not its downstream."""
    up, down = (s.a, s.b) if s.a_heads_b else (s.b, s.a)
    if extends(repos[down].lower().split("/", 1)[1], repos[up].lower().split("/", 1)[1]):
        return True
    return min(s.core_ab, s.core_ba) > p.same_team_core


# --- confidences (calibrated on the dev labels, docs/niches.md "Calibration") -------------------


def u1_confidence(d: Direction) -> float:
    contrast = d.gap / (d.core_down_up + d.core_up_down)
    support = d.core_count_down / (d.core_count_down + 1)
    persistence = 1.0 if d.previous_gap is None or d.previous_gap > 0 else 0.75
    return contrast * support * persistence


def u2_confidence(d: Direction) -> float:
    return min(1.0, d.gap / 0.3) * min(1.0, 0.5 + d.lean_down / 2)


def u3_confidence(d: Direction) -> float:
    return 0.55 + 0.25 * min(1.0, max(0.0, d.lean_down))


def c1_confidence(s: PairSignals) -> float:
    metadata = min(1.0, (s.metadata_similarity or 0.0) / 0.5)
    data = 1.0 if s.shared >= 1 and s.lift >= 3 else 0.8
    return 0.5 + 0.4 * metadata * data


def c3_confidence(s: PairSignals) -> float:
    # C3 speaks only under C1's metadata bar: at most 0.35 + 0.5 * 0.25 < 0.5, a candidate
    return 0.35 + 0.5 * (s.metadata_similarity or 0.0)


def c2_confidence(s: PairSignals) -> float:
    return 0.3 + 0.3 * min(1.0, s.similarity) * min(1.0, math.log(s.lift) / math.log(30))


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
