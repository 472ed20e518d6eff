"""`nichegraph openrank` (docs/openrank.md): compute OpenRank on the contribution graph and
compare it with the published values."""

from __future__ import annotations

import csv
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import click
import numpy as np

from nichegraph.analysis.openrank.method import LEGACY, START_RULES, OpenRankParams, OpenRankRun
from nichegraph.analysis.openrank.run import (
    CSV_HEADER,
    correlation_by_month,
    correlation_summary,
    csv_rows,
    run_openrank,
)
from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.output import to_json, to_table
from nichegraph.progress import Progress
from nichegraph.queries.windows import ALL, INSIDE, resolve_window
from nichegraph.writelock import no_wait_option, writer_lock

# --- openrank --------------------------------------------------------------------------------


@click.command("openrank")
@click.option("--months", help="Only these months, FIRST:LAST; continues from the stored month before [all data]")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every computed value as CSV: kind,name,month,computed,published",
)
@click.option("--report", is_flag=True, help="Compute nothing; compare the stored computed values with the published")
@click.option(
    "--developer-init",
    type=click.Choice(sorted(START_RULES)),
    default=LEGACY,
    show_default=True,
    help="Start values: legacy (new nodes start at 1; X-lab until November 2023, behind the published "
    "values), sigmoid (X-lab's task now) or log (its December 2023 version)",
)
@click.option(
    "--activity-scale",
    type=float,
    default=OpenRankParams.activity_scale,
    show_default=True,
    help="Squared score -> the sigmoid's activity units (docs/openrank.md)",
)
@click.option("--no-tail", is_flag=True, help="Leave out the developers OpenDigger's details do not list")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON")
@no_wait_option
@click.pass_obj
def openrank(
    settings: Settings,
    months: str | None,
    out: Path | None,
    report: bool,
    developer_init: str,
    activity_scale: float,
    no_tail: bool,
    as_json: bool,
    no_wait: bool,
) -> None:
    """Compute monthly OpenRank for every repository and developer from the contribution
    edges (X-lab's global OpenRank method) and store it beside the published values, in the
    slot readers do not read, then switch to it (RepoMonth.openrankComputedA|B|C, Developer
    openrankSeriesA|B|C; docs/openrank.md). Prints the Spearman correlation
    with OpenDigger's published repository OpenRank per month."""
    params = OpenRankParams(developer_init=developer_init, activity_scale=activity_scale, tail=not no_tail)
    with Graph(settings) as graph:
        # the lock before the window: a load running now may change the data range
        with nullcontext() if report else writer_lock(graph, "nichegraph openrank", wait=not no_wait):
            window = resolve_window(graph, months, what="--months", default=ALL, fit=INSIDE)
            summary: dict[str, Any] = {"window": str(window)}
            if not report:
                graph.apply_schema()
                progress = Progress(total=window.length, unit="months", quiet=as_json)
                run = run_openrank(graph, window, params, progress)
                progress.finish()
                summary |= run_summary(run)
        if not report and out is not None:
            write_csv(out, csv_rows(graph, run))
            summary["out"] = str(out)
        correlation = correlation_by_month(graph, window)
    summary["correlation"] = correlation_summary(correlation)
    summary["byMonth"] = correlation
    if as_json:
        click.echo(to_json(summary))
        return
    click.echo(describe_openrank(summary))


def run_summary(run: OpenRankRun) -> dict[str, Any]:
    supersteps = [m.iterations for m in run.months]
    return {
        "params": run.params.__dict__,
        "warmStart": run.warm_start,
        "repoValues": sum(int(m.repo_index.size) for m in run.months),
        "developerValues": sum(int(m.developer_index.size) for m in run.months),
        "developers": int(np.unique(np.concatenate([m.developer_index for m in run.months])).size) if run.months else 0,
        "droppedAutomation": sum(m.dropped_automation for m in run.months),
        "supersteps": {"min": min(supersteps), "max": max(supersteps), "mean": sum(supersteps) / len(supersteps)}
        if supersteps
        else None,
        "seconds": {key: round(value, 2) for key, value in run.seconds.items()},
    }


def write_csv(path: Path, rows: Any) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_HEADER, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)


def describe_openrank(summary: dict[str, Any]) -> str:
    lines = []
    if "seconds" in summary:
        steps = summary["supersteps"] or {}
        start = "continued from the stored month before" if summary["warmStart"] else "cold start"
        lines += [
            f"OpenRank computed for {summary['window']} ({start}): {summary['repoValues']:,} repository-months, "
            f"{summary['developerValues']:,} developer-months",
            f"supersteps per month: {steps.get('min')}..{steps.get('max')} (mean {steps.get('mean', 0):.1f}); "
            f"accounts dropped as automation: {summary['droppedAutomation']}",
            "seconds: " + ", ".join(f"{key} {value:.1f}" for key, value in summary["seconds"].items()),
        ]
        if "out" in summary:
            lines.append(f"wrote {summary['out']}")
    corr = summary["correlation"]
    lines.append(
        f"Spearman rho, computed vs published repository OpenRank, {summary['window']}: "
        f"mean {corr['mean']}, min {corr['min']}, max {corr['max']}; last 12 months mean {corr['last12Mean']}, "
        f"min {corr['last12Min']}"
    )
    lines.append(to_table(summary["byMonth"][-12:], ["month", "repos", "spearman"]))
    return "\n".join(lines)
