"""One writer at a time (nichegraph/writelock.py), with real processes on the real scratch
server: a second writer waits saying what runs, or with --no-wait exits 1 naming it; the lock
of a process that is gone is taken over with a message; nested writers take it once."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from nichegraph.db import Graph
from nichegraph.writelock import WriterBusy, acquire, held_by_this_process, this_process, writer_lock
from tests.conftest import LANDSCAPE, SHARED_DATA, SMALL_REPOS, TOP300
from tests.support.cli import nichegraph
from tests.support.event_cases import expansion_case
from tests.unit.test_writers_take_the_lock import WRITERS

LANDSCAPE_FILE = LANDSCAPE / "pytorch_landscape_2025.csv"
NETWORK_FILE = Path(__file__).resolve().parents[1] / "loader" / "sample" / "graph_landscape_2025-05.json"


def locks(graph: Graph) -> list[dict]:  # type: ignore[type-arg]
    return [row["l"] for row in graph.read("MATCH (l:WriterLock) RETURN properties(l) AS l")]


def start(uri: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "nichegraph", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, NEO4J_URI=uri),
    )


def test_the_lock_is_held_for_the_block_and_taken_once_when_nested(scratch: Graph) -> None:
    with writer_lock(scratch, "nichegraph test") as holder:
        assert [lock["token"] for lock in locks(scratch)] == [holder.token]
        assert locks(scratch)[0] | {"startedAt": None} == {
            "name": "writer",
            "token": holder.token,
            "command": "nichegraph test",
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "pidStart": holder.pid_start,
            "startedAt": None,
        }
        with writer_lock(scratch, "nichegraph inner") as inner:
            assert inner == holder and len(locks(scratch)) == 1
        assert held_by_this_process(scratch) == holder
    assert locks(scratch) == [] and held_by_this_process(scratch) is None


def test_no_wait_exits_1_naming_the_writer(scratch: Graph) -> None:
    with writer_lock(scratch, "nichegraph test holder"):
        result = nichegraph(scratch.uri, "load", "landscape", str(LANDSCAPE_FILE), "--no-wait")
    assert result.returncode == 1
    assert "another nichegraph command is writing to" in result.stderr
    assert f"`nichegraph test holder` (pid {os.getpid()} on {socket.gethostname()}, running for" in result.stderr
    assert "not waiting (--no-wait)" in result.stderr
    assert scratch.read("MATCH (e:LandscapeEntry) RETURN count(e) AS n")[0]["n"] == 0


def test_a_second_writer_waits_saying_what_runs_then_writes(scratch: Graph) -> None:
    with writer_lock(scratch, "nichegraph test holder"):
        waiting = start(scratch.uri, "load", "landscape", str(LANDSCAPE_FILE))
        assert waiting.stderr is not None
        line = waiting.stderr.readline()
        assert line.startswith("waiting for `nichegraph test holder` (pid"), line
        assert f"to finish writing to {scratch.uri}" in line
        time.sleep(3)
        assert waiting.poll() is None, "it must wait while the lock is held"
        assert scratch.read("MATCH (e:LandscapeEntry) RETURN count(e) AS n")[0]["n"] == 0
    _out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err
    assert scratch.read("MATCH (e:LandscapeEntry) RETURN count(e) AS n")[0]["n"] > 0
    assert locks(scratch) == []


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def plant_lock(graph: Graph, host: str, pid: int) -> None:
    graph.apply_schema()
    graph.write(
        "CREATE (:WriterLock {name: 'writer', token: 'old', command: 'nichegraph niches', pid: $pid, host: $host, "
        "startedAt: datetime() - duration('PT5M')})",
        pid=pid,
        host=host,
    )


def test_the_lock_of_a_process_that_is_gone_is_taken_over(scratch: Graph) -> None:
    pid = dead_pid()
    plant_lock(scratch, socket.gethostname(), pid)
    result = nichegraph(scratch.uri, "load", "landscape", str(LANDSCAPE_FILE))
    assert result.returncode == 0, result.stderr
    assert (
        f"taking over the writer lock of `nichegraph niches` (pid {pid} on {socket.gethostname()}, "
        "running for 5:0" in result.stderr
    )
    assert "that process is gone" in result.stderr
    assert locks(scratch) == []


def test_a_lock_from_another_host_is_not_taken_over(scratch: Graph) -> None:
    plant_lock(scratch, "another-host", dead_pid())
    result = nichegraph(scratch.uri, "niches", "--no-wait")
    assert result.returncode == 1
    assert "`nichegraph niches` (pid" in result.stderr and "on another-host, running for" in result.stderr
    assert [lock["token"] for lock in locks(scratch)] == ["old"]


def test_a_writer_that_fails_releases_the_lock(scratch: Graph) -> None:
    result = nichegraph(scratch.uri, "niches")  # inside the lock: the empty database has no data
    assert result.returncode == 2 and "the graph holds no monthly data yet" in result.stderr
    assert locks(scratch) == []


def test_of_many_asking_at_once_exactly_one_gets_it(scratch: Graph) -> None:
    scratch.apply_schema()
    start_together = threading.Barrier(8)

    def ask(number: int) -> str:
        with Graph(scratch.settings) as graph:
            start_together.wait()
            try:
                acquire(graph, this_process(f"asker {number}"), wait=False, say=lambda _message: None)
            except WriterBusy:
                return "busy"
            return "got it"

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(ask, range(8)))
    assert sorted(answers) == ["busy"] * 7 + ["got it"]
    assert len(locks(scratch)) == 1


def writer_arguments(tmp_path: Path) -> dict[str, list[str]]:
    """Arguments that get each writing command past its own checks to the point of writing."""
    events = tmp_path / "events"
    expansion_case().write(events)
    labels = tmp_path / "pairs.csv"
    labels.write_text("a,b,relation\npytorch/pytorch,huggingface/transformers,upstream\n", encoding="utf-8")
    return {
        "bench load": ["bench", "load", str(TOP300), "--use-neo4j-uri", "--path", "bulk"],
        "bench openrank": ["bench", "openrank"],
        "load events": ["load", "events", str(events), "--repos", "c/two"],
        "load github": ["load", "github", "--file", str(SHARED_DATA / "github-metadata" / "repo_metadata.csv")],
        "load labels": ["load", "labels", str(labels)],
        "load landscape": ["load", "landscape", str(LANDSCAPE_FILE)],
        "load network": ["load", "network", str(NETWORK_FILE)],
        "load opendigger": ["load", "opendigger", str(TOP300), "--repos", SMALL_REPOS[0]],
        "niches": ["niches"],
        "openrank": ["openrank"],
        "relations": ["relations"],
        "run": ["run", "--skip-load", "--no-serve"],
    }


def test_every_writing_command_takes_the_lock(scratch: Graph, tmp_path: Path) -> None:
    """Each writer the command registry knows, asked to write while another holds the lock,
    exits 1 naming it (--no-wait) and writes nothing."""
    arguments = writer_arguments(tmp_path)
    assert set(arguments) == WRITERS
    with writer_lock(scratch, "nichegraph test holder"):
        with ThreadPoolExecutor(3) as pool:
            runs = pool.map(lambda args: nichegraph(scratch.uri, *args, "--no-wait"), arguments.values())
            results = dict(zip(arguments, runs, strict=True))
        nodes = scratch.read("MATCH (n) RETURN collect(DISTINCT labels(n)[0]) AS labels")[0]["labels"]
    for name, result in results.items():
        assert result.returncode == 1, f"{name}: {result.stderr}"
        assert "`nichegraph test holder` (pid" in result.stderr and "not waiting (--no-wait)" in result.stderr, name
    assert nodes == ["WriterLock"]
