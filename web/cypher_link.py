"""Show a library query with the page's parameters, and a link that opens it in Neo4j Browser."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from nichegraph.queries.library import get_query


def literal(value: Any) -> str:
    """A Cypher literal for a :param line (strings quoted and escaped)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


def reproduce(name: str, browser_url: str, **params: Any) -> dict[str, Any]:
    """The query text with `:param` lines for these parameters, and a Browser link."""
    query = get_query(name)
    values = query.parameters(params)
    param_lines = [f":param {key} => {literal(value)};" for key, value in values.items()]
    script = "\n".join([*param_lines, query.cypher + ";"])
    return {
        "name": name,
        "file": f"queries/{name}.cypher",
        "question": query.question,
        "script": script,
        "browserUrl": f"{browser_url}?{urlencode({'cmd': 'edit', 'arg': script})}",
    }
