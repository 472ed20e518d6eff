"""Home: the landscape of the window, headline numbers, and search."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, render_template, request

from nichegraph.errors import BadParameter
from nichegraph.queries.library import run_query
from nichegraph.web.context import int_arg, page

blueprint = Blueprint("home", __name__)

MAX_QUERY_LENGTH = 100


@page(blueprint, "/", "home.html")
def index() -> dict[str, Any]:
    window = g.page.window
    stats = run_query(g.page.graph, "stats")[0]
    leaders = run_query(g.page.graph, "top_repos", first=window.first, last=window.last, limit=40)
    return {"window": str(window), "dataRange": g.page.data_range, "stats": stats, "leaders": leaders}


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
