"""Home: the landscape of the window, headline numbers, and search."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, render_template, request

from nichegraph.errors import BadParameter
from nichegraph.months import Window, add_months
from nichegraph.queries.library import run_query
from nichegraph.web.context import cached_query, int_arg, page

blueprint = Blueprint("home", __name__)

MAX_QUERY_LENGTH = 100


@page(blueprint, "/", "home.html")
def index() -> dict[str, Any]:
    window = g.page.window
    stats = cached_query(g.page.graph, "stats")[0]
    previous = Window(add_months(window.first, -window.length), add_months(window.first, -1))
    landscape = cached_query(
        g.page.graph,
        "landscape",
        window=str(window),
        first=window.first,
        last=window.last,
        previousFirst=previous.first,
        previousLast=previous.last,
    )[0]
    top = max((member["openrank"] or 0 for niche in landscape["niches"] for member in niche["members"]), default=0)
    return {
        "window": str(window),
        "previousWindow": str(previous),
        "dataRange": g.page.data_range,
        "stats": stats,
        "niches": landscape["niches"],
        "unassigned": landscape["unassigned"],
        "hubs": landscape["hubs"],
        "largestOpenrank": top,
    }


def search_text() -> str:
    text = (request.args.get("q") or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise BadParameter(f"q: at most {MAX_QUERY_LENGTH} characters")
    return text


def search_rows(text: str, limit: int) -> list[dict[str, Any]]:
    return run_query(g.page.graph, "search", text=text, limit=limit) if text else []


@blueprint.get("/search")
def search():  # type: ignore[no-untyped-def]
    text = search_text()
    results = search_rows(text, int_arg("limit", 50, 1, 50))
    return render_template("search.html", data={"q": text, "results": results}, page=g.page)


@blueprint.get("/search.json")
@blueprint.get("/api/search")
def search_json():  # type: ignore[no-untyped-def]
    text = search_text()
    return jsonify({"q": text, "results": search_rows(text, int_arg("limit", 10, 1, 50))})
