"""Where the current run's computed OpenRank is stored (docs/openrank.md, "Storage"): tests
read repository values with `m[$computed]` and developers' series with `d[$series]` (these
parameters), or through `developer_series`."""

from __future__ import annotations

from typing import Any

from nichegraph.analysis.openrank.storage import split_series
from nichegraph.db import Graph

CURRENT_SLOT = "OPTIONAL MATCH (run:OpenRankRun {current: true}) RETURN run.slot AS slot"


def current_keys(graph: Graph) -> dict[str, str]:
    slot = graph.read(CURRENT_SLOT)[0]["slot"]
    assert slot in {"A", "B", "C"}, f"no current OpenRank run (slot {slot!r})"
    return {"computed": f"openrankComputed{slot}", "series": f"openrankSeries{slot}"}


def read_computed(graph: Graph, cypher: str, **params: Any) -> list[dict[str, Any]]:
    """graph.read with the current run's property names as parameters."""
    return graph.read(cypher, **current_keys(graph), **params)


def developer_series(graph: Graph, where: str = "true", **params: Any) -> dict[str, dict[str, list[Any]]]:
    """The current run's stored series of the developers matching `where` (Cypher on `d`), by
    key: months (YYYY-MM), values and activity, parallel lists."""
    rows = read_computed(
        graph,
        f"MATCH (d:Developer) WHERE d[$series] IS NOT NULL AND ({where}) RETURN d.key AS key, d[$series] AS series",
        **params,
    )
    return {row["key"]: split_series(row["series"]) for row in rows}
