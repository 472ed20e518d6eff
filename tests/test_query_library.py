"""The query library: every queries/*.cypher file has a valid header, runs on the real data
with its own example parameters, returns the columns it documents and a non-empty result,
and (where it is cheap) the values equal an independent computation from the JSON files."""

from __future__ import annotations

import json
import math
import re
import subprocess
from collections import defaultdict
from itertools import pairwise
from typing import Any

import pytest

from nichegraph.db import Graph
from nichegraph.queries.library import load_library, plan_library, run_query
from tests.conftest import TOP300
from tests.support.cli import nichegraph
from tests.support.landscape_fixtures import LandscapeGraph
from tests.support.niche_fixtures import Analysed

LIBRARY = load_library()


def details(repo: str) -> dict[str, list[list]]:  # type: ignore[type-arg]
    return json.loads((TOP300 / "github" / repo / "activity_details.json").read_text())


def series(repo: str, stem: str) -> dict[str, float]:
    path = TOP300 / "github" / repo / f"{stem}.json"
    return {k: v for k, v in json.loads(path.read_text()).items() if len(k) == 7} if path.exists() else {}


def activity_by_developer(repo: str, first: str, last: str) -> dict[str, dict[str, float]]:
    """lower-case login -> month -> merged activity (repeats add in squares)."""
    squares: dict[str, dict[str, float]] = defaultdict(dict)
    for month, rows in details(repo).items():
        if first <= month <= last:
            for login, score in rows:
                by_month = squares[login.lower()]
                by_month[month] = by_month.get(month, 0.0) + score * score
    return {key: {m: math.sqrt(v) for m, v in months.items()} for key, months in squares.items()}


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)


# --- every file ------------------------------------------------------------------------


@pytest.fixture
def analytics_done(analysed: Analysed, openrank_computed: dict[str, Any]) -> None:
    """Niches and relations of the examples' window, and computed OpenRank, are stored, as
    the main job leaves them: the library files that read them have something to read."""


def reads_networks(name: str) -> bool:
    """Files about loaded networks: their examples name the report's network, which the full
    server does not hold (loading it there would add projects other tests count)."""
    query = LIBRARY[name]
    scope = str(query.examples.get("scope", ""))
    network_pattern = r"^MATCH \(\w*:Network\b|NETWORK_LINK|^MATCH .*IN_NETWORK"
    return scope.startswith("network:") or bool(re.search(network_pattern, query.cypher, re.MULTILINE))


def check_examples(graph: Graph, name: str) -> None:
    query = LIBRARY[name]
    assert query.question.endswith("?"), f"{name}: the first line should be the question it answers"
    rows = run_query(graph, name)
    assert rows, f"{name} returned nothing with its example parameters"
    assert list(rows[0]) == list(query.columns), f"{name}: columns differ from the header"


@pytest.mark.parametrize("name", sorted(name for name in LIBRARY if not reads_networks(name)))
def test_each_file_runs_with_its_examples_and_returns_its_columns(
    full_graph: Graph, analytics_done: None, name: str
) -> None:
    check_examples(full_graph, name)


@pytest.mark.parametrize("name", sorted(name for name in LIBRARY if reads_networks(name)))
def test_each_network_file_runs_with_its_examples_on_the_report_network(
    report_graph: LandscapeGraph, name: str
) -> None:
    with Graph(report_graph.settings) as graph:
        check_examples(graph, name)


def test_plan_library_plans_every_file_and_changes_nothing(full_graph: Graph) -> None:
    """`nichegraph serve` warms Neo4j's plan cache with it; the cache's own count shows the plans."""
    count = "MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS relationships"
    before = full_graph.read(count)
    full_graph.run_autocommit("CALL db.clearQueryCaches()")
    assert plan_library(full_graph) == len(LIBRARY)
    cleared = full_graph.run_autocommit("CALL db.clearQueryCaches()")[0]["value"]
    planned = re.search(r"cleared of (\d+) quer", cleared)
    assert planned and int(planned.group(1)) >= len(LIBRARY), cleared
    assert full_graph.read(count) == before


# --- values against the files ----------------------------------------------------------


def test_repo_monthly_equals_the_files(full_graph: Graph) -> None:
    rows = run_query(full_graph, "repo_monthly", repo="pytorch/pytorch", first="2021-01", last="2023-03")
    openrank = series("pytorch/pytorch", "openrank")
    stars = series("pytorch/pytorch", "stars")
    months = sorted(m for m in openrank if "2021-01" <= m <= "2023-03")
    assert [row["month"] for row in rows] == months
    for row in rows:
        assert row["openrank"] == openrank[row["month"]] and row["stars"] == stars.get(row["month"])


