"""Detected niches against hand-made domains: NMI and ARI, and where the two disagree
(docs/niches.md, "Detected versus hand-made").

The projects compared are those the niche run placed (niche members and unassigned projects)
that the chosen landscape gives a domain. An unassigned project counts as a niche of its own:
detection said nothing about where it belongs. NMI is the normalised mutual information with
the arithmetic-mean normalisation, 2 I(X;Y) / (H(X) + H(Y)); ARI the adjusted Rand index
(both from igraph's `compare_communities`).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import igraph as ig

from nichegraph.db import Graph
from nichegraph.errors import BadParameter, NichegraphError
from nichegraph.months import Window, add_months, parse_window
from nichegraph.names import NETWORK_SCOPE, check_network_name, network_scope
from nichegraph.queries.library import run_query

LEVELS = ("domain", "layer")
UNASSIGNED = "(unassigned)"


@dataclass
class Agreement:
    scope: str
    landscape: str
    level: str
    nmi: float
    ari: float
    projects: list[dict[str, Any]]  # {repo, niche, number, label, domain}
    niches: int  # detected niches among the compared projects
    unassigned: int
    domains: int
    splits: list[dict[str, Any]] = field(default_factory=list)
    merges: list[dict[str, Any]] = field(default_factory=list)
    other_landscapes: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "landscape": self.landscape,
            "level": self.level,
            "nmi": self.nmi,
            "ari": self.ari,
            "compared": len(self.projects),
            "niches": self.niches,
            "unassigned": self.unassigned,
            "domains": self.domains,
            "clusters": self.niches + self.unassigned,
            "splits": self.splits,
            "merges": self.merges,
            "otherLandscapes": self.other_landscapes,
            "projects": self.projects,
        }


def scope_of(name: str) -> str:
    """A window FIRST:LAST stays as it is; anything else names a network."""
    if ":" in name and not name.startswith(NETWORK_SCOPE):
        return str(parse_window(name, "NAME"))
    network = name.removeprefix(NETWORK_SCOPE)
    return network_scope(check_network_name(network, "NAME"))


def agreement(graph: Graph, name: str, landscape: str | None = None, level: str = "domain") -> Agreement:
    if level not in LEVELS:
        raise BadParameter(f"--level: {level!r} is not one of {', '.join(LEVELS)}")
    scope, rows = computed_projects(graph, name)
    coverage = Counter(entry["landscape"] for row in rows for entry in row["entries"] if entry.get(level))
    if not coverage:
        raise NichegraphError(
            f"{name}: no project of it has a hand-made {level}; load a landscape with `nichegraph load landscape FILE`"
        )
    chosen = landscape or max(sorted(coverage), key=lambda key: coverage[key])
    if chosen not in coverage:
        raise BadParameter(
            f"--landscape: {chosen!r} gives no {level} to a project of {name}; "
            f"landscapes that do: {', '.join(sorted(coverage))}"
        )
    projects = []
    for row in rows:
        value = next((e[level] for e in row["entries"] if e["landscape"] == chosen and e.get(level)), None)
        if value is not None:
            projects.append({k: row[k] for k in ("repo", "niche", "number", "label")} | {"domain": value})
    return compare(scope, chosen, level, projects, {k: v for k, v in coverage.items() if k != chosen})


def computed_projects(graph: Graph, name: str) -> tuple[str, list[dict[str, Any]]]:
    """The scope NAME stands for and its projects (`landscape_projects`); an error naming the
    command to run when no niches were computed for it."""
    scope = scope_of(name)
    rows = landscape_projects(graph, scope)
    if not rows:
        what = (
            f"--network {scope.removeprefix(NETWORK_SCOPE)}" if scope.startswith(NETWORK_SCOPE) else f"--window {scope}"
        )
        raise NichegraphError(f"{name}: no niches computed for it; run `nichegraph niches {what}` first")
    return scope, rows


def landscape_projects(graph: Graph, scope: str) -> list[dict[str, Any]]:
    """The run's projects with niche, hand domains, OpenRank and trend figures (`landscape_projects`)."""
    window: dict[str, str | None] = dict.fromkeys(("first", "last", "previousFirst", "previousLast"))
    if not scope.startswith(NETWORK_SCOPE):
        current = parse_window(scope)
        before = Window(add_months(current.first, -current.length), add_months(current.first, -1))
        window = {
            "first": current.first,
            "last": current.last,
            "previousFirst": before.first,
            "previousLast": before.last,
        }
    return run_query(graph, "landscape_projects", scope=scope, **window)


def compare(
    scope: str, landscape: str, level: str, projects: list[dict[str, Any]], others: dict[str, int]
) -> Agreement:
    """NMI / ARI and the disagreement tables for projects with a detected niche (or none) and a domain."""
    detected = [p["niche"] or f"{UNASSIGNED} {p['repo']}" for p in projects]
    hand = [p["domain"] for p in projects]
    nmi = ari = 1.0
    if len(set(detected)) > 1 or len(set(hand)) > 1:
        nmi = float(ig.compare_communities(codes(hand), codes(detected), method="nmi"))
        ari = float(ig.compare_communities(codes(hand), codes(detected), method="adjusted_rand"))
        if math.isnan(ari):  # both all singletons, or both one group: the same partition
            ari = 1.0 if canonical(hand) == canonical(detected) else 0.0
    result = Agreement(
        scope,
        landscape,
        level,
        nmi,
        ari,
        projects,
        niches=len({p["niche"] for p in projects if p["niche"]}),
        unassigned=sum(1 for p in projects if not p["niche"]),
        domains=len(set(hand)),
        other_landscapes=others,
    )
    result.splits, result.merges = disagreements(projects)
    return result


def codes(values: list[str]) -> list[int]:
    index = {value: i for i, value in enumerate(sorted(set(values)))}
    return [index[value] for value in values]


def canonical(values: list[str]) -> list[int]:
    """Groups numbered by first appearance: equal for two labellings of one partition."""
    first: dict[str, int] = {}
    return [first.setdefault(value, len(first)) for value in values]


def disagreements(projects: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Hand domains spread over several niches (unassigned projects listed apart), and niches that
    gather several hand domains; the largest first."""
    by_domain: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_niche: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for project in projects:
        by_domain[project["domain"]].append(project)
        if project["niche"]:
            by_niche[project["niche"]].append(project)
    splits = []
    for domain, members in by_domain.items():
        parts = Counter((p["niche"], p["number"], p["label"]) for p in members if p["niche"])
        unassigned = sorted(p["repo"] for p in members if not p["niche"])
        if len(parts) + (1 if unassigned else 0) > 1:
            splits.append(
                {
                    "domain": domain,
                    "size": len(members),
                    "niches": [
                        {"niche": niche, "number": number, "label": label, "projects": count}
                        for (niche, number, label), count in sorted(
                            parts.items(), key=lambda item: (-item[1], item[0][1])
                        )
                    ],
                    "unassigned": unassigned,
                }
            )
    merges = []
    for niche, members in by_niche.items():
        domains = Counter(p["domain"] for p in members)
        if len(domains) > 1:
            merges.append(
                {
                    "niche": niche,
                    "number": members[0]["number"],
                    "label": members[0]["label"],
                    "size": len(members),
                    "domains": [
                        {"domain": d, "projects": n} for d, n in sorted(domains.items(), key=lambda i: (-i[1], i[0]))
                    ],
                }
            )
    splits.sort(key=lambda row: (-row["size"], row["domain"]))
    merges.sort(key=lambda row: (-row["size"], row["number"]))
    return splits, merges
