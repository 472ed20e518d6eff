"""Trend figures on the full snapshot, checked against values computed here, independently,
from the OpenDigger JSON files (tests/support/trend_fixtures.py reads them)."""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from typing import Any

import pytest

from nichegraph.analysis import trends as tm
from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.months import Window
from tests.support.cli import nichegraph
from tests.support.openrank_slots import developer_series, read_computed
from tests.support.trend_fixtures import (
    all_details,
    mean_over,
    series,
    window_months,
)

AI = [
    "pytorch/pytorch",
    "tensorflow/tensorflow",
    "huggingface/transformers",
    "PaddlePaddle/Paddle",
    "ray-project/ray",
    "microsoft/onnxruntime",
    "apache/tvm",
    "Lightning-AI/lightning",
]


@pytest.fixture(scope="module")
def graph(full_settings: Settings) -> Any:
    with Graph(full_settings) as graph:
        yield graph


@pytest.fixture(scope="module")
def every_repo(graph: Graph) -> list[str]:
    return [row["name"] for row in graph.read("MATCH (r:Repo) RETURN r.name AS name ORDER BY name")]


def test_yoy_of_a_set_matches_the_files(graph: Graph) -> None:
    selection = tm.select(graph, ",".join(AI))
    result = tm.yoy(graph, selection, Window("2022-01", "2022-12"), top=3)
    assert (result["window"], result["previousWindow"], result["openrank"]) == (
        "2022-01:2022-12",
        "2021-01:2021-12",
        "published",
    )
    now, before = window_months("2022-01", "2022-12"), window_months("2021-01", "2021-12")
    expected = []
    for repo in AI:
        current, previous = mean_over(series(repo, "openrank"), now), mean_over(series(repo, "openrank"), before)
        expected.append((repo, current, previous, current - previous))
    expected.sort(key=lambda item: (-item[3], item[0]))
    assert [row["repo"] for row in result["rows"]] == [item[0] for item in expected]
    for row, (_repo, current, previous, change) in zip(result["rows"], expected, strict=True):
        assert row["current"] == pytest.approx(current)
        assert row["previous"] == pytest.approx(previous)
        assert row["change"] == pytest.approx(change)
        assert row["relativeChange"] == pytest.approx(change / previous)
        assert (row["window"], row["source"]) == ("2022-01:2022-12", "published")
    assert [row["rank"] for row in result["rows"]] == list(range(1, len(AI) + 1))
    assert result["risers"] == result["rows"][:3]
    assert [row["repo"] for row in result["fallers"]] == [item[0] for item in expected[::-1][:3]]


def test_yoy_over_every_project_ranks_like_the_files(graph: Graph, every_repo: list[str]) -> None:
    result = tm.yoy(graph, tm.ALL, Window("2022-04", "2023-03"), top=10)
    now, before = window_months("2022-04", "2023-03"), window_months("2021-04", "2022-03")
    change = {
        repo: mean_over(series(repo, "openrank"), now) - mean_over(series(repo, "openrank"), before)
        for repo in every_repo
    }
    expected = sorted(change, key=lambda repo: (-change[repo], repo))
    assert result["projects"] == len(every_repo)
    assert [row["repo"] for row in result["risers"]] == expected[:10]
    assert [row["repo"] for row in result["fallers"]] == expected[::-1][:10]


def test_curves_and_their_sum_match_the_files(graph: Graph) -> None:
    repos = AI[:3]
    result = tm.curves(graph, tm.select(graph, repos), Window("2022-04", "2023-03"))
    metrics = {"openrank": "openrank", "activity": "activity", "stars": "stars", "participants": "participants"}
    for repo in repos:
        points = {point["month"]: point for point in result["members"][repo]}
        assert set(points) == set(window_months("2022-04", "2023-03"))
        for month, point in points.items():
            for key, stem in metrics.items():
                assert point[key] == series(repo, stem).get(month), (repo, month, key)
    for point in result["sum"]:
        for key, stem in metrics.items():
            assert point[key] == pytest.approx(sum(series(repo, stem).get(point["month"], 0) for repo in repos))


