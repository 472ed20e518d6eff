"""Drawer niches: a niche whose members share developers but no purpose (or several purposes),
split along its own links (docs/niches.md, "Drawers").

Generalist developers (a release engineer, a distribution maintainer, someone who fixes builds
everywhere) tie projects that do unrelated jobs; modularity then keeps them together as one
large niche, a drawer. A niche of at least MIN_MEMBERS projects is split into the groups its own
links form (Leiden with consensus on the niche's links alone) when

- those groups are real structure: their plain modularity is at least `min_modularity`
  (NicheParams' `drawer_modularity`, 0.3: Newman & Girvan's rule of thumb), and
- either its members share **no purpose**: they describe themselves (GitHub description and
  topics, the tf-idf vectors of analysis/metadata.py) less alike than `max_coherence`
  (`drawer_coherence`, 2.0) times two projects picked at random,
- or the groups do **sharper jobs** than the whole: the members of each group are at least
  `min_gain` (`drawer_gain`, 1.5) times as alike as the niche's members are.

Without metadata (no `load github`, or fewer than MIN_DESCRIBED members described) nothing is
split: the graph alone is no evidence of a missing purpose, and a niche that falls apart on its
links but whose members do one kind of thing stays.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import igraph as ig

from nichegraph.analysis.metadata import MetadataIndex

MIN_DESCRIBED = 3  # members with metadata needed before their coherence means anything
# Smaller niches are not checked: they are read at a glance, and the consensus of a handful of
# projects' own links rarely settles (niches of 4-5 members ran all 10 consensus rounds, the
# check's main cost); the niches split on the default window had 9-27 members
MIN_MEMBERS = 8


@dataclass(frozen=True)
class DrawerSplit:
    """The evidence for one split: kept on the niches it became and on the run."""

    members: int
    coherence: float  # mean metadata similarity of its described members / that of random pairs
    described: int
    modularity: float  # of the groups found on its own links
    groups: int
    within: float | None = None  # how alike the members of each group are (pairs inside a group)
    purposeless: bool = True  # split for no shared purpose; else for groups sharper than the whole

    @property
    def reason(self) -> str:
        links = f"its own links fall into {self.groups} groups (modularity {self.modularity:.2f})"
        alike = f"its {self.described} described members are {self.coherence:.2f}x as alike as random projects"
        if self.purposeless:
            return f"split from a drawer of {self.members} projects: {alike} (no shared purpose) and {links}"
        return (
            f"split from a niche of {self.members} projects doing several jobs: {alike}, and {links} whose "
            f"members are {self.within or 0:.2f}x as alike"
        )


def mean_similarity(index: MetadataIndex, repos: Sequence[str]) -> tuple[float | None, int]:
    """Mean metadata similarity over the pairs of `repos` that both have metadata, and how many of
    `repos` have it. The cosines of all pairs at once: the vectors are unit length, so the sum over
    pairs i != j of v_i . v_j is |sum of v|^2 - sum of |v|^2 (linear in the terms, not in the pairs)."""
    vectors = [index.vectors[repo] for repo in repos if index.vectors.get(repo)]
    count = len(vectors)
    if count < 2:
        return None, count
    total: dict[str, float] = defaultdict(float)
    for vector in vectors:
        for term, weight in vector.items():
            total[term] += weight
    squares = sum(weight * weight for vector in vectors for weight in vector.values())
    pairs = sum(weight * weight for weight in total.values()) - squares
    return pairs / (count * (count - 1)), count


def random_similarity(index: MetadataIndex) -> float | None:
    """What two projects picked at random share: the mean over every pair of described projects."""
    return mean_similarity(index, sorted(index.vectors))[0]


def coherence(index: MetadataIndex, repos: Sequence[str], baseline: float) -> float | None:
    """How alike the members describe themselves, as a multiple of `baseline`; None when too few
    members are described to say."""
    mean, described = mean_similarity(index, repos)
    if mean is None or described < MIN_DESCRIBED or baseline <= 0:
        return None
    return mean / baseline


def groups_of(membership: Sequence[int]) -> list[list[int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for vertex, group in enumerate(membership):
        groups[group].append(vertex)
    return list(groups.values())


Partition = Callable[[ig.Graph], list[int]]


@dataclass(frozen=True)
class Thresholds:
    max_coherence: float  # below: no shared purpose
    min_modularity: float  # the groups of its own links must be real structure
    min_gain: float = 0.0  # or: those groups are this many times as alike as the whole (0: not asked)


def split_drawers(
    graph: ig.Graph,
    membership: list[int],
    names: Sequence[str],
    index: MetadataIndex,
    thresholds: Thresholds,
    partition: Partition,
) -> tuple[list[int], dict[int, DrawerSplit]]:
    """The membership with every drawer replaced by the groups its own links form, and the
    evidence of each split under the group numbers it became; `partition` clusters a graph as the
    niches themselves are clustered."""
    result = list(membership)
    splits: dict[int, DrawerSplit] = {}
    baseline = random_similarity(index)
    if baseline is None:
        return result, splits
    next_group = max(membership, default=-1) + 1
    for vertices in groups_of(membership):
        found = drawer_parts(graph, vertices, names, index, baseline, thresholds, partition)
        if found is None:
            continue
        parts, evidence = found
        splits[membership[vertices[0]]] = evidence  # the first part keeps the drawer's number
        for part in parts[1:]:
            for vertex in part:
                result[vertex] = next_group
            splits[next_group] = evidence
            next_group += 1
    return result, splits


def drawer_parts(
    graph: ig.Graph,
    vertices: list[int],
    names: Sequence[str],
    index: MetadataIndex,
    baseline: float,
    thresholds: Thresholds,
    partition: Partition,
) -> tuple[list[list[int]], DrawerSplit] | None:
    """The groups a drawer falls into (graph vertex numbers, the first holding the lowest vertex),
    or None when the group of `vertices` is no drawer."""
    if len(vertices) < MIN_MEMBERS:
        return None
    repos = [names[vertex] for vertex in vertices]
    alike = coherence(index, repos, baseline)
    if alike is None or (alike >= thresholds.max_coherence and thresholds.min_gain <= 0):
        return None
    own = graph.induced_subgraph(vertices)  # keeps the vertices' order: local i is vertices[i]
    if own.ecount() == 0:
        return None
    local = partition(own)
    parts = sorted(groups_of(local))
    modularity = own.modularity(local, weights="weight")
    if len(parts) < 2 or modularity < thresholds.min_modularity:
        return None
    part_repos = [[repos[i] for i in part] for part in parts]
    within = within_parts(index, part_repos, baseline)
    purposeless = alike < thresholds.max_coherence
    sharper = thresholds.min_gain > 0 and within is not None and within >= thresholds.min_gain * alike
    if not (purposeless or sharper):
        return None
    described = mean_similarity(index, repos)[1]
    evidence = DrawerSplit(len(vertices), alike, described, modularity, len(parts), within, purposeless)
    return [[vertices[i] for i in part] for part in parts], evidence


def within_parts(index: MetadataIndex, parts: Sequence[Sequence[str]], baseline: float) -> float | None:
    """How alike the members of each part describe themselves, over all pairs inside a part, as a
    multiple of `baseline`; None when no part has two described members."""
    total = pairs = 0.0
    for part in parts:
        mean, described = mean_similarity(index, part)
        if mean is not None:
            count = described * (described - 1) / 2
            total += mean * count
            pairs += count
    return total / pairs / baseline if pairs and baseline > 0 else None
