"""`nichegraph trends KIND` (docs/trends.md): the landscape report's readings of OpenRank over time."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click

from nichegraph.analysis import trends as tm
from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.months import Window
from nichegraph.output import to_json, to_table
from nichegraph.queries import windows

# --- trends ----------------------------------------------------------------------------------


@click.group("trends")
def trends() -> None:
    """Who leads, who grew, who fell, who went quiet: OpenRank over time for a set of projects
    (--repos, --niche or --domain; every project by default). Every figure states its window
    and whether OpenRank is published (OpenDigger) or computed (`nichegraph openrank`)."""


# the options every kind starts with, in the order --help lists them
SELECTION_OPTIONS = [
    click.option("--repos", help="Comma-separated projects, e.g. pytorch/pytorch,tensorflow/tensorflow"),
    click.option("--niche", help="Members of a niche (an id from `nichegraph niches`)"),
    click.option(
        "--domain", help="Projects of a hand-made landscape domain, layer or landscape (e.g. Training, 'AI Infra')"
    ),
    click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object"),
]
COMPUTED_OPTION = click.option(
    "--computed", is_flag=True, help="Use the OpenRank computed by `nichegraph openrank` instead of the published"
)


@dataclass
class TrendArgs:
    """What every kind of trend is given: the open graph, the chosen projects and the shared flags."""

    graph: Graph
    selection: tm.Selection
    window_text: str | None
    computed: bool
    as_json: bool

    def window(self, default: str = windows.LAST12) -> Window:
        """--window, or the default: the niche's window or the last 12 months (LAST12), or all the data (ALL)."""
        return tm.resolve_window(self.graph, self.window_text, default, self.selection)


def trend_kind(name: str, window_help: str, computed: bool = True) -> Callable[[Callable[..., None]], click.Command]:
    """Register `nichegraph trends NAME` with the options every kind shares (--repos, --niche,
    --domain, --json, --computed when the kind has it, --window) before its own; the function is
    called with a TrendArgs (the graph open, the projects resolved) and its own options."""

    def decorate(function: Callable[..., None]) -> click.Command:
        @functools.wraps(function)
        def command(
            settings: Settings,
            repos: str | None,
            niche: str | None,
            domain: str | None,
            as_json: bool,
            window: str | None,
            **options: Any,
        ) -> None:
            use_computed = options.pop("computed", False)
            graph, selection = context(settings, repos, niche, domain)
            with graph:
                function(TrendArgs(graph, selection, window, use_computed, as_json), **options)

        command = click.option("--window", help=window_help)(command)
        if computed:
            command = COMPUTED_OPTION(command)
        for option in reversed(SELECTION_OPTIONS):
            command = option(command)
        return trends.command(name)(click.pass_obj(command))

    return decorate


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


@trend_kind("curves", "FIRST:LAST [the niche's window, else the last 12 months of data]")
@click.option("--top", type=int, help="Show the N projects with the highest mean OpenRank [all]")
def curves_command(args: TrendArgs, top: int | None) -> None:
    """Monthly OpenRank, activity, stars and participants per project, and their sum."""
    payload = tm.curves(args.graph, args.selection, args.window(), args.computed, top)
    sums = [{"repo": f"(sum of {payload['projects']})", **point} for point in payload["sum"]]
    columns = ["repo", "month", "openrank", "activity", "stars", "participants"]
    emit(payload, args.as_json, columns, payload["rows"] + sums)


@trend_kind("yoy", "FIRST:LAST, at most 12 months, against the same months a year earlier [last 12]")
@click.option("--top", type=int, default=10, show_default=True, help="Largest gains and largest losses shown")
def yoy_command(args: TrendArgs, top: int) -> None:
    """Year-over-year change of mean monthly OpenRank, ranked by absolute change."""
    payload = tm.yoy(args.graph, args.selection, args.window(), args.computed, top)
    columns = ["rank", "repo", "current", "previous", "change", "relativeChange", "domain"]
    rows = payload["risers"] + [row for row in payload["fallers"] if row["change"] < 0 and row not in payload["risers"]]
    emit(payload, args.as_json, columns, rows)


