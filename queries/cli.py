"""Commands that read the graph through the query library: `stats`, `query`."""

from __future__ import annotations

import click

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import BadParameter
from nichegraph.output import to_csv, to_json, to_table
from nichegraph.queries.library import QUERY_DIR, LibraryQuery, get_query, load_library, parse_literal, run_query

STYLE_FILE = QUERY_DIR / "nichegraph.grss"


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object (keys: repos, developers, bots, ...)")
@click.pass_obj
def stats(settings: Settings, as_json: bool) -> None:
    """Counts of repos, developers (bots separately), monthly contributions, months covered
    and the last load."""
    with Graph(settings) as graph:
        row = run_query(graph, "stats")[0]
    if as_json:
        click.echo(to_json(row))
        return
    width = max(len(key) for key in row)
    for key, value in row.items():
        click.echo(f"{key.ljust(width)}  {value if value is not None else '-'}")


def parse_param(text: str) -> tuple[str, object]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise BadParameter(f"--param {text!r}: write NAME=VALUE, e.g. --param repo=pytorch/pytorch")
    try:
        parsed = parse_literal(value, "--param")
    except Exception:
        parsed = value  # a bare word such as pytorch/pytorch is a string
    return name.strip(), parsed


def browser_style_command() -> str:
    """Neo4j Browser's :style takes the stylesheet on one line (a multi-line paste breaks it)."""
    return ":style " + " ".join(STYLE_FILE.read_text(encoding="utf-8").split())


def list_queries() -> str:
    library = load_library()
    width = max(len(name) for name in library)
    return "\n".join(f"{name.ljust(width)}  {query.question}" for name, query in library.items())


def render(query: LibraryQuery, rows: list[dict[str, object]], fmt: str) -> str:
    columns = list(query.columns)
    if fmt == "json":
        return to_json(rows)
    if fmt == "csv":
        return to_csv(rows, columns).rstrip("\n")
    return to_table(rows, columns)


@click.command()
@click.argument("name", required=False)
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="Override an example value")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--list", "show_list", is_flag=True, help="List the library queries and their questions")
@click.option(
    "--browser-style", is_flag=True, help="Print the :style command that loads queries/nichegraph.grss in Neo4j Browser"
)
@click.pass_obj
def query(
    settings: Settings, name: str | None, params: tuple[str, ...], fmt: str, show_list: bool, browser_style: bool
) -> None:
    """Run a library query from queries/ with the example parameters of its header."""
    if browser_style:
        click.echo(browser_style_command())
        return
    if show_list or not name:
        click.echo(list_queries())
        return
    library_query = get_query(name)
    given = dict(parse_param(text) for text in params)
    with Graph(settings) as graph:
        rows = run_query(graph, name, **given)
    click.echo(render(library_query, rows, fmt))
