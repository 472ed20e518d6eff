"""No request can hold a worker (issue 13): absurd windows, depths, limits and long lists, sent over
HTTP to every page and JSON twin of a real explorer (`nichegraph serve`: waitress with two worker
threads, against the full snapshot). Each answer's status and content are checked; time is not
asserted, but the client waits at most CLIENT_TIMEOUT seconds, so a stuck worker fails the test.
The explorer's reads share a budget of NICHEGRAPH_QUERY_TIMEOUT seconds per request."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import QueryTimedOut
from nichegraph.scratch import free_port
from nichegraph.web.app import create_app
from tests.support.niche_fixtures import Analysed

CLIENT_TIMEOUT = 60.0  # generous: the explorer answers within its 5 s budget plus rendering
QUERY_TIMEOUT = "5"
ALL_DATA = "2015-01:2023-03"
WINDOW = "2022-04:2023-03"
ABSURD = "1999-01:2999-12"
BIG_SIX = [
    "pytorch/pytorch",
    "tensorflow/tensorflow",
    "microsoft/vscode",
    "kubernetes/kubernetes",
    "flutter/flutter",
    "home-assistant/core",
]


@pytest.fixture(scope="module")
def explorer(full_settings: Settings, analysed: Analysed, openrank_computed: dict[str, Any]) -> Iterator[str]:
    # openrank_computed: pages asking for computed OpenRank have it
    port = free_port()
    env = dict(os.environ, NEO4J_URI=full_settings.neo4j_uri, NICHEGRAPH_QUERY_TIMEOUT=QUERY_TIMEOUT)
    process = subprocess.Popen(
        [sys.executable, "-m", "nichegraph", "serve", "--port", str(port), "--threads", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, "nichegraph serve exited"
            assert time.monotonic() < deadline, "nichegraph serve did not answer /healthz"
            time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        process.wait(30)


@pytest.fixture(scope="module")
def client(explorer: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=explorer, timeout=CLIENT_TIMEOUT) as http:
        yield http


def twins(url: str) -> list[str]:
    """The HTML page and its two JSON twins."""
    path, _, query = url.partition("?")
    suffix = f"?{query}" if query else ""
    base = path.rstrip("/") or "/index"
    return [url, f"{base}.json{suffix}", f"/api{base}{suffix}"]


def answer(client: httpx.Client, url: str) -> tuple[int, Any]:
    response = client.get(url)
    if response.headers["content-type"].startswith("application/json"):
        return response.status_code, response.json()
    assert response.headers["content-type"].startswith("text/html"), url
    assert "Traceback" not in response.text
    return response.status_code, response.text


def json_of(client: httpx.Client, url: str) -> tuple[int, dict[str, Any]]:
    status, body = answer(client, twins(url)[1])
    assert isinstance(body, dict)
    return status, body


# --- windows: cut to the data, or refused -----------------------------------------------------

CLIPPED = [
    f"/?window={ABSURD}",
    f"/repo/pytorch/pytorch?window={ABSURD}",
    "/dev/ezyang?window=0001-01:9999-12",
    f"/exports?window={ABSURD}",
    f"/compare?repos=pytorch/pytorch,vercel/next.js&window={ABSURD}",
    f"/trends?window={ABSURD}",
    f"/trends?window={ABSURD}&openrank=computed",
    "/trends?window=2010-01:2999-12&domain=Training&quiet_months=24",
]


@pytest.mark.parametrize("url", CLIPPED)
def test_a_window_reaching_past_the_data_is_cut_to_it(client: httpx.Client, url: str) -> None:
    """The page answers for the data's months (or, when its questions outlast the budget, says so)."""
    for twin in twins(url):
        status, body = answer(client, twin)
        if status == 504:
            text = body["error"]["title"] if isinstance(body, dict) else body
            assert "This took too long" in text, twin
            continue
        assert status == 200, (twin, str(body)[:300])
        if isinstance(body, dict):
            assert body["window"] == ALL_DATA, twin
        else:
            assert "<html" in body and "Something went wrong" not in body, twin


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/?window=2999-01:2999-12", 400, "window: 2999-01:2999-12 has no data; the data covers 2015-01..2023-03"),
        ("/trends?window=0001-01:2014-12", 400, "has no data"),
        (f"/graph?center=pytorch/pytorch&window={ABSURD}", 404, f"No collaboration network for {ALL_DATA} yet"),
        (f"/exports/niches.csv?window={ABSURD}", 404, "nothing computed for this window"),
        ("/repo/pytorch/pytorch?window=9999-99:9999-99", 400, "is not a month"),
        ("/repo/pytorch/pytorch?window=" + "2022-01:" * 5000, 400, "is not a window"),
    ],
)
def test_windows_without_data_or_sense_are_refused(client: httpx.Client, url: str, status: int, message: str) -> None:
    got, body = answer(client, url)
    assert got == status and message in body
    if not url.startswith("/exports/"):
        got, error = json_of(client, url)
        assert got == status and message in error["error"]["message"]


# --- sizes: bounded -------------------------------------------------------------------------


