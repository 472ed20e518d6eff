"""Landscape of a loaded network (or a window): the report-style figure of labelled boxes and
project tiles, detected niches against the hand-made domains, and the figure as SVG and PNG."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, g, request

from nichegraph.analysis import agreement as agreement_module
from nichegraph.analysis import figure as figure_module
from nichegraph.errors import BadParameter, NichegraphError
from nichegraph.names import NETWORK_SCOPE
from nichegraph.queries.library import run_query
from nichegraph.web.context import cached, cached_query, page

blueprint = Blueprint("landscape", __name__)

MIMETYPES = {"svg": "image/svg+xml", "png": "image/png"}


@page(blueprint, "/landscape", "landscapes.html")
def overview() -> dict[str, Any]:
    """Every loaded network, with links to its landscape."""
    return {"networks": cached_query(g.page.graph, "networks")}


def chosen_by() -> str | None:
    by = request.args.get("by") or None
    if by is not None and by not in figure_module.BYS:
        raise BadParameter(f"by: {by!r} is not one of {', '.join(figure_module.BYS)}")
    return by


def figure_of(name: str, by: str | None, landscape: str | None) -> figure_module.LandscapeFigure:
    """The figure's data (cached a minute); without ?by, by domain when hand domains are loaded,
    else by niche."""
    graph = g.page.graph

    def build(grouping: str) -> figure_module.LandscapeFigure:
        return cached(
            (graph.uri, "figure", name, grouping, landscape),
            lambda: figure_module.figure_data(graph, name, grouping, landscape),
        )

    if by is not None:
        return build(by)
    try:
        return build("domain")
    except NichegraphError as error:
        if "hand-made domain" not in str(error):
            raise
        return build("niche")


def require_known(name: str) -> None:
    """404 for a network that is not loaded (a window without niches is a 400 naming the command)."""
    scope = agreement_module.scope_of(name)
    if scope.startswith(NETWORK_SCOPE):
        network = scope.removeprefix(NETWORK_SCOPE)
        if network not in {row["name"] for row in cached_query(g.page.graph, "networks")}:
            abort(404, description=f"No network named {network!r} is loaded; the Networks page lists them.")


@page(blueprint, "/landscape/<name>", "landscape.html")
def landscape(name: str) -> dict[str, Any]:
    require_known(name)
    landscape_name = request.args.get("landscape") or None
    figure = figure_of(name, chosen_by(), landscape_name)
    try:
        agreement = agreement_module.agreement(g.page.graph, name, landscape_name or figure.landscape).to_dict()
        agreement.pop("projects")
        problem = None
    except NichegraphError as error:
        agreement, problem = None, str(error)
    network = None
    if figure.scope.startswith(NETWORK_SCOPE):
        rows = [
            row
            for row in run_query(g.page.graph, "networks")
            if row["name"] == figure.scope.removeprefix(NETWORK_SCOPE)
        ]
        network = rows[0] if rows else None
    tiles = [tile for box in figure.boxes for tile in box.tiles]
    largest = max(tiles, key=lambda tile: tile.openrank or 0).repo if tiles else None
    return {
        "name": name,
        "network": network,
        "figure": figure.to_dict(),
        "agreement": agreement,
        "agreementProblem": problem,
        "largest": largest,
        "projects": len(tiles),
    }


@blueprint.get("/landscape/<name>/figure.<fmt>")
def figure_file(name: str, fmt: str) -> Response:
    if fmt not in MIMETYPES:
        raise BadParameter(f"figure.{fmt}: the figure comes as figure.svg or figure.png")
    require_known(name)
    landscape_name = request.args.get("landscape") or None
    figure = figure_of(name, chosen_by(), landscape_name)
    body = cached(
        (g.page.graph.uri, "figure-file", name, figure.by, landscape_name, fmt),
        lambda: figure_module.render(figure, fmt),
    )
    filename = f"landscape-{name.replace(':', '_')}-by-{figure.by}.{fmt}"
    return Response(body, mimetype=MIMETYPES[fmt], headers={"Content-Disposition": f'inline; filename="{filename}"'})
