"""Compare: the side-by-side community table (the report's vLLM vs SGLang comparison), the
OpenRank curves of the projects, and the developers they share."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request

from nichegraph.analysis import trends as analytics
from nichegraph.errors import BadParameter
from nichegraph.web.context import cached, page

blueprint = Blueprint("compare", __name__)

MAX_PROJECTS = 6


@page(blueprint, "/compare", "compare.html")
def compare() -> dict[str, Any]:
    window = g.page.window
    names = analytics.split_names(request.args.get("repos"))
    if len(names) > MAX_PROJECTS:
        raise BadParameter(f"repos: compare at most {MAX_PROJECTS} projects at a time")
    if len(set(names)) < 2:
        return {"window": str(window), "repos": names, "projects": [], "shared": [], "curves": None}
    graph = g.page.graph
    order = list(cached(("repo names", tuple(names)), lambda: analytics.resolve_repos(graph, names, "compare")))
    # one comparison per set of projects and window, whatever order or spelling the URL gives
    chosen = sorted(order)

    def build() -> dict[str, Any]:
        table = analytics.compare(graph, chosen, window)
        selection = analytics.Selection(repos=tuple(project["repo"] for project in table["projects"]))
        return {**table, "curves": analytics.curves(graph, selection, window)}

    return in_order(cached(("compare", tuple(chosen), str(window)), build), order) | {"repos": names}


def in_order(table: dict[str, Any], order: list[str]) -> dict[str, Any]:
    """A comparison with its projects in the order they were asked for (a new dict: the cached
    one stays as it is)."""
    position = {repo: index for index, repo in enumerate(order)}

    def ordered(rows: list[Any], name: Any = lambda row: row["repo"]) -> list[Any]:
        return sorted(rows, key=lambda row: position[name(row)])

    curves = table["curves"]
    return {
        **table,
        "selection": {"repos": ordered(table["selection"]["repos"], str)},
        "withoutDeveloperData": ordered(table["withoutDeveloperData"], str),
        "projects": ordered(table["projects"]),
        "rows": ordered(table["rows"]),
        "curves": {**curves, "selection": {"repos": ordered(curves["selection"]["repos"], str)}},
    }
