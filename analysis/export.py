"""Exports of a window's stored results: niches, relations, the collaboration network, as
CSV, JSON, GraphML (igraph and Gephi read it) or GEXF (Gephi's format).

Everything is read back from Neo4j through the library queries, so an export shows exactly
what Browser users and the web explorer see."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from nichegraph.analysis.networks import StoredNetwork, read_network
from nichegraph.analysis.niches import stored_run
from nichegraph.db import Graph
from nichegraph.errors import BadParameter, NichegraphError
from nichegraph.names import network_scope
from nichegraph.output import to_csv, to_json
from nichegraph.queries.library import run_query

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
    "rule",
    "lean",
    "metadataSimilarity",
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


class WindowResults:
    """A window's stored results, read through the library queries."""

    def __init__(self, graph: Graph, window: str) -> None:
        self.graph, self.key, self.title = graph, window, f"window {window}"

    def run(self, what: str) -> dict[str, Any]:
        return require_results(self.graph, self.key, what)

    def assignments(self) -> list[dict[str, Any]]:
        """One row per project: its niche in the window, or why it has none."""
        return assignments(self.graph, self.key)

    def niches(self) -> list[dict[str, Any]]:
        return run_query(self.graph, "niches_in_window", window=self.key)

    def relations(self) -> list[dict[str, Any]]:
        return run_query(self.graph, "relations_in_window", window=self.key)

    def links(self) -> list[dict[str, Any]]:
        return run_query(self.graph, "collaboration_links", window=self.key)

    def openrank(self) -> dict[str, float]:
        return {
            row["repo"]: row["openrank"] for row in run_query(self.graph, "mean_openrank_in_window", window=self.key)
        }


class NetworkResults(WindowResults):
    """A loaded network's stored results: its members, its own links (NETWORK_LINK, as loaded),
    and the niches and relations computed on it."""

    def __init__(self, graph: Graph, name: str) -> None:
        super().__init__(graph, network_scope(name))
        self.name, self.title = name, f"network {name}"
        self.stored: StoredNetwork = read_network(graph, name)

    def run(self, what: str) -> dict[str, Any]:
        return require_results(self.graph, self.key, what, f"network {self.name}", f"--network {self.name}", "it")

    def assignments(self) -> list[dict[str, Any]]:
        """One row per member of the network: its niche there, or why it has none."""
        members = {node["repo"] for node in self.stored.nodes}
        return [row for row in assignments(self.graph, self.key, "not placed in a niche") if row["repo"] in members]

    def links(self) -> list[dict[str, Any]]:
        return self.stored.links

    def openrank(self) -> dict[str, float]:
        return self.stored.openrank


def assignments(graph: Graph, window: str, otherwise: str = "no contributions in the window") -> list[dict[str, Any]]:
    """One row per project: its niche in the window, or why it has none."""
    run = stored_run(graph, window) or {}
    reasons = dict(zip(run.get("unassigned", []), run.get("unassignedReasons", []), strict=True))
    reasons.update(zip(run.get("hubs") or [], run.get("hubReasons") or [], strict=True))
    rows = run_query(graph, "niche_assignments", window=window)
    for row in rows:
        if row["niche"] is None:
            row["reason"] = reasons.get(row["repo"], otherwise)
    return rows


def require_results(
    graph: Graph,
    key: str,
    what: str,
    title: str | None = None,
    flag: str | None = None,
    it: str = "this window",
) -> dict[str, Any]:
    """The stored run of a window (or of a network: its title, flag and pronoun given)."""
    title, flag = title or f"window {key}", flag or f"--window {key}"
    run = stored_run(graph, key)
    if run is None:
        raise NichegraphError(f"{title}: nothing computed for {it}; run `nichegraph niches {flag}` first")
    if what == "relations" and not run.get("relationsComputedAt"):
        raise NichegraphError(f"{title}: no relations computed for {it}; run `nichegraph relations {flag}`")
    return run


def export(graph: Graph, window: str, what: str, fmt: str, out: Path) -> int:
    """Write one export file; returns the number of rows (or nodes + edges for graphs)."""
    body, count = render(graph, window, what, fmt)
    out.write_bytes(body)
    return count


def export_network(graph: Graph, name: str, what: str, fmt: str, out: Path) -> int:
    """The same for a loaded network's results (`nichegraph export --network`)."""
    body, count = render_results(NetworkResults(graph, name), what, fmt)
    out.write_bytes(body)
    return count


