"""What every page shares: the read-only graph, the chosen window, the data's own range,
and the rule that makes every page answer as HTML and as its JSON twin."""

from __future__ import annotations

import functools
import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson
from flask import Blueprint, Flask, current_app, g, has_app_context, jsonify, render_template, request
from neo4j.exceptions import Neo4jError

from nichegraph.db import Graph
from nichegraph.errors import BadParameter, NichegraphError
from nichegraph.months import Window
from nichegraph.queries import windows
from nichegraph.queries.library import run_query
from nichegraph.web.cache import PageCache

N = TypeVar("N", int, float)

# a guard beside the byte limit: many tiny entries (search answers) cost bookkeeping too
MAX_ENTRIES = 5000
# a net for writes the data version does not see (a landscape file reloaded with other domains)
MAX_AGE_SECONDS = 600.0


def page_cache(app: Flask) -> PageCache:
    """The app's page cache: NICHEGRAPH_WEB_CACHE_MB of computed page data, least recently used
    first out, emptied when the graph's data version (the `data_version` query) changes."""
    graph: Graph = app.extensions["nichegraph_graph"]
    megabytes = app.config["SETTINGS"].web_cache_mb
    return PageCache(MAX_ENTRIES, megabytes * 1024 * 1024, lambda: data_version(graph), max_age=MAX_AGE_SECONDS)


def data_version(graph: Graph) -> tuple[Any, ...] | None:
    """The data's version stamp; None when Neo4j does not answer (the page's own reads then say so)."""
    try:
        row = run_query(graph, "data_version")[0]
    except (NichegraphError, Neo4jError):
        return None
    return tuple(str(value) for value in row.values())


def cached(key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """`compute()`'s value for `key` (built from normalised parameters: the resolved window,
    canonical sorted names, clamped sizes), shared by requests until the data changes."""
    return current_app.extensions["nichegraph_cache"].get(key, compute)


def cached_query(graph: Graph, name: str, **params: Any) -> list[dict[str, Any]]:
    """A library query's rows, shared by requests until the data changes."""
    return cached(("query", name, tuple(sorted(params.items()))), lambda: run_query(graph, name, **params))


def wants_json() -> bool:
    return request.path.endswith(".json") or request.path.startswith("/api/")


def data_range(graph: Graph) -> Window | None:
    """The months the loaded data covers (shared by requests until the data changes)."""
    return cached(("data_range",), lambda: windows.data_range(graph))


@dataclass
class PageContext:
    graph: Graph
    window_text: str | None
    # monotonic time by which the request's reads must be done (NICHEGRAPH_QUERY_TIMEOUT after it began)
    deadline: float = math.inf

    @classmethod
    def from_request(cls, graph: Graph, budget: float = math.inf) -> PageContext:
        return cls(graph, request.args.get("window") or None, time.monotonic() + budget)

    @functools.cached_property
    def data_window(self) -> Window | None:
        return data_range(self.graph)

    @property
    def data_range(self) -> tuple[str, str] | None:
        """(first month, last month) of the loaded data, as pages show it."""
        return (self.data_window.first, self.data_window.last) if self.data_window else None

    @property
    def shown_window(self) -> str:
        """The window the header shows: the chosen one, or what was asked for when no window can
        be chosen (a graph holding only a loaded network has no months)."""
        try:
            return str(self.window)
        except BadParameter:
            return self.window_text or ""

    @functools.cached_property
    def window(self) -> Window:
        """?window=A:B cut to the months of the data (refused when it shares none with it), or
        the last 12 months of data."""
        return windows.choose_window(self.window_text, self.data_window, what="window", fit=windows.CLIP)


def time_left(budget: float) -> Callable[[], float]:
    """For Graph(read_timeout=...): each read of a request gets what is left of the request's
    `budget` seconds, so a page of several queries is stopped as a whole; reads outside a
    request (threads a page starts, start-up planning) get the whole budget."""

    def left() -> float:
        page = g.get("page") if has_app_context() else None
        if page is None:
            return budget
        return min(budget, page.deadline - time.monotonic())

    return left


def address_key(form: str, data: dict[str, Any]) -> tuple[Any, ...]:
    """The key of a page as sent (HTML or JSON), drawn from `data`. HTML echoes the address
    (links keep ?window= as given, forms keep the other parameters), so the key holds the
    address and a digest of the data; the data itself is cached under normalised keys by the
    views, and both go when the data changes."""
    digest = hashlib.blake2b(orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS, default=str), digest_size=16)
    return ("sent", form, request.path, tuple(sorted(request.args.items(multi=True))), digest.digest())


def json_twin(path: str) -> str:
    """The JSON twin's address of a page's path (`/trends` -> `/trends.json`, `/` -> `/index.json`)."""
    return f"{path.rstrip('/') or '/index'}.json"


def page(blueprint: Blueprint, rule: str, template: str, **options: Any) -> Callable[..., Any]:
    """Register `rule` as an HTML page and its JSON twins `rule.json` and `/api/rule`.

    The view returns the page's data as a dict; HTML renders it with `template`, JSON
    returns it as it is (with the window it was computed for)."""

    def decorate(view: Callable[..., dict[str, Any]]) -> Callable[..., Any]:
        @functools.wraps(view)
        def respond(**kwargs: Any) -> Any:
            data = view(**kwargs)
            if wants_json():
                body = cached(address_key("json", data), lambda: jsonify(data).get_data())
                return current_app.response_class(body, mimetype="application/json")
            return cached(address_key(template, data), lambda: render_template(template, data=data, page=g.page))

        base = rule.rstrip("/") or "/index"
        blueprint.add_url_rule(rule, view.__name__, respond, **options)
        blueprint.add_url_rule(json_twin(rule), f"{view.__name__}_json", respond, **options)
        blueprint.add_url_rule(f"/api{base}", f"{view.__name__}_api", respond, **options)
        return respond

    return decorate


def int_arg(name: str, default: int, low: int, high: int) -> int:
    return _number_arg(name, default, low, high, int, "a whole number")


def float_arg(name: str, default: float, low: float, high: float) -> float:
    return _number_arg(name, default, low, high, float, "a number")


def _number_arg(name: str, default: N, low: N, high: N, parse: Callable[[str], N], kind: str) -> N:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = parse(raw)
    except ValueError as error:
        raise BadParameter(f"{name}: {raw!r} is not {kind}") from error
    # NaN fails both comparisons, so it is refused here too
    if not low <= value <= high:
        raise BadParameter(f"{name}: {value} is out of range ({low}..{high})")
    return value
