"""Headless Chromium from Debian's packages, driven by Playwright (no browser download)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from nichegraph.config import PROJECT_ROOT

ARTIFACTS = Path(os.environ.get("NICHEGRAPH_TEST_ARTIFACTS") or PROJECT_ROOT / "test-artifacts")
# The flags the machine's own probe uses: without the background-networking ones Chromium
# keeps trying to reach Google's hosts on a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("NICHEGRAPH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail(
            "headless Chromium is needed for the browser tests: apt install chromium (or set NICHEGRAPH_CHROMIUM)"
        )
    return path


@contextmanager
def chromium_page(width: int = 1400, height: int = 900) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            yield page
        finally:
            browser.close()


def screenshot(page: object, name: str) -> Path:
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def wait_until(page: object, expression: str, arg: object = None, timeout: float = 20.0) -> None:
    """Poll a JavaScript function from the test side. (Playwright's in-page polling compiles the
    predicate with eval, which the explorer's Content-Security-Policy rightly forbids.)"""
    import time

    deadline = time.monotonic() + timeout
    while True:
        if page.evaluate(expression, arg):  # type: ignore[attr-defined]
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {expression}")
        time.sleep(0.1)
