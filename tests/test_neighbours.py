"""Seeds and their neighbourhood from OpenDigger's repo_network.json, over HTTP."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from nichegraph.db import Graph
from tests.conftest import TOP300
from tests.support.cli import nichegraph
from tests.support.faulty_server import serve_folder

SEED = "helium/denylist"
NEIGHBOURS = ["freddier/hyperblog", "JacksonKearl/testissues", "element-fi/elf-council-frontend"]


def network_file(seed: str) -> dict:  # type: ignore[type-arg]
    # the shape OpenDigger publishes: nodes [name, openrank], edges [a, b, weight]
    return {
        "nodes": [[seed, 9.1], [NEIGHBOURS[2], 8.0], [NEIGHBOURS[0], 3.0], [NEIGHBOURS[1], 2.0]],
        "edges": [
            [seed, NEIGHBOURS[0], 5.5],
            [NEIGHBOURS[1], seed, 4.0],
            [seed, NEIGHBOURS[2], 1.0],
            [NEIGHBOURS[0], NEIGHBOURS[1], 9.0],
        ],
    }


def test_load_seed_with_neighbours_over_http(scratch: Graph, tmp_path: Path) -> None:
    root = tmp_path / "site"
    for repo in [SEED, *NEIGHBOURS]:
        shutil.copytree(TOP300 / "github" / repo, root / "github" / repo)
    (root / "github" / SEED / "repo_network.json").write_text(json.dumps(network_file(SEED)))
    with serve_folder(root) as (url, _plan):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "nichegraph",
                "load",
                "opendigger",
                url + "/github",
                "--repos",
                SEED,
                "--neighbours",
                "2",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            env=dict(os.environ, NEO4J_URI=scratch.uri),
        )
    assert result.returncode == 0, result.stderr
    assert f"{SEED}: 2 neighbours added from repo_network.json" in result.stderr
    names = {row["name"] for row in scratch.read("MATCH (r:Repo) RETURN r.name AS name")}
    assert names == {SEED, *NEIGHBOURS[:2]}


def test_http_source_without_repos_loads_the_report_projects(scratch: Graph, tmp_path: Path) -> None:
    """The default of the main job on a web source: the projects of the landscape report's lists
    shipped with nichegraph (not neighbour files, which OpenDigger no longer regenerates); those
    the service does not track are named and skipped."""
    root = tmp_path / "site"
    shutil.copytree(TOP300 / "github" / "pytorch" / "pytorch", root / "github" / "pytorch" / "pytorch")
    with serve_folder(root) as (url, plan):
        result = nichegraph(scratch.uri, "load", "opendigger", url)
    assert result.returncode == 1
    assert "no --repos: the 174 projects of the 2025 LLM landscape report's lists" in result.stderr
    assert "FAILED vllm-project/vllm: vllm-project/vllm: not tracked by OpenDigger" in result.stderr
    assert not any("repo_network" in path for path in plan.requests)
    assert scratch.read("MATCH (r:Repo) RETURN collect(r.name) AS names")[0]["names"] == ["pytorch/pytorch"]
