"""Loader accounting with a real failure: the producer dies reading a real file (a folder where a
metric file should be, so reading it raises IsADirectoryError). The run stops, the exit status
is non-zero and names the file, the LoadRun is recorded as failed, and nothing half-written
stays: on the incremental path the repositories before it are complete, on the bulk path
nothing is imported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from nichegraph.db import Graph
from nichegraph.loader.summary import BULK, INCREMENTAL
from nichegraph.offline_import import SERVER_PID
from tests.conftest import TOP300
from tests.support.cli import nichegraph

REPOS = ["JacksonKearl/testissues", "freddier/hyperblog", "helium/denylist", "element-fi/elf-council-frontend"]
UNREADABLE = REPOS[2]


def source_with_an_unreadable_file(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "source"
    for repo in REPOS:
        shutil.copytree(TOP300 / "github" / repo, root / "github" / repo)
    path = root / "github" / UNREADABLE / "stars.json"
    path.unlink()
    path.mkdir()
    return root, path


def load_run(graph: Graph) -> dict[str, Any]:
    rows = graph.read("MATCH (l:LoadRun) RETURN properties(l) AS run")
    assert len(rows) == 1, rows
    return rows[0]["run"]


@pytest.mark.parametrize("method", [INCREMENTAL, BULK])
def test_a_file_that_cannot_be_read_stops_the_load_and_fails_it(scratch: Graph, tmp_path: Path, method: str) -> None:
    root, unreadable = source_with_an_unreadable_file(tmp_path)
    server_before = scratch.read(SERVER_PID)[0]["pid"]
    result = nichegraph(scratch.uri, "load", "opendigger", str(root), "--repos", ",".join(REPOS), "--method", method)

    assert result.returncode == 1, result.stderr
    assert f"STOPPED: reading {root} failed after 2 of 4 repositories: IsADirectoryError" in result.stderr
    assert str(unreadable) in result.stderr
    run = load_run(scratch)
    assert run["status"] == "failed" and run["method"] == method and str(unreadable) in run["error"]
    loaded = sorted(row["name"] for row in scratch.read("MATCH (r:Repo) RETURN r.name AS name"))
    if method == INCREMENTAL:
        # the two read before it are whole (atomic per repository); a rerun adds the rest
        assert loaded == sorted(REPOS[:2]) and (run["reposLoaded"], run["reposNotProcessed"]) == (2, 2)
        assert "2 of 4 repositories not processed" in result.stderr
    else:
        assert loaded == [] and (run["reposLoaded"], run["reposNotProcessed"]) == (0, 4)
        assert "nothing was imported" in result.stderr and "4 of 4 repositories not processed" in result.stderr
        assert scratch.read(SERVER_PID)[0]["pid"] == server_before, "nothing to import: the server kept running"


def test_json_summary_says_why_the_run_failed(scratch: Graph, tmp_path: Path) -> None:
    root, unreadable = source_with_an_unreadable_file(tmp_path)
    result = nichegraph(scratch.uri, "load", "opendigger", str(root), "--method", INCREMENTAL, "--json")
    assert result.returncode == 1
    summary = json.loads(result.stdout)
    assert summary["status"] == "failed" and str(unreadable) in summary["error"]
    # a folder's repositories are read in name order: those before the unreadable one are loaded
    before = sorted(REPOS)[: sorted(REPOS).index(UNREADABLE)]
    assert summary["requested"] == 4 and sorted(summary["loaded"]) == before
