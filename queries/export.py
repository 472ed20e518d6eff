"""Exports of a window's stored results: niches, relations, the collaboration network, as
CSV, JSON, GraphML (igraph writes it, igraph and Gephi read it) or GEXF (Gephi's format).

Everything is read back from Neo4j through the library queries, so an export shows exactly
what Browser users and the web explorer see."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import igraph as ig

from nichegraph.db import Graph
from nichegraph.errors import BadParameter, NichegraphError
from nichegraph.output import to_csv, to_json
from nichegraph.queries.library import run_query
from nichegraph.queries.niches import stored_run

WHATS = ("niches", "relations", "network")
FORMATS = ("csv", "json", "graphml", "gexf")

NICHE_COLUMNS = ["repo", "niche", "label", "stability", "centrality", "rank", "size", "reason"]
RELATION_COLUMNS = [
    "source",
    "target",
    "relation",
    "confidence",
    "weight",
    "sharedDevelopers",
    "sourceCoreInTarget",
    "targetCoreInSource",
    "profileSimilarity",
    "sourceOpenrank",
    "targetOpenrank",
    "lift",
    "linked",
    "sameNiche",
    "topDevelopers",
    "reason",
]
NETWORK_COLUMNS = [
    "source",
    "target",
    "weight",
    "sharedDevelopers",
    "expectedShared",
    "lift",
    "sourceShare",
    "targetShare",
    "sourceRank",
    "targetRank",
    "topDevelopers",
]
GEXF_NS = "http://gexf.net/1.3"


def assignments(graph: Graph, window: str) -> list[dict[str, Any]]:
    """One row per project: its niche in the window, or why it has none."""
    run = stored_run(graph, window) or {}
    reasons = dict(zip(run.get("unassigned", []), run.get("unassignedReasons", []), strict=True))
    rows = run_query(graph, "niche_assignments", window=window)
    for row in rows:
        if row["niche"] is None:
            row["reason"] = reasons.get(row["repo"], "no contributions in the window")
    return rows


def relations(graph: Graph, window: str) -> list[dict[str, Any]]:
    return run_query(graph, "relations_in_window", window=window)


def links(graph: Graph, window: str) -> list[dict[str, Any]]:
    return run_query(graph, "collaboration_links", window=window)


def require_results(graph: Graph, window: str, what: str) -> dict[str, Any]:
    run = stored_run(graph, window)
    if run is None:
        raise NichegraphError(
            f"--window {window}: nothing computed for this window; run `nichegraph niches --window {window}` first"
        )
    if what == "relations" and not run.get("relationsComputedAt"):
        raise NichegraphError(
            f"--window {window}: no relations computed for this window; run `nichegraph relations --window {window}`"
        )
    return run


def export(graph: Graph, window: str, what: str, fmt: str, out: Path) -> int:
    """Write one export file; returns the number of rows (or nodes + edges for graphs)."""
    if what not in WHATS:
        raise BadParameter(f"--what: {what!r} is not one of {', '.join(WHATS)}")
    if fmt not in FORMATS:
        raise BadParameter(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    run = require_results(graph, window, what)
    if fmt in {"graphml", "gexf"}:
        nodes, edges = graph_data(graph, window, what)
        if fmt == "graphml":
            write_graphml(nodes, edges, out)
        else:
            write_gexf(nodes, edges, out, f"nichegraph {what}, window {window}")
        return len(nodes) + len(edges)
    if what == "niches":
        rows, columns = assignments(graph, window), NICHE_COLUMNS
        payload: Any = {
            "window": window,
            "run": run,
            "niches": run_query(graph, "niches_in_window", window=window),
            "assignments": rows,
        }
    elif what == "relations":
        rows, columns = relations(graph, window), RELATION_COLUMNS
        payload = {"window": window, "relations": rows}
    else:
        rows, columns = links(graph, window), NETWORK_COLUMNS
        payload = {"window": window, "links": rows}
    text = to_csv(rows, columns) if fmt == "csv" else to_json(payload) + "\n"
    out.write_text(text, encoding="utf-8")
    return len(rows)


def graph_data(graph: Graph, window: str, what: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes with niche and OpenRank; edges with weight and relation. Upstream edges point
    from the upstream to the downstream project, the others from the smaller name."""
    nodes = []
    openrank = {row["repo"]: row["openrank"] for row in run_query(graph, "mean_openrank_in_window", window=window)}
    for row in assignments(graph, window):
        nodes.append(
            {
                "id": row["repo"],
                "niche": row["niche"] or "",
                "nicheLabel": row["label"] or "",
                "stability": float(row["stability"] or 0.0),
                "openrank": float(openrank.get(row["repo"]) or 0.0),
            }
        )
    relation_of: dict[frozenset[str], dict[str, Any]] = {}
    for row in relations(graph, window):
        relation_of[frozenset((row["source"], row["target"]))] = row
    edges = []
    if what == "relations":
        for row in relation_of.values():
            edges.append(edge(row["source"], row["target"], row["weight"] or 0.0, row))
    else:
        for row in links(graph, window):
            rel = relation_of.get(frozenset((row["source"], row["target"])))
            source, target = row["source"], row["target"]
            if rel is not None and rel["relation"] == "upstream":
                source, target = rel["source"], rel["target"]
            edges.append(edge(source, target, row["weight"], rel, shared=row["sharedDevelopers"]))
    return nodes, edges


