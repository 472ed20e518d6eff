"""`nichegraph openrank` and `nichegraph trends KIND` (docs/openrank.md, docs/trends.md), and
`nichegraph bench openrank`."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import numpy as np

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.output import to_json, to_table
from nichegraph.progress import Progress
from nichegraph.queries import openrank as om
from nichegraph.queries import trends as tm
from nichegraph.queries.openrank_bench import bench_openrank

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
    type=click.Choice(sorted(om.DEVELOPER_INIT)),
    default="sigmoid",
    show_default=True,
    help="Developers' start value from activity: sigmoid (X-lab's task now) or log (its 2023 version)",
)
@click.option(
    "--activity-scale",
    type=float,
    default=om.OpenRankParams.activity_scale,
    show_default=True,
    help="Squared score -> the sigmoid's activity units (docs/openrank.md)",
)
@click.option("--no-tail", is_flag=True, help="Leave out the developers OpenDigger's details do not list")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON")
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
) -> None:
    """Compute monthly OpenRank for every repository and developer from the contribution
    edges (X-lab's global OpenRank method) and store it beside the published values:
    RepoMonth.openrankComputed, Developer.openrankMonths / openrankComputed. Prints the
    Spearman correlation with OpenDigger's published repository OpenRank per month."""
    params = om.OpenRankParams(developer_init=developer_init, activity_scale=activity_scale, tail=not no_tail)
    with Graph(settings) as graph:
        window = om.resolve_months(graph, months)
        summary: dict[str, Any] = {"window": str(window)}
        if not report:
            graph.apply_schema()
            progress = Progress(total=window.length, unit="months", quiet=as_json)
            run = om.run_openrank(graph, window, params, progress)
            progress.finish()
            summary |= run_summary(run)
            if out is not None:
                write_csv(out, om.csv_rows(graph, run))
                summary["out"] = str(out)
        correlation = om.correlation_by_month(graph, window)
    summary["correlation"] = om.correlation_summary(correlation)
    summary["byMonth"] = correlation
    if as_json:
        click.echo(to_json(summary))
        return
    click.echo(describe_openrank(summary))


def run_summary(run: om.OpenRankRun) -> dict[str, Any]:
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
        writer = csv.DictWriter(handle, fieldnames=om.CSV_HEADER, lineterminator="\n")
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


# --- trends ----------------------------------------------------------------------------------


@click.group("trends")
def trends() -> None:
    """Who leads, who grew, who fell, who went quiet: OpenRank over time for a set of projects
    (--repos, --niche or --domain; every project by default). Every figure states its window
    and whether OpenRank is published (OpenDigger) or computed (`nichegraph openrank`)."""


def selection_options(function: Callable[..., Any]) -> Callable[..., Any]:
    function = click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object")(function)
    function = click.option(
        "--domain", help="Projects of a hand-made landscape domain, layer or landscape (e.g. Training, 'AI Infra')"
    )(function)
    function = click.option("--niche", help="Members of a niche (an id from `nichegraph niches`)")(function)
    function = click.option("--repos", help="Comma-separated projects, e.g. pytorch/pytorch,tensorflow/tensorflow")(
        function
    )
    return function


def computed_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--computed", is_flag=True, help="Use the OpenRank computed by `nichegraph openrank` instead of the published"
    )(function)


def emit(payload: dict[str, Any], as_json: bool, columns: list[str], rows: list[dict[str, Any]] | None = None) -> None:
    if as_json:
        click.echo(to_json(payload))
        return
    click.echo(header(payload))
    click.echo(to_table(payload["rows"] if rows is None else rows, columns))


def header(payload: dict[str, Any]) -> str:
    parts = [f"{payload['kind']}: window {payload['window']}"]
    if "previousWindow" in payload:
        parts[0] += f" vs {payload['previousWindow']}"
    if "openrank" in payload:
        parts.append(f"OpenRank {payload['openrank']}")
    if "source" in payload:
        parts.append(f"{payload['source']} series")
    parts.append(describe_selection(payload["selection"]))
    if "thresholds" in payload:
        parts.append("thresholds " + ", ".join(f"{key}={value}" for key, value in payload["thresholds"].items()))
    return " · ".join(parts)


def describe_selection(selection: dict[str, Any]) -> str:
    if "niche" in selection:
        return f"niche {selection['niche']} ({len(selection['members'])} projects)"
    if "domain" in selection:
        kind = "" if selection["kind"] == "landscape" else f" {selection['kind']}"
        return f"landscape{kind} {selection['domain']!r} ({len(selection['members'])} projects)"
    if "repos" in selection:
        return "projects " + ", ".join(selection["repos"])
    return "every project"


