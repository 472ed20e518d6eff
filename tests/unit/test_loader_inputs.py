"""The loader's other inputs, read without a database: repository lists, OpenDigger's
repo_network.json, landscape CSVs (the real files and hand-written bad ones), bot accounts
and GitHub names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nichegraph.errors import BadParameter, NichegraphError
from nichegraph.loader.bots import is_bot
from nichegraph.loader.landscape import read_landscape
from nichegraph.loader.neighbours import parse_network
from nichegraph.loader.pipeline import read_repo_list
from nichegraph.names import check_login, check_repo_path
from tests.conftest import LANDSCAPE
from tests.support.expected import landscape_rows

# --- repository lists -------------------------------------------------------------------------


def test_repo_lists_take_commas_lines_and_comments() -> None:
    text = "# the seeds\npytorch/pytorch, vllm-project/vllm\n\n  tensorflow/tensorflow  # a comment\npytorch/pytorch\n"
    assert read_repo_list(text, "x") == ["pytorch/pytorch", "vllm-project/vllm", "tensorflow/tensorflow"]


def test_an_empty_repo_list_is_refused() -> None:
    with pytest.raises(NichegraphError) as error:
        read_repo_list("# nothing\n , \n", "--repos-file list.txt")
    assert str(error.value) == "--repos-file list.txt: no repository names given"


# --- repo_network.json ---------------------------------------------------------------------------

SEED = "s/seed"


def network(nodes: list[object], edges: list[object]) -> bytes:
    # the shape OpenDigger publishes: nodes [name, openrank], edges [a, b, weight]
    return json.dumps({"nodes": nodes, "edges": edges}).encode()


def test_neighbours_are_ranked_by_their_edge_to_the_seed() -> None:
    body = network(
        [[SEED, 9.1], ["a/low", 8.0], ["b/high", 3.0], ["c/mid", 2.0], ["d/none", 1.0]],
        [
            [SEED, "b/high", 5.5],
            ["c/mid", SEED, 4.0],  # either direction counts
            [SEED, "a/low", 1.0],
            ["b/high", "c/mid", 9.0],  # between two neighbours: no say
            [SEED, "a/low", 0.5],  # the larger of two edges counts
        ],
    )
    # d/none has no edge to the seed: last, by its place among the nodes
    assert parse_network(SEED, body, "x") == ["b/high", "c/mid", "a/low", "d/none"]


def test_nodes_that_are_not_repository_names_are_left_out() -> None:
    body = network([[SEED, 1], ["not a name", 1], [], "x", ["a/b", 1]], [[SEED, "a/b", 1.0], ["bad"]])
    assert parse_network(SEED, body, "x") == ["a/b"]


@pytest.mark.parametrize("body", [b"[]", b'{"edges": []}', b'{"nodes": {}}'])
def test_a_network_file_of_another_shape_is_refused(body: bytes) -> None:
    with pytest.raises(ValueError, match=r"^s/seed/repo_network.json: expected an object with a 'nodes' list$"):
        parse_network(SEED, body, "s/seed/repo_network.json")


# --- landscape CSVs --------------------------------------------------------------------------------

LLM = LANDSCAPE / "llm_landscape_2025-09.csv"
PYTORCH = LANDSCAPE / "pytorch_landscape_2025.csv"


def test_the_llm_landscape_is_read_whole() -> None:
    rows = landscape_rows(LLM)
    load = read_landscape(LLM)
    assert (load.landscape, load.format, load.ok) == ("llm_landscape_2025-09", "LLM", True)
    assert len(load.entries) == len(rows)
    assert load.replaced_characters == 1  # one byte of the file is not GB18030 either
    entries = {entry["repo"]: entry for entry in load.entries}
    for row in rows:
        entry = entries[row["repo_name"]]
        assert (entry["layer"], entry["domain"]) == (row["layer1"], row["layer2"])
        assert entry["openrankTrend"] == [float(v) for v in json.loads(row["trend"])]
    vllm = entries["vllm-project/vllm"]
    assert (vllm["key"], vllm["repoLower"], vllm["domain"]) == ("vllm-project/vllm", "vllm-project/vllm", "Serving")


def test_the_pytorch_landscape_keeps_projects_without_a_repository() -> None:
    rows = landscape_rows(PYTORCH)
    load = read_landscape(PYTORCH, name="pt")
    assert (load.landscape, load.format) == ("pt", "PyTorch")
    assert len(load.entries) + len(load.bad_rows) == len(rows)
    without = [e for e in load.entries if e["repo"] is None]
    assert all(e["key"] == f"project:{e['project'].lower()}" and e["repoLower"] is None for e in without)
    assert {e["layer"] for e in load.entries} == {"PyTorch Foundation"}


def test_bad_rows_are_named_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "repo,domain,layer\n"
        "pytorch/pytorch,Training,AI Infra\n"
        "not a repo,Serving,AI Infra\n"
        "https://github.com/vllm-project/vllm.git,Serving,AI Infra\n"
        "PyTorch/PyTorch,Training,AI Infra\n"
    )
    load = read_landscape(path)
    assert [entry["key"] for entry in load.entries] == ["pytorch/pytorch", "vllm-project/vllm"]
    assert load.bad_rows == [
        "mine.csv row 3: 'not a repo' is neither owner/repo nor a github.com URL",
        "mine.csv row 5: pytorch/pytorch is listed twice; the first row is kept",
    ]
    assert not load.ok and "SKIPPED mine.csv row 3" in load.describe()


def test_a_bad_number_in_a_row_is_named(tmp_path: Path) -> None:
    path = tmp_path / "llm.csv"
    path.write_text(
        'repo_name,layer1,layer2,stars,trend\na/b,AI Infra,Serving,many,[1]\nc/d,AI Infra,Serving,5,"[1,x]"\n'
    )
    assert read_landscape(path).bad_rows == [
        "llm.csv row 2 stars: 'many' is not a number",
        "llm.csv row 3: trend '[1,x]' is not a list of numbers",
    ]


def test_a_file_of_unknown_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("name,stars\nx,1\n")
    with pytest.raises(BadParameter) as error:
        read_landscape(path)
    assert str(error.value) == (
        f"{path}: unknown landscape format; the header must contain one of: layer1, layer2, repo_name; "
        "classification, repo_id, repo_name; category, github_repo, name; domain, repo"
    )


# --- accounts and names ----------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["dependabot[bot]", "k8s-ci-robot", "pytorchbot", "Some-Bot", "x_bot"])
def test_bots(login: str) -> None:
    assert is_bot(login)


@pytest.mark.parametrize("login", ["soumith", "robotics", "abbot", "ezyang"])
def test_people(login: str) -> None:
    assert not is_bot(login)


def test_github_names() -> None:
    assert check_repo_path("pytorch", "pytorch") == "pytorch/pytorch"
    assert check_login("dependabot[bot]") == "dependabot[bot]"
    with pytest.raises(BadParameter, match=r"^repository: 'a b/c' is not a repository name of the form owner/repo$"):
        check_repo_path("a b", "c")
    with pytest.raises(BadParameter, match=r"^login: 'bad login<x>' is not a GitHub login$"):
        check_login("bad login<x>")
    with pytest.raises(BadParameter):
        check_login("-starts-with-a-hyphen")
