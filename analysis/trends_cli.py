"""`nichegraph trends KIND` (docs/trends.md): the landscape report's readings of OpenRank over time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from nichegraph.analysis import trends as tm
from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.output import to_json, to_table

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
    if payload["withoutDeveloperData"]:
        click.echo(
            f"no developer data for {', '.join(payload['withoutDeveloperData'])} (OpenRank from a published series): "
            f"{', '.join(payload['missingForThem'])} are missing for them"
        )
    for pair in payload["shared"]:
        names = ", ".join(d["login"] for d in pair["developers"])
        click.echo(f"shared by {pair['a']} and {pair['b']}: {pair['shared']} developers; top: {names or '-'}")


COMMANDS = [trends]