def test_ranks_per_year_match_the_files(graph: Graph) -> None:
    result = tm.ranks(graph, tm.select(graph, AI), Window("2019-01", "2022-12"), "year", top=3)
    years = ["2019", "2020", "2021", "2022"]
    means = {
        year: {repo: mean_over(series(repo, "openrank"), window_months(f"{year}-01", f"{year}-12")) for repo in AI}
        for year in years
    }
    rank = {
        year: {
            repo: i + 1
            for i, repo in enumerate(sorted((r for r in AI if means[year][r] > 0), key=lambda r: (-means[year][r], r)))
        }
        for year in years
    }
    in_top = {repo for year in years for repo, place in rank[year].items() if place <= 3}
    assert {row["repo"] for row in result["rows"]} == in_top
    for row in result["rows"]:
        year = row["period"]
        assert row["rank"] == rank[year][row["repo"]]
        assert row["meanOpenrank"] == pytest.approx(means[year][row["repo"]])
        previous = rank.get(str(int(year) - 1), {}).get(row["repo"])
        assert row["previousRank"] == previous
        assert row["move"] == (previous - row["rank"] if previous else None)
    assert result["periods"] == years


def test_quarterly_growth_matches_the_files(graph: Graph) -> None:
    result = tm.growth(graph, tm.select(graph, AI[:4]), Window("2022-02", "2023-03"))
    assert result["quarters"] == ["2022Q2", "2022Q3", "2022Q4", "2023Q1"]
    starts = ["2022-04", "2022-07", "2022-10", "2023-01"]
    for row in result["rows"]:
        values = series(row["repo"], "openrank")
        quarterly = [
            mean_over(values, window_months(start, f"{start[:5]}{int(start[5:]) + 2:02d}")) for start in starts
        ]
        rates = [b / a - 1 for a, b in itertools.pairwise(quarterly)]
        assert row["quarterly"] == pytest.approx(quarterly)
        assert row["rates"] == pytest.approx(rates)
        assert row["meanGrowth"] == pytest.approx(sum(rates) / 3)
        assert row["compoundGrowth"] == pytest.approx((quarterly[-1] / quarterly[0]) ** (1 / 3) - 1)


def test_stars_match_the_files(graph: Graph) -> None:
    repos = ["AUTOMATIC1111/stable-diffusion-webui", "huggingface/transformers", "pytorch/pytorch"]
    result = tm.stars(graph, tm.select(graph, repos), Window("2022-04", "2023-03"), top=None)
    months = window_months("2022-04", "2023-03")
    for row in result["rows"]:
        stars = {m: v for m, v in series(row["repo"], "stars").items() if m in months}
        assert row["stars"] == sum(stars.values())
        assert row["peakStars"] == max(stars.values())
        assert stars[row["peakMonth"]] == row["peakStars"]
        assert dict(zip(row["months"], row["monthly"], strict=True)) == stars
    assert [point["stars"] for point in result["sum"]] == [
        sum(series(repo, "stars").get(month, 0) for repo in repos) for month in months
    ]


def test_graveyard_matches_the_rule_applied_to_the_files(graph: Graph, every_repo: list[str]) -> None:
    rule = tm.GraveyardRule(min_peak_openrank=100, min_peak_attention=1000, activity_floor=10, quiet_months=6)
    result = tm.graveyard(graph, tm.ALL, Window("2015-01", "2023-03"), rule)
    months = window_months("2015-01", "2023-03")
    expected = {}
    for repo in every_repo:
        openrank, attention, activity = (series(repo, stem) for stem in ("openrank", "attention", "activity"))
        peak_openrank = max((v for m, v in openrank.items() if m in months), default=0)
        peak_attention = max((v for m, v in attention.items() if m in months), default=0)
        active = [m for m in months if activity.get(m, 0) >= 10]
        quiet = len(months) - 1 - months.index(active[-1]) if active else len(months)
        if (peak_openrank >= 100 or peak_attention >= 1000) and quiet >= 6:
            expected[repo] = (peak_openrank, quiet, active[-1] if active else None)
    got = {row["repo"]: (row["peakOpenrank"], row["quietMonths"], row["lastActiveMonth"]) for row in result["rows"]}
    assert got == expected
    assert expected  # the snapshot does have projects that went quiet
    assert result["thresholds"] == {
        "minPeakOpenrank": 100.0,
        "minPeakAttention": 1000,
        "activityFloor": 10.0,
        "quietMonths": 6,
    }


