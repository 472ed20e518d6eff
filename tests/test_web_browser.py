"""The explorer in a real browser (headless Chromium, Playwright): search, walk PyTorch's
neighbourhood by clicking, back and forward, and the compare page. Screenshots are saved in
test-artifacts/ (see tests/support/browser.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.serving import make_server

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.web.app import create_app
from tests.support.browser import chromium_page, screenshot, wait_until
from tests.support.niche_fixtures import Analysed


@pytest.fixture(scope="module")
def explorer(full_settings: Settings) -> Iterator[str]:
    """The real app on a loopback port, served by a thread of this process."""
    server = make_server("127.0.0.1", 0, create_app(full_settings), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def center_of(url: str) -> str | None:
    return parse_qs(urlsplit(url).query).get("center", [None])[0]


def test_search_walk_and_compare(explorer: str, analysed: Analysed, full_graph: Graph) -> None:
    window = analysed.window
    with chromium_page() as page:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{explorer}/?window={window}")
        page.wait_for_selector("text=Niches detected from collaboration")
        screenshot(page, "explorer-1-landscape")

        # search with suggestions, keyboard only
        page.fill("#q", "pytorch")
        page.wait_for_selector("#q-options li")
        page.keyboard.press("ArrowDown")
        assert page.get_attribute("#q", "aria-activedescendant") == "q-option-0"
        page.keyboard.press("Enter")
        page.wait_for_url("**/repo/pytorch/pytorch**")
        page.wait_for_selector("h1:has-text('pytorch/pytorch')")
        screenshot(page, "explorer-2-project-pytorch")

        # into the neighbourhood, then click a neighbour drawn on the canvas
        page.click("text=neighbourhood graph")
        page.wait_for_url("**/graph?**")
        wait_until(page, "() => !!window.nichegraphGraph && window.nichegraphGraph.nodes().length > 1")
        assert center_of(page.url) == "pytorch/pytorch"
        screenshot(page, "explorer-3-graph-pytorch")
        neighbour = page.evaluate(
            """() => {
                 const cy = window.nichegraphGraph;
                 const node = cy.nodes('[center = 0]').sort((a, b) => b.data('size') - a.data('size'))[0];
                 const box = document.getElementById('graph').getBoundingClientRect();
                 const p = node.renderedPosition();
                 return {id: node.id(), x: box.left + p.x, y: box.top + p.y};
               }"""
        )
        page.mouse.click(neighbour["x"], neighbour["y"])
        wait_until(page, "expected => document.getElementById('center-name').textContent === expected", neighbour["id"])
        assert center_of(page.url) == neighbour["id"]
        wait_until(
            page, "expected => window.nichegraphGraph.nodes('[center = 1]')[0].id() === expected", neighbour["id"]
        )
        screenshot(page, "explorer-4-graph-neighbour")

        # history: back to PyTorch, forward to the neighbour; the URL is shareable
        page.go_back()
        wait_until(page, "() => document.getElementById('center-name').textContent === 'pytorch/pytorch'")
        assert center_of(page.url) == "pytorch/pytorch"
        page.go_forward()
        wait_until(page, "expected => document.getElementById('center-name').textContent === expected", neighbour["id"])
        shared_url = page.url
        page.goto(shared_url)
        wait_until(page, "expected => document.getElementById('center-name').textContent === expected", neighbour["id"])

        # compare the two
        page.goto(f"{explorer}/compare?repos=pytorch/pytorch,{neighbour['id']}&window={window}")
        page.wait_for_selector("h1:has-text('Compare')")
        assert page.locator("table").first.inner_text().count("pytorch/pytorch") >= 1
        screenshot(page, "explorer-5-compare")
        assert errors == []


def test_two_hundred_nodes_stay_responsive(explorer: str, analysed: Analysed) -> None:
    """Four steps around CPython reach the 200-project cap; the graph draws and hovering answers."""
    with chromium_page() as page:
        page.goto(f"{explorer}/graph?center=python/cpython&depth=4&window={analysed.window}")
        wait_until(page, "() => !!window.nichegraphGraph && window.nichegraphGraph.nodes().length > 1")
        count = page.evaluate("() => window.nichegraphGraph.nodes().length")
        assert count == 200
        assert page.locator("text=showing the 200 closest projects").count() == 1
        target = page.evaluate(
            """() => { const cy = window.nichegraphGraph; const n = cy.nodes()[5];
                       const box = document.getElementById('graph').getBoundingClientRect();
                       const p = n.renderedPosition(); return {x: box.left + p.x, y: box.top + p.y, id: n.id()}; }"""
        )
        page.mouse.move(target["x"], target["y"])
        page.wait_for_selector(f"#graph-details p:has-text('{target['id']}')", timeout=5_000)
        screenshot(page, "explorer-6-graph-200-projects")