def edge(
    source: str, target: str, weight: float, rel: dict[str, Any] | None, shared: int | None = None
) -> dict[str, Any]:
    return {
        "source": source,
        "target": target,
        "weight": float(weight),
        "relation": rel["relation"] if rel else "",
        "confidence": float(rel["confidence"]) if rel else 0.0,
        "sharedDevelopers": int(shared if shared is not None else (rel or {}).get("sharedDevelopers") or 0),
    }


def write_graphml(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], out: Path) -> None:
    graph = ig.Graph(directed=True)
    graph.add_vertices([node["id"] for node in nodes])
    for key in ("niche", "nicheLabel", "stability", "openrank"):
        graph.vs[key] = [node[key] for node in nodes]
    graph.add_edges([(e["source"], e["target"]) for e in edges])
    for key in ("weight", "relation", "confidence", "sharedDevelopers"):
        graph.es[key] = [e[key] for e in edges]
    graph.write_graphml(str(out))


def write_gexf(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], out: Path, description: str) -> None:
    ET.register_namespace("", GEXF_NS)
    root = ET.Element(f"{{{GEXF_NS}}}gexf", {"version": "1.3"})
    meta = ET.SubElement(root, f"{{{GEXF_NS}}}meta")
    ET.SubElement(meta, f"{{{GEXF_NS}}}creator").text = "nichegraph"
    ET.SubElement(meta, f"{{{GEXF_NS}}}description").text = description
    graph = ET.SubElement(root, f"{{{GEXF_NS}}}graph", {"mode": "static", "defaultedgetype": "directed"})
    node_attrs = [("niche", "string"), ("nicheLabel", "string"), ("stability", "double"), ("openrank", "double")]
    edge_attrs = [("relation", "string"), ("confidence", "double"), ("sharedDevelopers", "integer")]
    for cls, attrs in (("node", node_attrs), ("edge", edge_attrs)):
        block = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": cls})
        for i, (title, kind) in enumerate(attrs):
            ET.SubElement(block, f"{{{GEXF_NS}}}attribute", {"id": str(i), "title": title, "type": kind})
    node_block = ET.SubElement(graph, f"{{{GEXF_NS}}}nodes")
    for node in nodes:
        element = ET.SubElement(node_block, f"{{{GEXF_NS}}}node", {"id": node["id"], "label": node["id"]})
        add_values(element, node, node_attrs)
    edge_block = ET.SubElement(graph, f"{{{GEXF_NS}}}edges")
    for i, e in enumerate(edges):
        attributes = {"id": str(i), "source": e["source"], "target": e["target"], "weight": number(e["weight"])}
        add_values(ET.SubElement(edge_block, f"{{{GEXF_NS}}}edge", attributes), e, edge_attrs)
    ET.indent(root)
    ET.ElementTree(root).write(out, encoding="UTF-8", xml_declaration=True)


def add_values(element: ET.Element, values: dict[str, Any], attrs: list[tuple[str, str]]) -> None:
    block = ET.SubElement(element, f"{{{GEXF_NS}}}attvalues")
    for i, (title, kind) in enumerate(attrs):
        value = values[title]
        text = number(value) if kind == "double" else str(value)
        ET.SubElement(block, f"{{{GEXF_NS}}}attvalue", {"for": str(i), "value": text})


def number(value: float) -> str:
    return repr(float(value)) if math.isfinite(value) else "0.0"
