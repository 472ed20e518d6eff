"""The whole top-300 snapshot through the real loader, and `nichegraph stats`."""

from __future__ import annotations

import json

from nichegraph.config import Settings
from nichegraph.db import Graph
from tests.conftest import TOP300
from tests.support.cli import nichegraph


def stats_json(settings: Settings) -> dict:  # type: ignore[type-arg]
    result = nichegraph(settings.neo4j_uri, "stats", "--json", timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_full_snapshot_counts(full_settings: Settings) -> None:
    stats = stats_json(full_settings)
    assert stats["repos"] == 300
    assert stats["developers"] == 732_757
    assert stats["contributions"] == 2_215_929
    assert (stats["firstMonth"], stats["lastMonth"]) == ("2015-01", "2023-03")
    assert stats["months"] == 99
    assert stats["lastLoadStatus"] == "ok" and stats["lastLoadAt"]


def test_bots_are_flagged_not_dropped(full_graph: Graph) -> None:
    rows = full_graph.read(
        "MATCH (d:Developer) WHERE d.key IN ['dependabot[bot]', 'k8s-ci-robot', 'pytorchbot', 'soumith'] "
        "RETURN d.key AS key, d.isBot AS bot, COUNT { (d)-[:CONTRIBUTED]->() } AS months"
    )
    flags = {row["key"]: row["bot"] for row in rows}
    assert flags == {"dependabot[bot]": True, "k8s-ci-robot": True, "pytorchbot": True, "soumith": False}
    assert all(row["months"] > 0 for row in rows)
    app_accounts = {
        login.lower()
        for path in (TOP300 / "github").glob("*/*/activity_details.json")
        for rows in json.loads(path.read_text()).values()
        for login, _score in rows
        if login.lower().endswith("[bot]")
    }
    flagged = full_graph.read("MATCH (d:Developer {isBot: true}) RETURN collect(d.key) AS keys")[0]["keys"]
    assert app_accounts <= set(flagged)
    assert stats_json(full_graph.settings)["bots"] == len(flagged) > len(app_accounts)


def test_stats_on_an_empty_database(scratch_settings: Settings) -> None:
    from tests.conftest import wipe

    with Graph(scratch_settings) as graph:
        wipe(graph)
    stats = stats_json(scratch_settings)
    assert stats["repos"] == stats["developers"] == stats["contributions"] == 0
    assert stats["firstMonth"] is None and stats["lastLoadAt"] is None
