"""`nichegraph expand --events` against a real Neo4j: the expansion of
tests/unit/test_events_expand.py end to end, with OpenRank read from the graph (published values
loaded by `load opendigger`, a computed one where none is published)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nichegraph.db import Graph
from tests.support.cli import nichegraph
from tests.support.event_cases import expansion_case

pytestmark = pytest.mark.scratch

PUBLISHED = {"c/one": 20.0, "c/three": 50.0, "c/four": 3.0, "c/five": 99.0}


def test_expand_from_events_with_openrank_from_the_graph(scratch: Graph, tmp_path: Path) -> None:
    events = tmp_path / "events"
    expansion_case().write(events)
    for repo, value in PUBLISHED.items():
        folder = tmp_path / "opendigger" / "github" / repo
        folder.mkdir(parents=True)
        (folder / "openrank.json").write_text(json.dumps({"2023-03": value}))
    uri = scratch.settings.neo4j_uri
    assert nichegraph(uri, "load", "opendigger", str(tmp_path / "opendigger")).returncode == 0
    loaded = nichegraph(uri, "load", "events", str(events), "--repos", "c/two")
    assert loaded.returncode == 0, loaded.stderr
    # what `nichegraph openrank` would have stored for it
    scratch.write("MATCH (m:RepoMonth {repo: 'c/two', month: '2023-03'}) SET m.openrankComputed = 15.0")

    done = nichegraph(
        uri, "expand", "--events", str(events), "--seeds", "seed/a", "--months", "2023-03:2023-03",
        "--top", "4", "--min-shared", "4", "--json", "--network-out", str(tmp_path / "landscape.json"),
        "--save-network", "events-case",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    members = {row["repo"]: row for row in result["members"]}
    assert list(members) == ["seed/a", "c/one", "c/two"]
    assert (members["c/one"]["meanOpenrank"], members["c/one"]["openrankSource"]) == (20.0, "published")
    assert (members["c/two"]["meanOpenrank"], members["c/two"]["openrankSource"]) == (15.0, "computed")
    assert [(e["source"], e["target"], e["sharedDevelopers"]) for e in result["edges"]] == [
        ("c/one", "seed/a", 8),
        ("c/one", "c/two", 5),
        ("c/two", "seed/a", 5),
    ]
    # the report's own file layout: nodes by OpenRank (the seed has none), edges strongest first
    assert json.loads((tmp_path / "landscape.json").read_text()) == {
        "nodes": [["c/one", 20], ["c/two", 15], ["seed/a", None]],
        "edges": [["c/one", "seed/a", 8], ["c/one", "c/two", 5], ["c/two", "seed/a", 5]],
    }
    # stored as a named network of kind 'events', the way `load network` stores the report's file
    network = scratch.read(
        "MATCH (n:Network {name: 'events-case'}) RETURN n.kind AS kind, n.period AS period, n.nodes AS nodes, "
        "n.edges AS edges, n.source AS source"
    )
    assert network == [{"kind": "events", "period": "2023-03:2023-03", "nodes": 3, "edges": 3, "source": str(events)}]
    links = scratch.read(
        "MATCH (a:Repo)-[l:NETWORK_LINK {network: 'events-case'}]->(b:Repo) "
        "RETURN a.name AS a, b.name AS b, l.sharedDevelopers AS shared ORDER BY shared DESC, a, b"
    )
    assert [(row["a"], row["b"], row["shared"]) for row in links] == [
        ("c/one", "seed/a", 8),
        ("c/one", "c/two", 5),
        ("c/two", "seed/a", 5),
    ]
    assert "network 'events-case'" in done.stderr
    left_out = {row["repo"]: row["reason"] for row in result["leftOut"]}
    assert left_out == {
        "c/three": "isolated: no other node shares 4 active developers with it",
        "c/four": "mean OpenRank 3.0 < 10",
        "c/five": "rank 5: beyond --top 4",
    }


def test_expand_events_refuses_the_graph_expansion_options(scratch: Graph, tmp_path: Path) -> None:
    done = nichegraph(scratch.settings.neo4j_uri, "expand", "--events", str(tmp_path), "--seeds", "a/b", "--depth", "1")
    assert done.returncode == 2
    assert done.stderr == (
        "error: --events: use --months, --top, --min-shared, --min-openrank (not --window, --depth, --min-lift)\n"
    )
