"""The explorer's precomputed page figures (analysis/page_figures.py) and its page cache
(web/cache.py) against the real full snapshot: stored figures equal the ones computed per
request, pages work for windows nothing was stored for, a second view comes from the cache,
and a new analysis run empties it. (Timings are the benchmark's business: `bench web`.)"""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.months import parse_window
from nichegraph.web.app import create_app
from tests.conftest import TOP300, quiet_progress
from tests.support.niche_fixtures import Analysed

# a window no analysis stores figures for: the project page computes them per request
OTHER_WINDOW = "2020-01:2020-12"
SAMPLE = [
    "pytorch/pytorch",
    "vitejs/vite",
    "microsoft/vscode",
    "mlflow/mlflow",
    "JacksonKearl/testissues",
    "helium/denylist",
    "firstcontributions/first-contributions",
]

# the developer figures written independently of the page's query: sums per developer, bots left out
DEVELOPERS = """
MATCH (:Repo {name: $repo})<-[c:CONTRIBUTED]-(d:Developer)
WHERE $first <= c.month <= $last AND NOT d.isBot
RETURN d.login AS login, sum(c.activity) AS activity, count(c) AS activeMonths
"""


@pytest.fixture
def app(full_settings: Settings, analysed: Analysed) -> Flask:
    return create_app(full_settings, TESTING=True)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def get_json(client: FlaskClient, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, (url, response.data[:300])
    return json.loads(response.data)


def expected_developers(graph: Graph, repo: str, window: str, limit: int = 15) -> tuple[int, list[dict[str, Any]]]:
    months = parse_window(window)
    rows = graph.read(DEVELOPERS, repo=repo, first=months.first, last=months.last)
    total = sum(row["activity"] for row in rows)
    ranked = sorted(rows, key=lambda row: (-row["activity"], row["login"]))[:limit]
    return len(rows), [row | {"share": row["activity"] / total} for row in ranked]


def assert_same_developers(shown: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    # ties in activity may order differently when sums differ in their last bits
    assert [row["login"] for row in shown] == [row["login"] for row in expected]
    for page, derived in zip(shown, expected, strict=True):
        assert page["activeMonths"] == derived["activeMonths"]
        assert page["activity"] == pytest.approx(derived["activity"], rel=1e-9)
        assert page["share"] == pytest.approx(derived["share"], rel=1e-9)


def test_every_project_has_stored_figures_for_the_analysed_window(full_graph: Graph, analysed: Analysed) -> None:
    rows = full_graph.read(
        "MATCH (r:Repo)-[:HAS_WINDOW]->(w:RepoWindow {window: $window}) "
        "RETURN r.name AS repo, w.repo AS stored, w.developers AS developers, size(w.topLogins) AS top",
        window=analysed.window,
    )
    assert len(rows) == full_graph.read("MATCH (r:Repo) RETURN count(r) AS n")[0]["n"] == 300
    assert all(row["repo"] == row["stored"] and row["top"] == min(row["developers"], 50) for row in rows)


@pytest.mark.parametrize("repo", SAMPLE)
def test_stored_figures_equal_the_ones_computed_per_request(
    client: FlaskClient, full_graph: Graph, analysed: Analysed, repo: str
) -> None:
    data = get_json(client, f"/repo/{repo}.json?window={analysed.window}")
    developers, top = expected_developers(full_graph, repo, analysed.window)
    assert data["developers"] == developers
    assert_same_developers(data["topDevelopers"], top)


def test_a_window_without_stored_figures_is_computed(client: FlaskClient, full_graph: Graph) -> None:
    assert not full_graph.read("MATCH (w:RepoWindow {window: $window}) RETURN w LIMIT 1", window=OTHER_WINDOW)
    data = get_json(client, f"/repo/pytorch/pytorch.json?window={OTHER_WINDOW}")
    developers, top = expected_developers(full_graph, "pytorch/pytorch", OTHER_WINDOW)
    assert data["window"] == OTHER_WINDOW and data["developers"] == developers > 100
    assert_same_developers(data["topDevelopers"], top)


def test_the_top_developer_is_the_one_of_the_files(client: FlaskClient, analysed: Analysed) -> None:
    """From OpenDigger's activity details of the window (repeats inside a month add in squares)."""
    details = json.loads((TOP300 / "github/vitejs/vite/activity_details.json").read_text())
    first, last = analysed.window.split(":")
    squares: dict[str, dict[str, float]] = {}
    for month, rows in details.items():
        if first <= month <= last:
            for login, score in rows:
                by_month = squares.setdefault(login.lower(), {})
                by_month[month] = by_month.get(month, 0.0) + score * score
    sums = {login: sum(value**0.5 for value in months.values()) for login, months in squares.items()}
    humans = {login: value for login, value in sums.items() if not login.endswith("[bot]")}
    top = max(humans, key=lambda login: humans[login])
    data = get_json(client, f"/repo/vitejs/vite.json?window={analysed.window}")
    assert data["topDevelopers"][0]["login"].lower() == top
    assert data["topDevelopers"][0]["activity"] == pytest.approx(humans[top], rel=1e-6)
    assert data["topDevelopers"][0]["activeMonths"] == len(squares[top])


def test_a_second_view_comes_from_the_cache(app: Flask, client: FlaskClient, analysed: Analysed) -> None:
    cache = app.extensions["nichegraph_cache"]
    window = analysed.window
    first = get_json(client, f"/compare.json?repos=pytorch/pytorch,tensorflow/tensorflow&window={window}")
    hits = cache.stats.hits
    # the same projects in another order and spelling, the same window written another way
    again = get_json(client, f"/compare.json?repos=TensorFlow/tensorflow,%20pytorch/pytorch&window={window}")
    assert cache.stats.hits > hits
    compared = [key for key in cache.in_use_order() if key[0] == "compare"]
    assert compared == [("compare", ("pytorch/pytorch", "tensorflow/tensorflow"), window)]
    # the spelling asked for is looked up once per spelling; the comparison is shared
    assert len([key for key in cache.in_use_order() if key[0] == "repo names"]) == 2
    assert [p["repo"] for p in again["projects"]] == ["tensorflow/tensorflow", "pytorch/pytorch"]
    assert again["projects"] == first["projects"][::-1] and again["shared"] == first["shared"]
    assert again["repos"] == ["TensorFlow/tensorflow", "pytorch/pytorch"]
    # a window reaching past the data is cut to it: one entry for both
    inside = get_json(client, f"/trends.json?window={window}")
    hits = cache.stats.hits
    clipped = get_json(client, f"/trends.json?window={window.split(':')[0]}:2999-12")
    assert clipped == inside and cache.stats.hits > hits
    assert len([key for key in cache.in_use_order() if key[0] == "trends"]) == 1


def test_a_new_analysis_run_empties_the_cache(
    app: Flask, client: FlaskClient, full_graph: Graph, other_windows: list[str]
) -> None:
    from nichegraph.analysis.network import NetworkParams
    from nichegraph.analysis.niches import NicheParams
    from nichegraph.analysis.pipeline import compute_niches

    cache = app.extensions["nichegraph_cache"]
    cache.check_every = 0  # read the data version on every request (it is read at most once a second)
    window = "2019-01:2019-03"  # a quarter: its analysis reads a quarter of a year's rows
    before = get_json(client, f"/index.json?window={window}")
    assert before["niches"] == [] and get_json(client, f"/index.json?window={window}") == before
    invalidations = cache.stats.invalidations
    other_windows.append(window)
    result = compute_niches(full_graph, window, NetworkParams(), NicheParams(), quiet_progress())
    after = get_json(client, f"/index.json?window={window}")
    assert cache.stats.invalidations == invalidations + 1
    assert len(after["niches"]) == len(result.niches) > 0
    # the run stored the window's page figures with its niches
    stored = full_graph.read("MATCH (w:RepoWindow {window: $window}) RETURN count(w) AS n", window=window)
    assert stored[0]["n"] == 300


# --- the comparison's stored figures (RepoWindow: bots, developers by computed OpenRank) -------

COMPARED = ["pytorch/pytorch", "tensorflow/tensorflow", "huggingface/transformers", "microsoft/onnxruntime"]

# the window's contributions with each developer's flag and the current run's series, read
# plainly; the figures are derived from them here
CONTRIBUTIONS = """
MATCH (:Repo {name: $repo})<-[c:CONTRIBUTED]-(d:Developer)
WHERE $first <= c.month <= $last
RETURN d.key AS key, d.login AS login, d.isBot AS bot, c.month AS month, c.activity AS activity,
       d['openrankSeries' + $slot] AS series
"""
CURRENT_SLOT = "MATCH (run:OpenRankRun {current: true}) RETURN run.slot AS slot, run.id AS run"


def contributions(graph: Graph, repo: str, window: str) -> list[dict[str, Any]]:
    months = parse_window(window)
    slot = graph.read(CURRENT_SLOT)[0]["slot"]
    return graph.read(CONTRIBUTIONS, repo=repo, first=months.first, last=months.last, slot=slot)


def expected_openrank_developers(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each month a developer brings the project their computed OpenRank times their activity
    there squared over their month's summed squared activity (both in their series: n months
    as year * 12 + month - 1, n values, n activities); ranked by the sum, ties by key."""
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["bot"] or not row["series"] or row["activity"] <= 0:
            continue
        series, year_month = row["series"], row["month"].split("-")
        n, at = len(series) // 3, int(year_month[0]) * 12 + int(year_month[1]) - 1
        for i in range(n):
            if series[i] == at and series[2 * n + i] > 0:
                developer = found.setdefault(row["key"], {"login": row["login"], "attributed": 0.0, "values": []})
                developer["attributed"] += series[n + i] * row["activity"] ** 2 / series[2 * n + i]
                developer["values"].append(series[n + i])
    total = sum(developer["attributed"] for developer in found.values())
    ranked = sorted(found.items(), key=lambda item: (-item[1]["attributed"], item[0]))
    return [
        {
            "login": developer["login"],
            "attributed": developer["attributed"],
            "share": developer["attributed"] / total,
            "meanOpenrank": sum(developer["values"]) / len(developer["values"]),
            "activeMonths": len(developer["values"]),
        }
        for _key, developer in ranked
    ]


def assert_same_openrank_developers(shown: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    assert [row["login"] for row in shown] == [row["login"] for row in expected]
    for page, derived in zip(shown, expected, strict=True):
        assert page["activeMonths"] == derived["activeMonths"]
        for key in ("attributed", "share", "meanOpenrank"):
            assert page[key] == pytest.approx(derived[key], rel=1e-9)


def compare_url(window: str) -> str:
    return f"/compare.json?repos={','.join(COMPARED)}&window={window}"


def test_the_compared_figures_are_stored_for_the_current_run(
    full_graph: Graph, analysed: Analysed, openrank_computed: dict[str, Any]
) -> None:
    current = full_graph.read(CURRENT_SLOT)[0]
    rows = full_graph.read(
        "MATCH (w:RepoWindow {window: $window}) RETURN w.bots AS bots, w['openrankRun' + $slot] AS run, "
        "size(w['openrankTopLogins' + $slot]) AS top, w['openrankDevelopers' + $slot] AS developers",
        window=analysed.window,
        slot=current["slot"],
    )
    assert len(rows) == 300 and all(row["bots"] is not None and row["run"] == current["run"] for row in rows)
    assert all(row["top"] == min(row["developers"], 50) for row in rows)
    assert sum(row["developers"] > 50 for row in rows) > 50


@pytest.mark.parametrize("stored", [True, False])
def test_compared_figures_equal_the_ones_derived_from_the_contributions(
    client: FlaskClient, full_graph: Graph, analysed: Analysed, openrank_computed: dict[str, Any], stored: bool
) -> None:
    """The analysed window reads the stored figures; another window computes them per request."""
    window = analysed.window if stored else OTHER_WINDOW
    data = get_json(client, compare_url(window))
    assert [project["repo"] for project in data["projects"]] == COMPARED
    activity: dict[str, dict[str, float]] = {}
    for project in data["projects"]:
        rows = contributions(full_graph, project["repo"], window)
        people = {row["key"] for row in rows if not row["bot"]}
        assert (project["contributors"], project["bots"]) == (len(people), len({r["key"] for r in rows} - people))
        assert_same_openrank_developers(project["topDevelopers"], expected_openrank_developers(rows)[:10])
        activity[project["repo"]] = {}
        for row in rows:
            if not row["bot"]:
                activity[project["repo"]][row["login"]] = (
                    activity[project["repo"]].get(row["login"], 0) + row["activity"]
                )
    # every pair, whichever of the two the shared developers are looked for from
    assert len(data["shared"]) == 6 and max(pair["shared"] for pair in data["shared"]) > 10
    for pair in data["shared"]:
        a, b = activity[pair["a"]], activity[pair["b"]]
        assert pair["shared"] == len(a.keys() & b.keys())
        for developer in pair["developers"]:
            assert developer["activityA"] == pytest.approx(a[developer["login"]], rel=1e-9)
            assert developer["activityB"] == pytest.approx(b[developer["login"]], rel=1e-9)


def test_only_the_current_runs_stored_figures_are_read(
    full_graph: Graph, analysed: Analysed, openrank_computed: dict[str, Any]
) -> None:
    """Stored figures changed inside a transaction that is rolled back: the query reads them while
    they name the current run, and computes the ranking again when they name another."""
    from nichegraph.queries.library import get_query

    current = full_graph.read(CURRENT_SLOT)[0]
    months = parse_window(analysed.window)
    query = get_query("trend_compare_developers").cypher
    params = {"repos": ["pytorch/pytorch"], "first": months.first, "last": months.last, "limit": 10}
    logins = "openrankTopLogins" + current["slot"]
    with full_graph.session() as session, session.begin_transaction() as tx:
        ranked = [row["login"] for row in tx.run(query, params)]
        tx.run(
            f"MATCH (:Repo {{name: 'pytorch/pytorch'}})-[:HAS_WINDOW]->(w:RepoWindow {{window: $window}}) "
            f"SET w.{logins} = reverse(w.{logins}[..10])",
            window=analysed.window,
        ).consume()
        assert [row["login"] for row in tx.run(query, params)] == ranked[::-1]
        tx.run(
            f"MATCH (w:RepoWindow {{repo: 'pytorch/pytorch', window: $window}}) "
            f"SET w.openrankRun{current['slot']} = 'an earlier run'",
            window=analysed.window,
        ).consume()
        assert [row["login"] for row in tx.run(query, params)] == ranked
        tx.rollback()


# --- the niche page's stored OpenRank figures --------------------------------------------------

MEMBER_MONTHS = """
MATCH (r:Repo)-[i:IN_NICHE]->(:Niche {id: $niche})
MATCH (r)-[:HAS_MONTH]->(m:RepoMonth) WHERE m.openrank IS NOT NULL
RETURN r.name AS repo, i.rank AS rank, m.month AS month, m.openrank AS openrank
"""


def test_niche_pages_equal_the_figures_derived_from_the_months(
    client: FlaskClient, full_graph: Graph, analysed: Analysed
) -> None:
    first, last = analysed.window.split(":")
    niches = full_graph.read(
        "MATCH (n:Niche {window: $window}) RETURN n.id AS id, n.pageFiguresAt AS stored", window=analysed.window
    )
    assert len(niches) == len(analysed.niches.niches) and all(niche["stored"] for niche in niches)
    for niche in niches:
        data = get_json(client, f"/niche/{niche['id']}.json")
        rows = full_graph.read(MEMBER_MONTHS, niche=niche["id"])
        curve: dict[str, float] = {}
        series: dict[str, dict[str, float]] = {}
        for row in rows:
            curve[row["month"]] = curve.get(row["month"], 0.0) + row["openrank"]
            series.setdefault(row["repo"], {})[row["month"]] = row["openrank"]
        assert [point["month"] for point in data["curve"]] == sorted(curve)
        assert [point["openrank"] for point in data["curve"]] == pytest.approx([curve[m] for m in sorted(curve)])
        for member in data["members"]:
            inside = [value for month, value in series.get(member["repo"], {}).items() if first <= month <= last]
            assert member["openrank"] == (pytest.approx(sum(inside) / len(inside)) if inside else None)
        shown = [member["repo"] for member in data["members"] if member["rank"] <= 8]
        assert [curve["repo"] for curve in data["memberCurves"]] == shown
        for member in data["memberCurves"]:
            months = sorted(series.get(member["repo"], {}))
            assert member["months"] == [{"month": m, "openrank": series[member["repo"]][m]} for m in months]


def test_a_niche_without_stored_figures_is_computed_the_same(full_graph: Graph, analysed: Analysed) -> None:
    """The stored figures taken away inside a transaction that is rolled back."""
    from nichegraph.queries.library import get_query

    query = get_query("niche_page").cypher
    largest = "MATCH (n:Niche {window: $window}) RETURN n.id AS id ORDER BY n.size DESC LIMIT 1"
    niche = full_graph.read(largest, window=analysed.window)[0]["id"]
    with full_graph.session() as session, session.begin_transaction() as tx:
        stored = tx.run(query, niche=niche, curveMembers=8).single().data()
        tx.run("MATCH (n:Niche {id: $niche}) REMOVE n.pageFiguresAt", niche=niche).consume()
        computed = tx.run(query, niche=niche, curveMembers=8).single().data()
        tx.rollback()
    assert len(stored["members"]) > 10 and len(stored["memberCurves"]) == 8
    assert [m["repo"] for m in computed["members"]] == [m["repo"] for m in stored["members"]]
    assert [m["openrank"] for m in computed["members"]] == pytest.approx([m["openrank"] for m in stored["members"]])
    assert [p["month"] for p in computed["curve"]] == [p["month"] for p in stored["curve"]]
    assert [p["openrank"] for p in computed["curve"]] == pytest.approx([p["openrank"] for p in stored["curve"]])
    assert computed["memberCurves"] == stored["memberCurves"]
