"""Graveyard and newcomer rules on crafted series, niche and domain grouping, and the refusal
of computed OpenRank that was never computed (scratch server, graphs written here)."""

from __future__ import annotations

import pytest

from nichegraph.analysis import trends as tm
from nichegraph.db import Graph
from nichegraph.errors import BadParameter
from nichegraph.months import Window
from tests.support.cli import nichegraph
from tests.support.trend_fixtures import create_graph, months

YEAR = months(1, 12)  # 2020-01 .. 2020-12


def monthly(values: dict[str, dict[str, float]]) -> list[dict[str, float | str]]:
    """{'openrank': {month: v}, 'activity': {...}} -> RepoMonth maps for the months with any value."""
    keys = sorted({month for series in values.values() for month in series})
    return [{"month": m, **{k: s[m] for k, s in values.items() if m in s}} for m in keys]


def active_until(last: str, activity: float = 50.0) -> dict[str, float]:
    return {m: activity for m in YEAR if m <= last}


GRAVEYARD = {
    # prominent by OpenRank, active until June, nothing after: quiet Jul..Dec = 6 months
    "g/dead": monthly({"openrank": {"2020-03": 150.0, "2020-04": 120.0}, "activity": active_until("2020-06")}),
    # the same, active until July: quiet 5 months, one short
    "g/dying": monthly({"openrank": {"2020-03": 150.0}, "activity": active_until("2020-07")}),
    # exactly at the floor in June counts as active; just below it in the months after counts as quiet
    "g/floor": monthly(
        {
            "openrank": {"2020-02": 300.0},
            "activity": {**active_until("2020-05"), "2020-06": 10.0, **{m: 9.99 for m in months(7, 12)}},
        }
    ),
    # prominent by attention only (stars + forks), OpenRank small
    "g/starred": monthly(
        {"openrank": {"2020-02": 50.0}, "attention": {"2020-02": 2000}, "activity": active_until("2020-03")}
    ),
    # neither prominent by OpenRank nor by attention
    "g/minor": monthly(
        {"openrank": {"2020-02": 50.0}, "attention": {"2020-02": 10}, "activity": active_until("2020-03")}
    ),
    # prominent and active to the end
    "g/alive": monthly({"openrank": {"2020-02": 500.0}, "activity": active_until("2020-12")}),
    # prominent but never above the floor in the window
    "g/never": monthly({"openrank": {"2020-01": 200.0}, "activity": {m: 1.0 for m in YEAR}}),
}


def test_graveyard_rule_on_crafted_series(scratch: Graph) -> None:
    create_graph(scratch, GRAVEYARD)
    result = tm.graveyard(scratch, tm.ALL, Window("2020-01", "2020-12"), tm.GraveyardRule(100, 1000, 10, 6))
    got = {row["repo"]: row for row in result["rows"]}
    assert set(got) == {"g/dead", "g/floor", "g/starred", "g/never"}
    assert (got["g/dead"]["lastActiveMonth"], got["g/dead"]["quietMonths"]) == ("2020-06", 6)
    assert (got["g/dead"]["peakOpenrank"], got["g/dead"]["peakOpenrankMonth"]) == (150.0, "2020-03")
    assert (got["g/floor"]["lastActiveMonth"], got["g/floor"]["quietMonths"]) == ("2020-06", 6)
    assert (got["g/starred"]["peakAttention"], got["g/starred"]["peakAttentionMonth"]) == (2000, "2020-02")
    assert (got["g/never"]["lastActiveMonth"], got["g/never"]["quietMonths"]) == (None, 12)
    assert result["thresholds"]["quietMonths"] == 6

    # a shorter quiet run lets the dying project in; a higher OpenRank bar keeps only the others
    shorter = tm.graveyard(scratch, tm.ALL, Window("2020-01", "2020-12"), tm.GraveyardRule(100, 1000, 10, 5))
    assert "g/dying" in {row["repo"] for row in shorter["rows"]}
    higher = tm.graveyard(scratch, tm.ALL, Window("2020-01", "2020-12"), tm.GraveyardRule(250, 10**6, 10, 6))
    assert {row["repo"] for row in higher["rows"]} == {"g/floor"}
    # ending the window earlier: g/dead was still active then
    earlier = tm.graveyard(scratch, tm.ALL, Window("2020-01", "2020-09"), tm.GraveyardRule(100, 1000, 10, 6))
    assert "g/dead" not in {row["repo"] for row in earlier["rows"]}
    with pytest.raises(BadParameter, match="--quiet-months: 13 is longer than the window"):
        tm.graveyard(scratch, tm.ALL, Window("2020-01", "2020-12"), tm.GraveyardRule(quiet_months=13))
    with pytest.raises(BadParameter, match="--activity-floor: -1"):
        tm.graveyard(scratch, tm.ALL, Window("2020-01", "2020-12"), tm.GraveyardRule(activity_floor=-1))


NEWCOMERS = {
    # active from the first month of the data: maybe older, never a newcomer
    "n/old": monthly({"openrank": {m: 300.0 for m in YEAR}, "activity": active_until("2020-12")}),
    # first activity in September, trending
    "n/new": monthly({"openrank": {"2020-09": 50.0, "2020-10": 120.0}, "activity": {m: 5.0 for m in months(9, 12)}}),
    # first activity in October, below the threshold
    "n/small": monthly({"openrank": {"2020-10": 50.0}, "activity": {"2020-10": 5.0}}),
    # first activity in March, before the window, trending
    "n/before": monthly({"openrank": {"2020-08": 150.0}, "activity": {m: 5.0 for m in months(3, 12)}}),
    # a month with data but zero activity in May; first activity in August
    "n/quiet": monthly({"openrank": {"2020-05": 0.5, "2020-08": 200.0}, "activity": {"2020-05": 0.0, "2020-08": 9.0}}),
}


