"""Developer page: where a developer worked over time."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g

from nichegraph.names import check_login
from nichegraph.queries.library import run_query
from nichegraph.web.context import cached, page

blueprint = Blueprint("developer", __name__)


@page(blueprint, "/dev/<login>", "developer.html")
def developer(login: str) -> dict[str, Any]:
    check_login(login)
    graph = g.page.graph
    # logins are case-insensitive: one entry per developer
    rows = cached(("developer", login.lower()), lambda: run_query(graph, "developer_page", login=login))
    if not rows:
        abort(404, description=f"No developer {login!r} in the graph.")
    return {**rows[0], "window": str(g.page.window)}
