"""How right the verdicts are, measured against labels people wrote (docs/evaluation.md).

Pure functions over label rows (`nichegraph.labels`) and verdicts (relations, niche
membership, expansion members), and the readers of stored verdicts and label sets: the same
figures for `nichegraph evaluate` and for the explorer's evaluation page. Labels are only ever
compared with verdicts here; nothing that computes a verdict imports this module.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from nichegraph.analysis.niches import stored_run
from nichegraph.db import Graph
from nichegraph.errors import BadParameter, NichegraphError
from nichegraph.labels import (
    COMPETITOR,
    PEER,
    RELATIONS,
    SAME_JOB,
    UNRELATED,
    UPSTREAM,
    DomainLabel,
    LabelFile,
    PairLabel,
)
from nichegraph.queries.library import run_query

FORWARD, BACKWARD = "upstream a->b", "upstream b->a"
FOUND = (FORWARD, BACKWARD, COMPETITOR, PEER, UNRELATED)
CLAIMS = (UPSTREAM, COMPETITOR)
CALIBRATION_BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
UNASSIGNED = "(unassigned)"
DISAGREEMENTS = 10


@dataclass(frozen=True)
class Verdict:
    """One stored (or computed) relation: for upstream, source is the upstream."""

    source: str
    target: str
    relation: str
    confidence: float
    reason: str = ""


def verdict_index(verdicts: Iterable[Verdict]) -> dict[frozenset[str], Verdict]:
    return {frozenset((v.source.lower(), v.target.lower())): v for v in verdicts}


def found_class(pair: PairLabel, verdict: Verdict | None) -> str:
    """What the verdicts say about a labelled pair, in the label's orientation."""
    if verdict is None:
        return UNRELATED
    if verdict.relation == UPSTREAM:
        return FORWARD if verdict.source.lower() == pair.a.lower() else BACKWARD
    return verdict.relation


def is_right(pair: PairLabel, found: str) -> bool:
    if pair.relation == UPSTREAM:
        return found == FORWARD
    return found == pair.relation


def claimed(found: str) -> str:
    """The class a verdict claims (both upstream orientations are upstream claims)."""
    return UPSTREAM if found in (FORWARD, BACKWARD) else found


def ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def class_figures(rows: list[dict[str, Any]], classes: tuple[str, ...]) -> dict[str, Any]:
    """Claims, right claims and true pairs of one class (or of several together)."""
    claims = [row for row in rows if claimed(row["found"]) in classes]
    right = sum(1 for row in claims if row["right"])
    true = sum(1 for row in rows if row["label"] in classes)
    found_true = sum(1 for row in rows if row["label"] in classes and row["right"])
    return {
        "claims": len(claims),
        "right": right,
        "precision": ratio(right, len(claims)),
        "true": true,
        "found": found_true,
        "recall": ratio(found_true, true),
    }


def evaluate_relations(pairs: list[PairLabel], verdicts: Iterable[Verdict], kind: str) -> dict[str, Any]:
    """Precision and recall per class, the confusion table and the calibration of confidences.

    Precision counts only claims about labelled pairs (a claim about a pair nobody labelled
    is neither right nor wrong here)."""
    index = verdict_index(verdicts)
    rows = []
    for pair in pairs:
        verdict = index.get(pair.key)
        found = found_class(pair, verdict)
        rows.append(
            {
                "a": pair.a,
                "b": pair.b,
                "label": pair.relation,
                "collection": pair.collection,
                "found": found,
                "right": is_right(pair, found),
                "confidence": verdict.confidence if verdict else None,
                "reason": verdict.reason if verdict else "",
            }
        )
    labelled = [relation for relation in RELATIONS if any(row["label"] == relation for row in rows)]
    confusion = [
        {
            "label": label,
            **{found: sum(1 for r in rows if r["label"] == label and r["found"] == found) for found in FOUND},
        }
        for label in labelled
    ]
    result = {
        "kind": kind,
        "pairs": len(rows),
        "classes": {relation: class_figures(rows, (relation,)) for relation in RELATIONS},
        "claims": class_figures(rows, CLAIMS),
        "confusion": confusion,
        "calibration": calibration(rows),
        "misses": [row for row in rows if not row["right"]],
        "rows": rows,
    }
    if kind == SAME_JOB:
        result["calledUpstream"] = sum(1 for row in rows if claimed(row["found"]) == UPSTREAM)
    return result


