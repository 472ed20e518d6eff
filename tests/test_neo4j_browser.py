"""Neo4j Browser, served by the local server: connect, paste a library file as it is,
run it, and find its result on screen."""

from __future__ import annotations

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.queries.cli import browser_style_command
from nichegraph.queries.library import get_query
from tests.support.browser import chromium_page, screenshot
from tests.support.servers import PORTS


def run_top_login(settings: Settings) -> str:
    with Graph(settings) as graph:
        return graph.read(
            "MATCH (:Repo {name: 'pytorch/pytorch'})<-[c:CONTRIBUTED {month: '2023-03'}]-(d:Developer) "
            "RETURN d.login AS login ORDER BY c.activity DESC LIMIT 1"
        )[0]["login"]


def test_a_library_query_runs_in_neo4j_browser(full_settings: Settings) -> None:
    bolt, http = PORTS["full"]
    query = get_query("developer_repos")
    with chromium_page() as page:
        page.goto(f"http://localhost:{http}/browser/")
        page.wait_for_selector("[data-testid=boltaddress]")
        page.select_option("select", "bolt://")
        page.fill("[data-testid=boltaddress]", f"localhost:{bolt}")
        page.fill("[data-testid=username]", full_settings.neo4j_user)
        page.fill("[data-testid=password]", full_settings.neo4j_password)
        page.click("[data-testid=connect]")
        page.wait_for_selector("text=Connected to Neo4j", timeout=30_000)

        def run(text: str) -> None:
            page.locator(".monaco-editor").first.click()
            page.keyboard.insert_text(text)
            page.keyboard.press("Control+Enter")

        # the header's :param lines, as a Browser user copies them, then the whole file
        for line in query.text.splitlines():
            if line.startswith("// :param"):
                run(line.removeprefix("// "))
                page.wait_for_selector(f"text={line.split()[2]}")
        run(query.text)
        page.wait_for_selector("text=conda-forge/staged-recipes", timeout=30_000)
        assert page.get_by_text('"pytorch/pytorch"', exact=True).count() == 1
        assert page.locator("text=2278.86").count() >= 1
        screenshot(page, "neo4j-browser-developer-repos")

        # the nichegraph style: repositories captioned by name, developers by login
        run(browser_style_command())
        run(
            "MATCH (r:Repo {name: 'pytorch/pytorch'})<-[c:CONTRIBUTED {month: '2023-03'}]-(d:Developer) "
            "RETURN r, c, d ORDER BY c.activity DESC LIMIT 5"
        )
        page.wait_for_selector("svg text:has-text('pytorch/')", timeout=30_000)
        assert page.locator("text=Something went wrong").count() == 0
        screenshot(page, "neo4j-browser-styled-graph")
        captions = page.locator("svg text").evaluate_all("elements => elements.map(e => e.textContent || '')")
        top = run_top_login(full_settings)
        # Browser shortens captions to fit the circle ("ezy…")
        names = [caption.strip() for caption in captions if not caption.strip()[:4].isdigit()]
        assert any(caption.startswith(top[:3]) for caption in names), names
