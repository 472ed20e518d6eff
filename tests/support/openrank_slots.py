"""Where the current run's computed OpenRank is stored (docs/openrank.md, "Storage"): tests
read it with `n[$computed]`, `d[$months]`, `d[$activity]` and these parameters."""

from __future__ import annotations

from typing import Any

from nichegraph.db import Graph

CURRENT_SLOT = "OPTIONAL MATCH (run:OpenRankRun {current: true}) RETURN run.slot AS slot"


def current_keys(graph: Graph) -> dict[str, str]:
    slot = graph.read(CURRENT_SLOT)[0]["slot"]
    assert slot in {"A", "B"}, f"no current OpenRank run (slot {slot!r})"
    return {
        "computed": f"openrankComputed{slot}",
        "months": f"openrankMonths{slot}",
        "activity": f"openrankActivity{slot}",
        "run": f"openrankRun{slot}",
    }


def read_computed(graph: Graph, cypher: str, **params: Any) -> list[dict[str, Any]]:
    """graph.read with the current run's property names as parameters."""
    return graph.read(cypher, **current_keys(graph), **params)
