"""The explorer on the report's network (Flask's test client, real Neo4j): the landscape page
and its twins, the figure files, the walk of a loaded network, network niches, and project and
compare pages for projects without developer data."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient

from nichegraph.web.app import create_app
from tests.support.landscape_fixtures import (
    NAME,
    REPORT_NETWORK,
    WITH_DEVELOPERS,
    LandscapeGraph,
)


@pytest.fixture(scope="module")
def client(report_graph: LandscapeGraph) -> FlaskClient:
    app: Flask = create_app(report_graph.settings, TESTING=True)
    return app.test_client()


def get(client: FlaskClient, url: str, status: int = 200, mimetype: str = "text/html") -> bytes:
    response = client.get(url)
    assert response.status_code == status, (url, response.data[:400])
    assert response.mimetype == mimetype, url
    return response.data


def report_names() -> set[str]:
    return {name for name, _ in json.loads(REPORT_NETWORK.read_text(encoding="utf-8"))["nodes"]}


def test_the_networks_page(client: FlaskClient) -> None:
    page = get(client, "/landscape").decode()
    assert f'href="/landscape/{NAME}"' in page and "pytorch/pytorch" in page  # the walk starts at its largest
    data = json.loads(get(client, "/landscape.json", mimetype="application/json"))
    network = next(n for n in data["networks"] if n["name"] == NAME)
    assert (network["nodes"], network["edges"], network["niches"], network["relations"]) == (135, 897, 11, True)


def test_the_landscape_page_and_its_twin(client: FlaskClient) -> None:
    page = get(client, f"/landscape/{NAME}").decode()
    assert "by hand-made domains of landscape_2025-05" in page and "NMI" in page
    for name in report_names():
        assert f'data-repo="{name}"' in page
    data = json.loads(get(client, f"/api/landscape/{NAME}?by=niche", mimetype="application/json"))
    assert data["figure"]["by"] == "niche" and data["agreement"]["landscape"] == "landscape_2025-05"
    tiles = {t["repo"] for box in data["figure"]["boxes"] for t in box["tiles"]}
    assert tiles == report_names()
    assert data["agreement"]["nmi"] >= 0.6
    vllm = next(t for box in data["figure"]["boxes"] for t in box["tiles"] if t["repo"] == "vllm-project/vllm")
    assert vllm["trendSource"] == "llm_landscape_2025-09: Jan→Jul 2025"
    assert vllm["change"] == pytest.approx(637 / 490 - 1)  # the LLM landscape's openrank_07 / openrank_01


def test_the_figure_files(client: FlaskClient) -> None:
    svg = get(client, f"/landscape/{NAME}/figure.svg?by=niche", mimetype="image/svg+xml")
    assert b'id="tile:vllm-project/vllm"' in svg
    png = get(client, f"/landscape/{NAME}/figure.png", mimetype="image/png")
    assert png.startswith(b"\x89PNG")
    get(client, f"/landscape/{NAME}/figure.pdf", status=400)


def test_walking_the_network_from_vllm(client: FlaskClient) -> None:
    data = json.loads(get(client, f"/graph.json?network={NAME}&center=vllm-project/vllm", mimetype="application/json"))
    assert data["network"] == NAME and data["window"] is None
    neighbours = {n["repo"] for n in data["nodes"] if n["depth"] == 1}
    assert {"sgl-project/sglang", "ray-project/ray"} <= neighbours
    # by default the kept links (each project's 3 strongest by the normalised weight); all on demand
    every = json.loads(
        get(client, f"/graph.json?network={NAME}&center=vllm-project/vllm&links=all", mimetype="application/json")
    )
    everyone = {n["repo"] for n in every["nodes"] if n["depth"] == 1}
    assert neighbours < everyone and "pytorch/pytorch" in everyone - neighbours
    raw = json.loads(REPORT_NETWORK.read_text(encoding="utf-8"))
    assert everyone == {
        b if a == "vllm-project/vllm" else a for a, b, _ in raw["edges"] if "vllm-project/vllm" in (a, b)
    }
    links = [e for e in data["edges"] if e["type"] == "collaborates"]
    link = next(e for e in links if {e["source"], e["target"]} == {"vllm-project/vllm", "sgl-project/sglang"})
    assert link["rawWeight"] == 810 and 0 < link["weight"] < 1
    assert any(e["type"] == "competitor" for e in data["edges"])
    page = get(client, f"/graph?network={NAME}&center=vllm-project/vllm").decode()
    assert 'name="network" value="ant-2025"' in page and "in network ant-2025" in page
    get(client, "/graph?network=nope&center=vllm-project/vllm", status=400)


def test_sglangs_niche(client: FlaskClient) -> None:
    project = json.loads(get(client, "/repo/sgl-project/sglang.json", mimetype="application/json"))
    network = next(n for n in project["networks"] if n["network"] == NAME)
    niche = network["niche"]["niche"]
    assert niche.startswith(f"network:{NAME}/")
    data = json.loads(get(client, f"/niche/{niche}.json", mimetype="application/json"))
    assert data["network"] == NAME and "sgl-project/sglang" in {m["repo"] for m in data["members"]}
    sglang = next(m for m in data["members"] if m["repo"] == "sgl-project/sglang")
    assert sglang["openrank"] == 269.0  # the network file's figure
    page = get(client, f"/niche/{niche}").decode()
    assert f'network <a href="/landscape/{NAME}">{NAME}</a>' in page


def test_project_pages_say_what_is_missing(client: FlaskClient) -> None:
    page = get(client, "/repo/vllm-project/vllm?window=2023-10:2024-09").decode()
    assert 'id="no-developer-data"' in page and "openrank_inference_engines" in page
    data = json.loads(get(client, "/repo/vllm-project/vllm.json", mimetype="application/json"))
    assert data["developerData"] is False and data["series"] == ["openrank_inference_engines"]
    assert len([m for m in data["months"] if m["openrank"] is not None]) == 16
    page = get(client, f"/repo/{WITH_DEVELOPERS}").decode()
    assert 'id="no-developer-data"' not in page


def test_compare_says_what_is_missing(client: FlaskClient) -> None:
    page = get(client, "/compare?repos=vllm-project/vllm,sgl-project/sglang&window=2024-01:2024-09").decode()
    assert 'id="missing-figures"' in page and "vllm-project/vllm, sgl-project/sglang" in page


def test_unknown_network(client: FlaskClient) -> None:
    get(client, "/landscape/nope", status=404)
    get(client, "/landscape/no%20such", status=400)