@trend_kind("ranks", "FIRST:LAST [all the data]")
@click.option("--period", type=click.Choice(tm.PERIODS), default="year", show_default=True)
@click.option("--top", type=int, default=10, show_default=True, help="Projects that reach this rank in some period")
def ranks_command(args: TrendArgs, period: str, top: int) -> None:
    """Rank by mean OpenRank per year or quarter and how it moved (bump-chart data)."""
    payload = tm.ranks(args.graph, args.selection, args.window(windows.ALL), period, args.computed, top)
    emit(payload, args.as_json, ["period", "rank", "repo", "meanOpenrank", "previousRank", "move", "months"])


@trend_kind("growth", "FIRST:LAST; its whole calendar quarters are used [last 12 months]")
@click.option("--top", type=int, help="Show the N fastest growing [all]")
def growth_command(args: TrendArgs, top: int | None) -> None:
    """Quarter-over-quarter growth rate of mean monthly OpenRank."""
    payload = tm.growth(args.graph, args.selection, args.window(), args.computed, top)
    emit(payload, args.as_json, ["repo", "meanGrowth", "compoundGrowth", "quarterly"])


@trend_kind("graveyard", "FIRST:LAST; peaks inside it, quiet up to its last month [all the data]")
@click.option("--min-peak-openrank", type=float, default=tm.GraveyardRule.min_peak_openrank, show_default=True)
@click.option("--min-peak-attention", type=int, default=tm.GraveyardRule.min_peak_attention, show_default=True)
@click.option("--activity-floor", type=float, default=tm.GraveyardRule.activity_floor, show_default=True)
@click.option("--quiet-months", type=int, default=tm.GraveyardRule.quiet_months, show_default=True)
def graveyard_command(args: TrendArgs, **thresholds: Any) -> None:
    """Projects that were prominent (peak OpenRank or attention) and went quiet (activity
    below the floor for at least N months up to the end of the window)."""
    rule = tm.GraveyardRule(**thresholds)
    payload = tm.graveyard(args.graph, args.selection, args.window(windows.ALL), rule, args.computed)
    columns = [
        "repo",
        "peakOpenrank",
        "peakOpenrankMonth",
        "peakAttention",
        "peakAttentionMonth",
        "lastActiveMonth",
        "quietMonths",
    ]
    emit(payload, args.as_json, columns)


@trend_kind("newcomers", "FIRST:LAST [the niche's window, else the last 12 months of data]")
@click.option(
    "--min-openrank", type=float, default=100.0, show_default=True, help="Monthly OpenRank to count as trending"
)
def newcomers_command(args: TrendArgs, min_openrank: float) -> None:
    """Trending projects whose first activity falls inside the window."""
    payload = tm.newcomers(args.graph, args.selection, args.window(), min_openrank, args.computed)
    if not args.as_json:
        share = f"{payload['share']:.0%}" if payload["share"] is not None else "-"
        click.echo(f"{payload['newcomers']} of {payload['trending']} trending projects are newcomers ({share})")
    emit(payload, args.as_json, ["repo", "firstActivity", "ageMonths", "peakOpenrank", "peakMonth", "meanOpenrank"])


@trend_kind("stars", "FIRST:LAST [the niche's window, else the last 12 months of data]", computed=False)
@click.option("--top", type=int, default=10, show_default=True, help="Projects with the most new stars shown")
def stars_command(args: TrendArgs, top: int) -> None:
    """Monthly new stars per project (published), with each project's peak month."""
    payload = tm.stars(args.graph, args.selection, args.window(), top)
    emit(payload, args.as_json, ["repo", "stars", "peakMonth", "peakStars", "monthly"])


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
