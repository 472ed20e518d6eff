"""Reading network files (no Neo4j): the four formats, and every bad file named by file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nichegraph.errors import BadParameter
from nichegraph.loader.networks import BadNetworkFile, NetworkData, NetworkEdge, NetworkNode, read_network_file
from tests.conftest import SHARED_DATA

ANT = SHARED_DATA / "landscape" / "ant-2025"
REPORT = ANT / "graph_landscape_2025-05.json"

GRAPHML = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
<key attr.name="label" attr.type="string" for="node" id="label"/>
<key attr.name="openrank" attr.type="double" for="node" id="openrank"/>
<key attr.name="weight" attr.type="double" for="edge" id="weight"/>
<graph edgedefault="undirected">
<node id="0"><data key="label">vllm-project/vllm</data><data key="openrank">615</data></node>
<node id="1"><data key="label">sgl-project/sglang</data><data key="openrank">269</data></node>
<node id="2"><data key="label">pytorch/pytorch</data></node>
<edge source="0" target="1"><data key="weight">810.0</data></edge>
<edge source="2" target="0"><data key="weight">571.0</data></edge>
</graph>
</graphml>
"""

GEXF = """<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" version="1.3">
  <graph mode="static" defaultedgetype="undirected">
    <attributes class="node"><attribute id="0" title="openrank" type="double"/></attributes>
    <attributes class="edge"><attribute id="0" title="sharedDevelopers" type="integer"/></attributes>
    <nodes>
      <node id="n0" label="vllm-project/vllm"><attvalues><attvalue for="0" value="615"/></attvalues></node>
      <node id="n1" label="sgl-project/sglang"/>
    </nodes>
    <edges>
      <edge id="0" source="n0" target="n1" weight="810.0"><attvalues><attvalue for="0" value="810"/></attvalues></edge>
    </edges>
  </graph>
</gexf>
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_report_json_is_read_whole() -> None:
    raw = json.loads(REPORT.read_text(encoding="utf-8"))
    data = read_network_file(REPORT, "ant-2025", "2025-05")
    assert (data.name, data.kind, data.format, data.period) == ("ant-2025", "file", "report-json", "2025-05:2025-05")
    assert [(n.repo, n.openrank) for n in data.nodes] == [(r, float(o)) for r, o in raw["nodes"]]
    assert [(e.source, e.target, e.weight, e.shared) for e in data.edges] == [
        (a, b, float(w), w) for a, b, w in raw["edges"]
    ]
    assert "share" in data.weight_meaning
    # the first node sits on line 3 of the pretty-printed file
    assert data.nodes[0].where == "graph_landscape_2025-05.json line 3"


def test_csv_with_and_without_a_nodes_file(tmp_path: Path) -> None:
    edges = write(tmp_path, "e.csv", "Source,Target,Weight,shared\n0,1,810,810\n2,0,571,571\n")
    nodes = write(
        tmp_path, "n.csv", "Id,Label,openrank\n0,vllm-project/vllm,615\n1,sgl-project/sglang,\n2,pytorch/pytorch,927\n"
    )
    data = read_network_file(edges, "x", nodes_file=nodes)
    assert [(n.repo, n.openrank) for n in data.nodes] == [
        ("vllm-project/vllm", 615.0),
        ("sgl-project/sglang", None),
        ("pytorch/pytorch", 927.0),
    ]
    assert [(e.source, e.target, e.weight, e.shared) for e in data.edges] == [
        ("vllm-project/vllm", "sgl-project/sglang", 810.0, 810),
        ("pytorch/pytorch", "vllm-project/vllm", 571.0, 571),
    ]
    plain = write(tmp_path, "plain.csv", "source,target,weight\na/b,c/d,0.5\nc/d,e/f,2\n")
    data = read_network_file(plain)
    assert data.name == "plain" and [n.repo for n in data.nodes] == ["a/b", "c/d", "e/f"]
    assert data.weight_meaning == "the weight given in the file"


def test_graphml_and_gexf_as_gephi_writes_them(tmp_path: Path) -> None:
    graphml = read_network_file(write(tmp_path, "g.graphml", GRAPHML), "g")
    assert [(n.repo, n.openrank) for n in graphml.nodes] == [
        ("vllm-project/vllm", 615.0),
        ("sgl-project/sglang", 269.0),
        ("pytorch/pytorch", None),
    ]
    assert [(e.source, e.target, e.weight) for e in graphml.edges] == [
        ("vllm-project/vllm", "sgl-project/sglang", 810.0),
        ("pytorch/pytorch", "vllm-project/vllm", 571.0),
    ]
    gexf = read_network_file(write(tmp_path, "g.gexf", GEXF), "g")
    assert [(n.repo, n.openrank) for n in gexf.nodes] == [("vllm-project/vllm", 615.0), ("sgl-project/sglang", None)]
    assert [(e.weight, e.shared) for e in gexf.edges] == [(810.0, 810)]


def test_an_edge_without_weight_counts_as_one_and_says_so(tmp_path: Path) -> None:
    text = GRAPHML.replace('<data key="weight">810.0</data>', "")
    data = read_network_file(write(tmp_path, "g.graphml", text), "g")
    assert data.edges[0].weight == 1.0 and data.notes == ["1 edges without a weight counted as 1"]


REPORT_OK = '{"nodes": [\n["a/b", 1],\n["c/d", 2]\n],\n"edges": [\n["a/b", "c/d", 3]\n]}'


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("x.txt", "a,b", "x.txt: unknown network format '.txt'"),
        ("x.json", REPORT_OK.replace('"c/d", 3', '"x/y", 3'), "x.json line 6: dangling edge: 'x/y' is not a node"),
        ("x.json", REPORT_OK.replace('"c/d", 3', '"c/d", -3'), "x.json line 6: negative weight -3"),
        (
            "x.json",
            REPORT_OK.replace('["c/d", 2]', '["A/B", 2]'),
            "x.json line 3: duplicate node A/B (already at x.json line 2)",
        ),
        ("x.json", REPORT_OK.replace('"c/d", 3', '"c/d", "3"'), "x.json line 6: weight '3' is not a number"),
        ("x.json", REPORT_OK.replace("]\n]}", "],\n]}"), "x.json line 7: not valid JSON"),
        (
            "x.json",
            REPORT_OK.replace('["a/b", 1]', '["not a repo", 1]'),
            "x.json line 2: 'not a repo' is not a repository name",
        ),
        ("x.json", REPORT_OK.replace('"c/d", 3', '"a/b", 3'), "x.json line 6: the edge links a/b to itself"),
        (
            "x.json",
            REPORT_OK.replace("3]\n]", '3],\n["c/d", "a/b", 1]\n]'),
            "x.json line 7: the pair c/d - a/b is listed twice",
        ),
        ("x.json", '{"edges": []}', 'x.json: expected an object with a "nodes" list'),
        ("x.json", '{"nodes": []}', "x.json: the network has no projects"),
        ("x.csv", "source,target\na/b,c/d\n", "x.csv line 1: the header must name source,target,weight"),
        ("x.csv", "source,target,weight\na/b,c/d,1\nc/d,e/f,-2\n", "x.csv line 3: negative weight -2"),
        ("x.csv", "source,target,weight\na/b,c/d,heavy\n", "x.csv line 2: weight 'heavy' is not a number"),
        ("x.graphml", GRAPHML.replace('target="1"', 'target="7"'), "x.graphml line 10: dangling edge: target '7'"),
        ("x.graphml", GRAPHML.replace('<node id="1">', '<node id="0">'), "x.graphml line 8: duplicate node id '0'"),
        ("x.graphml", GRAPHML.replace("</graph>", ""), "x.graphml line 13: not well-formed XML"),
        ("x.gexf", GEXF.replace('weight="810.0"', 'weight="-1"'), "x.gexf line 11: negative weight -1"),
        (
            "x.gexf",
            '<?xml version="1.0"?>\n<!DOCTYPE g [<!ENTITY a "aaaa">]>\n<gexf/>',
            "x.gexf line 2: entity declarations",
        ),
        ("x.gexf", GRAPHML, "x.gexf line 2: expected a <gexf> document"),
    ],
)
def test_bad_files_name_the_file_and_line(tmp_path: Path, name: str, text: str, message: str) -> None:
    with pytest.raises(BadNetworkFile) as caught:
        read_network_file(write(tmp_path, name, text))
    assert message in str(caught.value)


def test_bad_options(tmp_path: Path) -> None:
    path = write(tmp_path, "x.json", REPORT_OK)
    with pytest.raises(BadParameter, match="--window: '2025-13'"):
        read_network_file(path, window="2025-13")
    with pytest.raises(BadParameter, match="--name: 'a b' is not a network name"):
        read_network_file(path, name="a b")
    with pytest.raises(BadParameter, match=r"--nodes: a nodes file goes with a \.csv edge list"):
        read_network_file(path, nodes_file=path)
    with pytest.raises(BadNetworkFile, match="cannot read it"):
        read_network_file(tmp_path / "missing.json")


def test_networks_from_other_sources_are_checked_too() -> None:
    data = NetworkData(
        "events-1",
        "events",
        "GitHub events",
        "events",
        "2024-01:2024-06",
        "shared actors",
        [NetworkNode("a/b"), NetworkNode("c/d")],
        [NetworkEdge("a/b", "e/f", 1.0)],
    )
    with pytest.raises(BadNetworkFile, match=r"network events-1 \(GitHub events\) edge 1: dangling edge"):
        data.check()
    data.kind = "guess"
    with pytest.raises(BadParameter, match="kind 'guess'"):
        data.check()
