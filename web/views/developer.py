"""Developer page: where a developer worked over time."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g

from nichegraph.names import check_login
from nichegraph.queries.library import run_query
from nichegraph.web.context import page

blueprint = Blueprint("developer", __name__)


@page(blueprint, "/dev/<login>", "developer.html")
def developer(login: str) -> dict[str, Any]:
    check_login(login)
    rows = run_query(g.page.graph, "developer_page", login=login)
    if not rows:
        abort(404, description=f"No developer {login!r} in the graph.")
    data = rows[0]
    data["window"] = str(g.page.window)
    return data
