"""Trend rules that need no graph (analysis/trends.py): calendar quarters, the graveyard
rule's thresholds, how a set of projects is named, and the checks every kind makes before it
reads anything (a graph whose server does not exist shows that nothing is read)."""

from __future__ import annotations

import math

import pytest

from nichegraph.analysis import trends as tm
from nichegraph.analysis.trends_cli import describe_selection, header
from nichegraph.db import Graph
from nichegraph.errors import BadParameter
from nichegraph.months import Window


@pytest.mark.parametrize(
    ("window", "quarters"),
    [
        (Window("2022-04", "2023-03"), ["2022Q2", "2022Q3", "2022Q4", "2023Q1"]),
        (Window("2022-02", "2023-03"), ["2022Q2", "2022Q3", "2022Q4", "2023Q1"]),  # February opens no quarter
        (Window("2022-01", "2022-03"), ["2022Q1"]),
        (Window("2022-01", "2022-02"), []),
        (Window("2022-03", "2022-08"), ["2022Q2"]),  # July and August are not a whole Q3
        (Window("2022-03", "2022-09"), ["2022Q2", "2022Q3"]),
        (Window("2022-11", "2023-06"), ["2023Q1", "2023Q2"]),
        (Window("2022-05", "2022-05"), []),
    ],
)
def test_whole_quarters(window: Window, quarters: list[str]) -> None:
    assert tm.whole_quarters(window) == quarters


def test_graveyard_rule_defaults_and_parameters() -> None:
    rule = tm.GraveyardRule()
    assert rule.check() is rule
    assert rule.params() == {
        "minPeakOpenrank": 100.0,
        "minPeakAttention": 1000,
        "activityFloor": 10.0,
        "quietMonths": 6,
    }
    assert tm.GraveyardRule(50, 10, 0, 1).check().params() == {
        "minPeakOpenrank": 50.0,
        "minPeakAttention": 10,
        "activityFloor": 0.0,
        "quietMonths": 1,
    }


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (tm.GraveyardRule(min_peak_openrank=-1), "--min-peak-openrank: -1 must not be negative"),
        (tm.GraveyardRule(min_peak_openrank=math.nan), "--min-peak-openrank: nan must not be negative"),
        (tm.GraveyardRule(min_peak_attention=-5), "--min-peak-attention: -5 must not be negative"),
        (tm.GraveyardRule(activity_floor=-0.5), "--activity-floor: -0.5 must not be negative"),
        (tm.GraveyardRule(quiet_months=0), "--quiet-months: 0 must be at least 1"),
    ],
)
def test_graveyard_rule_refuses(rule: tm.GraveyardRule, message: str) -> None:
    with pytest.raises(BadParameter) as error:
        rule.check()
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("a/b,c/d", ["a/b", "c/d"]),
        (" a/b , ,c/d,", ["a/b", "c/d"]),
        (["a/b", "c/d,e/f"], ["a/b", "c/d", "e/f"]),
        (None, []),
        ("", []),
    ],
)
def test_split_names(text: str | list[str] | None, names: list[str]) -> None:
    assert tm.split_names(text) == names


def test_a_selection_says_what_it_holds() -> None:
    assert tm.ALL.to_dict() == {"all": True}
    assert tm.Selection(repos=("a/b",)).to_dict() == {"repos": ["a/b"]}
    niche = tm.Selection(niche="w/a/b", niche_window="w", niche_label="a/b, c/d", members=("a/b", "c/d"))
    assert niche.to_dict() == {"niche": "w/a/b", "nicheWindow": "w", "label": "a/b, c/d", "members": ["a/b", "c/d"]}
    domain = tm.Selection(domain="Serving", domain_kind="domain", members=("a/b",))
    assert domain.to_dict() == {"domain": "Serving", "kind": "domain", "members": ["a/b"]}
    assert domain.params() == {"repos": [], "niche": None, "domain": "Serving"}


