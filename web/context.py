"""What every page shares: the read-only graph, the chosen window, the data's own range,
and the rule that makes every page answer as HTML and as its JSON twin."""

from __future__ import annotations

import functools
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Blueprint, g, has_app_context, jsonify, render_template, request

from nichegraph.db import Graph
from nichegraph.errors import BadParameter
from nichegraph.months import Window
from nichegraph.queries import windows
from nichegraph.queries.library import run_query

N = TypeVar("N", int, float)

# Whole-window results (the landscape, the window's graph, the data range) change only when
# someone loads or analyses data; pages read them at most once a minute per window.
CACHE_SECONDS = 60.0
_cache: dict[tuple[Any, ...], tuple[float, Any]] = {}
_cache_lock = threading.Lock()


def cached(key: tuple[Any, ...], compute: Callable[[], Any], seconds: float = CACHE_SECONDS) -> Any:
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
        if hit and now - hit[0] < seconds:
            return hit[1]
    value = compute()
    with _cache_lock:
        _cache[key] = (now, value)
    return value


def cached_query(graph: Graph, name: str, **params: Any) -> list[dict[str, Any]]:
    """A library query's rows, shared by requests for a minute."""
    key = (graph.uri, name, tuple(sorted(params.items())))
    return cached(key, lambda: run_query(graph, name, **params))


def wants_json() -> bool:
    return request.path.endswith(".json") or request.path.startswith("/api/")


def data_range(graph: Graph) -> Window | None:
    """The months the loaded data covers (shared by requests for a minute)."""
    return cached((graph.uri, "data_range"), lambda: windows.data_range(graph))


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


def page(blueprint: Blueprint, rule: str, template: str, **options: Any) -> Callable[..., Any]:
    """Register `rule` as an HTML page and its JSON twins `rule.json` and `/api/rule`.

    The view returns the page's data as a dict; HTML renders it with `template`, JSON
    returns it as it is (with the window it was computed for)."""

    def decorate(view: Callable[..., dict[str, Any]]) -> Callable[..., Any]:
        @functools.wraps(view)
        def respond(**kwargs: Any) -> Any:
            data = view(**kwargs)
            if wants_json():
                return jsonify(data)
            return render_template(template, data=data, page=g.page)

        base = rule.rstrip("/") or "/index"
        blueprint.add_url_rule(rule, view.__name__, respond, **options)
        blueprint.add_url_rule(f"{base}.json", f"{view.__name__}_json", respond, **options)
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
