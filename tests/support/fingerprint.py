"""A canonical picture of a (small) graph, to compare two graphs for equality."""

from __future__ import annotations

from collections import Counter
from typing import Any

from nichegraph.db import Graph

NODES = """
MATCH (n) WHERE NOT n:LoadRun
RETURN labels(n) AS labels, properties(n) AS props
"""

RELATIONSHIPS = """
MATCH (a)-[r]->(b)
RETURN type(r) AS type, coalesce(a.key, a.name, a.repo + '@' + a.month) AS start,
       coalesce(b.key, b.name, b.repo + '@' + b.month) AS end, properties(r) AS props
"""


def _freeze(value: Any, typed: bool = False) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((key, _freeze(item, typed)) for key, item in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(item, typed) for item in value)
    # typed: 3 and 3.0 differ, as a long and a double do in Neo4j
    return (type(value).__name__, value) if typed else value


def graph_fingerprint(graph: Graph, typed: bool = False) -> tuple[Counter[Any], Counter[Any]]:
    nodes = Counter(_freeze(row, typed) for row in graph.read(NODES))
    relationships = Counter(_freeze(row, typed) for row in graph.read(RELATIONSHIPS))
    return nodes, relationships
