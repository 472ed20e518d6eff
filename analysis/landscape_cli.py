"""`nichegraph landscape agreement|draw NAME`: detected niches against hand-made domains, and
the landscape figure (the work is in `agreement` and `figure`)."""

from __future__ import annotations

from pathlib import Path

import click

from nichegraph.analysis import agreement as agreement_module
from nichegraph.analysis import figure as figure_module
from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import BadParameter
from nichegraph.output import to_json, to_table


@click.group("landscape")
def landscape() -> None:
    """The landscape of a loaded network or a window: detected niches against the hand-made
    domains, and the landscape figure. NAME is a network loaded with `nichegraph load network`,
    or a window FIRST:LAST."""


@landscape.command("agreement")
@click.argument("name")
@click.option("--landscape", "landscape_name", help="Whose hand domains [the landscape covering most projects]")
@click.option(
    "--level",
    type=click.Choice(agreement_module.LEVELS),
    default="domain",
    show_default=True,
    help="domain, or the coarser layer (the report's group before ' - ')",
)
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON")
@click.pass_obj
def agreement_command(settings: Settings, name: str, landscape_name: str | None, level: str, as_json: bool) -> None:
    """NMI and ARI of the niches detected for NAME against a landscape's hand-made domains, and
    where they disagree: which hand domain is split over several niches, which niche merges
    several domains. An unassigned project counts as a niche of its own."""
    with Graph(settings) as graph:
        result = agreement_module.agreement(graph, name, landscape_name, level)
    if as_json:
        click.echo(to_json(result.to_dict()))
        return
    click.echo(
        f"{name}: {len(result.projects)} projects with a {level} in {result.landscape}: NMI {result.nmi:.3f}, "
        f"ARI {result.ari:.3f}; {result.niches} detected niches (+{result.unassigned} unassigned projects) "
        f"against {result.domains} hand {level}s"
    )
    if result.splits:
        click.echo(f"\nhand {level}s split over several niches:")
        click.echo(
            to_table(
                [
                    {
                        level: row["domain"],
                        "projects": row["size"],
                        "niches": "; ".join(f"{n['number']} ({n['projects']})" for n in row["niches"]),
                        "unassigned": ", ".join(row["unassigned"]),
                    }
                    for row in result.splits
                ]
            )
        )
    if result.merges:
        click.echo(f"\nniches that merge several hand {level}s:")
        click.echo(
            to_table(
                [
                    {
                        "niche": row["number"],
                        "projects": row["size"],
                        f"{level}s": "; ".join(f"{d['domain']} ({d['projects']})" for d in row["domains"]),
                        "label": row["label"],
                    }
                    for row in result.merges
                ]
            )
        )


@landscape.command("draw")
@click.argument("name")
@click.option("--by", type=click.Choice(figure_module.BYS), default="domain", show_default=True, help="Boxes")
@click.option("--landscape", "landscape_name", help="Whose hand domains [the landscape covering most projects]")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="FILE.svg or FILE.png (A4 landscape)"
)
@click.pass_obj
def draw_command(settings: Settings, name: str, by: str, landscape_name: str | None, out: Path) -> None:
    """Draw the landscape of NAME: labelled boxes (hand-made domains or detected niches) holding
    project tiles sized by OpenRank and coloured by trend, with title, data date and legend, on
    one A4 page, as SVG or PNG."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in figure_module.FORMATS:
        raise BadParameter(f"--out: {out.name} must end in .svg or .png")
    with Graph(settings) as graph:
        figure, body = figure_module.draw(graph, name, by, fmt, landscape_name)
    out.write_bytes(body)
    tiles = sum(len(box.tiles) for box in figure.boxes)
    click.echo(f"wrote {out} ({len(body):,} bytes): {len(figure.boxes)} boxes by {by}, {tiles} projects")


COMMANDS = [landscape]