def test_newcomer_rule_on_crafted_series(scratch: Graph) -> None:
    create_graph(scratch, NEWCOMERS)
    result = tm.newcomers(scratch, tm.ALL, Window("2020-07", "2020-12"), min_openrank=100)
    trending = {row["repo"]: row for row in result["trendingRows"]}
    assert set(trending) == {"n/old", "n/new", "n/before", "n/quiet"}
    assert {row["repo"] for row in result["rows"]} == {"n/new", "n/quiet"}
    assert (result["trending"], result["newcomers"], result["share"]) == (4, 2, 0.5)
    assert (trending["n/new"]["firstActivity"], trending["n/new"]["ageMonths"]) == ("2020-09", 4)
    assert (trending["n/quiet"]["firstActivity"], trending["n/quiet"]["peakMonth"]) == ("2020-08", "2020-08")
    assert (trending["n/old"]["ageKnown"], trending["n/old"]["ageMonths"]) == (False, None)
    assert trending["n/before"]["newcomer"] is False
    assert trending["n/new"]["meanOpenrank"] == pytest.approx((50 + 120) / 6)
    lower = tm.newcomers(scratch, tm.ALL, Window("2020-07", "2020-12"), min_openrank=50)
    assert {row["repo"] for row in lower["rows"]} == {"n/new", "n/small", "n/quiet"}


def niche_graph(graph: Graph) -> None:
    create_graph(
        graph,
        {
            "k/one": monthly({"openrank": {m: 10.0 + i for i, m in enumerate(YEAR)}}),
            "k/two": monthly({"openrank": {m: 30.0 - i for i, m in enumerate(YEAR)}}),
            "k/out": monthly({"openrank": {m: 99.0 for m in YEAR}}),
        },
    )
    graph.write(
        "CREATE (n:Niche {id: '2020-07:2020-12/k/one', window: '2020-07:2020-12', label: 'k/one, k/two', size: 2}) "
        "WITH n MATCH (r:Repo) WHERE r.name IN ['k/one', 'k/two'] CREATE (r)-[:IN_NICHE {stability: 1.0}]->(n)"
    )
    graph.write(
        "CREATE (e:LandscapeEntry {landscape: 'mine', key: 'k/two', repoLower: 'k/two', domain: 'Serving', "
        "layer: 'AI Infra'}) WITH e MATCH (r:Repo {name: 'k/two'}) CREATE (r)-[:IN_LANDSCAPE]->(e)"
    )


def test_niche_members_and_window(scratch: Graph) -> None:
    niche_graph(scratch)
    selection = tm.select(scratch, niche="2020-07:2020-12/k/one")
    assert selection.members == ("k/one", "k/two")
    window = tm.resolve_window(scratch, None, selection=selection)
    assert window == Window("2020-07", "2020-12")
    result = tm.curves(scratch, selection, window)
    assert set(result["members"]) == {"k/one", "k/two"}
    # the sum of the niche: 10 + i and 30 - i add up to 40 in every month
    assert [point["openrank"] for point in result["sum"]] == [40.0] * 6
    # quarterly means: k/one 11, 14, 17, 20; k/two 29, 26, 23, 20 (a tie in Q4, broken by name)
    ranks = tm.ranks(scratch, selection, Window("2020-01", "2020-12"), "quarter", top=1)
    got = [(row["period"], row["repo"], row["rank"], row["previousRank"], row["move"]) for row in ranks["rows"]]
    assert got == [
        ("2020Q1", "k/two", 1, None, None),
        ("2020Q1", "k/one", 2, None, None),
        ("2020Q2", "k/two", 1, 1, 0),
        ("2020Q2", "k/one", 2, 2, 0),
        ("2020Q3", "k/two", 1, 1, 0),
        ("2020Q3", "k/one", 2, 2, 0),
        ("2020Q4", "k/one", 1, 2, 1),
        ("2020Q4", "k/two", 2, 1, -1),
    ]
    assert ranks["periods"] == ["2020Q1", "2020Q2", "2020Q3", "2020Q4"]


def test_domain_grouping_is_case_insensitive(scratch: Graph) -> None:
    niche_graph(scratch)
    for text in ("serving", "AI INFRA", "mine"):
        selection = tm.select(scratch, domain=text)
        assert selection.members == ("k/two",)
        result = tm.yoy(scratch, selection, Window("2020-07", "2020-12"))
        assert [row["repo"] for row in result["rows"]] == ["k/two"]
    assert tm.select(scratch, domain="serving").domain == "Serving"


def test_computed_openrank_must_exist(scratch: Graph) -> None:
    niche_graph(scratch)
    with pytest.raises(BadParameter, match=r"--computed: no computed OpenRank for 2020-01\.\.2020-12"):
        tm.curves(scratch, tm.ALL, Window("2020-01", "2020-12"), computed=True)
    result = nichegraph(scratch.uri, "trends", "yoy", "--computed", "--window", "2020-07:2020-12")
    assert result.returncode == 2
    assert "run `nichegraph openrank` first" in result.stderr


def test_unknown_repos_are_named_with_their_landscape(scratch: Graph) -> None:
    niche_graph(scratch)
    scratch.write(
        "CREATE (:LandscapeEntry {landscape: 'llm', key: 'vllm-project/vllm', repoLower: 'vllm-project/vllm'})"
    )
    with pytest.raises(BadParameter) as error:
        tm.select(scratch, "K/One, vllm-project/vllm, no/where")
    assert str(error.value) == "--repos: not in the graph: vllm-project/vllm (only a llm landscape entry), no/where"
    assert tm.select(scratch, "K/ONE").repos == ("k/one",)
