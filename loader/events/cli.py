"""`nichegraph load events SOURCE`: the command (the work is in nichegraph.loader.events.load)."""

from __future__ import annotations

import sys

import click

from nichegraph.config import Settings
from nichegraph.output import to_json


@click.command("events")
@click.argument("source")
@click.option("--repos", help="Comma-separated owner/repo names (any name they had in the events)")
@click.option("--seeds", help="Seed projects: load them and the --top repositories sharing most active developers")
@click.option("--top", type=int, default=50, show_default=True, help="With --seeds: how many neighbours to load")
@click.option("--months", help="Only these months, FIRST:LAST, e.g. 2024-10:2025-03")
@click.option(
    "--weights",
    type=click.Choice(["current", "classic"]),
    default="current",
    show_default=True,
    help="OpenDigger's activity weights: today's, or the integer ones behind the 2023 snapshot",
)
@click.option("--workers", default=1, show_default=True, help="Parallel repository transactions")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout")
@click.pass_obj
def load_events(
    settings: Settings,
    source: str,
    repos: str | None,
    seeds: str | None,
    top: int,
    months: str | None,
    weights: str,
    workers: int,
    as_json: bool,
) -> None:
    """Load developer activity computed from raw GitHub events, as OpenDigger computes it: SOURCE is
    GH Archive hourly files (*.json.gz: a folder, a glob or a file, read by embedded ClickHouse) or
    clickhouse[s]://[user@]host[:port]/database.table (X-lab's opensource.events or ClickHouse's
    github_events layout; password in NICHEGRAPH_CLICKHOUSE_PASSWORD). A bad event file stops it
    before anything is written; repositories are written atomically, like `load opendigger`."""
    from nichegraph.loader.events.load import Selection, run_events_load

    selection = Selection.from_options(repos, seeds, top)
    result = run_events_load(settings, source, selection, months, weights, workers)
    if as_json:
        click.echo(to_json(result.to_dict()))
    else:
        click.echo(result.describe(), err=not result.summary.ok)
    if not result.summary.ok:
        sys.exit(1)