def context(settings: Settings, repos: str | None, niche: str | None, domain: str | None) -> tuple[Graph, tm.Selection]:
    graph = Graph(settings)
    try:
        return graph, tm.select(graph, repos, niche, domain)
    except BaseException:
        graph.close()
        raise


@trends.command("curves")
@selection_options
@computed_option
@click.option("--window", help="FIRST:LAST [the niche's window, else the last 12 months of data]")
@click.option("--top", type=int, help="Show the N projects with the highest mean OpenRank [all]")
@click.pass_obj
def curves_command(
    settings: Settings,
    repos: str | None,
    niche: str | None,
    domain: str | None,
    as_json: bool,
    computed: bool,
    window: str | None,
    top: int | None,
) -> None:
    """Monthly OpenRank, activity, stars and participants per project, and their sum."""
    graph, selection = context(settings, repos, niche, domain)
    with graph:
        payload = tm.curves(graph, selection, tm.resolve_window(graph, window, selection=selection), computed, top)
    sums = [{"repo": f"(sum of {payload['projects']})", **point} for point in payload["sum"]]
    columns = ["repo", "month", "openrank", "activity", "stars", "participants"]
    emit(payload, as_json, columns, payload["rows"] + sums)


@trends.command("yoy")
@selection_options
@computed_option
@click.option("--window", help="FIRST:LAST, at most 12 months, against the same months a year earlier [last 12]")
@click.option("--top", type=int, default=10, show_default=True, help="Largest gains and largest losses shown")
@click.pass_obj
def yoy_command(
    settings: Settings,
    repos: str | None,
    niche: str | None,
    domain: str | None,
    as_json: bool,
    computed: bool,
    window: str | None,
    top: int,
) -> None:
    """Year-over-year change of mean monthly OpenRank, ranked by absolute change."""
    graph, selection = context(settings, repos, niche, domain)
    with graph:
        payload = tm.yoy(graph, selection, tm.resolve_window(graph, window, selection=selection), computed, top)
    columns = ["rank", "repo", "current", "previous", "change", "relativeChange", "domain"]
    rows = payload["risers"] + [row for row in payload["fallers"] if row["change"] < 0 and row not in payload["risers"]]
    emit(payload, as_json, columns, rows)


@trends.command("ranks")
@selection_options
@computed_option
@click.option("--window", help="FIRST:LAST [all the data]")
@click.option("--period", type=click.Choice(tm.PERIODS), default="year", show_default=True)
@click.option("--top", type=int, default=10, show_default=True, help="Projects that reach this rank in some period")
@click.pass_obj
def ranks_command(
    settings: Settings,
    repos: str | None,
    niche: str | None,
    domain: str | None,
    as_json: bool,
    computed: bool,
    window: str | None,
    period: str,
    top: int,
) -> None:
    """Rank by mean OpenRank per year or quarter and how it moved (bump-chart data)."""
    graph, selection = context(settings, repos, niche, domain)
    with graph:
        resolved = tm.resolve_window(graph, window, "all", selection)
        payload = tm.ranks(graph, selection, resolved, period, computed, top)
    emit(payload, as_json, ["period", "rank", "repo", "meanOpenrank", "previousRank", "move", "months"])


@trends.command("growth")
@selection_options
@computed_option
@click.option("--window", help="FIRST:LAST; its whole calendar quarters are used [last 12 months]")
@click.option("--top", type=int, help="Show the N fastest growing [all]")
@click.pass_obj
def growth_command(
    settings: Settings,
    repos: str | None,
    niche: str | None,
    domain: str | None,
    as_json: bool,
    computed: bool,
    window: str | None,
    top: int | None,
) -> None:
    """Quarter-over-quarter growth rate of mean monthly OpenRank."""
    graph, selection = context(settings, repos, niche, domain)
    with graph:
        payload = tm.growth(graph, selection, tm.resolve_window(graph, window, selection=selection), computed, top)
    emit(payload, as_json, ["repo", "meanGrowth", "compoundGrowth", "quarterly"])