def test_repo_top_developers_equals_the_files(full_graph: Graph) -> None:
    expected = activity_by_developer("pytorch/pytorch", "2022-04", "2023-03")
    bots = {row["key"] for row in full_graph.read("MATCH (d:Developer {isBot: true}) RETURN d.key AS key")}
    totals = {key: sum(months.values()) for key, months in expected.items() if key not in bots}
    ranking = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:20]
    rows = run_query(full_graph, "repo_top_developers")
    assert [row["login"].lower() for row in rows] == [key for key, _ in ranking]
    grand_total = sum(totals.values())
    for row, (key, total) in zip(rows, ranking, strict=True):
        assert close(row["activity"], total)
        assert close(row["share"], total / grand_total)
        assert row["activeMonths"] == len(expected[key])


def test_developer_repos_equals_the_files(full_graph: Graph) -> None:
    rows = run_query(full_graph, "developer_repos", login="EZyang")
    found = {row["repo"]: row for row in rows}
    expected: dict[str, float] = {}
    months: dict[str, int] = {}
    for repo_dir in (TOP300 / "github").glob("*/*"):
        repo = f"{repo_dir.parent.name}/{repo_dir.name}"
        text = (repo_dir / "activity_details.json").read_text()
        if '"ezyang"' not in text.lower():
            continue
        by_month = activity_by_developer(repo, "0000", "9999").get("ezyang")
        if by_month:
            expected[repo] = sum(by_month.values())
            months[repo] = len(by_month)
    assert found.keys() == expected.keys()
    for repo, total in expected.items():
        assert close(found[repo]["activity"], total) and found[repo]["activeMonths"] == months[repo]


def test_developer_timeline_matches_developer_repos(full_graph: Graph) -> None:
    timeline = run_query(full_graph, "developer_timeline", login="ezyang")
    per_repo: dict[str, float] = defaultdict(float)
    for row in timeline:
        per_repo[row["repo"]] += row["activity"]
    repos = run_query(full_graph, "developer_repos", login="ezyang")
    assert {repo: round(total, 6) for repo, total in per_repo.items()} == {
        row["repo"]: round(row["activity"], 6) for row in repos
    }
    assert [row["month"] for row in timeline] == sorted(row["month"] for row in timeline)


def test_shared_developers_equals_the_files(full_graph: Graph) -> None:
    a = activity_by_developer("pytorch/pytorch", "2022-04", "2023-03")
    b = activity_by_developer("huggingface/transformers", "2022-04", "2023-03")
    bots = {row["key"] for row in full_graph.read("MATCH (d:Developer {isBot: true}) RETURN d.key AS key")}
    shared = {key for key in a.keys() & b.keys() if key not in bots}
    rows = run_query(full_graph, "shared_developers", limit=1000)
    assert {row["login"].lower() for row in rows} == shared
    for row in rows:
        key = row["login"].lower()
        assert close(row["activityA"], sum(a[key].values())) and close(row["activityB"], sum(b[key].values()))


def test_top_repos_equals_the_files(full_graph: Graph) -> None:
    means = {}
    for path in (TOP300 / "github").glob("*/*/openrank.json"):
        values = [v for k, v in json.loads(path.read_text()).items() if len(k) == 7 and "2022-04" <= k <= "2023-03"]
        if values:
            means[f"{path.parent.parent.name}/{path.parent.name}"] = sum(values) / len(values)
    expected = sorted(means.items(), key=lambda item: -item[1])[:20]
    rows = run_query(full_graph, "top_repos")
    assert [row["repo"] for row in rows] == [repo for repo, _ in expected]
    assert all(close(row["meanOpenrank"], mean) for row, (_, mean) in zip(rows, expected, strict=True))


def test_search_finds_repos_by_any_part_and_developers_by_prefix(full_graph: Graph) -> None:
    rows = run_query(full_graph, "search", text="TRANSFORMERS", limit=10)
    repos = [row["name"] for row in rows if row["kind"] == "repo"]
    assert repos[0] == "huggingface/transformers"
    rows = run_query(full_graph, "search", text="ezya", limit=10)
    assert {"kind": "developer", "name": "ezyang"}.items() <= rows[0].items()
    names = {row["name"] for row in run_query(full_graph, "search", text="pytorch", limit=50)}
    all_repos = {f"{p.parent.name}/{p.name}" for p in (TOP300 / "github").glob("*/*")}
    assert {repo for repo in all_repos if "pytorch" in repo.lower()} <= names


