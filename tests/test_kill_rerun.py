"""Kill the loader mid-run (SIGKILL, no clean-up of any kind), run it again, and end with
the same graph as one clean run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from nichegraph.db import Graph
from tests.conftest import SMALL_REPOS, TOP300, load_folder, wipe
from tests.support.fingerprint import graph_fingerprint

# a middle-sized repository after the small ones, then a big one (the last), so that the kill
# lands inside the big one's transaction
REPOS = [*SMALL_REPOS, "envoyproxy/envoy", "kubernetes/kubernetes"]


def start_load(graph: Graph, repos_file: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, NEO4J_URI=graph.uri)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "nichegraph",
            "load",
            "opendigger",
            str(TOP300),
            "--repos-file",
            str(repos_file),
            # the path that writes repository by repository (the bulk path: tests/test_load_bulk.py)
            "--method",
            "incremental",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_kill_mid_run_then_rerun_equals_a_clean_run(scratch: Graph, tmp_path: Path) -> None:
    assert load_folder(scratch, REPOS).ok
    clean = graph_fingerprint(scratch)
    wipe(scratch)

    repos_file = tmp_path / "repos.txt"
    repos_file.write_text("\n".join(REPOS) + "\n")
    process = start_load(scratch, repos_file)
    done = 0
    assert process.stderr is not None
    deadline = time.monotonic() + 300
    while done < len(SMALL_REPOS) + 1 and time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        done += line.startswith("[")
    time.sleep(0.3)  # into the next repository's transaction
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert done == len(SMALL_REPOS) + 1, "the load ended before it could be killed"

    loaded = scratch.read("MATCH (r:Repo) RETURN count(r) AS n")[0]["n"]
    assert 0 < loaded < len(REPOS), loaded
    # every repository in the graph is complete: its months all carry contributions data
    partial = scratch.read("MATCH (r:Repo) WHERE NOT EXISTS { (r)-[:HAS_MONTH]->() } RETURN r.name AS name")
    assert partial == []

    rerun = start_load(scratch, repos_file)
    _out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err
    assert graph_fingerprint(scratch) == clean
