"""Neighbourhood: walk the collaboration graph around a project (depth, weight, relation and
niche filters), from the window's precomputed network or from a loaded network (?network=NAME)."""

from __future__ import annotations

from collections import deque
from typing import Any

from flask import Blueprint, abort, g, request

from nichegraph.analysis.networks import kept_pairs, normalised_links, read_network
from nichegraph.errors import BadParameter
from nichegraph.names import REPO_NAME
from nichegraph.web.context import cached, cached_query, float_arg, int_arg, page

blueprint = Blueprint("graph", __name__)

MAX_NODES = 200
RELATION_TYPES = ("collaborates", "upstream", "competitor", "peer")


def window_graph(window_text: str, first: str, last: str) -> dict[str, Any]:
    """The window's whole precomputed graph (read at most once a minute)."""
    return cached_query(g.page.graph, "graph_window", window=window_text, first=first, last=last)[0]


def chosen_relations() -> set[str]:
    """?relations=a,b or the form's repeated ?relation=a&relation=b; all types when absent."""
    parts = [p for raw in request.args.getlist("relations") for p in raw.split(",")]
    parts += request.args.getlist("relation")
    chosen = {part.strip() for part in parts if part.strip()}
    if not chosen:
        return set(RELATION_TYPES)
    unknown = chosen - set(RELATION_TYPES)
    if unknown:
        raise BadParameter(f"relations: {sorted(unknown)[0]!r} is not one of {', '.join(RELATION_TYPES)}")
    return chosen


def walk(
    data: dict[str, Any], center: str, depth: int, min_weight: float, relations: set[str], niche: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], bool]:
    nodes = {node["repo"]: node for node in data["nodes"]}
    edges = [
        {**link, "type": "collaborates"}
        for link in data["links"]
        if "collaborates" in relations and link["weight"] >= min_weight
    ] + [relation for relation in data["relations"] if relation["type"] in relations]
    if niche:
        edges = [e for e in edges if nodes[e["source"]]["niche"] == niche and nodes[e["target"]]["niche"] == niche]
    adjacent: dict[str, list[tuple[str, float]]] = {}
    for edge in edges:
        strength = edge.get("weight") or edge.get("confidence") or 0.0
        adjacent.setdefault(edge["source"], []).append((edge["target"], strength))
        adjacent.setdefault(edge["target"], []).append((edge["source"], strength))
    distance = {center: 0}
    queue = deque([center])
    truncated = False
    while queue:
        current = queue.popleft()
        if distance[current] >= depth:
            continue
        for other, _strength in sorted(adjacent.get(current, []), key=lambda item: -item[1]):
            if other in distance:
                continue
            if len(distance) >= MAX_NODES:
                truncated = True
                break
            distance[other] = distance[current] + 1
            queue.append(other)
    chosen = [{**nodes[name], "depth": distance[name]} for name in distance]
    inside = [e for e in edges if e["source"] in distance and e["target"] in distance]
    return chosen, inside, truncated


LINK_CHOICES = ("kept", "all")


def network_graph(name: str, links: str) -> dict[str, Any]:
    """A loaded network as the walk reads it: link weights normalised to 0..1 (w / sqrt(S(a) S(b)),
    as its niches are found; the loaded weight stays as rawWeight); by default only the kept
    links (each project's strongest, the ones its niches are found on), like a window's walk."""
    if links not in LINK_CHOICES:
        raise BadParameter(f"links: {links!r} is not one of {', '.join(LINK_CHOICES)}")

    def build() -> dict[str, Any]:
        stored = read_network(g.page.graph, name)
        chosen = normalised_links(stored.links)
        if links == "kept":
            kept = kept_pairs(stored)
            chosen = [link for link in chosen if frozenset((link["source"], link["target"])) in kept]
        return {"nodes": stored.nodes, "links": chosen, "relations": stored.relations, "network": stored.properties}

    return cached((g.page.graph.uri, "network_graph", name, links), build)


@page(blueprint, "/graph", "graph.html")
def neighbourhood() -> dict[str, Any]:
    network = request.args.get("network") or None
    links = request.args.get("links") or "kept"
    if network:
        data = network_graph(network, links)
        scope = f"network {network}"
    else:
        window = g.page.window
        data = window_graph(str(window), window.first, window.last)
        scope = str(window)
        if not data["links"]:
            abort(
                404,
                description=f"No collaboration network for {window} yet; run `nichegraph niches --window {window}`.",
            )
    center = request.args.get("center") or default_center(data)
    if not REPO_NAME.match(center):
        raise BadParameter(f"center: {center!r} is not a repository name of the form owner/repo")
    if center not in {node["repo"] for node in data["nodes"]}:
        abort(404, description=f"{center} is not in the graph.")
    depth = int_arg("depth", 1, 1, 5)
    min_weight = float_arg("min_weight", 0.0, 0.0, 1.0)
    relations = chosen_relations()
    niche = request.args.get("niche") or None
    nodes, edges, truncated = walk(data, center, depth, min_weight, relations, niche)
    niches = sorted(
        {(n["nicheNumber"], n["niche"], n["nicheLabel"]) for n in data["nodes"] if n["niche"]},
        key=lambda item: item[0],
    )
    return {
        "window": None if network else scope,
        "network": network,
        "networkInfo": data.get("network"),
        "links": links if network else None,
        "niches": [{"number": number, "id": ident, "label": label} for number, ident, label in niches],
        "center": center,
        "depth": depth,
        "minWeight": min_weight,
        "relations": sorted(relations),
        "niche": niche,
        "truncated": truncated,
        "maxNodes": MAX_NODES,
        "nodes": sorted(nodes, key=lambda n: (n["depth"], -(n["openrank"] or 0))),
        "edges": edges,
    }


def default_center(data: dict[str, Any]) -> str:
    names = {node["repo"] for node in data["nodes"]}
    if "pytorch/pytorch" in names:
        return "pytorch/pytorch"
    return max(data["nodes"], key=lambda node: node["openrank"] or 0)["repo"]
