"""Exports: the window's niches, relations and network as CSV, JSON, GraphML and GEXF
(the same files `nichegraph export` writes)."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, abort, g, send_file, url_for

from nichegraph.analysis import export as exporter
from nichegraph.errors import NichegraphError
from nichegraph.web.context import cached, page

blueprint = Blueprint("exports", __name__)

MIMETYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
}
DESCRIPTIONS = {
    "niches": "every project with its niche (id, label), stability, centrality and rank; why unassigned ones are",
    "relations": "every upstream / competitor / peer relation with confidence and evidence (source upstream of target)",
    "network": "the collaboration network: COLLABORATES links with weight and shared developers",
}


@page(blueprint, "/exports", "exports.html")
def overview() -> dict[str, Any]:
    window = str(g.page.window)
    graph = g.page.graph
    run = cached(("niche run", window), lambda: exporter.stored_run(graph, window))
    return {
        "window": window,
        "computed": run is not None,
        "relationsComputed": bool(run and run.get("relationsComputedAt")),
        "files": [
            {
                "what": what,
                "description": DESCRIPTIONS[what],
                "links": {
                    fmt: url_for("exports.download", what=what, fmt=fmt, window=window) for fmt in exporter.FORMATS
                },
            }
            for what in exporter.WHATS
        ],
    }


@blueprint.get("/exports/<what>.<fmt>")
def download(what: str, fmt: str):  # type: ignore[no-untyped-def]
    if what not in exporter.WHATS or fmt not in exporter.FORMATS:
        abort(404)
    window = g.page.window
    try:
        exporter.require_results(g.page.graph, str(window), what)
    except NichegraphError as error:
        abort(404, description=str(error))
    name = f"nichegraph-{what}-{str(window).replace(':', '_')}.{fmt}"
    body, _count = exporter.render(g.page.graph, str(window), what, fmt)
    return send_file(io.BytesIO(body), mimetype=MIMETYPES[fmt], as_attachment=True, download_name=name)
