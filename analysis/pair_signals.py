"""The evidence about a pair of projects that the relation rules read (docs/niches.md, "Signals").

Every number here comes from the window's contributions (and the window before it), from the
published OpenRank, or, when loaded, from GitHub metadata; none from labels.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from nichegraph.analysis.metadata import MetadataIndex
from nichegraph.analysis.network import Network, WindowActivity

LEAN_COUNTS = 0.5  # a link's lean beyond this (in log-odds) counts towards the reach of the project visited


class CoreCrossing:
    """Share of a project's core activity done by core developers also active in another."""

    def __init__(self, activity: WindowActivity, core_size: int) -> None:
        self.activity = activity
        self.index = activity.index()
        self.core_size = core_size
        self._tables: dict[int, dict[int, tuple[float, int]]] = {}

    def table(self, source: int) -> dict[int, tuple[float, int]]:
        """target -> (share of source's core activity by core members active in target, how many)."""
        table = self._tables.get(source)
        if table is None:
            core = self.activity.core(source, self.core_size)
            total = sum(value for value, _ in core)
            sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0])
            for value, dev in core:
                for other in self.activity.activity[dev]:
                    sums[other][0] += value
                    sums[other][1] += 1
            table = {other: (value / total if total else 0.0, int(count)) for other, (value, count) in sums.items()}
            self._tables[source] = table
        return table

    def __call__(self, source: int, target: int) -> tuple[float, int]:
        return self.table(source).get(target, (0.0, 0))

    def by_name(self, source: str, target: str) -> float | None:
        """The same share by repository name; None when either has no data in this window."""
        s, t = self.index.get(source), self.index.get(target)
        return None if s is None or t is None else self(s, t)[0]


def cosine(a: dict[int, float], b: dict[int, float], skip: Iterable[int]) -> float:
    """Similarity of two projects' neighbour profiles, leaving out their own link."""
    skipped = set(skip)
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    dot = sum(value * large[k] for k, value in small.items() if k in large and k not in skipped)
    if not dot:
        return 0.0
    norm_a = sum(value * value for k, value in a.items() if k not in skipped)
    norm_b = sum(value * value for k, value in b.items() if k not in skipped)
    return dot / math.sqrt(norm_a * norm_b)


def lean(network: Network, a: int, b: int) -> float:
    """Where the developers two projects share are at home, beyond what size explains.

    log((X_b + 1) / (X_a + 1)) - log(A(b) / A(a)), with X_r the shared developers' activity in r
    and A(r) all activity in r. Positive: the shared developers lean towards b, i.e. b's people
    come to a (a downstream project's people file issues and patches upstream)."""
    link = network.link(a, b)
    if link is None:
        return 0.0
    acts = network.activity.activity
    in_a = sum(acts[dev][a] for _, dev in link.parts)
    in_b = sum(acts[dev][b] for _, dev in link.parts)
    sizes = network.activity.repo_activity
    return math.log((in_b + 1) / (in_a + 1)) - math.log(sizes[b] / sizes[a])


def reach(network: Network, leans: dict[tuple[int, int], float]) -> Counter[int]:
    """Per project: how many significant partners' people come to it, minus how many partners it
    goes to (by the lean of each link). Foundations (runtimes, compilers, platforms) score high.
    `leans` caches lean(a, b) by pair (a < b)."""
    score: Counter[int] = Counter()
    for a, b in network.significant:
        value = leans[(a, b)] = lean(network, a, b)
        if value > LEAN_COUNTS:
            score[a] += 1
            score[b] -= 1
        elif value < -LEAN_COUNTS:
            score[b] += 1
            score[a] -= 1
    return score


