"""Niches, relations, agreement, exports and the landscape figure on the report's 2025-05
network, loaded into a real Neo4j: expected values come from the report's files."""

from __future__ import annotations

import csv
import json
import math
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import igraph as ig
import leidenalg
import pytest
from click.testing import CliRunner

from nichegraph.cli import main
from nichegraph.db import Graph
from tests.support.landscape_fixtures import (
    CLASSIFICATION,
    NAME,
    REPORT_NETWORK,
    LandscapeGraph,
)

SCOPE = f"network:{NAME}"


def run(report_graph: LandscapeGraph, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--neo4j-uri", report_graph.settings.neo4j_uri, *args])
    return result.exit_code, result.output


def report() -> dict:  # type: ignore[type-arg]
    return json.loads(REPORT_NETWORK.read_text(encoding="utf-8"))


def hand_domains() -> dict[str, str]:
    with CLASSIFICATION.open(encoding="utf-8-sig") as handle:
        return {row["repo_name"]: row["classification"] for row in csv.DictReader(handle)}


def nmi(a: list[str], b: list[str]) -> float:
    """Normalised mutual information 2 I / (H(a) + H(b)), written out from the counts."""
    n = len(a)
    pa, pb, pab = Counter(a), Counter(b), Counter(zip(a, b, strict=True))
    mutual = sum(c / n * math.log(c * n / (pa[x] * pb[y])) for (x, y), c in pab.items())
    entropy = -sum(c / n * math.log(c / n) for c in pa.values()) - sum(c / n * math.log(c / n) for c in pb.values())
    return 2 * mutual / entropy


def membership(graph: Graph) -> dict[str, str]:
    rows = graph.read(
        "MATCH (r:Repo)-[:IN_NICHE]->(n:Niche {window: $scope}) RETURN r.name AS repo, n.id AS niche", scope=SCOPE
    )
    return {row["repo"]: row["niche"] for row in rows}


def test_niches_on_the_network(report_graph: LandscapeGraph) -> None:
    code, output = run(report_graph, "niches", "--network", NAME, "--json")
    assert code == 0, output
    payload = json.loads(output[output.index("{") :])
    raw = report()
    names = {name for name, _ in raw["nodes"]}
    linked = {end for a, b, _ in raw["edges"] for end in (a, b)}
    placed = {m["repo"] for n in payload["niches"] for m in n["members"]}
    unassigned = {row["repo"] for row in payload["unassigned"]}
    assert placed | unassigned == names and not placed & unassigned
    # the projects the file links to nothing cannot be placed, and say why
    for row in payload["unassigned"]:
        if row["repo"] not in linked:
            assert row["reason"] == f"no link in network {NAME} (the file keeps no pair with it)"
    assert all(n["id"].startswith(f"{SCOPE}/") for n in payload["niches"])
    with Graph(report_graph.settings) as graph:
        stored = membership(graph)
        assert set(stored) == placed
        assert graph.read(
            "MATCH (n:Niche {window: $scope}) RETURN collect(DISTINCT n.network) AS networks", scope=SCOPE
        )[0]["networks"] == [NAME]
        # the network's own links stay NETWORK_LINKs: nothing was computed into COLLABORATES
        assert graph.read("MATCH ()-[c:COLLABORATES]->() RETURN count(c) AS n")[0]["n"] == 0
    vllm = next(n for n in payload["niches"] if any(m["repo"] == "vllm-project/vllm" for m in n["members"]))
    assert "sgl-project/sglang" in {m["repo"] for m in vllm["members"]}


def test_agreement_with_the_hand_domains(report_graph: LandscapeGraph) -> None:
    code, output = run(report_graph, "landscape", "agreement", NAME, "--json")
    assert code == 0, output
    result = json.loads(output)
    domains = hand_domains()
    raw = report()
    with Graph(report_graph.settings) as graph:
        stored = membership(graph)
    compared = [name for name, _ in raw["nodes"] if name in domains]
    detected = [stored.get(name, f"alone {name}") for name in compared]
    expected = nmi([domains[name] for name in compared], detected)
    assert result["landscape"] == "landscape_2025-05" and result["compared"] == len(compared) == 134
    assert result["nmi"] == pytest.approx(expected, abs=1e-9)
    assert result["domains"] == len(set(domains.values())) == 23
    # against the plain method of the issue (Leiden at resolution 1 on the raw counts): 0.50
    index = {name: i for i, (name, _) in enumerate(raw["nodes"])}
    plain = ig.Graph(n=len(index), edges=[(index[a], index[b]) for a, b, _ in raw["edges"]])
    partition = leidenalg.find_partition(
        plain, leidenalg.RBConfigurationVertexPartition, weights=[w for *_, w in raw["edges"]], seed=1, n_iterations=-1
    ).membership
    baseline = nmi([domains[name] for name in compared], [str(partition[index[name]]) for name in compared])
    assert baseline == pytest.approx(0.50, abs=0.01)
    assert result["nmi"] >= 0.60 and result["nmi"] > baseline + 0.1
    # at most 25 groups even counting every unassigned project as a group of its own
    assert result["niches"] + result["unassigned"] <= 25
    split = {row["domain"]: row for row in result["splits"]}
    assert set(split["MLOps"]["unassigned"]) >= {"zenml-io/zenml", "Netflix/metaflow"}
    merged = next(row for row in result["merges"] if row["niche"] == stored["pytorch/pytorch"])
    assert {d["domain"] for d in merged["domains"]} >= {"Pre-train", "AI Kernel Library"}
    code, output = run(report_graph, "landscape", "agreement", NAME, "--level", "layer")
    assert code == 0 and "21 hand layers" in output, output


def test_relations_on_the_network(report_graph: LandscapeGraph, tmp_path: Path) -> None:
    code, output = run(report_graph, "relations", "--network", NAME, "--out", str(tmp_path / "r.json"))
    assert code == 0, output
    assert f"\nnetwork {NAME}: " in output
    relations = json.loads((tmp_path / "r.json").read_text())["relations"]
    pair = next(r for r in relations if {r["source"], r["target"]} == {"vllm-project/vllm", "sgl-project/sglang"})
    assert pair["relation"] == "competitor" and pair["sharedDevelopers"] == 810
    for relation in relations:
        assert relation["topDevelopers"] == [] and relation["sourceCoreInTarget"] == 0.0
    with Graph(report_graph.settings) as graph:
        stored = graph.read(
            "MATCH ()-[x:UPSTREAM_OF|COMPETES_WITH|PEER_OF {window: $scope}]->() RETURN count(x) AS n", scope=SCOPE
        )
    assert stored[0]["n"] == len(relations)


def test_exports_of_the_network(report_graph: LandscapeGraph, tmp_path: Path) -> None:
    raw = report()
    graphml = tmp_path / "n.graphml"
    code, output = run(
        report_graph, "export", "--network", NAME, "--what", "network", "--format", "graphml", "--out", str(graphml)
    )
    assert code == 0, output
    read = ig.Graph.Read_GraphML(str(graphml))
    assert sorted(read.vs["name"]) == sorted(name for name, _ in raw["nodes"])
    weights = {frozenset((read.vs[e.source]["name"], read.vs[e.target]["name"])): e["weight"] for e in read.es}
    assert weights == {frozenset((a, b)): float(w) for a, b, w in raw["edges"]}
    # and it loads back as a network of its own (removed again: other tests read this server)
    code, output = run(report_graph, "load", "network", str(graphml), "--name", "roundtrip")
    assert code == 0 and "135 projects, 897 links" in output, output
    with Graph(report_graph.settings) as graph:
        graph.write("MATCH ()-[l:NETWORK_LINK {network: 'roundtrip'}]->() DELETE l")
        graph.write("MATCH (n:Network {name: 'roundtrip'}) DETACH DELETE n")
    niches_csv = tmp_path / "niches.csv"
    code, _ = run(
        report_graph, "export", "--network", NAME, "--what", "niches", "--format", "csv", "--out", str(niches_csv)
    )
    rows = list(csv.DictReader(niches_csv.open()))
    assert code == 0 and len(rows) == 135


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["niches", "--network", "nope"], "--network: no network named 'nope'"),
        (["niches", "--network", NAME, "--window", "2022-04:2023-03"], "--window and --network: give one or the other"),
        (["niches", "--network", NAME, "--min-shared", "3"], "a loaded network has no developers to count"),
        (["niches", "--network", NAME, "--drawer-gain", "2"], "niches are never checked for drawers"),
        (["niches", "--network", "a b"], "--network: 'a b' is not a network name"),
        (["landscape", "agreement", "nope"], "nope: no niches computed for it"),
        (["landscape", "draw", NAME, "--out", "x.pdf"], "--out: x.pdf must end in .svg or .png"),
        (["landscape", "draw", NAME, "--by", "colour", "--out", "x.svg"], "Invalid value for '--by'"),
        (
            ["export", "--network", "nope", "--what", "niches", "--format", "csv", "--out", "x.csv"],
            "no network named 'nope'",
        ),
    ],
)
def test_bad_input(report_graph: LandscapeGraph, args: list[str], message: str) -> None:
    code, output = run(report_graph, *args)
    assert code != 0 and message in output, output


