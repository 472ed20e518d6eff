"""Exports of stored niches, relations and the network, read back in every format."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import igraph as ig

from nichegraph.analysis.export import GEXF_NS, export
from nichegraph.db import Graph
from tests.support.niche_fixtures import Analysed


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def test_niches_csv_contract(full_graph: Graph, analysed: Analysed, tmp_path: Path) -> None:
    out = tmp_path / "niches.csv"
    export(full_graph, analysed.window, "niches", "csv", out)
    header, rows = read_csv(out)
    assert header[:4] == ["repo", "niche", "label", "stability"]
    repos = full_graph.read("MATCH (r:Repo) RETURN count(r) AS n")[0]["n"]
    assert len(rows) == repos == len({row["repo"] for row in rows})
    membership = analysed.niches.membership()
    for row in rows:
        assert row["niche"] == membership.get(row["repo"], "")
        assert (row["niche"] == "") == bool(row["reason"])
    assert next(r for r in rows if r["repo"] == "firstcontributions/first-contributions")["niche"] == ""


def test_relations_csv_contract(full_graph: Graph, analysed: Analysed, tmp_path: Path) -> None:
    out = tmp_path / "relations.csv"
    export(full_graph, analysed.window, "relations", "csv", out)
    header, rows = read_csv(out)
    assert header[:4] == ["source", "target", "relation", "confidence"]
    assert {row["relation"] for row in rows} == {"upstream", "competitor", "peer"}
    assert len(rows) == len(analysed.relations.relations)
    pairs = {(row["source"], row["target"]): row["relation"] for row in rows}
    assert pairs[("pytorch/pytorch", "huggingface/transformers")] == "upstream"
    assert ("huggingface/transformers", "pytorch/pytorch") not in pairs
    assert pairs[("kubernetes/kubernetes", "kubernetes/minikube")] == "upstream"


def test_json_round_trip(full_graph: Graph, analysed: Analysed, tmp_path: Path) -> None:
    for what in ("niches", "relations", "network"):
        out = tmp_path / f"{what}.json"
        count = export(full_graph, analysed.window, what, "json", out)
        data = json.loads(out.read_text())
        assert data["window"] == analysed.window
        rows = data["assignments" if what == "niches" else "relations" if what == "relations" else "links"]
        assert len(rows) == count > 0
    network = json.loads((tmp_path / "network.json").read_text())["links"]
    assert len(network) == len(analysed.niches.network.backbone())


def test_graphml_reads_back_in_igraph(full_graph: Graph, analysed: Analysed, tmp_path: Path) -> None:
    out = tmp_path / "network.graphml"
    export(full_graph, analysed.window, "network", "graphml", out)
    graph = ig.Graph.Read_GraphML(str(out))
    assert graph.is_directed()
    assert {"niche", "openrank", "stability"} <= set(graph.vs.attributes())
    assert {"weight", "relation", "confidence"} <= set(graph.es.attributes())
    assert graph.ecount() == len(analysed.niches.network.backbone())
    by_name = {v["name"]: v for v in graph.vs}
    assert by_name["pytorch/pytorch"]["niche"] == f"{analysed.window}/pytorch/pytorch"
    assert by_name["pytorch/pytorch"]["openrank"] > 1000
    edge = next(
        e
        for e in graph.es
        if (graph.vs[e.source]["name"], graph.vs[e.target]["name"]) == ("pytorch/pytorch", "huggingface/transformers")
    )
    assert edge["relation"] == "upstream" and edge["weight"] > 0


def test_gexf_is_well_formed_with_the_attributes(full_graph: Graph, analysed: Analysed, tmp_path: Path) -> None:
    out = tmp_path / "relations.gexf"
    export(full_graph, analysed.window, "relations", "gexf", out)
    ns = {"g": GEXF_NS}
    root = ET.parse(out).getroot()
    assert root.tag == f"{{{GEXF_NS}}}gexf" and root.get("version") == "1.3"
    titles = {
        block.get("class"): {a.get("id"): a.get("title") for a in block.findall("g:attribute", ns)}
        for block in root.findall("g:graph/g:attributes", ns)
    }
    assert {"niche", "openrank"} <= set(titles["node"].values())
    assert {"relation"} <= set(titles["edge"].values())
    nodes = {n.get("id"): n for n in root.findall("g:graph/g:nodes/g:node", ns)}
    edges = root.findall("g:graph/g:edges/g:edge", ns)
    assert len(edges) == len(analysed.relations.relations)
    relation_id = next(k for k, v in titles["edge"].items() if v == "relation")
    kinds = {
        (e.get("source"), e.get("target")): next(
            v.get("value") for v in e.iter(f"{{{GEXF_NS}}}attvalue") if v.get("for") == relation_id
        )
        for e in edges
    }
    assert kinds[("pytorch/pytorch", "Lightning-AI/lightning")] == "upstream"
    assert all(source in nodes and target in nodes for source, target in kinds)
    assert all(float(e.get("weight")) >= 0 for e in edges)
