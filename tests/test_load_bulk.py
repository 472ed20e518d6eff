"""The bulk path (Neo4j's offline importer into an empty database of the local server) against
the incremental one, on real repositories and the real scratch server: the same graph node for
node and relationship for relationship, properties and their types included; the choice
between them; and every way it can fail leaving either the old database or a clean error."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from nichegraph import localdb
from nichegraph.config import SCHEMA_FILE
from nichegraph.db import Graph, split_statements
from nichegraph.loader.pipeline import LoadOptions, load_repos
from nichegraph.loader.sources import FolderSource
from nichegraph.loader.summary import BULK, INCREMENTAL
from nichegraph.offline_import import SERVER_PID
from tests.conftest import SMALL_REPOS, TOP300, quiet_progress
from tests.support import servers
from tests.support.cli import nichegraph
from tests.support.fingerprint import graph_fingerprint

# a copy of a real repository whose details hold a negative score: it fails on both paths
VICTIM = "badcopy/hyperblog"
FEW = ["JacksonKearl/testissues", "freddier/hyperblog", "helium/denylist", "vitejs/vite"]
# LoadRun properties both paths record the same way (not ids, times or the method)
COMPARABLE_RUN = [
    "kind",
    "source",
    "status",
    "repos",
    "reposLoaded",
    "reposUnchanged",
    "reposFailed",
    "reposNotProcessed",
    "failedRepos",
    "rowsIn",
    "contributions",
    "contributionsWritten",
    "mergedRepeats",
]


def copy_source(tmp_path: Path, repos: list[str], victim: bool = False) -> Path:
    root = tmp_path / "source"
    for repo in repos:
        shutil.copytree(TOP300 / "github" / repo, root / "github" / repo)
    if victim:
        details = TOP300 / "github" / "freddier/hyperblog" / "activity_details.json"
        data = json.loads(details.read_text())
        first = next(iter(data))
        data[first].append(["someone-new", -2.0])
        (root / "github" / VICTIM).mkdir(parents=True)
        (root / "github" / VICTIM / "activity_details.json").write_text(json.dumps(data))
    return root


def load(graph: Graph, root: Path, repos: list[str], method: str, **options: Any) -> Any:
    return load_repos(graph, FolderSource(root), repos, LoadOptions(method=method, **options), quiet_progress())


def load_run(graph: Graph) -> dict[str, Any]:
    rows = graph.read("MATCH (l:LoadRun) RETURN properties(l) AS run")
    assert len(rows) == 1, rows
    return rows[0]["run"]


def server_pid(graph: Graph) -> int:
    return graph.read(SERVER_PID)[0]["pid"]


def schema_names() -> set[str]:
    statements = split_statements(SCHEMA_FILE.read_text(encoding="utf-8"))
    return {statement.split()[2] for statement in statements}


def test_bulk_and_incremental_give_the_same_graph(scratch: Graph, tmp_path: Path) -> None:
    root = copy_source(tmp_path, SMALL_REPOS, victim=True)
    repos = [*SMALL_REPOS, VICTIM]
    incremental = load(scratch, root, repos, INCREMENTAL)
    expected_graph = graph_fingerprint(scratch, typed=True)
    expected_run = load_run(scratch)
    scratch.run_autocommit("MATCH (n) DETACH DELETE n")

    before = server_pid(scratch)
    bulk = load(scratch, root, repos, BULK)
    assert server_pid(scratch) != before, "the bulk path restarts the server"
    assert bulk.method == BULK and bulk.steps["import"] > 0
    # CPU per step, read from the processes that did the work (the restarted server, not the old one)
    cpu_steps = {"read, parse and write import files", "import", "start server", "apply schema"}
    assert set(bulk.step_cpu) == cpu_steps and all(seconds > 0 for seconds in bulk.step_cpu.values())
    assert [f.repo for f in bulk.failed] == [f.repo for f in incremental.failed] == [VICTIM]
    assert "is negative" in bulk.failed[0].message
    for figure in ("loaded", "rows_in", "contributions", "merged_repeats", "contributions_written", "months_written"):
        assert getattr(bulk, figure) == getattr(incremental, figure), figure
    assert graph_fingerprint(scratch, typed=True) == expected_graph
    run = load_run(scratch)
    assert {key: run.get(key) for key in COMPARABLE_RUN} == {key: expected_run.get(key) for key in COMPARABLE_RUN}
    assert (run["method"], expected_run["method"], run["status"]) == (BULK, INCREMENTAL, "partial")

    # the sample has the quirks the comparison must cover
    quirks = scratch.read(
        "CALL () { MATCH (m:RepoMonth {interpolated: true}) WHERE m.openrankRaw IS NOT NULL RETURN count(m) AS raw } "
        "CALL () { MATCH (d:Developer {isBot: true}) RETURN count(d) AS bots } "
        "CALL () { MATCH (d:Developer) WHERE d.login <> d.key RETURN count(d) AS cased } "
        "RETURN raw, bots, cased"
    )[0]
    assert quirks["raw"] > 0 and quirks["bots"] > 0 and quirks["cased"] > 0 and bulk.merged_repeats > 0
    # the schema is applied to the imported database
    names = {row["name"] for row in scratch.read("SHOW INDEXES YIELD name, state WHERE state = 'ONLINE'")}
    assert schema_names() <= names


def test_auto_imports_into_an_empty_database_then_loads_incrementally(scratch: Graph, tmp_path: Path) -> None:
    root = copy_source(tmp_path, FEW, victim=True)
    first = nichegraph(scratch.uri, "load", "opendigger", str(root), "--json")
    assert first.returncode == 1, first.stderr  # the victim
    summary = json.loads(first.stdout)
    assert summary["method"] == BULK and sorted(summary["loaded"]) == sorted(FEW)
    assert "bulk load: the database at" in first.stderr and f"skipped {VICTIM}" in first.stderr
    assert VICTIM in first.stderr and "activity_details.json" in first.stderr

    # a database holding data keeps the incremental path; the imported fingerprints match
    second = nichegraph(scratch.uri, "load", "opendigger", str(root), "--json")
    summary = json.loads(second.stdout)
    assert summary["method"] == INCREMENTAL and "already holds data" in second.stderr
    assert sorted(summary["unchanged"]) == sorted(FEW) and summary["contributions_written"] == 0

    forced = nichegraph(scratch.uri, "load", "opendigger", str(root), "--method", "bulk")
    assert forced.returncode == 1
    assert f"--method bulk: not possible, the database at {scratch.uri} already holds data" in forced.stderr


def test_strict_bulk_with_bad_input_imports_nothing_and_keeps_the_server(scratch: Graph, tmp_path: Path) -> None:
    root = copy_source(tmp_path, FEW, victim=True)
    before = server_pid(scratch)
    result = nichegraph(scratch.uri, "load", "opendigger", str(root), "--method", "bulk", "--strict")
    assert result.returncode == 1 and f"FAILED {VICTIM}" in result.stderr
    assert server_pid(scratch) == before
    assert scratch.read("MATCH (n) WHERE NOT n:LoadRun RETURN count(n) AS n")[0]["n"] == 0


def start_load(uri: str, *args: str) -> subprocess.Popen[str]:
    # a session of its own, so that killing it kills the importer it runs, as a terminal would
    return subprocess.Popen(
        [sys.executable, "-m", "nichegraph", "load", "opendigger", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, NEO4J_URI=uri),
        start_new_session=True,
    )


def importer_pid(home: Path, timeout: float = 600) -> int:
    """The pid of neo4j-admin importing into the server folder `home`, once it runs."""
    marker = f"--report-file={home.resolve() / 'bulk-import'}".encode()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if localdb.ADMIN_TOOL.encode() in cmdline and marker in cmdline:
                return int(entry.name)
        time.sleep(0.05)
    raise AssertionError("the importer never started")


def test_a_failing_importer_leaves_the_old_database_and_a_clean_error(scratch: Graph, tmp_path: Path) -> None:
    root = copy_source(tmp_path, FEW)
    before = server_pid(scratch)
    process = start_load(scratch.uri, str(root), "--method", "bulk")
    os.kill(importer_pid(servers.server_for("scratch").home), signal.SIGKILL)
    _out, err = process.communicate(timeout=600)
    assert process.returncode == 1, err
    assert "neo4j-admin database import failed (exit -9); the database is unchanged" in err
    assert server_pid(scratch) == before, "a failed import never stops the server"
    assert scratch.read("MATCH (n) WHERE NOT n:LoadRun RETURN count(n) AS n")[0]["n"] == 0
    run = load_run(scratch)
    assert run["status"] == "failed" and run["method"] == BULK and "import failed" in run["error"]


def test_a_kill_during_the_import_then_a_rerun_ends_with_the_graph_of_one_run(scratch: Graph, tmp_path: Path) -> None:
    root = copy_source(tmp_path, FEW)
    assert load(scratch, root, FEW, INCREMENTAL).ok
    clean = graph_fingerprint(scratch, typed=True)
    scratch.run_autocommit("MATCH (n) DETACH DELETE n")

    before = server_pid(scratch)
    process = start_load(scratch.uri, str(root))
    importer_pid(servers.server_for("scratch").home)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    # the server is stopped only once the import is done: it still runs on the old, empty database
    with Graph(servers.settings_for("scratch")) as graph:
        assert server_pid(graph) == before
        assert graph.read("MATCH (n) WHERE NOT n:WriterLock RETURN count(n) AS n")[0]["n"] == 0
        rerun = start_load(graph.uri, str(root))
        _out, err = rerun.communicate(timeout=600)
        assert rerun.returncode == 0, err
        assert "taking over the writer lock of `nichegraph load opendigger`" in err and "that process is gone" in err
        assert graph_fingerprint(graph, typed=True) == clean
        assert graph.read("MATCH (l:WriterLock) RETURN count(l) AS n")[0]["n"] == 0


def test_a_swap_cut_short_is_finished_by_the_next_start(scratch: Graph, tmp_path: Path) -> None:
    root = copy_source(tmp_path, FEW)
    # a store of the server's own is as good to swap in as an imported one (bulk and incremental
    # give the same graph, the first test here) and costs no import and no restart of its own
    assert load(scratch, root, FEW, INCREMENTAL).ok
    imported = graph_fingerprint(scratch, typed=True)
    scratch.close()
    server = servers.server_for("scratch")
    localdb.stop(server, say=lambda _message: None)
    # as if the importer had just written this store into the staging folder and the swap was
    # cut short after writing its journal: the live database is an empty one
    staged = server.home / "bulk-import" / "data"
    for live, stage in zip(localdb.store_folders(server.home / "data"), localdb.store_folders(staged), strict=True):
        stage.parent.mkdir(parents=True, exist_ok=True)
        live.rename(stage)
    moves = localdb.swap_moves(server.home, staged, server.home / "bulk-import" / "replaced")
    (server.home / localdb.SWAP_JOURNAL).write_text(json.dumps([[str(a), str(b)] for a, b in moves]))
    messages: list[str] = []
    localdb.start(server, say=messages.append)
    assert any("Finished swapping in the database" in message for message in messages)
    assert graph_fingerprint(scratch, typed=True) == imported


@pytest.fixture(autouse=True)
def scratch_answers_afterwards() -> Any:
    """Whatever a test did to the scratch server, the next test finds it running."""
    yield
    localdb.start(servers.server_for("scratch"), say=lambda _message: None)
