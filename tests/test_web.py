"""The explorer through Flask's test client, against the real full snapshot: every page and
its JSON twins, friendly errors, hostile input, and Neo4j going away and coming back."""

from __future__ import annotations

import csv
import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from nichegraph.analysis.export import GEXF_NS
from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.queries.library import load_library
from nichegraph.web.app import create_app, plan_queries
from nichegraph.web.warm import DEFAULT_PAGES, warm_pages
from tests.conftest import LANDSCAPE, TOP300
from tests.support.expected import landscape_rows
from tests.support.niche_fixtures import Analysed
from tests.support.tcp_proxy import SwitchableProxy

WINDOW = "2022-04:2023-03"


@pytest.fixture(scope="module")
def app(full_settings: Settings, analysed: Analysed) -> Flask:
    """The explorer over the analysed snapshot: pages cache whole-window results for a minute,
    so no page may be drawn before the analysis it shows exists, whatever order tests run in."""
    return create_app(full_settings, TESTING=True)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def get_json(client: FlaskClient, url: str, status: int = 200) -> dict:  # type: ignore[type-arg]
    response = client.get(url)
    assert response.status_code == status, (url, response.data[:500])
    assert response.mimetype == "application/json"
    return json.loads(response.data)


def get_html(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.data[:500])
    assert response.mimetype == "text/html"
    return response.data.decode()


# --- pages and their twins -------------------------------------------------------------

