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

    def build() -> dict[str, Any]:
        table = analytics.compare(g.page.graph, names, window)
        selection = analytics.Selection(repos=tuple(project["repo"] for project in table["projects"]))
        return {**table, "repos": names, "curves": analytics.curves(g.page.graph, selection, window)}

    return cached(("compare", g.page.graph.uri, tuple(names), str(window)), build)
