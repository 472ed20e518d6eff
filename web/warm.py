"""Warming the page cache when the explorer starts, so the first visitor of the pages everyone
opens first (home, trends, the landscapes, the default graph) does not wait for them to be
computed: after a start these took 1-5 s on the 2-core machine (docs/web.md, the cold pass),
mostly Trends, whose five readings cover every month since the start of the data, and the
default window's landscape (2.7 s).

The pages are requested through the app itself, with the addresses a visitor uses, so what is
stored is exactly what those requests would store (the cache keys are the pages' own); a page
that fails is skipped with its status (its visitor gets the same answer). The cache empties when
the data changes (web/cache.py): the next visitor after a load computes the page again."""

from __future__ import annotations

import time

from flask import Flask

from nichegraph.web.context import json_twin

# the pages with no required parameter, in the order a visitor meets them
DEFAULT_PAGES = ("/", "/trends", "/landscape", "/graph", "/exports", "/evaluation")
MAX_LANDSCAPES = 10  # each loaded network's landscape page too, up to this many
UNAVAILABLE = (503, 504)  # Neo4j down, or its reads over the time limit


def addresses_to_warm(app: Flask) -> list[str]:
    """The default pages, the default window's landscape when it has niches, each loaded
    network's landscape, each with its JSON twin."""
    client = app.test_client()
    names: list[str] = []
    home = client.get("/index.json")  # a default page: computed here once, then cached
    if home.status_code == 200 and (home.get_json() or {}).get("niches"):
        names.append(home.get_json()["window"])
    networks = client.get("/landscape.json")
    if networks.status_code == 200:
        names += [row["name"] for row in (networks.get_json() or {}).get("networks", [])][:MAX_LANDSCAPES]
    pages = [*DEFAULT_PAGES, *(f"/landscape/{name}" for name in names)]
    return [address for page in pages for address in (page, json_twin(page))]


def warm_pages(app: Flask) -> str:
    """Request every address of `addresses_to_warm` once; a line saying what it did."""
    started = time.monotonic()
    app.extensions["nichegraph_warm"] = "warming"
    client = app.test_client()
    failed = []
    computed = 0
    try:
        if not app.extensions["nichegraph_graph"].ping():
            return gave_up(app, "Neo4j does not answer")
        for address in addresses_to_warm(app):
            status = client.get(address).status_code
            if status in UNAVAILABLE:  # every other page would wait as long: leave them to visitors
                return gave_up(app, f"{address} answered {status} after {computed} pages")
            if status == 200:
                computed += 1
            else:
                failed.append(f"{address} ({status})")
    except Exception as error:  # a warm-up is a courtesy: the explorer serves without it
        return gave_up(app, str(error))
    app.extensions["nichegraph_warm"] = "ready"
    line = f"{computed} default pages computed in {time.monotonic() - started:.1f}s"
    return line + (f"; not answering: {', '.join(failed)}" if failed else "")


def gave_up(app: Flask, why: str) -> str:
    app.extensions["nichegraph_warm"] = f"failed: {why}"
    return f"default pages not computed: {why}"