def test_newcomers_match_the_files(graph: Graph, every_repo: list[str]) -> None:
    window = window_months("2022-04", "2023-03")
    result = tm.newcomers(graph, tm.ALL, Window("2022-04", "2023-03"), min_openrank=200)
    trending, new = set(), set()
    for repo in every_repo:
        openrank = series(repo, "openrank")
        if max((openrank.get(m, 0) for m in window), default=0) < 200:
            continue
        trending.add(repo)
        first = min((m for m, v in series(repo, "activity").items() if v > 0), default=None)
        if first is not None and first > "2015-01" and "2022-04" <= first <= "2023-03":
            new.add(repo)
    assert result["trending"] == len(trending)
    assert {row["repo"] for row in result["rows"]} == new
    assert result["share"] == pytest.approx(len(new) / len(trending))
    assert new  # stable-diffusion-webui among them
    assert "AUTOMATIC1111/stable-diffusion-webui" in new


def test_compare_matches_the_files(graph: Graph, openrank_computed: dict[str, Any]) -> None:
    repos = ["pytorch/pytorch", "tensorflow/tensorflow"]
    result = tm.compare(graph, repos, Window("2022-04", "2023-03"), developers=5)
    months = window_months("2022-04", "2023-03")
    bots = {row["key"] for row in graph.read("MATCH (d:Developer {isBot: true}) RETURN d.key AS key")}
    people = {}
    for project in result["projects"]:
        repo = project["repo"]
        assert project["meanOpenrank"] == pytest.approx(mean_over(series(repo, "openrank"), months))
        participants = [v for m, v in series(repo, "participants").items() if m in months]
        assert project["participants"] == pytest.approx(sum(participants) / len(participants))
        bus = [v for m, v in series(repo, "bus_factor").items() if m in months]
        assert project["busFactor"] == pytest.approx(sum(bus) / len(bus))
        assert project["newContributors"] == sum(v for m, v in series(repo, "new_contributors").items() if m in months)
        logins = {login.lower() for m in months for login, _ in all_details()[repo].get(m, [])}
        people[repo] = logins - bots
        assert project["contributors"] == len(people[repo])
        assert project["bots"] == len(logins & bots)
        growth = project["growth"]["published"]
        assert growth["quarterly"] == pytest.approx(
            [mean_over(series(repo, "openrank"), months[i : i + 3]) for i in range(0, 12, 3)]
        )
        shares = [d["share"] for d in project["topDevelopers"]]
        assert shares == sorted(shares, reverse=True) and 0 < sum(shares) < 1
    assert result["shared"][0]["shared"] == len(people[repos[0]] & people[repos[1]])
    assert result["openrank"] == "published and computed"


def test_top_developer_shares_follow_the_openrank_split(graph: Graph, openrank_computed: dict[str, Any]) -> None:
    """A developer brings a repository, each month, their computed OpenRank times the share of
    their squared activity spent there; recomputed here from the files and the stored values."""
    repo, months = "pytorch/pytorch", window_months("2022-04", "2023-03")
    result = tm.compare(graph, [repo, "tensorflow/tensorflow"], Window("2022-04", "2023-03"), developers=3)
    top = result["projects"][0]["topDevelopers"]
    keys = [
        row["key"]
        for row in graph.read(
            "UNWIND $logins AS login MATCH (d:Developer {key: toLower(login)}) RETURN d.key AS key",
            logins=[d["login"] for d in top],
        )
    ]
    values = {
        key: dict(zip(row["months"], row["values"], strict=True))
        for key, row in developer_series(graph, "d.key IN $keys", keys=keys).items()
    }
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for rows in all_details().values():
        for month in months:
            for login, score in rows.get(month, []):
                if login.lower() in values:
                    totals[(login.lower(), month)] += score * score
    for developer, key in zip(top, keys, strict=True):
        here = defaultdict(float)
        for month in months:
            for login, score in all_details()[repo].get(month, []):
                if login.lower() == key:
                    here[month] += score * score
        attributed = sum(values[key][m] * here[m] / totals[(key, m)] for m in here if m in values[key])
        assert developer["attributed"] == pytest.approx(attributed, rel=1e-6)


