"""Drawer niches: a niche whose members share developers but no purpose, split along its own
links (docs/niches.md, "Drawers").

Generalist developers (a release engineer, a distribution maintainer, someone who fixes builds
everywhere) tie projects that do unrelated jobs; modularity then keeps them together as one
large niche, a drawer. Two pieces of evidence, both needed, say a niche is one:

- **no shared purpose**: its members describe themselves (GitHub description and topics, the
  tf-idf vectors of analysis/metadata.py) less alike than `max_coherence` (NicheParams'
  `drawer_coherence`, 2.0) times two projects picked at random;
- **its own links fall apart**: Leiden with consensus on the niche's links alone finds groups
  whose modularity is at least `min_modularity` (`drawer_modularity`, 0.3: Newman & Girvan's rule
  of thumb for real community structure).

A drawer is replaced by those groups. Without metadata (no `load github`, or fewer than
MIN_DESCRIBED members described) nothing is split: the graph alone is no evidence of a missing
purpose, and a niche that falls apart on its links but whose members do one kind of thing stays.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import igraph as ig

from nichegraph.analysis.metadata import MetadataIndex

MIN_DESCRIBED = 3  # members with metadata needed before their coherence means anything


@dataclass(frozen=True)
class DrawerSplit:
    """The evidence for one split: kept on the niches it became and on the run."""

    members: int
    coherence: float  # mean metadata similarity of its described members / that of random pairs
    described: int
    modularity: float  # of the groups found on its own links
    groups: int

    @property
    def reason(self) -> str:
        return (
            f"split from a drawer of {self.members} projects: its {self.described} described members are "
            f"{self.coherence:.2f}x as alike as random projects (no shared purpose) and its own links fall "
            f"into {self.groups} groups (modularity {self.modularity:.2f})"
        )


def mean_similarity(index: MetadataIndex, repos: Sequence[str]) -> tuple[float | None, int]:
    """Mean metadata similarity over the pairs of `repos` that both have metadata, and how many of
    `repos` have it."""
    described = [repo for repo in repos if index.vectors.get(repo)]
    pairs = list(itertools.combinations(described, 2))
    if not pairs:
        return None, len(described)
    return sum(index.similarity(a, b) or 0.0 for a, b in pairs) / len(pairs), len(described)


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


def split_drawers(
    graph: ig.Graph,
    membership: list[int],
    names: Sequence[str],
    index: MetadataIndex,
    thresholds: tuple[float, float],
    partition: Partition,
) -> tuple[list[int], dict[int, DrawerSplit]]:
    """The membership with every drawer replaced by the groups its own links form, and the
    evidence of each split under the group numbers it became. `thresholds` is (max_coherence,
    min_modularity); `partition` clusters a graph as the niches themselves are clustered."""
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
    thresholds: tuple[float, float],
    partition: Partition,
) -> tuple[list[list[int]], DrawerSplit] | None:
    """The groups a drawer falls into (graph vertex numbers, the first holding the lowest vertex),
    or None when the group of `vertices` is no drawer."""
    max_coherence, min_modularity = thresholds
    repos = [names[vertex] for vertex in vertices]
    alike = coherence(index, repos, baseline)
    if alike is None or alike >= max_coherence:
        return None
    own = graph.induced_subgraph(vertices)  # keeps the vertices' order: local i is vertices[i]
    if own.ecount() == 0:
        return None
    local = partition(own)
    parts = sorted(groups_of(local))
    modularity = own.modularity(local, weights="weight")
    if len(parts) < 2 or modularity < min_modularity:
        return None
    described = mean_similarity(index, repos)[1]
    evidence = DrawerSplit(len(vertices), alike, described, modularity, len(parts))
    return [[vertices[i] for i in part] for part in parts], evidence