def test_query_cli_formats(full_settings) -> None:  # type: ignore[no-untyped-def]
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return nichegraph(full_settings.neo4j_uri, "query", *args, timeout=120)

    listing = cli("--list")
    assert listing.returncode == 0
    for name, query in LIBRARY.items():
        assert f"{name}" in listing.stdout and query.question in listing.stdout
    as_json = json.loads(cli("top_repos", "--param", "limit=3", "--format", "json").stdout)
    assert len(as_json) == 3 and list(as_json[0]) == list(LIBRARY["top_repos"].columns)
    as_csv = cli("developer_repos", "--param", "login=ezyang", "--format", "csv").stdout.splitlines()
    assert as_csv[0] == "repo,activity,activeMonths,firstMonth,lastMonth" and as_csv[1].startswith("pytorch/pytorch,")
    table = cli("repo_monthly", "--param", "repo=vitejs/vite", "--param", "first=2022-01", "--param", "last=2022-03")
    assert table.stdout.splitlines()[2].startswith("2022-01")
    bad = cli("repo_monthly", "--param", "owner=x")
    assert bad.returncode == 2 and "has no such parameter" in bad.stderr
    unknown = cli("no_such_query")
    assert unknown.returncode == 2 and "no library query named 'no_such_query'" in unknown.stderr


def test_developers_bridging_niches_equal_the_files(full_graph: Graph, analytics_done: None) -> None:
    query = LIBRARY["developers_bridging_niches"]
    a, b = query.examples["a"], query.examples["b"]
    first, last = a.split("/")[0].split(":")
    members = {niche: [row["repo"] for row in run_query(full_graph, "niche_members", niche=niche)] for niche in (a, b)}
    bots = {row["key"] for row in full_graph.read("MATCH (d:Developer {isBot: true}) RETURN d.key AS key")}

    def side(niche: str) -> dict[str, float]:
        totals: dict[str, float] = defaultdict(float)
        for repo in members[niche]:
            for key, months in activity_by_developer(repo, first, last).items():
                if key not in bots:
                    totals[key] += sum(months.values())
        return totals

    def ranked(items: list[tuple[str, float, float]]) -> list[tuple[str, float, float]]:
        # ties on the smaller side (to float rounding) by lower-case login, as the files key them
        return sorted(items, key=lambda item: (-round(min(item[1], item[2]), 6), item[0]))

    side_a, side_b = side(a), side(b)
    expected = ranked([(key, side_a[key], side_b[key]) for key in side_a.keys() & side_b.keys()])
    rows = run_query(full_graph, "developers_bridging_niches", limit=10_000)
    assert len(rows) == len(expected) > 0
    smaller = [min(row["activityA"], row["activityB"]) for row in rows]
    assert all(x >= y - 1e-9 for x, y in pairwise(smaller)), "the file orders by the smaller side, largest first"
    got = ranked([(row["login"].lower(), row["activityA"], row["activityB"]) for row in rows])
    for (login, got_a, got_b), (key, activity_a, activity_b) in zip(got[:20], expected[:20], strict=True):
        assert login == key
        assert close(got_a, activity_a) and close(got_b, activity_b)


def test_collaboration_path_is_a_shortest_chain_of_the_window(full_graph: Graph, analytics_done: None) -> None:
    window = LIBRARY["collaboration_path"].examples["window"]
    links = run_query(full_graph, "collaboration_links", window=window)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for link in links:
        neighbours[link["source"]].add(link["target"])
        neighbours[link["target"]].add(link["source"])
    [row] = run_query(full_graph, "collaboration_path")
    repos = row["repos"]
    assert repos[0] == "pytorch/pytorch" and repos[-1] == "kubernetes/kubernetes"
    assert all(b in neighbours[a] for a, b in pairwise(repos))
    # breadth-first search over the same links finds no shorter chain
    assert row["hops"] == len(repos) - 1 == bfs_hops(neighbours, "pytorch/pytorch", "kubernetes/kubernetes")


def bfs_hops(neighbours: dict[str, set[str]], start: str, goal: str) -> int:
    seen, frontier, hops = {start}, {start}, 0
    while frontier:
        if goal in frontier:
            return hops
        frontier = {n for current in frontier for n in neighbours[current]} - seen
        seen |= frontier
        hops += 1
    raise AssertionError(f"{goal} is not reachable from {start}")