def many(names: list[str], count: int) -> str:
    return ",".join((names * (count // len(names) + 1))[:count])


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        (f"/graph?center=pytorch/pytorch&depth=1000000000&window={WINDOW}", 400, "depth: 1000000000 is out of range"),
        (f"/graph?center=pytorch/pytorch&depth=-1&window={WINDOW}", 400, "depth: -1 is out of range"),
        (f"/graph?center=pytorch/pytorch&min_weight=1e308&window={WINDOW}", 400, "min_weight: 1e+308 is out of range"),
        ("/search.json?q=torch&limit=100000000000", 400, "limit: 100000000000 is out of range"),
        ("/search.json?q=" + "x" * 5000, 400, "q: at most 100 characters"),
        ("/compare?repos=" + many(BIG_SIX, 300), 400, "repos: compare at most 6 projects at a time"),
        ("/trends?quiet_months=999999999", 400, "quiet_months: 999999999 is out of range"),
        # within bounds but longer than the window the absurd one is cut to (2015-01..2023-03: 99 months)
        (
            f"/trends?window={ABSURD}&quiet_months=120",
            400,
            "quiet_months: 120 is longer than the window 2015-01:2023-03",
        ),
        ("/trends?min_peak_openrank=1e308", 400, "min_peak_openrank: 1e+308 is out of range"),
        ("/trends?newcomer_min_openrank=nan", 400, "newcomer_min_openrank: nan is out of range"),
        ("/trends?min_peak_attention=10000000000000", 400, "min_peak_attention: 10000000000000 is out of range"),
        ("/trends?domain=" + "x" * 20000, 400, "is no landscape domain"),
        ("/niche/" + "x" * 20000, 400, "is not a niche id"),
        ("/dev/" + "a" * 20000, 400, "is not a GitHub login"),
        ("/repo/" + "a" * 5000 + "/b", 404, "is not in the graph"),
    ],
)
def test_size_parameters_are_bounded(client: httpx.Client, url: str, status: int, message: str) -> None:
    got, body = answer(client, url)
    assert got == status, (url[:100], str(body)[:300])
    text = body["error"]["message"] if isinstance(body, dict) else body
    assert message in text.replace("&#39;", "'"), (url[:100], text[:300])


def test_a_deep_walk_and_a_long_relation_list_stay_within_the_cap(client: httpx.Client, analysed: Analysed) -> None:
    relations = quote(many(["peer", "upstream", "competitor", "collaborates"], 4000))
    status, body = json_of(client, f"/graph?center=pytorch/pytorch&depth=5&relations={relations}&window={WINDOW}")
    assert status == 200
    assert len(body["nodes"]) <= body["maxNodes"] == 200
    assert body["relations"] == ["collaborates", "competitor", "peer", "upstream"]
    names = {node["repo"] for node in body["nodes"]}
    assert all(edge["source"] in names and edge["target"] in names for edge in body["edges"])


def test_six_large_projects_over_all_the_data_answer_or_say_they_took_too_long(client: httpx.Client) -> None:
    url = f"/compare?repos={','.join(BIG_SIX)}&window={ABSURD}"
    for twin in twins(url):
        status, body = answer(client, twin)
        assert status in {200, 504}, (twin, str(body)[:300])
        if status == 200 and isinstance(body, dict):
            assert [project["repo"] for project in body["projects"]] == BIG_SIX and body["window"] == ALL_DATA
        elif status == 504:
            assert "This took too long" in (body["error"]["title"] if isinstance(body, dict) else body)


def test_heavy_requests_at_once_leave_the_workers_free(client: httpx.Client, explorer: str) -> None:
    """Eight heavy requests at once on two worker threads: each is answered (or stopped) within
    its budget, and a light page answers afterwards."""
    heavy = [f"/trends.json?window={ABSURD}&openrank=computed&min_peak_openrank={n}" for n in range(4)] + [
        f"/compare.json?repos={','.join(BIG_SIX[n:] + BIG_SIX[:n])}&window={ABSURD}" for n in range(4)
    ]
    with ThreadPoolExecutor(len(heavy)) as pool:
        statuses = list(pool.map(lambda url: httpx.get(explorer + url, timeout=CLIENT_TIMEOUT).status_code, heavy))
    assert set(statuses) <= {200, 504}, statuses
    status, body = json_of(client, "/repo/pytorch/pytorch")
    assert status == 200 and body["repo"] == "pytorch/pytorch"


# --- the timeout itself ---------------------------------------------------------------------

SLOW = "UNWIND range(1, 100000000000) AS x RETURN count(x) AS n"


def test_the_server_stops_a_read_past_its_timeout(full_settings: Settings) -> None:
    with Graph(full_settings, read_timeout=0.5) as graph:
        with pytest.raises(QueryTimedOut, match=r"ran longer than its time limit of 0\.5 s"):
            graph.read(SLOW)
        assert graph.read("RETURN 1 AS one") == [{"one": 1}]  # the connection is still good


def test_a_spent_budget_answers_504_in_html_and_json(full_settings: Settings) -> None:
    app = create_app(full_settings.with_overrides(query_timeout=1e-9), TESTING=True)
    client = app.test_client()
    page = client.get("/dev/ezyang")
    assert page.status_code == 504 and "This took too long" in page.text and "Try a shorter window" in page.text
    error = client.get("/dev/ezyang.json").get_json()["error"]
    assert error["status"] == 504 and "took longer than 1e-09 seconds" in error["message"]
