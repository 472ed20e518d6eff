"""`nichegraph evaluate` and `nichegraph load labels` on the whole snapshot, on small label files
whose figures are worked out by hand from verdicts checked first; the evaluation page's JSON twin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nichegraph.analysis.niches import stored_run
from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.web.app import create_app
from tests.support.cli import nichegraph
from tests.support.niche_fixtures import Analysed

VERDICT = """
MATCH (s:Repo {name: $a})-[x:UPSTREAM_OF|COMPETES_WITH|PEER_OF {window: $window}]-(t:Repo {name: $b})
RETURN type(x) AS type, startNode(x).name AS source
"""

PAIRS = """a,b,relation
pytorch/pytorch,huggingface/transformers,upstream
kubernetes/kubernetes,kubernetes/minikube,upstream
Lightning-AI/lightning,pytorch/pytorch,upstream
Homebrew/homebrew-core,Homebrew/homebrew-cask,peer
pytorch/pytorch,home-assistant/core,unrelated
"""

DOMAINS = """repo,source,label
pytorch/pytorch,hand,AI
tensorflow/tensorflow,hand,AI
kubernetes/kubernetes,hand,Cloud
kubernetes/minikube,hand,Cloud
Homebrew/homebrew-core,hand,Packaging
NixOS/nixpkgs,hand,Packaging
nobody/none,hand,AI
"""


def verdict(graph: Graph, window: str, a: str, b: str) -> list[dict]:
    return graph.read(VERDICT, a=a, b=b, window=window)


def evaluate_pairs(settings: Settings, path: Path, window: str, *more: str):  # type: ignore[no-untyped-def]
    """`nichegraph evaluate relations` on a label file, as a user runs it."""
    return nichegraph(settings.neo4j_uri, "evaluate", "relations", "--labels", str(path), "--window", window, *more)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_evaluate_relations_on_a_small_file(
    full_graph: Graph, full_settings: Settings, analysed: Analysed, tmp_path: Path
) -> None:
    window = analysed.window
    # the verdicts the figures below rest on
    assert verdict(full_graph, window, "pytorch/pytorch", "huggingface/transformers") == [
        {"type": "UPSTREAM_OF", "source": "pytorch/pytorch"}
    ]
    assert verdict(full_graph, window, "kubernetes/kubernetes", "kubernetes/minikube") == [
        {"type": "UPSTREAM_OF", "source": "kubernetes/kubernetes"}
    ]
    assert verdict(full_graph, window, "pytorch/pytorch", "Lightning-AI/lightning") == [
        {"type": "UPSTREAM_OF", "source": "pytorch/pytorch"}
    ]
    assert [v["type"] for v in verdict(full_graph, window, "Homebrew/homebrew-core", "Homebrew/homebrew-cask")] == [
        "PEER_OF"
    ]
    assert verdict(full_graph, window, "pytorch/pytorch", "home-assistant/core") == []
    done = evaluate_pairs(full_settings, write(tmp_path, "p.csv", PAIRS), window, "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    # upstream claims: the first three pairs, right for two (the third is labelled the wrong way round)
    assert result["claims"] == {"claims": 3, "right": 2, "precision": 2 / 3, "true": 3, "found": 2, "recall": 2 / 3}
    assert result["classes"]["peer"]["precision"] == 1.0 and result["classes"]["unrelated"]["recall"] == 1.0
    assert {row["label"]: row["upstream b->a"] for row in result["confusion"]}["upstream"] == 1
    assert result["labelFile"] == "p: 5 judged pairs (3 upstream, 1 peer, 1 unrelated)"


def test_evaluate_niches_on_a_small_file(
    full_graph: Graph, full_settings: Settings, analysed: Analysed, tmp_path: Path
) -> None:
    membership = analysed.niches.membership()
    hubs = set(stored_run(full_graph, analysed.window)["hubs"])
    # the partition the figures rest on: the AI pair together, the Kubernetes pair together apart
    # from them, the two package collections hubs
    assert membership["pytorch/pytorch"] == membership["tensorflow/tensorflow"]
    assert membership["kubernetes/kubernetes"] == membership["kubernetes/minikube"] != membership["pytorch/pytorch"]
    assert {"Homebrew/homebrew-core", "NixOS/nixpkgs"} <= hubs
    path = write(tmp_path, "d.csv", DOMAINS)
    done = nichegraph(
        full_settings.neo4j_uri, "evaluate", "niches", "--labels", str(path), "--window", analysed.window, "--json"
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    # three labels, three groups, one to one: both figures are 1
    assert (result["labelled"], result["notInGraph"], result["labels"]) == (6, ["nobody/none"], 3)
    assert result["nmi"] == pytest.approx(1.0) and result["ari"] == pytest.approx(1.0)
    text = nichegraph(full_settings.neo4j_uri, "evaluate", "niches", "--labels", str(path), "--window", analysed.window)
    assert "NMI 1.000, ARI 1.000 over 3 labels" in text.stdout


def test_evaluate_expansion_counts_the_members(full_settings: Settings, analysed: Analysed, tmp_path: Path) -> None:
    uri, window = full_settings.neo4j_uri, analysed.window
    expanded = nichegraph(uri, "expand", "--seeds", "pytorch/pytorch", "--window", window, "--json")
    members = [m["repo"] for m in json.loads(expanded.stdout)["members"]][1:]
    path = write(tmp_path, "d.csv", DOMAINS)
    done = nichegraph(
        uri,
        "evaluate",
        "expansion",
        "--labels",
        str(path),
        "--seeds",
        "pytorch/pytorch",
        "--window",
        window,
        "--topic",
        "AI",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    labelled = [m for m in members if m in {"tensorflow/tensorflow", "kubernetes/kubernetes", "kubernetes/minikube"}]
    assert result["members"] == len(members) and result["labelledMembers"] == len(labelled)
    # the on-topic projects of the window beyond the seed: tensorflow only (nobody/none is not in it)
    assert result["onTopicProjects"] == 1
    assert result["recall"] == (1.0 if "tensorflow/tensorflow" in members else 0.0)
    assert "Homebrew/homebrew-core" not in members and "NixOS/nixpkgs" not in members


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["relations", "--labels", "{d}"], "holds domains labels; `evaluate relations` needs pairs or same-job labels"),
        (["niches", "--labels", "{p}"], "holds pairs labels; `evaluate niches` needs domains labels"),
        (["niches", "--labels", "{p}", "--level", "0"], "--level: 0 must be at least 1"),
        (["relations", "--labels", "{missing}"], "--labels: cannot read"),
        (["expansion", "--labels", "{d}", "--seeds", "nobody/nothing"], "--seeds: unknown repository 'nobody/nothing'"),
    ],
)
def test_bad_evaluate_input_exits_2(full_settings: Settings, tmp_path: Path, args: list[str], message: str) -> None:
    files = {
        "d": write(tmp_path, "d.csv", DOMAINS),
        "p": write(tmp_path, "p.csv", PAIRS),
        "missing": tmp_path / "x.csv",
    }
    done = nichegraph(
        full_settings.neo4j_uri, "evaluate", *[a.format(**{k: str(v) for k, v in files.items()}) for a in args]
    )
    assert done.returncode == 2 and message in done.stderr, done.stderr


def test_a_window_without_relations_is_named(full_settings: Settings, tmp_path: Path) -> None:
    done = evaluate_pairs(full_settings, write(tmp_path, "p.csv", PAIRS), "2016-01:2016-12")
    assert done.returncode == 1
    assert "no relations stored for 2016-01:2016-12: run `nichegraph relations --window 2016-01:2016-12`" in done.stderr


def test_load_labels_replaces_a_set_and_refuses_a_bad_file(
    full_graph: Graph, full_settings: Settings, tmp_path: Path
) -> None:
    uri = full_settings.neo4j_uri
    done = nichegraph(uri, "load", "labels", str(write(tmp_path, "p.csv", PAIRS)), "--name", "test-small", "--json")
    assert done.returncode == 0, done.stderr and json.loads(done.stdout)["rows"] == 5
    smaller = write(tmp_path, "q.csv", "a,b,relation\npytorch/pytorch,tensorflow/tensorflow,competitor\n")
    assert nichegraph(uri, "load", "labels", str(smaller), "--name", "test-small").returncode == 0
    rows = full_graph.read(
        "MATCH (s:LabelSet {name: 'test-small'})-[:HAS_LABEL]->(l) RETURN s.rows AS rows, collect(l.relation) AS r"
    )
    assert rows == [{"rows": 1, "r": ["competitor"]}]
    bad = write(tmp_path, "bad.csv", "a,b,relation\npytorch/pytorch,tensorflow/tensorflow,rival\n")
    done = nichegraph(uri, "load", "labels", str(bad), "--name", "test-small")
    assert done.returncode == 2 and "bad.csv, line 2: relation 'rival'" in done.stderr
    assert full_graph.read("MATCH (s:LabelSet {name: 'test-small'}) RETURN s.rows AS rows") == [{"rows": 1}]
    full_graph.write("MATCH (s:LabelSet {name: 'test-small'}) OPTIONAL MATCH (s)-->(l) DETACH DELETE s, l")


def test_the_evaluation_page_shows_the_same_figures(
    full_settings: Settings, analysed: Analysed, tmp_path: Path
) -> None:
    client = create_app(full_settings).test_client()
    page = client.get(f"/evaluation.json?labels=judged_pairs&window={analysed.window}")
    assert page.status_code == 200
    judged = str(Path(__file__).with_name("support") / "judged_pairs.csv")
    done = nichegraph(
        full_settings.neo4j_uri, "evaluate", "relations", "--labels", judged, "--window", analysed.window, "--json"
    )
    cli = json.loads(done.stdout)
    assert page.json["relations"]["claims"] == cli["claims"] and page.json["relations"]["confusion"] == cli["confusion"]
    html = client.get(f"/evaluation?labels=judged_pairs&window={analysed.window}").get_data(as_text=True)
    assert f"{cli['claims']['right']} right of {cli['claims']['claims']}" in html
    assert client.get("/evaluation.json?labels=nope").status_code == 400
    landscape = client.get(f"/index.json?window={analysed.window}").json
    assert {h["repo"] for h in landscape["hubs"]} == set(analysed.niches.hubs)
    role = client.get(f"/repo/Homebrew/homebrew-core.json?window={analysed.window}").json["role"]
    assert role["role"] == "hub" and role["reason"] == analysed.niches.hubs["Homebrew/homebrew-core"].reason