def calibration(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Upstream and competitor claims about labelled pairs, by confidence: how often right."""
    claims = [row for row in rows if claimed(row["found"]) in CLAIMS]
    table = []
    for low, high in itertools.pairwise(CALIBRATION_BINS):
        last = high == CALIBRATION_BINS[-1]
        inside = [r for r in claims if low <= r["confidence"] < high or (last and r["confidence"] == high)]
        right = sum(1 for r in inside if r["right"])
        table.append(
            {
                "confidence": f"{low:.1f}-{high:.1f}",
                "claims": len(inside),
                "right": right,
                "share": ratio(right, len(inside)),
            }
        )
    confident = [r for r in claims if r["confidence"] >= 0.8]
    right = sum(1 for r in confident if r["right"])
    table.append(
        {"confidence": ">= 0.8", "claims": len(confident), "right": right, "share": ratio(right, len(confident))}
    )
    return table


# --- niches -------------------------------------------------------------------------------


def label_depth(label: str) -> int:
    return label.count(" - ") + 1


def cut_label(label: str, level: int | None) -> str:
    return " - ".join(label.split(" - ")[:level]) if level else label


def one_label_per_repo(domains: list[DomainLabel], level: int | None = None) -> dict[str, str]:
    """A repository with several labels gets its most specific one: the deepest in the
    `A - B - C` hierarchy, then the rarest in the file, then the first by name; `level`
    then cuts it to its first levels (level 1: `A`)."""
    frequency = Counter(label.label for label in domains)
    by_repo: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for label in domains:
        by_repo[label.repo.lower()].append(label.label)
        names.setdefault(label.repo.lower(), label.repo)
    chosen = {}
    for key, labels in by_repo.items():
        best = min(labels, key=lambda text: (-label_depth(text), frequency[text], text))
        chosen[names[key]] = cut_label(best, level)
    return chosen


def entropy(counts: Iterable[int], total: int) -> float:
    return -sum(c / total * math.log(c / total) for c in counts if c)


def nmi(truth: list[str], found: list[str]) -> float:
    """Normalised mutual information, I(T;F) / ((H(T) + H(F)) / 2) (Danon et al. 2005)."""
    total = len(truth)
    if not total:
        return 0.0
    joint = Counter(zip(truth, found, strict=True))
    t_counts, f_counts = Counter(truth), Counter(found)
    h_t, h_f = entropy(t_counts.values(), total), entropy(f_counts.values(), total)
    if h_t + h_f == 0:
        return 1.0
    mutual = sum(n / total * math.log(n * total / (t_counts[t] * f_counts[f])) for (t, f), n in joint.items())
    return 2 * mutual / (h_t + h_f)


def ari(truth: list[str], found: list[str]) -> float:
    """Adjusted Rand index (Hubert & Arabie 1985)."""
    total = len(truth)
    pairs = math.comb(total, 2)
    if not pairs:
        return 1.0
    joint = sum(math.comb(n, 2) for n in Counter(zip(truth, found, strict=True)).values())
    rows = sum(math.comb(n, 2) for n in Counter(truth).values())
    cols = sum(math.comb(n, 2) for n in Counter(found).values())
    expected = rows * cols / pairs
    top = (rows + cols) / 2
    return 1.0 if top == expected else (joint - expected) / (top - expected)


def evaluate_niches(
    domains: list[DomainLabel], membership: dict[str, str | None], level: int | None = None
) -> dict[str, Any]:
    """NMI and ARI of the niches against one label per repository, and where they disagree.

    `membership` holds every repository of the graph (None: unassigned). Headline figures count
    the unassigned projects as one more group; `assigned` counts only projects in a niche."""
    chosen = one_label_per_repo(domains, level)
    in_graph = {repo.lower(): repo for repo in membership}
    labelled = {in_graph[repo.lower()]: label for repo, label in chosen.items() if repo.lower() in in_graph}
    missing = sorted(repo for repo in chosen if repo.lower() not in in_graph)
    repos = sorted(labelled)
    truth = [labelled[repo] for repo in repos]
    found = [membership[repo] or UNASSIGNED for repo in repos]
    assigned = [i for i, niche in enumerate(found) if niche != UNASSIGNED]
    sizes = Counter(niche for niche in membership.values() if niche)
    return {
        "labelled": len(repos),
        "notInGraph": missing,
        "level": level,
        "nmi": nmi(truth, found),
        "ari": ari(truth, found),
        "assigned": {
            "projects": len(assigned),
            "nmi": nmi([truth[i] for i in assigned], [found[i] for i in assigned]),
            "ari": ari([truth[i] for i in assigned], [found[i] for i in assigned]),
        },
        "labels": len(set(truth)),
        "niches": niche_purity(repos, truth, found, sizes),
        "splitLabels": split_labels(repos, truth, found),
    }


def niche_purity(repos: list[str], truth: list[str], found: list[str], sizes: Counter[str]) -> list[dict[str, Any]]:
    """Per niche: its labelled members' labels, the dominant one and its share; most mixed first."""
    by_niche: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for repo, label, niche in zip(repos, truth, found, strict=True):
        by_niche[niche].append((repo, label))
    rows = []
    for niche, members in by_niche.items():
        counts = Counter(label for _, label in members)
        dominant, count = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0]
        rows.append(
            {
                "niche": niche,
                "size": sizes.get(niche, len(members)),
                "labelled": len(members),
                "dominant": dominant,
                "share": count / len(members),
                "others": len(members) - count,
                "labels": dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))),
                "outliers": sorted(f"{repo} ({label})" for repo, label in members if label != dominant),
            }
        )
    rows.sort(key=lambda row: (-row["others"], -row["size"], row["niche"]))
    return rows