def test_a_result_states_its_window_source_and_selection() -> None:
    payload = tm.result("yoy", Window("2022-01", "2022-12"), True, tm.ALL, rows=[1])
    assert payload == {
        "kind": "yoy",
        "window": "2022-01:2022-12",
        "openrank": "computed",
        "selection": {"all": True},
        "rows": [1],
    }
    assert "openrank" not in tm.result("stars", Window("2022-01", "2022-12"), None, tm.ALL)
    assert tm.source(False) == "published"


def test_the_printed_header() -> None:
    payload = {
        "kind": "yoy",
        "window": "2022-01:2022-12",
        "previousWindow": "2021-01:2021-12",
        "openrank": "published",
        "selection": {"niche": "w/a/b", "members": ["a/b", "c/d"]},
        "thresholds": {"minOpenrank": 100.0},
    }
    assert header(payload) == (
        "yoy: window 2022-01:2022-12 vs 2021-01:2021-12 · OpenRank published · niche w/a/b (2 projects) · "
        "thresholds minOpenrank=100.0"
    )
    assert describe_selection({"domain": "AI Infra", "kind": "layer", "members": ["a/b"]}) == (
        "landscape layer 'AI Infra' (1 projects)"
    )
    assert describe_selection({"domain": "llm", "kind": "landscape", "members": []}) == "landscape 'llm' (0 projects)"
    assert describe_selection({"repos": ["a/b", "c/d"]}) == "projects a/b, c/d"
    assert describe_selection({"all": True}) == "every project"


# --- refused before anything is read ---------------------------------------------------------


def test_two_ways_of_choosing_projects_are_refused(nowhere: Graph) -> None:
    with pytest.raises(BadParameter) as error:
        tm.select(nowhere, "a/b", niche="x", domain="y")
    assert str(error.value) == "--repos and --niche and --domain: give only one way to choose projects"
    assert tm.select(nowhere) is tm.ALL  # no set: every project, nothing to look up


def test_yoy_needs_at_most_twelve_months(nowhere: Graph) -> None:
    with pytest.raises(BadParameter) as error:
        tm.yoy(nowhere, tm.ALL, Window("2021-01", "2022-01"))
    assert str(error.value) == (
        "--window: 2021-01:2022-01 is longer than 12 months; a year-over-year window has at most 12"
    )


def test_growth_needs_two_whole_quarters(nowhere: Graph) -> None:
    with pytest.raises(BadParameter) as error:
        tm.growth(nowhere, tm.ALL, Window("2022-05", "2022-09"))
    assert str(error.value) == (
        "--window: 2022-05:2022-09 holds 1 whole calendar quarter(s); growth needs at least 2 (e.g. 2022-04:2023-03)"
    )


@pytest.mark.parametrize(
    ("period", "top", "message"),
    [("decade", 10, "--period: 'decade' is not one of year, quarter"), ("year", 0, "--top: 0 must be at least 1")],
)
def test_ranks_refuses(nowhere: Graph, period: str, top: int, message: str) -> None:
    with pytest.raises(BadParameter) as error:
        tm.ranks(nowhere, tm.ALL, Window("2020-01", "2022-12"), period, top=top)
    assert str(error.value) == message


@pytest.mark.parametrize("threshold", [-1.0, math.nan])
def test_newcomers_refuses_a_negative_threshold(nowhere: Graph, threshold: float) -> None:
    with pytest.raises(BadParameter, match=r"^--min-openrank: .* must not be negative$"):
        tm.newcomers(nowhere, tm.ALL, Window("2022-01", "2022-12"), min_openrank=threshold)


def test_graveyard_quiet_run_must_fit_the_window(nowhere: Graph) -> None:
    with pytest.raises(BadParameter) as error:
        tm.graveyard(nowhere, tm.ALL, Window("2022-01", "2022-06"), tm.GraveyardRule(quiet_months=7))
    assert str(error.value) == "--quiet-months: 7 is longer than the window 2022-01:2022-06"
    with pytest.raises(BadParameter, match=r"^--activity-floor: -1 must not be negative$"):
        tm.graveyard(nowhere, tm.ALL, Window("2022-01", "2022-06"), tm.GraveyardRule(activity_floor=-1))
