"""Browser display labels follow the last computed window's niches and OpenRank bands."""

from __future__ import annotations

from nichegraph.analysis.display_labels import DISPLAY_LABELS, OPENRANK_BANDS, apply_display_labels
from nichegraph.db import Graph
from nichegraph.months import parse_window
from tests.support.niche_fixtures import Analysed


def test_every_niche_member_wears_its_niche_colour_and_a_size(full_graph: Graph, analysed: Analysed) -> None:
    # the labels follow the last analysed window (the `analysed` fixture's, restored by
    # `other_windows` after tests that analyse others); applied again here, as the function tested
    apply_display_labels(full_graph, parse_window(analysed.window))
    rows = full_graph.read(
        """
        MATCH (r:Repo)
        OPTIONAL MATCH (r)-[:IN_NICHE]->(n:Niche {window: $window})
        CALL (r) {
          OPTIONAL MATCH (r)-[:HAS_MONTH]->(m:RepoMonth) WHERE $first <= m.month <= $last
          RETURN coalesce(avg(m.openrank), 0.0) AS openrank
        }
        RETURN r.name AS repo, n.number AS number, openrank,
               [label IN labels(r) WHERE label IN $display] AS labels
        """,
        window=analysed.window,
        first=analysed.window.split(":")[0],
        last=analysed.window.split(":")[1],
        display=DISPLAY_LABELS,
    )
    assert len(rows) == 300
    for row in rows:
        expected_size = next(label for label, low in OPENRANK_BANDS if row["openrank"] >= low)
        expected = {expected_size} | ({f"NicheColor{(row['number'] - 1) % 12}"} if row["number"] else set())
        assert set(row["labels"]) == expected, row
    pytorch = next(row for row in rows if row["repo"] == "pytorch/pytorch")
    assert "OpenRankXL" in pytorch["labels"]
