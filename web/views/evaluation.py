"""Evaluation page: the stored verdicts of the window measured against a loaded label set (the
figures of `nichegraph evaluate`), with a seed expansion measured when seeds are given."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request

from nichegraph.analysis import evaluate as figures
from nichegraph.analysis.expand import ExpandParams
from nichegraph.analysis.pipeline import expand_from_seeds
from nichegraph.errors import BadParameter, NichegraphError
from nichegraph.labels import DOMAINS, LabelFile
from nichegraph.progress import Progress
from nichegraph.web.context import cached, page

blueprint = Blueprint("evaluation", __name__)

MAX_TEXT = 300


def text_arg(name: str) -> str | None:
    value = (request.args.get(name) or "").strip()
    if len(value) > MAX_TEXT:
        raise BadParameter(f"{name}: at most {MAX_TEXT} characters")
    return value or None


@page(blueprint, "/evaluation", "evaluation.html")
def evaluation() -> dict[str, Any]:
    graph, window = g.page.graph, str(g.page.window)
    sets = figures.stored_label_sets(graph)
    data: dict[str, Any] = {"window": window, "labelSets": sets, "labels": None, "seeds": text_arg("seeds")}
    if not sets:
        return data
    name = text_arg("labels") or sets[0]["name"]
    labels = figures.stored_labels(graph, name)
    data["labels"] = {"name": name, "kind": labels.kind, "description": labels.describe()}
    try:
        if labels.kind == DOMAINS:
            data["niches"] = figures.evaluate_niches(labels.domains, figures.stored_partition(graph, window))
        else:
            data["relations"] = figures.evaluate_relations(
                labels.pairs, figures.stored_verdicts(graph, window), labels.kind
            )
    except NichegraphError as error:  # nothing stored for the window yet
        data["missing"] = str(error)
    if labels.kind == DOMAINS and data["seeds"]:
        data["expansion"] = expansion_figures(labels, data["seeds"], request.args.getlist("topic"))
    return data


def expansion_figures(labels: LabelFile, seeds: str, topics: list[str]) -> dict[str, Any]:
    """A seed expansion of the window (computed live, shared by requests for a minute) measured
    against the domain labels."""
    graph, window = g.page.graph, str(g.page.window)
    result = cached(
        (graph.uri, "expansion", window, seeds),
        lambda: expand_from_seeds(graph, seeds, window, ExpandParams(), Progress(total=None, quiet=True)),
    )
    chosen = [t for t in topics if t.strip()][:10] or figures.seed_topics(labels.domains, result.seeds)
    measured = figures.evaluate_expansion(
        labels.domains, result.member_names(), result.seeds, result.window_repos, chosen
    )
    return {"seeds": result.seeds, "members": result.member_names(), **measured}
