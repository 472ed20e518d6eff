"""Export formats written in memory and read back (analysis/export.py: GraphML through igraph,
GEXF through ElementTree), the CLI's tables and CSV (nichegraph/output.py), the benchmarks'
percentile (bench/stats.py) and the schema script's statements (nichegraph/db.py)."""

from __future__ import annotations

import csv
import io
import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import igraph as ig
import pytest

from nichegraph.analysis.export import GEXF_NS, edge, gexf, graphml, number
from nichegraph.bench.stats import percentile
from nichegraph.config import SCHEMA_FILE
from nichegraph.db import schema_batches, split_statements
from nichegraph.output import cell, to_csv, to_json, to_table

NODES = [
    {"id": "a/up", "niche": "w/a/up", "nicheLabel": "a/up, b/down", "stability": 1.0, "openrank": 120.5},
    {"id": "b/down", "niche": "w/a/up", "nicheLabel": "a/up, b/down", "stability": 0.75, "openrank": 30.0},
    {"id": "c/alone", "niche": "", "nicheLabel": "", "stability": 0.0, "openrank": math.nan},
]
EDGES = [
    edge("a/up", "b/down", 0.25, {"relation": "upstream", "confidence": 0.6, "sharedDevelopers": 7}, shared=9),
    edge("b/down", "c/alone", 0.125, None, shared=3),
]


def test_an_edge_row() -> None:
    assert EDGES[0] == {
        "source": "a/up",
        "target": "b/down",
        "weight": 0.25,
        "relation": "upstream",
        "confidence": 0.6,
        "sharedDevelopers": 9,  # the network's count wins over the relation's
    }
    assert EDGES[1]["relation"] == "" and EDGES[1]["confidence"] == 0.0
    assert edge("x/x", "y/y", 1, {"relation": "peer", "confidence": 1, "sharedDevelopers": 4})["sharedDevelopers"] == 4


def test_graphml_reads_back_in_igraph(tmp_path: Path) -> None:
    path = tmp_path / "network.graphml"
    path.write_bytes(graphml(NODES, EDGES))
    graph = ig.Graph.Read_GraphML(str(path))
    assert graph.is_directed() and graph.vcount() == 3 and graph.ecount() == 2
    assert graph.vs["name"] == ["a/up", "b/down", "c/alone"]
    assert graph.vs["niche"] == ["w/a/up", "w/a/up", ""]
    assert graph.vs["stability"] == [1.0, 0.75, 0.0]
    assert graph.vs["openrank"] == [120.5, 30.0, 0.0]  # not a number: written as 0
    ends = [(graph.vs[e.source]["name"], graph.vs[e.target]["name"]) for e in graph.es]
    assert ends == [("a/up", "b/down"), ("b/down", "c/alone")]  # upstream -> downstream
    assert graph.es["weight"] == [0.25, 0.125] and graph.es["relation"] == ["upstream", ""]
    assert graph.es["sharedDevelopers"] == [9, 3] and graph.es["confidence"] == [0.6, 0.0]


def test_gexf_reads_back(tmp_path: Path) -> None:
    root = ET.fromstring(gexf(NODES, EDGES, "nichegraph network, window w"))
    ns = {"g": GEXF_NS}
    assert root.tag == f"{{{GEXF_NS}}}gexf" and root.get("version") == "1.3"
    assert root.find("g:meta/g:description", ns).text == "nichegraph network, window w"
    titles = {
        block.get("class"): {a.get("id"): (a.get("title"), a.get("type")) for a in block.findall("g:attribute", ns)}
        for block in root.findall("g:graph/g:attributes", ns)
    }
    assert titles["node"] == {
        "0": ("niche", "string"),
        "1": ("nicheLabel", "string"),
        "2": ("stability", "double"),
        "3": ("openrank", "double"),
    }
    assert titles["edge"] == {
        "0": ("relation", "string"),
        "1": ("confidence", "double"),
        "2": ("sharedDevelopers", "integer"),
    }
    nodes = root.findall("g:graph/g:nodes/g:node", ns)
    assert [(n.get("id"), n.get("label")) for n in nodes] == [(n["id"], n["id"]) for n in NODES]
    values = {v.get("for"): v.get("value") for v in nodes[1].iter(f"{{{GEXF_NS}}}attvalue")}
    assert values == {"0": "w/a/up", "1": "a/up, b/down", "2": "0.75", "3": "30.0"}
    edges = root.findall("g:graph/g:edges/g:edge", ns)
    assert [(e.get("source"), e.get("target"), e.get("weight")) for e in edges] == [
        ("a/up", "b/down", "0.25"),
        ("b/down", "c/alone", "0.125"),
    ]
    first = {v.get("for"): v.get("value") for v in edges[0].iter(f"{{{GEXF_NS}}}attvalue")}
    assert first == {"0": "upstream", "1": "0.6", "2": "9"}