def test_computed_curves_are_the_stored_values(graph: Graph, openrank_computed: dict[str, Any]) -> None:
    result = tm.curves(graph, tm.select(graph, "pytorch/pytorch"), Window("2022-04", "2023-03"), computed=True)
    stored = {
        row["month"]: row["v"]
        for row in read_computed(
            graph,
            "MATCH (m:RepoMonth {repo: 'pytorch/pytorch'}) WHERE '2022-04' <= m.month <= '2023-03' "
            "RETURN m.month AS month, m[$computed] AS v",
        )
    }
    assert result["openrank"] == "computed"
    assert {p["month"]: p["openrank"] for p in result["members"]["pytorch/pytorch"]} == stored


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["trends", "yoy", "--window", "2022-13:2023-01"], "--window: '2022-13' is not a month in YYYY-MM form"),
        (
            ["trends", "curves", "--window", "2023-03:2022-01"],
            "--window: '2023-03:2022-01' is reversed; the first month must not be after the last",
        ),
        (
            ["trends", "yoy", "--window", "2021-01:2022-12"],
            "--window: 2021-01:2022-12 is longer than 12 months; a year-over-year window has at most 12",
        ),
        (
            ["trends", "curves", "--window", "2014-01:2014-12"],
            "--window: 2014-01:2014-12 reaches outside the loaded data, which covers 2015-01:2023-03",
        ),
        (
            ["trends", "growth", "--window", "2022-05:2022-09"],
            "--window: 2022-05:2022-09 holds 1 whole calendar quarter(s); growth needs at least 2 "
            "(e.g. 2022-04:2023-03)",
        ),
        (
            ["trends", "stars", "--repos", "pytorch/pytorch,no/such,nope/nope"],
            "--repos: not in the graph: no/such, nope/nope",
        ),
        (["trends", "compare", "pytorch/pytorch", "no/such"], "compare: not in the graph: no/such"),
        (["trends", "compare", "pytorch/pytorch"], "compare: give at least two different projects"),
        (["trends", "ranks", "--niche", "2099-01:2099-12/x/y"], "--niche: no niche with id '2099-01:2099-12/x/y'"),
        (["trends", "yoy", "--domain", "Quantum Gardening"], "--domain: 'Quantum Gardening' is no landscape domain"),
        (["trends", "yoy", "--repos", "pytorch/pytorch", "--niche", "x"], "--repos and --niche: give only one"),
        (["trends", "graveyard", "--quiet-months", "0"], "--quiet-months: 0 must be at least 1"),
        (["trends", "ranks", "--top", "0"], "--top: 0 must be at least 1"),
    ],
)
def test_bad_input_gives_a_clear_error(full_settings: Settings, args: list[str], message: str) -> None:
    result = nichegraph(full_settings.neo4j_uri, *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"error: {message}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["trends", "curves", "--repos", "pytorch/pytorch"],
        ["trends", "yoy"],
        ["trends", "ranks", "--period", "quarter", "--window", "2022-01:2023-03"],
        ["trends", "growth", "--top", "5"],
        ["trends", "graveyard"],
        ["trends", "newcomers"],
        ["trends", "stars"],
    ],
)
def test_every_kind_states_window_and_source(full_settings: Settings, args: list[str]) -> None:
    result = nichegraph(full_settings.neo4j_uri, *args, "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["kind"] == args[1]
    assert ":" in payload["window"]
    assert payload.get("openrank", payload.get("source")) == "published"
    assert payload["rows"], "the full snapshot gives rows for every kind"
    table = nichegraph(full_settings.neo4j_uri, *args)
    assert (
        table.returncode == 0
        and f"window {payload['window']}" in table.stdout.splitlines()[0 if args[1] != "newcomers" else 1]
    )


def test_the_trends_page_gets_everything_in_one_call(graph: Graph) -> None:
    selection = tm.select(graph, ",".join(AI))
    window = Window("2022-04", "2023-03")
    page = tm.trends_page(graph, selection, window)
    assert (page["window"], page["openrank"]) == ("2022-04:2023-03", "published")
    assert page["yoy"] == tm.yoy(graph, selection, window)
    assert page["ranks"] == tm.ranks(graph, selection, Window("2015-01", "2023-03"), "year")
    assert page["growth"] == tm.growth(graph, selection, window)
    assert page["graveyard"]["thresholds"] == tm.GraveyardRule().params()
    assert page["newcomers"]["window"] == "2022-04:2023-03"
    assert page["ranks"]["periods"] == [str(year) for year in range(2015, 2024)]
