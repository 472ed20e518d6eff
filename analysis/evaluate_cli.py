"""`nichegraph evaluate relations|niches|expansion`: the verdicts measured against a label file
(docs/evaluation.md). The work is in `evaluate` (figures) and `pipeline` (expansion)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from nichegraph.analysis import evaluate as figures
from nichegraph.analysis.expand import ExpandParams
from nichegraph.analysis.pipeline import expand_from_seeds
from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import BadParameter
from nichegraph.labels import DOMAINS, LabelFile, read_labels
from nichegraph.output import to_json, to_table
from nichegraph.progress import Progress
from nichegraph.queries import windows

SHOWN = 15


def labels_option(function):  # type: ignore[no-untyped-def]
    return click.option(
        "--labels",
        "labels_path",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="Label CSV: a,b,relation | a,b,collection | repo,label | repo,source,label",
    )(function)


def window_option(function):  # type: ignore[no-untyped-def]
    return click.option(
        "--window", help="Months FIRST:LAST, e.g. 2022-04:2023-03 [default: the last 12 months in the graph]"
    )(function)


def json_option(function):  # type: ignore[no-untyped-def]
    return click.option("--json", "as_json", is_flag=True, help="Print every figure as JSON")(function)


def read_kind(path: Path, wanted: set[str], command: str) -> LabelFile:
    labels = read_labels(path)
    if labels.kind not in wanted:
        raise BadParameter(
            f"--labels: {path} holds {labels.kind} labels; `evaluate {command}` needs "
            + (" or ".join(sorted(wanted)) + " labels (docs/evaluation.md)")
        )
    return labels


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


@click.group()
def evaluate() -> None:
    """Measure relations, niches or a seed expansion against labels written by people."""


@evaluate.command("relations")
@labels_option
@window_option
@json_option
@click.pass_obj
def evaluate_relations_command(settings: Settings, labels_path: Path, window: str | None, as_json: bool) -> None:
    """Precision, recall and the confusion table per class of the window's stored relations
    against judged pairs (a,b,relation) or same-job pairs (a,b,collection)."""
    labels = read_kind(labels_path, {"pairs", "same-job"}, "relations")
    with Graph(settings) as graph:
        resolved = str(windows.resolve_window(graph, window))
        result = figures.evaluate_relations(labels.pairs, figures.stored_verdicts(graph, resolved), labels.kind)
    result = {"window": resolved, "labelFile": labels.describe(), **result}
    if as_json:
        click.echo(to_json(result))
        return
    click.echo(f"window {resolved}; {result['labelFile']}")
    claims = result["claims"]
    click.echo(
        f"upstream and competitor claims: {claims['right']} right of {claims['claims']} "
        f"(precision {percent(claims['precision'])}), {claims['found']} of {claims['true']} true pairs found "
        f"(recall {percent(claims['recall'])})"
    )
    if "calledUpstream" in result:
        click.echo(f"same-job pairs called upstream: {result['calledUpstream']}")
    rows = [
        {**row, "class": name, "precision": percent(row["precision"]), "recall": percent(row["recall"])}
        for name, row in result["classes"].items()
    ]
    click.echo("\n" + to_table(rows, ["class", "claims", "right", "precision", "true", "found", "recall"]))
    click.echo("\nconfusion (rows: label; columns: verdict, upstream in the label's a->b orientation):")
    click.echo(to_table(result["confusion"]))
    click.echo("\ncalibration of upstream and competitor claims:")
    click.echo(to_table([row | {"share": percent(row["share"])} for row in result["calibration"]]))
    show_misses(result["misses"])


def show_misses(misses: list[dict[str, Any]]) -> None:
    if not misses:
        return
    click.echo(f"\n{len(misses)} labelled pairs not found as labelled (first {min(SHOWN, len(misses))}):")
    rows = [{"a": m["a"], "b": m["b"], "label": m["label"], "verdict": m["found"]} for m in misses[:SHOWN]]
    click.echo(to_table(rows))


@evaluate.command("niches")
@labels_option
@window_option
@click.option("--level", type=int, help="Cut hierarchical labels (A - B - C) to their first LEVEL parts")
@json_option
@click.pass_obj
def evaluate_niches_command(
    settings: Settings, labels_path: Path, window: str | None, level: int | None, as_json: bool
) -> None:
    """NMI and ARI of the window's stored niches against domain labels (repo,label or
    repo,source,label), and where they disagree most."""
    if level is not None and level < 1:
        raise BadParameter(f"--level: {level} must be at least 1")
    labels = read_kind(labels_path, {DOMAINS}, "niches")
    with Graph(settings) as graph:
        resolved = str(windows.resolve_window(graph, window))
        result = figures.evaluate_niches(labels.domains, figures.stored_partition(graph, resolved), level)
    result = {"window": resolved, "labelFile": labels.describe(), **result}
    if as_json:
        click.echo(to_json(result))
        return
    assigned = result["assigned"]
    click.echo(f"window {resolved}; {result['labelFile']}; {result['labelled']} labelled projects in the graph")
    click.echo(
        f"NMI {result['nmi']:.3f}, ARI {result['ari']:.3f} over {result['labels']} labels "
        f"(unassigned projects as one group); among the {assigned['projects']} projects in a niche: "
        f"NMI {assigned['nmi']:.3f}, ARI {assigned['ari']:.3f}"
    )
    rows = [
        {k: row[k] for k in ("niche", "size", "labelled", "dominant")} | {"share": percent(row["share"])}
        for row in result["niches"][:SHOWN]
    ]
    click.echo("\nniches, most mixed first:\n" + to_table(rows))
    if result["splitLabels"]:
        click.echo("\nlabels spread over several niches:\n" + to_table(result["splitLabels"]))


@evaluate.command("expansion")
@labels_option
@click.option("--seeds", required=True, help="Seed projects, comma-separated: pytorch/pytorch,huggingface/transformers")
@window_option
@click.option("--topic", "topics", multiple=True, help="A label that counts as on topic (repeat; default: the seeds')")
@click.option("--min-openrank", type=float, default=10.0, show_default=True, help="Expansion: mean OpenRank to keep")
@click.option("--depth", type=int, default=2, show_default=True, help="Expansion: rounds of growth")
@click.option("--top", type=int, default=10, show_default=True, help="Expansion: projects added per round at most")
@json_option
@click.pass_obj
def evaluate_expansion_command(
    settings: Settings,
    labels_path: Path,
    seeds: str,
    window: str | None,
    topics: tuple[str, ...],
    min_openrank: float,
    depth: int,
    top: int,
    as_json: bool,
) -> None:
    """On-topic share of a seed expansion's members and recall of the window's on-topic projects,
    against domain labels (repo,label or repo,source,label)."""
    params = ExpandParams(min_openrank=min_openrank, depth=depth, top=top).check()
    labels = read_kind(labels_path, {DOMAINS}, "expansion")
    with Graph(settings) as graph:
        expansion = expand_from_seeds(graph, seeds, window, params, Progress(total=None, quiet=True))
    chosen = list(topics) or figures.seed_topics(labels.domains, expansion.seeds)
    if not chosen:
        raise BadParameter("--topic: the seeds share no label in the file; name the topics with --topic")
    result = figures.evaluate_expansion(
        labels.domains, expansion.member_names(), expansion.seeds, expansion.window_repos, chosen
    )
    result = {"window": expansion.window, "seeds": expansion.seeds, "labelFile": labels.describe(), **result}
    if as_json:
        click.echo(to_json(result))
        return
    click.echo(
        f"window {expansion.window}; {result['labelFile']}; seeds {', '.join(expansion.seeds)}; "
        f"topics: {', '.join(chosen)}"
    )
    click.echo(
        f"{result['members']} members beyond the seeds, {result['labelledMembers']} labelled: "
        f"{result['onTopicMembers']} on topic ({percent(result['onTopicShare'])}); "
        f"{result['reached']} of the window's {result['onTopicProjects']} on-topic projects reached "
        f"(recall {percent(result['recall'])})"
    )
    if result["offTopic"]:
        click.echo("\noff topic:\n" + to_table(result["offTopic"]))
    if result["missed"]:
        click.echo("\nmissed: " + ", ".join(result["missed"]))


COMMANDS = [evaluate]