PATH_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def rectangles(svg: bytes, prefix: str) -> dict[str, tuple[float, float, float, float]]:
    """id suffix -> (x0, y0, x1, y1) of the path inside each <g id="prefix...">."""
    root = ET.fromstring(svg)
    found = {}
    for group in root.iter("{http://www.w3.org/2000/svg}g"):
        ident = group.get("id", "")
        if ident.startswith(prefix):
            path = next(group.iter("{http://www.w3.org/2000/svg}path"))
            numbers = [float(x) for x in PATH_NUMBER.findall(path.get("d", ""))]
            xs, ys = numbers[0::2], numbers[1::2]
            found[ident[len(prefix) :]] = (min(xs), min(ys), max(xs), max(ys))
    return found


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


@pytest.mark.parametrize("by", ["domain", "niche"])
def test_the_figure_read_back(report_graph: LandscapeGraph, tmp_path: Path, by: str) -> None:
    svg_file, png_file = tmp_path / "landscape.svg", tmp_path / "landscape.png"
    for out in (svg_file, png_file):
        code, output = run(report_graph, "landscape", "draw", NAME, "--by", by, "--out", str(out))
        assert code == 0, output
    svg = svg_file.read_bytes()
    tiles, boxes = rectangles(svg, "tile:"), rectangles(svg, "box:")
    assert set(tiles) == {name for name, _ in report()["nodes"]}
    if by == "domain":
        assert set(boxes) >= set(hand_domains().values())
    names = sorted(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert overlap(boxes[a], boxes[b]) < 1e-6, (a, b)
    for repo, tile in tiles.items():  # every tile lies inside one box
        assert sum(1 for box in boxes.values() if overlap(tile, box) >= 0.999 * overlap(tile, tile)) == 1, repo
    text = svg.decode()
    assert "Open source landscape: network ant-2025" in text and "period not stated" in text
    assert ">vllm<" in text and "+50% or more" in text  # labels, legend
    from PIL import Image

    with Image.open(png_file) as image:
        assert image.format == "PNG" and image.size == (2338, 1654)
        image.verify()