def render(graph: Graph, window: str, what: str, fmt: str) -> tuple[bytes, int]:
    """One export as the bytes of its file, and its number of rows (or nodes + edges)."""
    return render_results(WindowResults(graph, window), what, fmt)


def render_results(results: WindowResults, what: str, fmt: str) -> tuple[bytes, int]:
    if what not in WHATS:
        raise BadParameter(f"--what: {what!r} is not one of {', '.join(WHATS)}")
    if fmt not in FORMATS:
        raise BadParameter(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    run = results.run(what)
    if fmt in {"graphml", "gexf"}:
        nodes, edges = graph_data(results, what)
        if fmt == "graphml":
            return graphml(nodes, edges), len(nodes) + len(edges)
        return gexf(nodes, edges, f"nichegraph {what}, {results.title}"), len(nodes) + len(edges)
    if what == "niches":
        rows, columns = results.assignments(), NICHE_COLUMNS
        payload: Any = {"window": results.key, "run": run, "niches": results.niches(), "assignments": rows}
    elif what == "relations":
        rows, columns = results.relations(), RELATION_COLUMNS
        payload = {"window": results.key, "relations": rows}
    else:
        rows, columns = results.links(), NETWORK_COLUMNS
        payload = {"window": results.key, "links": rows}
    text = to_csv(rows, columns) if fmt == "csv" else to_json(payload) + "\n"
    return text.encode("utf-8"), len(rows)


def graph_data(results: WindowResults, what: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes with niche and OpenRank; edges with weight and relation. Upstream edges point
    from the upstream to the downstream project, the others from the smaller name."""
    nodes = []
    openrank = results.openrank()
    for row in results.assignments():
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
    for row in results.relations():
        relation_of[frozenset((row["source"], row["target"]))] = row
    edges = []
    if what == "relations":
        for row in relation_of.values():
            edges.append(edge(row["source"], row["target"], row["weight"] or 0.0, row))
    else:
        for row in results.links():
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


GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GRAPHML_NODE_KEYS = [
    ("name", "string"),
    ("niche", "string"),
    ("nicheLabel", "string"),
    ("stability", "double"),
    ("openrank", "double"),
]
GRAPHML_EDGE_KEYS = [
    ("weight", "double"),
    ("relation", "string"),
    ("confidence", "double"),
    ("sharedDevelopers", "long"),
]


def graphml(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> bytes:
    """GraphML as igraph and Gephi read it: the project's name in the node attribute `name`."""
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    for scope, keys in (("node", GRAPHML_NODE_KEYS), ("edge", GRAPHML_EDGE_KEYS)):
        for name, kind in keys:
            attributes = {"id": f"{scope[0]}_{name}", "for": scope, "attr.name": name, "attr.type": kind}
            ET.SubElement(root, f"{{{GRAPHML_NS}}}key", attributes)
    body = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph", {"id": "G", "edgedefault": "directed"})
    ids = {node["id"]: f"n{i}" for i, node in enumerate(nodes)}
    for node in nodes:
        element = ET.SubElement(body, f"{{{GRAPHML_NS}}}node", {"id": ids[node["id"]]})
        add_data(element, "n", {"name": node["id"], **node}, GRAPHML_NODE_KEYS)
    for e in edges:
        element = ET.SubElement(body, f"{{{GRAPHML_NS}}}edge", {"source": ids[e["source"]], "target": ids[e["target"]]})
        add_data(element, "e", e, GRAPHML_EDGE_KEYS)
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def add_data(element: ET.Element, scope: str, values: dict[str, Any], keys: list[tuple[str, str]]) -> None:
    for name, kind in keys:
        value = values[name]
        text = number(value) if kind == "double" else str(value)
        ET.SubElement(element, f"{{{GRAPHML_NS}}}data", {"key": f"{scope}_{name}"}).text = text


def gexf(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], description: str) -> bytes:
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
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def add_values(element: ET.Element, values: dict[str, Any], attrs: list[tuple[str, str]]) -> None:
    block = ET.SubElement(element, f"{{{GEXF_NS}}}attvalues")
    for i, (title, kind) in enumerate(attrs):
        value = values[title]
        text = number(value) if kind == "double" else str(value)
        ET.SubElement(block, f"{{{GEXF_NS}}}attvalue", {"for": str(i), "value": text})


def number(value: float) -> str:
    return repr(float(value)) if math.isfinite(value) else "0.0"