PAGES = [
    f"/?window={WINDOW}",
    f"/repo/pytorch/pytorch?window={WINDOW}",
    "/repo/vercel/next.js",
    "/dev/ezyang",
    "/dev/dependabot%5Bbot%5D",
    f"/graph?center=pytorch/pytorch&window={WINDOW}",
    f"/graph?center=kubernetes/kubernetes&depth=2&min_weight=0.002&relations=upstream,peer&window={WINDOW}",
    f"/niche/{WINDOW}/pytorch/pytorch",
    f"/trends?window={WINDOW}",
    "/trends?window=2021-01:2021-12&domain=Training&quiet_months=3",
    f"/compare?repos=pytorch/pytorch,tensorflow/tensorflow&window={WINDOW}",
    "/compare",
    f"/exports?window={WINDOW}",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_html_and_two_json_twins(client: FlaskClient, analysed: Analysed, url: str) -> None:
    get_html(client, url)
    path, _, query = url.partition("?")
    suffix = f"?{query}" if query else ""
    twin = get_json(client, f"{path.rstrip('/') or '/index'}.json{suffix}")
    api = get_json(client, f"/api{path.rstrip('/') or '/index'}{suffix}")
    assert twin == api and twin


def test_home_numbers_are_the_graph_numbers(client: FlaskClient, full_graph: Graph) -> None:
    data = get_json(client, f"/index.json?window={WINDOW}")
    assert data["stats"]["repos"] == 300 and data["stats"]["contributions"] == 2_215_929
    assert data["window"] == WINDOW and data["dataRange"] == ["2015-01", "2023-03"]
    html = get_html(client, f"/?window={WINDOW}")
    assert "2,215,929" in html and "data 2015-01 \u2013 2023-03" in html


def test_default_window_is_the_last_twelve_months(client: FlaskClient) -> None:
    assert get_json(client, "/index.json")["window"] == "2022-04:2023-03"


def test_repo_page_numbers_equal_the_files(client: FlaskClient) -> None:
    data = get_json(client, f"/repo/pytorch/pytorch.json?window={WINDOW}")
    openrank = json.loads((TOP300 / "github/pytorch/pytorch/openrank.json").read_text())
    months = {m["month"]: m for m in data["months"]}
    assert set(months) == {k for k in openrank if len(k) == 7}
    assert all(months[k]["openrank"] == v for k, v in openrank.items() if len(k) == 7)
    inside = [v for k, v in openrank.items() if len(k) == 7 and "2022-04" <= k <= "2023-03"]
    assert data["meanOpenrank"] == pytest.approx(sum(inside) / len(inside))
    assert data["topDevelopers"][0]["login"] == "ezyang"
    assert data["cypher"]["file"] == "queries/repo_top_developers.cypher"
    assert ":param repo => 'pytorch/pytorch';" in data["cypher"]["script"]
    assert data["cypher"]["browserUrl"].startswith("http://localhost:7474/browser/?cmd=edit&arg=")


def test_developer_page(client: FlaskClient) -> None:
    data = get_json(client, "/dev/EZYANG.json")
    assert data["login"] == "ezyang" and data["repos"][0]["repo"] == "pytorch/pytorch"
    assert sum(r["activeMonths"] for r in data["repos"]) == len(data["timeline"])
    assert "pytorch/pytorch" in get_html(client, "/dev/ezyang")


def test_search_suggestions(client: FlaskClient, analysed: Analysed) -> None:
    # the only repository with "torch" in its name; its latest published OpenRank, and its domain
    # in the LLM landscape (the first landscape by name, loaded with the analysis)
    openrank = json.loads((TOP300 / "github/pytorch/pytorch/openrank.json").read_text())
    latest = openrank[max(month for month in openrank if len(month) == 7)]
    rows = landscape_rows(LANDSCAPE / "llm_landscape_2025-09.csv")
    domain = next(row["layer2"] for row in rows if row["repo_name"] == "pytorch/pytorch")
    data = get_json(client, "/search.json?q=torch")
    assert data["results"][0] == {"kind": "repo", "name": "pytorch/pytorch", "openrank": latest, "detail": domain}
    # then developers whose login starts with the text
    assert all(row["kind"] == "developer" and row["name"].lower().startswith("torch") for row in data["results"][1:])
    assert "pytorch/pytorch" in get_html(client, "/search?q=torch")
    assert get_json(client, "/search.json?q=")["results"] == []


def test_vendor_files_are_served_locally(client: FlaskClient) -> None:
    response = client.get("/vendor/cytoscape.min.js")
    assert response.status_code == 200 and b"cytoscape" in response.data[:2000]
    assert client.get("/vendor/../../pyproject.toml").status_code == 404
    assert client.get("/vendor/package.json").status_code == 404


def test_pages_load_nothing_from_other_hosts(client: FlaskClient) -> None:
    for url in PAGES:
        html = get_html(client, url)
        # the only plain-http address a page may hold: the local Neo4j Browser of its Cypher links
        assert "http://" not in html.replace("http://localhost:7474/browser/", "")
        assert "https://" not in html
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp


def test_landscape_shows_the_niches(client: FlaskClient, analysed: Analysed) -> None:
    data = get_json(client, f"/index.json?window={WINDOW}")
    assert len(data["niches"]) == len(analysed.niches.niches)
    pytorch_niche = next(n for n in data["niches"] if any(m["repo"] == "pytorch/pytorch" for m in n["members"]))
    members = {m["repo"] for m in pytorch_niche["members"]}
    assert {"tensorflow/tensorflow", "huggingface/transformers"} <= members
    assigned = {m["repo"] for n in data["niches"] for m in n["members"]}
    assert assigned.isdisjoint(u["repo"] for u in data["unassigned"])
    hubs = {h["repo"] for h in data["hubs"]}  # distribution hubs: kept out of the niches, shown apart
    assert hubs == set(analysed.niches.hubs) and hubs.isdisjoint(assigned)
    assert len(assigned) + len(data["unassigned"]) + len(hubs) == 300
    html = get_html(client, f"/?window={WINDOW}")
    assert f"/niche/{WINDOW}/pytorch/pytorch" in html


def test_repo_page_has_niche_and_relations(client: FlaskClient, analysed: Analysed) -> None:
    data = get_json(client, f"/repo/pytorch/pytorch.json?window={WINDOW}")
    assert data["niche"]["niche"] == f"{WINDOW}/pytorch/pytorch"
    downstream = {r["other"] for r in data["relations"]["downstream"]}
    assert {"huggingface/transformers", "Lightning-AI/lightning"} <= downstream
    assert "tensorflow/tensorflow" in {r["other"] for r in data["relations"]["competitor"]}
    assert all(r["reason"] and r["confidence"] is not None for rows in data["relations"].values() for r in rows)


def test_graph_walk_respects_depth_weight_and_cap(client: FlaskClient, analysed: Analysed) -> None:
    one = get_json(client, f"/graph.json?center=pytorch/pytorch&window={WINDOW}")
    two = get_json(client, f"/graph.json?center=pytorch/pytorch&depth=2&window={WINDOW}")
    assert {n["repo"] for n in one["nodes"]} < {n["repo"] for n in two["nodes"]}
    assert all(n["depth"] <= 1 for n in one["nodes"]) and max(n["depth"] for n in two["nodes"]) == 2
    names = {n["repo"] for n in one["nodes"]}
    assert all(e["source"] in names and e["target"] in names for e in one["edges"])
    heavy = get_json(
        client, f"/graph.json?center=pytorch/pytorch&min_weight=0.02&relations=collaborates&window={WINDOW}"
    )
    assert all(e["type"] == "collaborates" and e["weight"] >= 0.02 for e in heavy["edges"])
    three = get_json(client, f"/graph.json?center=pytorch/pytorch&depth=3&window={WINDOW}")
    assert len(three["nodes"]) <= 200


def test_niche_page(client: FlaskClient, analysed: Analysed) -> None:
    data = get_json(client, f"/niche/{WINDOW}/pytorch/pytorch.json")
    assert data["members"][0]["repo"] == "pytorch/pytorch" and data["size"] == len(data["members"])
    assert [m["rank"] for m in data["members"]] == sorted(m["rank"] for m in data["members"])
    stored = next(n for n in analysed.niches.niches if n.id == data["niche"])
    assert [m["repo"] for m in data["members"]] == [m.repo for m in stored.members]
    assert len(data["curve"]) > 12


def test_a_part_of_a_split_niche_says_why(full_settings: Settings, full_graph: Graph, analysed: Analysed) -> None:
    # the full graph holds no GitHub metadata, so no niche of it was split: give one a stored reason
    niche = analysed.niches.niches[1].id
    reason = "split from a drawer of 12 projects: <its members are 0.50x as alike as random projects>"
    full_graph.write("MATCH (n:Niche {id: $id}) SET n.splitReason = $reason", id=niche, reason=reason)
    try:
        client = create_app(full_settings, TESTING=True).test_client()  # a cache of its own
        assert get_json(client, f"/niche/{niche}.json")["splitReason"] == reason
        page = client.get(f"/niche/{quote(niche)}")
        assert page.status_code == 200 and f"A part of a larger niche, {escape(reason)}.".encode() in page.data
        unsplit = client.get(f"/niche/{WINDOW}/pytorch/pytorch")
        assert get_json(client, f"/niche/{WINDOW}/pytorch/pytorch.json")["splitReason"] is None
        assert b"A part of a larger niche" not in unsplit.data
    finally:
        full_graph.write("MATCH (n:Niche {id: $id}) REMOVE n.splitReason", id=niche)


def test_a_niche_of_one_kind_and_a_placed_project_say_why(
    full_settings: Settings, full_graph: Graph, analysed: Analysed
) -> None:
    # the full graph holds no GitHub metadata, so no niche of one kind was made and nobody placed:
    # give one niche a stored kind reason and one of its members a placement reason
    niche = analysed.niches.niches[2]
    member = niche.members[-1].repo
    kind = "a niche of one kind (programming language): <its 3 members declare it>"
    placed = "placed: <the niche it shares most developers with is also the most like it>"
    full_graph.write("MATCH (n:Niche {id: $id}) SET n.kindReason = $reason", id=niche.id, reason=kind)
    full_graph.write(
        "MATCH (:Repo {name: $repo})-[i:IN_NICHE]->(:Niche {id: $id}) SET i.placed = $reason",
        repo=member,
        id=niche.id,
        reason=placed,
    )
    try:
        client = create_app(full_settings, TESTING=True).test_client()  # a cache of its own
        data = get_json(client, f"/niche/{niche.id}.json")
        assert data["kindReason"] == kind
        assert {m["repo"]: m["placed"] for m in data["members"]}[member] == placed
        assert all(m["placed"] is None for m in data["members"] if m["repo"] != member)
        page = client.get(f"/niche/{quote(niche.id)}")
        assert page.status_code == 200
        assert f"Gathered by kind: {escape(kind)}.".encode() in page.data
        assert f"{member} {escape(placed)}".encode() in page.data
        plain = get_json(client, f"/niche/{WINDOW}/pytorch/pytorch.json")
        assert (
            plain["kindReason"] is None
            and b"Gathered by kind" not in client.get(f"/niche/{WINDOW}/pytorch/pytorch").data
        )
    finally:
        full_graph.write("MATCH (n:Niche {id: $id}) REMOVE n.kindReason", id=niche.id)
        full_graph.write("MATCH (:Repo)-[i:IN_NICHE]->(:Niche {id: $id}) REMOVE i.placed", id=niche.id)


def test_trends_and_compare_pages(client: FlaskClient, analysed: Analysed) -> None:
    trends = get_json(client, f"/trends.json?window={WINDOW}&min_peak_openrank=50&quiet_months=4")
    assert trends["graveyard"]["thresholds"]["minPeakOpenrank"] == 50.0
    assert trends["graveyard"]["thresholds"]["quietMonths"] == 4
    assert trends["yoy"]["risers"][0]["rank"] == 1
    compare = get_json(client, f"/compare.json?repos=pytorch/pytorch,tensorflow/tensorflow&window={WINDOW}")
    assert [p["repo"] for p in compare["projects"]] == ["pytorch/pytorch", "tensorflow/tensorflow"]
    assert compare["shared"][0]["shared"] > 0


@pytest.mark.parametrize(
    ("what", "fmt"),
    [("niches", "csv"), ("relations", "csv"), ("network", "graphml"), ("niches", "gexf"), ("relations", "json")],
)
def test_exports_download(client: FlaskClient, analysed: Analysed, what: str, fmt: str) -> None:
    response = client.get(f"/exports/{what}.{fmt}?window={WINDOW}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    if fmt == "csv":
        rows = list(csv.DictReader(response.data.decode().splitlines()))
        first = {"niches": ["repo", "niche", "label", "stability"], "relations": ["source", "target", "relation"]}
        assert list(rows[0])[: len(first[what])] == first[what]
        assert len(rows) == (300 if what == "niches" else len(analysed.relations.relations))
    elif fmt == "json":
        data = json.loads(response.data)
        assert data["window"] == WINDOW and len(data["relations"]) == len(analysed.relations.relations)
    else:
        root = ET.fromstring(response.data)
        namespace = {"graphml": "http://graphml.graphdrawing.org/xmlns", "gexf": GEXF_NS}[fmt]
        assert root.tag == f"{{{namespace}}}{fmt}"
        assert len(list(root.iter(f"{{{namespace}}}node"))) == 300


def test_exports_of_a_window_without_results(client: FlaskClient) -> None:
    response = client.get("/exports/niches.csv?window=2016-01:2016-12")
    assert response.status_code == 404 and b"nothing computed for this window" in response.data


# --- errors ----------------------------------------------------------------------------


# the title of an error page follows from its status
TITLES = {400: "Bad request", 404: "Not Found"}
ERRORS = [
    (
        "/repo/nobody/nothing",
        404,
        "nobody/nothing is not in the graph. Search for it, or load it with "
        "`nichegraph load opendigger --repos nobody/nothing`.",
    ),
    ("/dev/no-such-developer-xyz", 404, "No developer 'no-such-developer-xyz' in the graph."),
    (
        "/repo/pytorch/pytorch?window=2023-03:2021-01",
        400,
        "window: '2023-03:2021-01' is reversed; the first month must not be after the last",
    ),
    ("/repo/pytorch/pytorch?window=2023-13", 400, "window: '2023-13' is not a month in YYYY-MM form"),
    ("/?window=2030-01:2030-12", 400, "window: 2030-01:2030-12 has no data; the data covers 2015-01..2023-03"),
    ("/search.json?q=" + "x" * 101, 400, "q: at most 100 characters"),
    ("/search.json?q=torch&limit=99999", 400, "limit: 99999 is out of range (1..50)"),
    ("/dev/bad%20login%3Cx%3E", 400, "login: 'bad login<x>' is not a GitHub login"),
    ("/graph?center=pytorch/pytorch&depth=9", 400, "depth: 9 is out of range (1..5)"),
    ("/graph?center=pytorch/pytorch&min_weight=abc", 400, "min_weight: 'abc' is not a number"),
    (
        "/graph?center=pytorch/pytorch&relations=friends",
        400,
        "relations: 'friends' is not one of collaborates, upstream, competitor, peer",
    ),
    ("/graph?center=nobody/nothing", 404, "nobody/nothing is not in the graph."),
    ("/niche/nonsense", 400, "niche: 'nonsense' is not a niche id such as 2022-04:2023-03/pytorch/pytorch"),
    (
        "/niche/2022-04:2023-03/nobody/nothing",
        404,
        "No niche '2022-04:2023-03/nobody/nothing'; the landscape page lists the niches of each window.",
    ),
    ("/compare?repos=pytorch/pytorch,nobody/nothing", 400, "compare: not in the graph: nobody/nothing"),
    ("/trends?quiet_months=0", 400, "quiet_months: 0 is out of range (1..120)"),
    # the rest of this message lists the domains that are loaded
    ("/trends?domain=Astrology", 400, "'Astrology' is no landscape domain, layer or landscape name"),
    (
        "/no/such/page",
        404,
        "The requested URL was not found on the server. If you entered the URL manually please check your "
        "spelling and try again.",
    ),
]


@pytest.mark.parametrize(("url", "status", "message"), ERRORS)
def test_friendly_errors_in_html_and_json(client: FlaskClient, url: str, status: int, message: str) -> None:
    title = TITLES[status]
    html_url = url.replace(".json", "")
    response = client.get(html_url)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    html = response.data.decode()
    assert "Traceback" not in html
    assert f"<h1>{escape(title)}</h1>" in html
    assert str(escape(message)) in html, html
    path, _, query = url.partition("?")
    base = path.rstrip("/") or "/index"
    json_url = (base if base.endswith(".json") else f"{base}.json") + (f"?{query}" if query else "")
    error = get_json(client, json_url, status)["error"]
    assert (error["status"], error["title"]) == (status, title)
    assert message in error["message"]


HOSTILE = [
    "x' OR 1=1 //",
    "pytorch'}) MATCH (n) DETACH DELETE n //",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "$(rm -rf /)",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_is_neutralised_and_changes_nothing(client: FlaskClient, full_graph: Graph, text: str) -> None:
    before = full_graph.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
    quoted = quote(text, safe="")
    for url in [
        f"/search?q={quoted}",
        f"/search.json?q={quoted}",
        f"/repo/{quoted}/x",
        f"/dev/{quoted}",
        f"/?window={quoted}",
        f"/graph?center={quoted}",
        f"/compare?repos={quoted},pytorch/pytorch",
        f"/trends?domain={quoted}",
        f"/niche/{quoted}",
    ]:
        response = client.get(url, follow_redirects=True)  # merged slashes redirect first
        assert response.status_code in {200, 400, 404}, url
        body = response.data.decode()
        assert "<script>alert(1)</script>" not in body and "onerror=alert(1)>" not in body
        assert "Traceback" not in body
    assert full_graph.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == before


# --- Neo4j going away ------------------------------------------------------------------


@pytest.fixture
def proxied_app(full_settings: Settings) -> Iterator[tuple[Flask, SwitchableProxy]]:
    port = int(full_settings.neo4j_uri.rsplit(":", 1)[1])
    proxy = SwitchableProxy(port)
    proxy.start()
    settings = full_settings.with_overrides(neo4j_uri=f"bolt://localhost:{proxy.port}")
    yield create_app(settings, TESTING=True), proxy
    proxy.stop()


def test_neo4j_down_serves_cached_pages_and_503_for_others(proxied_app: tuple[Flask, SwitchableProxy]) -> None:
    app, proxy = proxied_app
    client = app.test_client()
    assert client.get("/repo/pytorch/pytorch").status_code == 200
    proxy.stop()
    # a page in the cache is still served; one that is not says Neo4j is not answering
    assert client.get("/repo/pytorch/pytorch").status_code == 200
    down = client.get("/repo/microsoft/vscode")
    assert down.status_code == 503 and b"not answering" in down.data
    assert client.get("/repo/microsoft/vscode.json").get_json()["error"]["status"] == 503
    assert client.get("/healthz").status_code == 503
    proxy.start()
    deadline = time.monotonic() + 30
    while client.get("/repo/microsoft/vscode").status_code != 200:
        assert time.monotonic() < deadline, "the explorer did not recover"
        time.sleep(0.5)
    assert client.get("/healthz").status_code == 200


def test_start_up_planning_is_reported_by_healthz(full_settings: Settings) -> None:
    app = create_app(full_settings)
    client = app.test_client()
    assert client.get("/healthz").get_json()["queryPlans"] == "not requested"
    assert plan_queries(app).startswith(f"{len(load_library())} library queries planned in ")
    assert client.get("/healthz").get_json() == {
        "ok": True,
        "neo4j": full_settings.neo4j_uri,
        "queryPlans": "ready",
        "defaultPages": "not requested",
    }


def test_the_warm_up_computes_the_first_pages_a_visitor_opens(full_settings: Settings, analysed: Analysed) -> None:
    app = create_app(full_settings)
    client = app.test_client()
    message = warm_pages(app)
    assert message.split(" default pages computed in ")[0].isdigit(), message
    assert client.get("/healthz").get_json()["defaultPages"] == "ready"
    cache = app.extensions["nichegraph_cache"]
    misses = cache.stats.misses
    # the default window's landscape too (the default window is the analysed one)
    for page in [*DEFAULT_PAGES, f"/landscape/{analysed.window}"]:
        for address in (page, f"{page.rstrip('/') or '/index'}.json"):
            assert client.get(address).status_code == 200, address
    # every one of them was computed by the warm-up: the visitor's views are all cache hits
    assert cache.stats.misses == misses
    assert cache.stats.hits >= 2 * len(DEFAULT_PAGES)


def test_a_warm_up_without_neo4j_says_why_and_the_explorer_still_starts(
    proxied_app: tuple[Flask, SwitchableProxy],
) -> None:
    app, proxy = proxied_app
    proxy.stop()
    try:
        message = warm_pages(app)
    finally:
        proxy.start()
    assert message == "default pages not computed: Neo4j does not answer"
    assert app.test_client().get("/healthz").get_json()["defaultPages"] == "failed: Neo4j does not answer"


def test_start_up_planning_without_neo4j_says_why(proxied_app: tuple[Flask, SwitchableProxy]) -> None:
    app, proxy = proxied_app
    proxy.stop()
    try:
        message = plan_queries(app)
        health = app.test_client().get("/healthz")
    finally:
        proxy.start()
    assert message.startswith("query plans not prepared: ") and "Neo4j" in message
    assert health.status_code == 503 and health.get_json()["queryPlans"].startswith("failed: ")
