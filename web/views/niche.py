"""Niche page: members by centrality, rivalries inside, upstream niches and the niches it feeds,
and the niche's OpenRank over time against its most central members."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g

from nichegraph.errors import BadParameter
from nichegraph.queries.library import run_query
from nichegraph.web.context import cached, page

blueprint = Blueprint("niche", __name__)

CURVE_MEMBERS = 8


@page(blueprint, "/niche/<path:niche>", "niche.html")
def niche(niche: str) -> dict[str, Any]:
    if len(niche) > 300 or ":" not in niche:
        raise BadParameter(f"niche: {niche[:80]!r} is not a niche id such as 2022-04:2023-03/pytorch/pytorch")
    graph = g.page.graph
    rows = cached(("niche", niche), lambda: run_query(graph, "niche_page", niche=niche, curveMembers=CURVE_MEMBERS))
    if not rows:
        abort(404, description=f"No niche {niche!r}; the landscape page lists the niches of each window.")
    return rows[0]
