"""`nichegraph load landscape`: hand-made domain labels, kept whole even for repositories
that are not in the graph."""

from __future__ import annotations

from pathlib import Path

from nichegraph.db import Graph
from nichegraph.loader.landscape import read_landscape, write_landscape
from tests.conftest import LANDSCAPE, load_folder
from tests.support.cli import nichegraph
from tests.support.expected import landscape_rows

LLM = LANDSCAPE / "llm_landscape_2025-09.csv"
PYTORCH = LANDSCAPE / "pytorch_landscape_2025.csv"
IN_GRAPH = ["pytorch/pytorch", "mlflow/mlflow", "apache/spark", "JacksonKearl/testissues"]


def test_every_row_becomes_an_entry_and_graph_repos_are_linked(scratch: Graph) -> None:
    assert load_folder(scratch, IN_GRAPH).ok
    rows = landscape_rows(LLM)
    result = write_landscape(scratch, read_landscape(LLM))
    assert result.ok and len(result.entries) == len(rows)
    assert result.replaced_characters == 1  # one byte of the file is not GB18030 either

    count = scratch.read("MATCH (e:LandscapeEntry {landscape: 'llm_landscape_2025-09'}) RETURN count(e) AS n")
    assert count[0]["n"] == len(rows)
    linked = scratch.read("MATCH (r:Repo)-[:IN_LANDSCAPE]->(e) RETURN r.name AS repo, r.domain AS domain")
    expected = {row["repo_name"]: row["layer2"] for row in rows if row["repo_name"] in IN_GRAPH}
    assert (
        {row["repo"]: row["domain"] for row in linked}
        == expected
        == {
            "pytorch/pytorch": "Training",
            "mlflow/mlflow": "LLMOps",
            "apache/spark": "Distributed Compute",
        }
    )
    vllm = scratch.read("MATCH (e:LandscapeEntry {key: 'vllm-project/vllm'}) RETURN e")[0]["e"]
    assert vllm["openrankTrend"] == [490.0, 581.0, 668.0, 723.0, 709.0, 651.0, 637.0]
    assert (vllm["openrankFirst"], vllm["openrankLast"], vllm["domain"]) == (490.0, 637.0, "Serving")
    assert not scratch.read("MATCH (r:Repo {name: 'vllm-project/vllm'}) RETURN r")


def test_two_landscapes_and_a_reload(scratch: Graph) -> None:
    assert load_folder(scratch, IN_GRAPH).ok
    for file in (PYTORCH, LLM, PYTORCH):
        assert write_landscape(scratch, read_landscape(file)).ok
    pytorch_rows = landscape_rows(PYTORCH)
    counts = {
        row["landscape"]: row["n"]
        for row in scratch.read("MATCH (e:LandscapeEntry) RETURN e.landscape AS landscape, count(e) AS n")
    }
    assert counts == {"pytorch_landscape_2025": len(pytorch_rows), "llm_landscape_2025-09": len(landscape_rows(LLM))}
    # both landscapes list pytorch/pytorch; the domain comes from the first by name
    row = scratch.read(
        "MATCH (r:Repo {name: 'pytorch/pytorch'})-[:IN_LANDSCAPE]->(e) "
        "RETURN r.domainLandscape AS source, count(e) AS entries"
    )[0]
    assert row == {"source": "llm_landscape_2025-09", "entries": 2}


def test_a_repo_loaded_after_the_landscape_is_linked(scratch: Graph) -> None:
    assert write_landscape(scratch, read_landscape(LLM)).ok
    assert load_folder(scratch, ["mlflow/mlflow"]).ok
    row = scratch.read("MATCH (r:Repo {name: 'mlflow/mlflow'}) RETURN r.domain AS domain, r.domainLayer AS layer")
    assert row == [{"domain": "LLMOps", "layer": "AI Infra"}]


def test_bad_rows_are_named_and_skipped(scratch: Graph, tmp_path: Path) -> None:
    bad = tmp_path / "mine.csv"
    bad.write_text(
        "repo,domain,layer\n"
        "pytorch/pytorch,Training,AI Infra\n"
        "not a repo,Serving,AI Infra\n"
        "https://github.com/vllm-project/vllm,Serving,AI Infra\n"
        "pytorch/pytorch,Training,AI Infra\n"
    )
    result = nichegraph(scratch.uri, "load", "landscape", str(bad), timeout=120)
    assert result.returncode == 1
    assert "mine.csv row 3: 'not a repo' is neither owner/repo nor a github.com URL" in result.stderr
    assert "mine.csv row 5: pytorch/pytorch is listed twice" in result.stderr
    keys = scratch.read("MATCH (e:LandscapeEntry {landscape: 'mine'}) RETURN e.key AS key ORDER BY key")
    assert [row["key"] for row in keys] == ["pytorch/pytorch", "vllm-project/vllm"]
