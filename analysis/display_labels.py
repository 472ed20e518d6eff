"""Display labels for Neo4j Browser, whose stylesheet can only style by label.

After a window's niches are written, every repository gets `NicheColor0..11` (its niche's
number modulo 12, following queries/nichegraph.grss) and `OpenRankS/M/L/XL` (its mean
monthly OpenRank in that window). They describe the last window computed and nothing else
reads them; the model's own facts stay in properties and relationships.
"""

from __future__ import annotations

from nichegraph.db import Graph
from nichegraph.months import Window

NICHE_COLOURS = 12
# (label, lowest mean monthly OpenRank) from the largest band down
OPENRANK_BANDS = [("OpenRankXL", 1000.0), ("OpenRankL", 300.0), ("OpenRankM", 100.0), ("OpenRankS", 0.0)]
DISPLAY_LABELS = [f"NicheColor{i}" for i in range(NICHE_COLOURS)] + [label for label, _ in OPENRANK_BANDS]

CLEAR = """
MATCH (r:Repo)
REMOVE r:$($labels)
"""

APPLY = """
MATCH (r:Repo)
OPTIONAL MATCH (r)-[:IN_NICHE]->(n:Niche {window: $window})
CALL (r) {
  OPTIONAL MATCH (r)-[:HAS_MONTH]->(m:RepoMonth) WHERE $first <= m.month <= $last
  RETURN coalesce(avg(m.openrank), 0.0) AS openrank
}
WITH r, n, head([band IN $bands WHERE openrank >= band.from | band.label]) AS size
SET r:$(size)
WITH r, n WHERE n IS NOT NULL
SET r:$('NicheColor' + toString((n.number - 1) % $colours))
RETURN count(r) AS coloured
"""


def apply_display_labels(graph: Graph, window: Window) -> int:
    """Relabel every repository for `window`; returns how many got a niche colour."""
    graph.write(CLEAR, labels=DISPLAY_LABELS)
    bands = [{"label": label, "from": low} for label, low in OPENRANK_BANDS]
    rows = graph.write(
        APPLY, window=str(window), first=window.first, last=window.last, bands=bands, colours=NICHE_COLOURS
    )
    return rows[0]["coloured"] if rows else 0
