"""`nichegraph load network` against a real Neo4j: the report's network stored as a named
network beside (never inside) our own collaboration links; bad files write nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nichegraph.db import Graph
from nichegraph.loader.networks import read_network_file, write_network
from tests.conftest import SHARED_DATA, load_folder
from tests.support.cli import nichegraph

ANT = SHARED_DATA / "landscape" / "ant-2025"
REPORT = ANT / "graph_landscape_2025-05.json"
# repositories of the top-300 snapshot that the report's network also holds
IN_BOTH = ["pytorch/pytorch", "ray-project/ray", "apache/airflow"]


def report() -> dict:  # type: ignore[type-arg]
    return json.loads(REPORT.read_text(encoding="utf-8"))


def stored_links(graph: Graph, name: str) -> dict[frozenset[str], tuple[float, int | None]]:
    rows = graph.read(
        "MATCH (a:Repo)-[l:NETWORK_LINK {network: $name}]->(b:Repo) "
        "RETURN a.name AS a, b.name AS b, l.weight AS weight, l.sharedDevelopers AS shared",
        name=name,
    )
    assert all(row["a"] < row["b"] for row in rows)  # the smaller name is the source
    return {frozenset((row["a"], row["b"])): (row["weight"], row["shared"]) for row in rows}


def test_the_report_network_is_stored_as_a_named_network(scratch: Graph) -> None:
    assert load_folder(scratch, IN_BOTH).ok
    result = nichegraph(scratch.uri, "load", "network", str(REPORT), "--name", "ant-2025", "--json", timeout=120)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    raw = report()
    names = [name for name, _ in raw["nodes"]]
    assert summary["nodes"] == len(raw["nodes"]) == 135 and summary["edges"] == len(raw["edges"]) == 897
    assert sorted(summary["createdRepos"]) == sorted(set(names) - set(IN_BOTH))

    network = scratch.read("MATCH (n:Network {name: 'ant-2025'}) RETURN n")[0]["n"]
    assert (network["kind"], network["format"], network.get("period")) == ("file", "report-json", None)
    assert (network["nodes"], network["edges"]) == (135, 897) and network["source"] == str(REPORT)
    members = scratch.read(
        "MATCH (r:Repo)-[m:IN_NETWORK]->(:Network {name: 'ant-2025'}) RETURN r.name AS repo, m.openrank AS openrank"
    )
    assert {row["repo"]: row["openrank"] for row in members} == {name: float(o) for name, o in raw["nodes"]}
    expected = {frozenset((a, b)): (float(w), w) for a, b, w in raw["edges"]}
    assert stored_links(scratch, "ant-2025") == expected
    # the projects that were loaded keep their contributions; the others have none, and no
    # COLLABORATES link was written
    counts = scratch.read(
        "MATCH (r:Repo) RETURN r.name AS repo, COUNT { (r)<-[:CONTRIBUTED]-() } > 0 AS contributed, "
        "r.nameLower = toLower(r.name) AS lower"
    )
    assert {row["repo"] for row in counts if row["contributed"]} == set(IN_BOTH)
    assert len(counts) == 135 and all(row["lower"] for row in counts)
    assert scratch.read("MATCH ()-[c:COLLABORATES]->() RETURN count(c) AS n")[0]["n"] == 0


def test_a_reload_replaces_and_other_names_stay(scratch: Graph, tmp_path: Path) -> None:
    data = read_network_file(REPORT, "ant-2025")
    write_network(scratch, data)
    write_network(scratch, data)
    small = tmp_path / "small.csv"
    small.write_text("source,target,weight\nvllm-project/vllm,sgl-project/sglang,0.5\nvllm-project/VLLM2,x/y,1\n")
    write_network(scratch, read_network_file(small, "small"))
    assert len(stored_links(scratch, "ant-2025")) == 897
    assert stored_links(scratch, "small") == {
        frozenset(("sgl-project/sglang", "vllm-project/vllm")): (0.5, None),
        frozenset(("vllm-project/VLLM2", "x/y")): (1.0, None),
    }
    counts = scratch.read(
        "MATCH (n:Network) RETURN n.name AS name, COUNT { (:Repo)-[:IN_NETWORK]->(n) } AS members ORDER BY name"
    )
    assert counts == [{"name": "ant-2025", "members": 135}, {"name": "small", "members": 4}]
    # vllm-project/vllm is one node whatever network names it
    assert scratch.read("MATCH (r:Repo {nameLower: 'vllm-project/vllm'}) RETURN count(r) AS n")[0]["n"] == 1


def test_names_are_matched_without_regard_to_case(scratch: Graph, tmp_path: Path) -> None:
    assert load_folder(scratch, ["pytorch/pytorch"]).ok
    file = tmp_path / "case.csv"
    file.write_text("source,target,weight\nPyTorch/PyTorch,vllm-project/vllm,3\n")
    write_network(scratch, read_network_file(file, "case"))
    rows = scratch.read("MATCH (r:Repo)-[:IN_NETWORK]->(:Network {name: 'case'}) RETURN r.name AS repo ORDER BY repo")
    assert [row["repo"] for row in rows] == ["pytorch/pytorch", "vllm-project/vllm"]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.txt", "x", "bad.txt: unknown network format '.txt'"),
        (
            "bad.json",
            '{"nodes": [["a/b", 1],\n["c/d", 2]],\n"edges": [["a/b", "e/f", 3]]}',
            "bad.json line 3: dangling edge",
        ),
        ("bad.csv", "source,target,weight\na/b,c/d,1\nc/d,e/f,-2\n", "bad.csv line 3: negative weight -2"),
        ("bad.json", '{"nodes": [["a/b", 1],\n["A/b", 2]], "edges": []}', "bad.json line 2: duplicate node A/b"),
    ],
)
def test_a_bad_file_writes_nothing(scratch: Graph, tmp_path: Path, name: str, text: str, message: str) -> None:
    write_network(scratch, read_network_file(REPORT, "kept"))
    before = scratch.read("MATCH (n) RETURN count(n) AS nodes")[0]["nodes"]
    bad = tmp_path / name
    bad.write_text(text)
    for network in ("kept", "fresh"):
        result = nichegraph(scratch.uri, "load", "network", str(bad), "--name", network, timeout=120)
        assert result.returncode == 2 and message in result.stderr, result.stderr
    assert scratch.read("MATCH (n) RETURN count(n) AS nodes")[0]["nodes"] == before
    assert len(stored_links(scratch, "kept")) == 897 and not stored_links(scratch, "fresh")
