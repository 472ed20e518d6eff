"""Kind niches and placed projects: two passes after the Leiden niches (and their drawers) that read
what projects declare themselves to be (docs/niches.md, "Kind niches and placed projects").

- **Kind niches.** Projects of one kind (analysis/metadata.py KINDS: programming languages, game
  engines, UI libraries, editors, emulators, ...; and documentation repositories by their name) share
  developers with the ecosystem they serve more than with each other, so each sits in its ecosystem's
  niche: python with the scientific Python projects, php-src with symfony, julia with its package
  registry. A niche is a set of projects doing one job, so the projects that declare one kind and
  that the data ties to one another (as the rival rule C4 asks: a shared developer at 3x random
  mixing, or two common neighbours) are gathered into a niche of their kind when at least
  `min_size` of them are tied together. Their ecosystem ties stay in the relations (upstream, rivals).
- **Placed projects.** An unassigned project (no link passes the filters) joins a niche only when the
  data and the metadata agree on it: the niche it shares the most developer weight with (every pair
  sharing a developer counts, filtered or not) is also the niche whose members describe themselves
  most like it, at least `min_similarity` times as alike as two projects picked at random.
  Otherwise it stays unassigned: weight alone put most of them beside the wrong job (round 7).

Both need GitHub metadata: without it nothing moves (the graph alone says nothing of kinds).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from nichegraph.analysis.drawers import random_similarity
from nichegraph.analysis.metadata import MetadataIndex
from nichegraph.analysis.network import Network
from nichegraph.analysis.pair_signals import common_neighbour_count, is_docs, tied_by_data

DOCUMENTATION = "documentation"  # declared by the name (pair_signals.is_docs), not by the metadata


@dataclass(frozen=True)
class KindNiche:
    """The evidence for one niche of a kind: kept on the niche and on the run."""

    kind: str
    members: int
    ties: int  # pairs of members the data ties
    origins: int  # niches its members came from (the unassigned counted as one)

    @property
    def reason(self) -> str:
        if self.kind == DOCUMENTATION:
            declared = "are documentation repositories by their names"
        else:
            declared = "declare it in their GitHub metadata"
        came = f"{self.origins} niche{'s' if self.origins != 1 else ''}"
        return (
            f"a niche of one kind ({self.kind}): its {self.members} members {declared}, and the data ties them "
            f"({self.ties} pairs share a developer at 3x random mixing or two neighbours); they came from {came}, "
            "where their ecosystems are"
        )


@dataclass(frozen=True)
class Placement:
    """Why an unassigned project was placed in a niche: kept on its membership and on the run."""

    share: float  # of its developer weight to projects in niches, the share to this niche
    similarity: float  # its metadata's mean similarity to the niche's members / random pairs'
    described: int  # members of the niche with metadata

    @property
    def reason(self) -> str:
        return (
            f"placed: no link of its own passes the filters, but the niche it shares most developers with "
            f"({self.share:.0%} of that weight) is also the one whose {self.described} described members are "
            f"most like it ({self.similarity:.1f}x as alike as random projects)"
        )


def declared_kind(index: MetadataIndex, repo: str) -> str | None:
    """The one kind a project declares (several: none, it is not clear which job it does)."""
    kinds = set(index.declared.get(repo, frozenset()))
    if is_docs(repo):
        kinds.add(DOCUMENTATION)
    return next(iter(kinds)) if len(kinds) == 1 else None


def tied(network: Network, around: dict[int, dict[int, float]], a: int, b: int) -> bool:
    link = network.link(a, b)
    common = common_neighbour_count(around, a, b)
    return tied_by_data(link.shared if link else 0, link.lift if link else 0.0, common)


def members_by_group(groups: dict[str, int]) -> dict[int, list[str]]:
    """Niche number -> its projects, from project -> niche number."""
    members: dict[int, list[str]] = defaultdict(list)
    for repo, group in groups.items():
        members[group].append(repo)
    return members


def components(items: list[str], joined: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Connected components of `items` under the `joined` pairs, each sorted, in order of first item."""
    parent = {item: item for item in items}

    def root(item: str) -> str:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for a, b in joined:
        parent[root(a)] = root(b)
    groups: dict[str, list[str]] = defaultdict(list)
    for item in items:
        groups[root(item)].append(item)
    return sorted((sorted(group) for group in groups.values()), key=lambda group: group[0])