@dataclass
class PairSignals:
    """Everything the rules know about projects a and b (a < b by index)."""

    a: int
    b: int
    shared: int
    lift: float
    weight: float
    significant: bool
    backbone: bool
    core_ab: float  # share of a's core activity by core developers also active in b
    core_ba: float
    core_count_ab: int
    core_count_ba: int
    lean: float  # > 0: the shared developers lean towards b (b's people come to a)
    previous_ab: float | None  # core_ab in the window before (None: no data there)
    previous_ba: float | None
    similarity: float  # neighbour-profile cosine over non-hub links
    common: int  # non-hub projects both are significantly linked to
    reach_a: int
    reach_b: int
    openrank_a: float
    openrank_b: float
    same_niche: bool
    metadata_similarity: float | None
    a_names_b: bool
    b_names_a: bool
    shared_terms: list[str]
    a_heads_b: bool = False  # a is the flagship of b's organisation, or b's name extends a's (react, react-native)
    b_heads_a: bool = False
    shared_kind: str | None = None  # a kind of project both declare in their metadata ("programming language")
    a_docs: bool = False  # a is a documentation repository (by its name: dotnet/docs, kubernetes/website)
    b_docs: bool = False

    def openrank_ratio(self) -> float:
        low, high = sorted((self.openrank_a, self.openrank_b))
        return high / low if low > 0 else math.inf


class SignalSource:
    """Computes PairSignals for any pair of the network's projects."""

    def __init__(
        self,
        network: Network,
        membership: dict[str, str],
        openrank: dict[str, float],
        core_size: int,
        previous: WindowActivity | None = None,
        metadata: MetadataIndex | None = None,
    ) -> None:
        self.network = network
        self.repos = network.repos
        self.membership = membership
        self.openrank = openrank
        self.crossing = CoreCrossing(network.activity, core_size)
        self.previous = CoreCrossing(previous, core_size) if previous is not None else None
        self.metadata = metadata
        self.neighbours = network.neighbours(skip_excluded=True)
        self.flagships = flagships(self.repos)
        self.leans: dict[tuple[int, int], float] = {}
        self.reach = reach(network, self.leans)

    def lean(self, a: int, b: int) -> float:
        if a > b:
            return -self.lean(b, a)
        value = self.leans.get((a, b))
        if value is None:
            value = self.leans[(a, b)] = lean(self.network, a, b)
        return value

    def common_neighbour_pairs(self, minimum: int) -> dict[tuple[int, int], int]:
        """Pairs with at least `minimum` common non-hub neighbours (two-hop, no all-pairs loop)."""
        counts: Counter[tuple[int, int]] = Counter()
        for around in self.neighbours.values():
            members = sorted(around)
            for i, s in enumerate(members):
                for t in members[i + 1 :]:
                    counts[(s, t)] += 1
        return {pair: count for pair, count in counts.items() if count >= minimum}

    def __call__(self, a: int, b: int) -> PairSignals:
        network, repos = self.network, self.repos
        link = network.link(a, b)
        key = (a, b) if a < b else (b, a)
        c_ab, k_ab = self.crossing(a, b)
        c_ba, k_ba = self.crossing(b, a)
        name_a, name_b = repos[a], repos[b]
        niche_a = self.membership.get(name_a)
        around_a, around_b = self.neighbours.get(a, {}), self.neighbours.get(b, {})
        meta = self.metadata
        return PairSignals(
            a=a,
            b=b,
            shared=link.shared if link else 0,
            lift=link.lift if link else 0.0,
            weight=link.weight if link else 0.0,
            significant=key in network.significant,
            backbone=bool(link and link.backbone),
            core_ab=c_ab,
            core_ba=c_ba,
            core_count_ab=k_ab,
            core_count_ba=k_ba,
            lean=self.lean(a, b),
            previous_ab=self.previous.by_name(name_a, name_b) if self.previous else None,
            previous_ba=self.previous.by_name(name_b, name_a) if self.previous else None,
            similarity=cosine(around_a, around_b, (a, b)),
            common=common_neighbour_count(self.neighbours, a, b),
            reach_a=self.reach[a],
            reach_b=self.reach[b],
            openrank_a=self.openrank.get(name_a, 0.0),
            openrank_b=self.openrank.get(name_b, 0.0),
            same_niche=niche_a is not None and niche_a == self.membership.get(name_b),
            metadata_similarity=meta.similarity(name_a, name_b) if meta else None,
            a_names_b=meta.names(name_a, name_b) if meta else False,
            b_names_a=meta.names(name_b, name_a) if meta else False,
            shared_terms=meta.shared_terms(name_a, name_b) if meta else [],
            a_heads_b=heads(name_a, name_b, self.flagships),
            b_heads_a=heads(name_b, name_a, self.flagships),
            shared_kind=meta.shared_kind(name_a, name_b) if meta else None,
            a_docs=is_docs(name_a),
            b_docs=is_docs(name_b),
        )


