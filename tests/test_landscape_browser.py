"""The report's landscape in a real browser (headless Chromium): open the landscape page, go to
vLLM's neighbourhood in the loaded network and walk it by clicking. Screenshots land in
test-artifacts/ (landscape-*.png)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.serving import make_server

from nichegraph.web.app import create_app
from tests.support.browser import chromium_page, screenshot, wait_until
from tests.support.landscape_fixtures import (
    NAME,
    LandscapeGraph,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def explorer(report_graph: LandscapeGraph) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, create_app(report_graph.settings), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def test_landscape_page_and_vllms_neighbourhood(explorer: str) -> None:
    with chromium_page(width=1400, height=1000) as page:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{explorer}/landscape")
        page.click(f"text={NAME}")
        page.wait_for_url(f"**/landscape/{NAME}")
        page.wait_for_selector(".lfig .ltile")
        assert page.locator(".lfig .ltile").count() == 135
        # tiles do not overlap on screen: the treemap as the browser lays it out
        boxes = page.evaluate(
            """() => Array.from(document.querySelectorAll('.lfig .ltile')).map(t => {
                 const r = t.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""
        )
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert min(a[2], b[2]) - max(a[0], b[0]) <= 1.5 or min(a[3], b[3]) - max(a[1], b[1]) <= 1.5
        screenshot(page, "landscape-1-page")
        page.click("text=detected niches")
        page.wait_for_url("**by=niche**")
        page.wait_for_selector(".lfig .ltile")
        screenshot(page, "landscape-2-by-niche")

        # from the table of every project to vLLM's neighbourhood in the network
        page.click("#project-table tr:has(a:text-is('vllm-project/vllm')) >> text=neighbourhood")
        page.wait_for_url("**/graph?**")
        assert query(page.url) == {"network": NAME, "center": "vllm-project/vllm"}
        wait_until(page, "() => !!window.nichegraphGraph && window.nichegraphGraph.nodes().length > 1")
        ids = page.evaluate("() => window.nichegraphGraph.nodes().map(n => n.id())")
        assert "sgl-project/sglang" in ids
        screenshot(page, "landscape-3-vllm-neighbourhood")
        target = page.evaluate(
            """() => { const cy = window.nichegraphGraph; const node = cy.getElementById('sgl-project/sglang');
                       const box = document.getElementById('graph').getBoundingClientRect();
                       const p = node.renderedPosition(); return {x: box.left + p.x, y: box.top + p.y}; }"""
        )
        page.mouse.click(target["x"], target["y"])
        wait_until(page, "() => document.getElementById('center-name').textContent === 'sgl-project/sglang'")
        assert query(page.url)["network"] == NAME and query(page.url)["center"] == "sgl-project/sglang"
        screenshot(page, "landscape-4-sglang-neighbourhood")
        page.go_back()
        wait_until(page, "() => document.getElementById('center-name').textContent === 'vllm-project/vllm'")
        assert errors == []
