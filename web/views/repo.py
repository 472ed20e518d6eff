"""Project page: curves, window figures, top developers, and the Cypher behind the table."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, g

from nichegraph.names import check_repo_path
from nichegraph.queries.library import run_query
from nichegraph.repo_metadata import describe_metadata
from nichegraph.web.context import cached, page
from nichegraph.web.cypher_link import reproduce

blueprint = Blueprint("repo", __name__)


@page(blueprint, "/repo/<owner>/<name>", "repo.html")
def repo(owner: str, name: str) -> dict[str, Any]:
    full_name = check_repo_path(owner, name)
    window = g.page.window
    graph = g.page.graph
    rows = cached(
        ("repo", full_name, str(window)),
        lambda: run_query(
            graph, "repo_page", repo=full_name, window=str(window), first=window.first, last=window.last, limit=15
        ),
    )
    if not rows:
        abort(
            404,
            description=f"{full_name} is not in the graph. Search for it, or load it with "
            f"`nichegraph load opendigger --repos {full_name}`.",
        )
    data = dict(rows[0])  # a copy: the cached row stays as it was
    data["window"] = str(window)
    data["metadata"] = describe_metadata(data["metadata"])
    relations = cached(
        ("repo relations", full_name, str(window)),
        lambda: run_query(graph, "relations_of_repo", repo=full_name, window=str(window)),
    )
    data["relations"] = {
        role: [row for row in relations if row["role"] == role]
        for role in ("upstream", "downstream", "competitor", "peer")
    }
    data["networks"] = cached(("repo networks", full_name), lambda: run_query(graph, "repo_networks", repo=full_name))
    data["cypher"] = reproduce(
        "repo_top_developers",
        current_app.config["SETTINGS"].browser_url,
        repo=full_name,
        first=window.first,
        last=window.last,
        includeBots=False,
        limit=15,
    )
    return data