# The data ties two projects when they share a developer at this many times random mixing, or have
# this many neighbours in common: the least the rival rules (C1, C3, C4) and the kind niches
# (analysis/kinds.py) ask before reading metadata as "the same job"
TIE_MIN_LIFT = 3.0
TIE_MIN_COMMON = 2


def common_neighbour_count(neighbours: dict[int, dict[int, float]], a: int, b: int) -> int:
    """Projects both `a` and `b` are significantly linked to (each other left out), over the
    `neighbours` of Network.neighbours(skip_excluded=True): hubs are nobody's common neighbour."""
    return len((neighbours.get(a, {}).keys() & neighbours.get(b, {}).keys()) - {a, b})


def tied_by_data(shared: int, lift: float, common: int) -> bool:
    """Shared users (one developer at 3x random mixing will do) or common neighbours."""
    return (shared >= 1 and lift >= TIE_MIN_LIFT) or common >= TIE_MIN_COMMON


def shared_user_pairs(network: Network, min_shared: int, min_lift: float) -> set[tuple[int, int]]:
    """Pairs sharing at least `min_shared` developers at `min_lift` times random mixing."""
    return {key for key, link in network.pairs.items() if link.shared >= min_shared and link.lift >= min_lift}


def flagships(repos: Iterable[str]) -> dict[str, str]:
    """Per organisation (owner, lower-cased), its flagship repository: the one repository named
    like the organisation (kubernetes/kubernetes, rust-lang/rust: the owner contains the name), when
    exactly one is."""
    named: dict[str, list[str]] = defaultdict(list)
    for repo in repos:
        owner, name = repo.lower().split("/", 1)
        if name == owner or name in owner:
            named[owner].append(name)
    return {owner: names[0] for owner, names in named.items() if len(names) == 1}


def heads(up: str, down: str, flagship: dict[str, str]) -> bool:
    """Whether `up` heads `down` by GitHub's naming: both of one organisation, and `up` is its
    flagship or `down`'s name extends `up`'s (react-native extends react, tachiyomi-extensions
    extends tachiyomi) while `down` is not the flagship itself."""
    up_owner, up_name = up.lower().split("/", 1)
    down_owner, down_name = down.lower().split("/", 1)
    if up_owner != down_owner or flagship.get(down_owner) == down_name:
        return False
    return flagship.get(up_owner) == up_name or extends(down_name, up_name)


def extends(name: str, base: str) -> bool:
    """`name` holds `base` as a run of its hyphen-separated words, and is longer."""
    words, part = name.split("-"), base.split("-")
    return name != base and any(words[i : i + len(part)] == part for i in range(len(words) - len(part) + 1))


# a word of a repository's name that makes it a project's documentation or web site
DOCS_WORDS = frozenset({"doc", "docs", "documentation", "website", "site"})
WEB_ADDRESS = re.compile(r"\.(io|com|org|dev|net)$")


def is_docs(repo: str) -> bool:
    """Whether a repository is, by its name, a documentation or web-site repository: a word of its
    name is docs, documentation, website... (dotnet/docs, AspNetCore.Docs, openshift-docs,
    kubernetes/website) or the name is a web address (home-assistant.io, developer.chrome.com)."""
    name = repo.lower().split("/", 1)[1]
    return bool(DOCS_WORDS & set(re.split(r"[-._]", name))) or bool(WEB_ADDRESS.search(name))
