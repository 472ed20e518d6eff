"""`nichegraph load events` against a real Neo4j: the hand-made GH Archive case becomes the same
Developer / Repo / CONTRIBUTED / RepoMonth graph the OpenDigger source writes, with the scores
worked out by hand; a reload changes nothing; a bad file writes nothing at all; the library's
queries read the result unchanged."""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import pytest

from nichegraph.db import Graph
from nichegraph.queries.library import run_query
from tests.support.cli import nichegraph
from tests.support.event_cases import write_small_case

pytestmark = pytest.mark.scratch

IC, OI, OP, RC, MP = 0.5252, 2.2235, 4.0679, 0.7427, 2.0339  # OpenDigger's weights (indices.ts)

# (developer key, repository, month) -> score, by hand (tests/support/event_cases.py)
EXPECTED = {
    ("alice", "rocketorg/rocket", "2023-01"): math.sqrt(2 * IC + OI + RC),
    ("bob", "rocketorg/rocket", "2023-01"): math.sqrt(IC + OP + MP),
    ("dependabot[bot]", "rocketorg/rocket", "2023-01"): math.sqrt(OP),
    ("dave", "rocketorg/rocket", "2023-01"): math.sqrt(OP),
    ("carol", "rocketorg/rocket", "2023-02"): math.sqrt(OI),
    ("bob", "rocketorg/rocket", "2023-02"): math.sqrt(IC),
    ("alice", "acme/engine", "2023-02"): math.sqrt(OP + MP),
    ("bob", "acme/engine", "2023-02"): math.sqrt(RC),
}


@pytest.fixture(scope="module")
def small_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gharchive-graph")
    write_small_case(folder)
    return folder


def contributions(graph: Graph) -> dict[tuple[str, str, str], float]:
    rows = graph.read(
        "MATCH (d:Developer)-[c:CONTRIBUTED]->(r:Repo) RETURN d.key AS key, r.name AS repo, c.month AS month, "
        "c.activity AS activity"
    )
    return {(row["key"], row["repo"], row["month"]): row["activity"] for row in rows}


def load(graph: Graph, *args: str):  # type: ignore[no-untyped-def]
    uri = graph.settings.neo4j_uri
    return nichegraph(uri, "load", "events", *args)


def test_the_events_become_the_opendigger_graph(scratch: Graph, small_case: Path) -> None:
    done = load(scratch, str(small_case), "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["events"]["renamed"] == {"rocketorg/rocket": ["acme/rocket"]}
    assert summary["events"]["deletedAccountRows"] == 1
    assert sorted(summary["loaded"]) == ["acme/engine", "rocketorg/rocket"]

    stored = contributions(scratch)
    assert stored.keys() == EXPECTED.keys()
    for key, score in EXPECTED.items():
        assert stored[key] == pytest.approx(score, abs=1e-6), key

    developers = {
        row["key"]: (row["login"], row["isBot"])
        for row in scratch.read("MATCH (d:Developer) RETURN d.key AS key, d.login AS login, d.isBot AS isBot")
    }
    assert developers == {
        "alice": ("alice", False),
        "bob": ("bob", False),
        "carol": ("Carol", False),
        "dave": ("dave", False),
        "dependabot[bot]": ("dependabot[bot]", True),
    }
    january = scratch.read("MATCH (m:RepoMonth {repo: 'rocketorg/rocket', month: '2023-01'}) RETURN m {.*} AS m")[0][
        "m"
    ]
    january_scores = [
        score for (_, repo, month), score in EXPECTED.items() if (repo, month) == ("rocketorg/rocket", "2023-01")
    ]
    assert january["activity"] == pytest.approx(sum(january_scores), abs=1e-5)
    assert (january["participants"], january["issuesNew"], january["changeRequests"]) == (4, 1, 3)
    assert scratch.read("MATCH (r:Repo) RETURN count(r) AS n")[0]["n"] == 2  # other/lib has no activity
    (run,) = scratch.read("MATCH (l:LoadRun) RETURN l.kind AS kind, l.status AS status")
    assert run == {"kind": "events", "status": "ok"}


def test_a_reload_changes_nothing_and_the_library_reads_it(scratch: Graph, small_case: Path) -> None:
    assert load(scratch, str(small_case)).returncode == 0
    before = contributions(scratch)
    again = load(scratch, str(small_case), "--json")
    assert again.returncode == 0, again.stderr
    assert sorted(json.loads(again.stdout)["unchanged"]) == ["acme/engine", "rocketorg/rocket"]
    assert contributions(scratch) == before
    top = run_query(
        scratch,
        "repo_top_developers",
        repo="rocketorg/rocket",
        first="2023-01",
        last="2023-02",
        includeBots=False,
        limit=10,
    )
    # bob: January and February; the bot is left out by the query
    assert top[0]["login"] == "bob"
    assert top[0]["activity"] == pytest.approx(math.sqrt(IC + OP + MP) + math.sqrt(IC), abs=1e-5)
    assert "dependabot[bot]" not in [row["login"] for row in top]


def test_repositories_by_an_old_name_and_unknown_ones(scratch: Graph, small_case: Path) -> None:
    # January only: the rocket was still acme/rocket then, and is written under its latest name
    done = load(scratch, str(small_case), "--repos", "acme/rocket,nobody/here", "--months", "2023-01:2023-01")
    assert done.returncode == 1  # one repository could not be loaded
    assert "nobody/here: no activity in events:" in done.stderr
    assert {key[1:] for key in contributions(scratch)} == {("rocketorg/rocket", "2023-01")}


def test_seeds_load_their_strongest_neighbours(scratch: Graph, small_case: Path) -> None:
    done = load(scratch, str(small_case), "--seeds", "acme/engine", "--top", "1", "--json")
    assert done.returncode == 0, done.stderr
    assert sorted(json.loads(done.stdout)["loaded"]) == ["acme/engine", "rocketorg/rocket"]


def test_a_bad_file_writes_nothing(scratch: Graph, small_case: Path, tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    for path in small_case.glob("*.json.gz"):
        (folder / path.name).write_bytes(path.read_bytes())
    broken = folder / "2023-02-08-10.json.gz"
    lines = gzip.decompress(broken.read_bytes()).splitlines(keepends=True)
    broken.write_bytes(gzip.compress(b"".join([*lines, b'{"type": "IssuesEvent", "actor": \n'])))
    done = load(scratch, str(folder))
    assert done.returncode == 1
    assert f"{broken} line {len(lines) + 1}: not valid JSON" in done.stderr
    assert scratch.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0  # not even a LoadRun