def split_labels(repos: list[str], truth: list[str], found: list[str]) -> list[dict[str, Any]]:
    """Per label: over how many niches its projects are spread; most scattered first."""
    by_label: dict[str, Counter[str]] = defaultdict(Counter)
    members: dict[str, list[str]] = defaultdict(list)
    for repo, label, niche in zip(repos, truth, found, strict=True):
        by_label[label][niche] += 1
        members[label].append(f"{repo} ({niche})")
    rows = []
    for label, niches in by_label.items():
        main, count = sorted(niches.items(), key=lambda item: (-item[1], item[0]))[0]
        total = sum(niches.values())
        rows.append(
            {"label": label, "projects": total, "niches": len(niches), "mainNiche": main, "outside": total - count}
        )
    rows.sort(key=lambda row: (-row["outside"], -row["projects"], row["label"]))
    return [row for row in rows if row["outside"]][:DISAGREEMENTS]


# --- expansion ----------------------------------------------------------------------------


def matches(label: str, topics: list[str]) -> bool:
    """A label is on topic when it is a topic or lies under one (`Topic - Sub`)."""
    text = label.lower()
    return any(text == t.lower() or text.startswith(t.lower() + " - ") for t in topics)


def seed_topics(domains: list[DomainLabel], seeds: list[str]) -> list[str]:
    """Default topics: the labels every seed carries."""
    per_seed = [{d.label for d in domains if d.repo.lower() == seed.lower()} for seed in seeds]
    common = set.intersection(*per_seed) if per_seed else set()
    return sorted(common)


def evaluate_expansion(
    domains: list[DomainLabel], members: list[str], seeds: list[str], window_repos: Iterable[str], topics: list[str]
) -> dict[str, Any]:
    """On-topic share of the members and recall of the on-topic projects of the window.

    Seeds are left out of both figures (they are given, not found). A repository is on topic
    when any of its labels matches a topic; unlabelled members count in neither figure."""
    labels: dict[str, list[str]] = defaultdict(list)
    for label in domains:
        labels[label.repo.lower()].append(label.label)
    seed_keys = {seed.lower() for seed in seeds}
    found = [m for m in members if m.lower() not in seed_keys]
    found_keys = {m.lower() for m in found}
    labelled = [m for m in found if labels.get(m.lower())]
    on_topic = [m for m in labelled if any(matches(label, topics) for label in labels[m.lower()])]
    pool = sorted(
        repo
        for repo in window_repos
        if repo.lower() not in seed_keys and any(matches(label, topics) for label in labels.get(repo.lower(), []))
    )
    reached = [repo for repo in pool if repo.lower() in found_keys]
    return {
        "topics": topics,
        "members": len(found),
        "labelledMembers": len(labelled),
        "onTopicMembers": len(on_topic),
        "onTopicShare": ratio(len(on_topic), len(labelled)),
        "onTopicProjects": len(pool),
        "reached": len(reached),
        "recall": ratio(len(reached), len(pool)),
        "offTopic": [{"repo": m, "labels": labels[m.lower()]} for m in labelled if m not in on_topic],
        "unlabelled": [m for m in found if not labels.get(m.lower())],
        "missed": [repo for repo in pool if repo.lower() not in found_keys],
    }


# --- the verdicts stored in the graph -----------------------------------------------------

HUBS = "(distribution hubs)"


def stored_verdicts(graph: Graph, window: str) -> list[Verdict]:
    """The window's stored relations; an error naming the command when none were computed."""
    run = stored_run(graph, window)
    if not run or not run.get("relationsComputedAt"):
        raise NichegraphError(f"no relations stored for {window}: run `nichegraph relations --window {window}` first")
    rows = run_query(graph, "relations_in_window", window=window)
    return [Verdict(r["source"], r["target"], r["relation"], r["confidence"], r["reason"] or "") for r in rows]


def stored_partition(graph: Graph, window: str) -> dict[str, str | None]:
    """Every repository's niche in the window (None: unassigned); distribution hubs form one
    more group, as the landscape shows them."""
    run = stored_run(graph, window)
    if not run:
        raise NichegraphError(f"no niches stored for {window}: run `nichegraph niches --window {window}` first")
    membership: dict[str, str | None] = {
        row["repo"]: row["niche"] for row in run_query(graph, "niche_assignments", window=window)
    }
    for hub in run.get("hubs") or []:
        membership[hub] = HUBS
    return membership


def stored_label_sets(graph: Graph) -> list[dict[str, Any]]:
    return run_query(graph, "label_sets")


def stored_labels(graph: Graph, name: str) -> LabelFile:
    """A label set loaded with `nichegraph load labels`, as the file it came from."""
    sets = {row["name"]: row for row in stored_label_sets(graph)}
    if name not in sets:
        known = ", ".join(sorted(sets)) or "none yet (nichegraph load labels FILE)"
        raise BadParameter(f"labels: no label set {name!r}; loaded: {known}")
    rows = run_query(graph, "label_set_rows", labelSet=name)
    labels = LabelFile(name=name, kind=sets[name]["kind"])
    for row in rows:
        if row["repo"]:
            labels.domains.append(DomainLabel(row["repo"], row["label"], row["line"], row["source"]))
        else:
            labels.pairs.append(PairLabel(row["a"], row["b"], row["relation"], row["line"], row["collection"]))
    return labels
