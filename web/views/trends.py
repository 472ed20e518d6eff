"""Trends: year-over-year movers, the top-10 bump chart, quarterly growth, the graveyard and
newcomers, with their thresholds shown and adjustable (analysis/trends.py does the work)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request

from nichegraph.analysis import trends as analytics
from nichegraph.web.context import cached, float_arg, int_arg, page

blueprint = Blueprint("trends", __name__)


def thresholds() -> tuple[analytics.GraveyardRule, float]:
    defaults = analytics.GraveyardRule()
    rule = analytics.GraveyardRule(
        min_peak_openrank=float_arg("min_peak_openrank", defaults.min_peak_openrank, 0, 1e9),
        min_peak_attention=int_arg("min_peak_attention", defaults.min_peak_attention, 0, 10**9),
        activity_floor=float_arg("activity_floor", defaults.activity_floor, 0, 1e9),
        quiet_months=int_arg("quiet_months", defaults.quiet_months, 1, 120),
    )
    return rule.check(), float_arg("newcomer_min_openrank", 100.0, 0, 1e9)


@page(blueprint, "/trends", "trends.html")
def overview() -> dict[str, Any]:
    window = g.page.window
    computed = request.args.get("openrank") == "computed"
    domain = request.args.get("domain") or None
    niche = request.args.get("niche") or None
    rule, newcomer_min = thresholds()
    # domains are matched without case: one entry per domain however it is written
    domain_key = domain.strip().lower() if domain else None
    key = ("trends", str(window), computed, domain_key, niche, rule, newcomer_min)

    def build() -> dict[str, Any]:
        selection = analytics.select(g.page.graph, niche=niche, domain=domain)
        return analytics.trends_page(g.page.graph, selection, window, computed, rule, newcomer_min)

    return cached(key, build)