def gather_kinds(
    groups: dict[str, int],
    candidates: Iterable[str],
    network: Network,
    index: MetadataIndex,
    min_size: int,
    first: int,
) -> tuple[dict[str, int], dict[int, KindNiche]]:
    """`groups` (project -> niche number) with every tied set of at least `min_size` projects of one
    kind moved into a new niche of its own, and the evidence under each new number. `candidates`
    are the projects that may move: those in niches and the unassigned ones (never a hub); the new
    niches are numbered from `first`."""
    result = dict(groups)
    evidence: dict[int, KindNiche] = {}
    if min_size <= 0:
        return result, evidence
    by_kind: dict[str, list[str]] = defaultdict(list)
    for repo in sorted(set(candidates)):
        kind = declared_kind(index, repo)
        if kind is not None:
            by_kind[kind].append(repo)
    position = network.activity.index()
    around = network.neighbours(skip_excluded=True)  # as the relations read them
    sizes = Counter(groups.values())
    next_group = first
    for kind, repos in sorted(by_kind.items()):
        pairs = [
            (a, b)
            for i, a in enumerate(repos)
            for b in repos[i + 1 :]
            if tied(network, around, position[a], position[b])
        ]
        for members in components(repos, pairs):
            origins = {groups.get(repo) for repo in members}
            if len(members) < min_size or whole_niche(origins, len(members), sizes):
                continue
            inside = set(members)
            ties = sum(1 for a, b in pairs if a in inside)
            for repo in members:
                result[repo] = next_group
            evidence[next_group] = KindNiche(kind, len(members), ties, len(origins))
            next_group += 1
    return result, evidence


def whole_niche(origins: set[int | None], members: int, sizes: Counter[int]) -> bool:
    """Whether the projects of a kind are exactly one niche already: nothing to gather."""
    (origin,) = origins if len(origins) == 1 else (None,)
    return origin is not None and sizes[origin] == members


def place_unassigned(
    groups: dict[str, int],
    unassigned: Iterable[str],
    network: Network,
    index: MetadataIndex,
    min_similarity: float,
) -> dict[str, tuple[int, Placement]]:
    """The unassigned projects the data and the metadata agree to place, with their niche number."""
    baseline = random_similarity(index)
    if min_similarity <= 0 or not baseline:
        return {}
    position = network.activity.index()
    members = members_by_group(groups)
    described = sorted(repo for repo in unassigned if index.vectors.get(repo) and repo in position)
    weights_of = weight_by_niche(network, {position[repo] for repo in described}, groups)
    placed = {}
    for repo in described:
        weights = weights_of[position[repo]]
        if not weights:
            continue
        strongest = max(weights, key=lambda group: (weights[group], -group))
        alike = {group: niche_similarity(index, repo, repos) for group, repos in members.items()}
        alike = {group: value for group, value in alike.items() if value is not None}
        if not alike:
            continue
        closest = max(alike, key=lambda group: (alike[group][0], -group))
        similarity = alike[closest][0] / baseline
        if closest == strongest and similarity >= min_similarity:
            share = weights[strongest] / sum(weights.values())
            placed[repo] = (strongest, Placement(share, similarity, alike[closest][1]))
    return placed


def weight_by_niche(network: Network, repos: set[int], groups: dict[str, int]) -> dict[int, Counter[int]]:
    """Each of `repos`' developer weight to each niche, over every pair sharing a developer
    (filtered or not: an unassigned project has no link that passes the filters)."""
    weights: dict[int, Counter[int]] = defaultdict(Counter)
    for (source, target), link in network.pairs.items():
        for repo, other in ((source, target), (target, source)):
            group = groups.get(network.repos[other])
            if repo in repos and group is not None:
                weights[repo][group] += link.weight
    return weights


def niche_similarity(index: MetadataIndex, repo: str, members: list[str]) -> tuple[float, int] | None:
    """Mean metadata similarity of `repo` to the described members, and how many are described."""
    values = [value for member in members if (value := index.similarity(repo, member)) is not None]
    return (sum(values) / len(values), len(values)) if values else None