@trends.command("graveyard")
@selection_options
@computed_option
@click.option("--window", help="FIRST:LAST; peaks inside it, quiet up to its last month [all the data]")
@click.option("--min-peak-openrank", type=float, default=tm.GraveyardRule.min_peak_openrank, show_default=True)
@click.option("--min-peak-attention", type=int, default=tm.GraveyardRule.min_peak_attention, show_default=True)
@click.option("--activity-floor", type=float, default=tm.GraveyardRule.activity_floor, show_default=True)
@click.option("--quiet-months", type=int, default=tm.GraveyardRule.quiet_months, show_default=True)
@click.pass_obj
def graveyard_command(
    settings: Settings,
    repos: str | None,
    niche: str | None,
    domain: str | None,
    as_json: bool,
    computed: bool,
    window: str | None,
    min_peak_openrank: float,
    min_peak_attention: int,
    activity_floor: float,
    quiet_months: int,
) -> None:
    """Projects that were prominent (peak OpenRank or attention) and went quiet (activity
    below the floor for at least N months up to the end of the window)."""
    rule = tm.GraveyardRule(min_peak_openrank, min_peak_attention, activity_floor, quiet_months)
    graph, selection = context(settings, repos, niche, domain)
    with graph:
        resolved = tm.resolve_window(graph, window, "all", selection)
        payload = tm.graveyard(graph, selection, resolved, rule, computed)
    columns = [
        "repo",
        "peakOpenrank",
        "peakOpenrankMonth",
        "peakAttention",
        "peakAttentionMonth",
        "lastActiveMonth",
        "quietMonths",
    ]
    emit(payload, as_json, columns)


@trends.command("newcomers")
@selection_options
@computed_option
@click.option("--window", help="FIRST:LAST [the niche's window, else the last 12 months of data]")
@click.option(
    "--min-openrank", type=float, default=100.0, show_default=True, help="Monthly OpenRank to count as trending"
)
@click.pass_obj
def newcomers_command(
    settings: Settings,
    repos: str | None,
    niche: str | None,
    domain: str | None,
    as_json: bool,
    computed: bool,
    window: str | None,
    min_openrank: float,
) -> None:
    """Trending projects whose first activity falls inside the window."""
    graph, selection = context(settings, repos, niche, domain)
    with graph:
        resolved = tm.resolve_window(graph, window, selection=selection)
        payload = tm.newcomers(graph, selection, resolved, min_openrank, computed)
    if not as_json:
        share = f"{payload['share']:.0%}" if payload["share"] is not None else "-"
        click.echo(f"{payload['newcomers']} of {payload['trending']} trending projects are newcomers ({share})")
    emit(payload, as_json, ["repo", "firstActivity", "ageMonths", "peakOpenrank", "peakMonth", "meanOpenrank"])


@trends.command("stars")
@selection_options
@click.option("--window", help="FIRST:LAST [the niche's window, else the last 12 months of data]")
@click.option("--top", type=int, default=10, show_default=True, help="Projects with the most new stars shown")
@click.pass_obj
def stars_command(
    settings: Settings,
    repos: str | None,
    niche: str | None,
    domain: str | None,
    as_json: bool,
    window: str | None,
    top: int,
) -> None:
    """Monthly new stars per project (published), with each project's peak month."""
    graph, selection = context(settings, repos, niche, domain)
    with graph:
        payload = tm.stars(graph, selection, tm.resolve_window(graph, window, selection=selection), top)
    emit(payload, as_json, ["repo", "stars", "peakMonth", "peakStars", "monthly"])


@trends.command("compare")
@click.argument("repos", nargs=-1, required=True)
@click.option("--window", help="FIRST:LAST [the last 12 months of data]")
@click.option("--developers", type=int, default=10, show_default=True, help="Top and shared developers listed")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object")
@click.pass_obj
def compare_command(
    settings: Settings, repos: tuple[str, ...], window: str | None, developers: int, as_json: bool
) -> None:
    """Side-by-side community comparison (the report's vLLM vs SGLang table): OpenRank and its
    growth, contributors, participants, bus factor, new contributors, top developers by computed
    OpenRank with their share, and the developers the projects share."""
    with Graph(settings) as graph:
        payload = tm.compare(graph, list(repos), tm.resolve_window(graph, window), developers)
    if as_json:
        click.echo(to_json(payload))
        return
    emit(payload, False, list(payload["rows"][0]))
    for pair in payload["shared"]:
        names = ", ".join(d["login"] for d in pair["developers"])
        click.echo(f"shared by {pair['a']} and {pair['b']}: {pair['shared']} developers; top: {names or '-'}")


COMMANDS = [openrank, trends]
BENCH_COMMANDS = [bench_openrank]