def test_numbers_in_exports() -> None:
    assert number(0.1) == "0.1" and number(3) == "3.0"
    assert number(math.nan) == number(math.inf) == "0.0"


# --- tables, CSV and JSON for people and scripts --------------------------------------------------


def test_cells() -> None:
    assert [cell(v) for v in (None, 1234.567, 0.0, 0.000123456, 12345, True, ["a", 1.5], "x")] == [
        "",
        "1,234.57",
        "0.00",
        "0.0001235",
        "12,345",
        "True",
        "a, 1.50",
        "x",
    ]
    assert cell({"a": 1}) == '{   "a": 1 }'


def test_a_table_aligns_numbers_right_and_text_left() -> None:
    rows = [{"repo": "a/b", "n": 5}, {"repo": "long/name", "n": 12345}]
    assert to_table(rows).splitlines() == [
        "repo            n",
        "---------  ------",
        "a/b             5",
        "long/name  12,345",
    ]
    assert to_table([]) == "(no rows)"
    assert to_table(rows, ["n"]).splitlines()[2] == "     5"


def test_csv_writes_lists_as_json_and_only_the_columns_asked() -> None:
    text = to_csv([{"repo": "a/b", "devs": ["x", "y"], "extra": 1}], ["repo", "devs"])
    assert list(csv.reader(io.StringIO(text))) == [["repo", "devs"], ["a/b", '["x","y"]']]
    assert to_csv([]) == "\n"


def test_json_for_scripts() -> None:
    assert json.loads(to_json({"path": Path("/x"), 1: [1.5]})) == {"path": "/x", "1": [1.5]}


# --- the benchmarks' percentile -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        (list(range(1, 21)), 0.95, 19),  # the 19th smallest of 20 timings
        (list(range(1, 21)), 0.5, 11),  # round(0.5 x 19) = round(9.5) = 10 (to even): the 11th
        ([4.0, 1.0, 3.0, 2.0], 0.0, 1.0),
        ([4.0, 1.0, 3.0, 2.0], 1.0, 4.0),
        ([7.5], 0.99, 7.5),
        ([1.0, 2.0], 2.0, 2.0),  # beyond the ends: clamped
        ([1.0, 2.0], -1.0, 1.0),
    ],
)
def test_percentile(values: list[float], fraction: float, expected: float) -> None:
    assert percentile(values, fraction) == expected


# --- the schema script ----------------------------------------------------------------------------


def test_the_schema_splits_into_its_statements() -> None:
    statements = split_statements(SCHEMA_FILE.read_text(encoding="utf-8"))
    body = [line for line in SCHEMA_FILE.read_text().splitlines() if line.strip() and not line.strip().startswith("//")]
    # every statement ends its last line with a semicolon
    assert len(statements) == sum(line.rstrip().endswith(";") for line in body) > 5
    assert all(statement.startswith("CREATE ") and "IF NOT EXISTS" in statement for statement in statements)


def test_split_statements_drops_comments_and_blank_parts() -> None:
    script = "// a comment\nCREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x);\n\n// more\nRETURN 1;\n;\n"
    assert split_statements(script) == ["CREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x)", "RETURN 1"]


def test_schema_batches_put_lookup_indexes_before_constraints() -> None:
    statements = [
        "CREATE CONSTRAINT a IF NOT EXISTS FOR (n:A) REQUIRE n.k IS UNIQUE",
        "CREATE INDEX b IF NOT EXISTS FOR (n:B) ON (n.x)",
        "create constraint c if not exists for (n:C) require n.k is unique",
        "CREATE INDEX d IF NOT EXISTS FOR ()-[r:D]-() ON (r.m)",
    ]
    assert schema_batches(statements) == [[statements[1], statements[3]], [statements[0], statements[2]]]
    assert schema_batches(statements[1:2]) == [statements[1:2]]  # no empty batch
    assert schema_batches([]) == []


def test_the_schema_file_applies_in_two_batches_holding_every_statement() -> None:
    statements = split_statements(SCHEMA_FILE.read_text(encoding="utf-8"))
    indexes, constraints = schema_batches(statements)
    assert sorted(indexes + constraints) == sorted(statements)
    assert all(" INDEX " in statement for statement in indexes)
    assert all(" CONSTRAINT " in statement for statement in constraints)
