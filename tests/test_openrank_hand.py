"""OpenRank on small hand-made graphs (scratch server), checked against values worked out by
hand from the method's rules: each month is the linear system v = r*init + (1-r)*(W v),
written out below node by node, then the background's value shared out, then decay."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from nichegraph.analysis.openrank.method import OpenRankParams
from nichegraph.analysis.openrank.run import run_openrank
from nichegraph.db import Graph
from nichegraph.months import Window
from tests.support import openrank_by_hand as by_hand
from tests.support.cli import nichegraph
from tests.support.trend_fixtures import create_graph, months

REPOS = {
    # published series only to give the data its months; no tail (participants = listed)
    "x/a": [{"month": "2020-01", "openrank": 5.0, "participants": 5, "activity": 17.0}]
    + [{"month": m, "openrank": 4.0} for m in months(2, 7)],
    "x/b": [
        {"month": "2020-01", "openrank": 1.0},
        {"month": "2020-02", "openrank": 2.0, "participants": 1, "activity": 2.0},
    ]
    + [{"month": m, "openrank": 1.5} for m in months(3, 7)],
}
CONTRIBUTIONS = [*by_hand.SEVEN_MONTHS, ("robot", "x/a", "2020-01", 5.0)]  # a bot: never part of OpenRank


def stored(graph: Graph) -> dict[tuple[str, str], float]:
    values = {
        (row["repo"], row["month"]): row["value"]
        for row in graph.read(
            "MATCH (m:RepoMonth) WHERE m.openrankComputed IS NOT NULL "
            "RETURN m.repo AS repo, m.month AS month, m.openrankComputed AS value"
        )
    }
    for row in graph.read(
        "MATCH (d:Developer) WHERE d.openrankMonths IS NOT NULL "
        "RETURN d.key AS key, d.openrankMonths AS months, d.openrankComputed AS values"
    ):
        assert row["months"] == sorted(row["months"]) and len(row["months"]) == len(row["values"])
        values.update({(row["key"], m): v for m, v in zip(row["months"], row["values"], strict=True)})
    return values


def test_values_match_the_hand_calculation(scratch: Graph) -> None:
    create_graph(scratch, REPOS, CONTRIBUTIONS, bots=["robot"])
    run = run_openrank(scratch, Window("2020-01", "2020-07"), by_hand.EXACT)

    got = stored(scratch)
    by_hand.check_seven_months(got)
    # the bot never gets a value
    assert not any(name == "robot" for name, _ in got)
    assert [m.active_developers for m in run.months[:2]] == [4, 1]
    # published values are untouched
    published = scratch.read("MATCH (m:RepoMonth {repo: 'x/a'}) RETURN m.month AS month, m.openrank AS v")
    assert {row["month"]: row["v"] for row in published} == {"2020-01": 5.0, **dict.fromkeys(months(2, 7), 4.0)}
    runs = scratch.read("MATCH (r:OpenRankRun) RETURN r.first AS first, r.last AS last, r.paramTolerance AS tol")
    assert runs == [{"first": "2020-01", "last": "2020-07", "tol": 1e-12}]


def test_default_tolerance_stays_close_to_the_fixed_point(scratch: Graph) -> None:
    create_graph(scratch, REPOS, CONTRIBUTIONS, bots=["robot"])
    run = run_openrank(scratch, Window("2020-01", "2020-07"), OpenRankParams())
    got = stored(scratch)
    # stopping once no node moves by 0.01 leaves a node within a few hundredths of the fixed
    # point (the remaining steps shrink geometrically: tol * q / (1 - q))
    for key, value in by_hand.seven_months().items():
        assert got[key] == pytest.approx(value, abs=0.05), key
    assert all(month.iterations < 100 for month in run.months)


def test_a_later_window_continues_from_the_stored_month_before(scratch: Graph) -> None:
    create_graph(scratch, REPOS, CONTRIBUTIONS, bots=["robot"])
    run_openrank(scratch, Window("2020-01", "2020-07"), by_hand.EXACT)
    whole = stored(scratch)
    # recompute the middle months: they start from the stored January, later months are kept
    run = run_openrank(scratch, Window("2020-02", "2020-03"), by_hand.EXACT)
    assert run.warm_start
    again = stored(scratch)
    assert again.keys() == whole.keys()
    for key, value in whole.items():
        assert again[key] == pytest.approx(value, rel=1e-9), key


def test_unlisted_developers_are_stood_in_for(scratch: Graph) -> None:
    # one listed developer (score 2) and, by OpenDigger's totals, two more with score 1.2 each
    repos = {"y/c": [{"month": "2021-01", "openrank": 3.0, "participants": 3, "activity": 2 + 2 * 1.2}]}
    create_graph(scratch, repos, [("e1", "y/c", "2021-01", 2.0)])
    run_openrank(scratch, Window("2021-01", "2021-01"), by_hand.EXACT)
    got = stored(scratch)

    # the tail estimate: 3 participants, 1 listed: two more sharing 2.4 of activity, 1.2 each
    dev, repo = by_hand.one_listed_two_unlisted(2.0, 1.2)
    assert got == pytest.approx({("e1", "2021-01"): dev, ("y/c", "2021-01"): repo}, rel=1e-9)

    # without the tail it is the one-developer case
    run_openrank(scratch, Window("2021-01", "2021-01"), OpenRankParams(tolerance=1e-12, tail=False))
    dev, repo = by_hand.one_repo_month(by_hand.sigmoid(by_hand.K * 4.0), 1, 1.0)
    assert stored(scratch) == pytest.approx({("e1", "2021-01"): dev, ("y/c", "2021-01"): repo}, rel=1e-9)


def test_cli_writes_the_csv_and_reports(scratch: Graph, tmp_path: Path) -> None:
    create_graph(scratch, REPOS, CONTRIBUTIONS, bots=["robot"])
    out = tmp_path / "openrank.csv"
    result = nichegraph(scratch.uri, "openrank", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "OpenRank computed for 2020-01:2020-07" in result.stdout
    lines = out.read_text().splitlines()
    assert lines[0] == "kind,name,month,computed,published"
    rows = pd.read_csv(out, keep_default_na=False)
    got = stored(scratch)
    assert len(rows) == len(got)
    for row in rows.itertuples():
        assert got[(row.name, row.month)] == pytest.approx(row.computed)
        if row.kind == "repo":
            assert row.published != ""  # every x/a and x/b month has a published value
        else:
            assert row.published == ""
    report = nichegraph(scratch.uri, "openrank", "--report", "--json")
    assert report.returncode == 0, report.stderr
    summary = json.loads(report.stdout)
    assert summary["window"] == "2020-01:2020-07" and "repoValues" not in summary  # --report computes nothing
    # every x/a and x/b month is published, so a month compares the repositories with a computed value
    valued = {
        month: sum(1 for name, m in by_hand.seven_months() if m == month and "/" in name) for month in months(1, 7)
    }
    assert {row["month"]: row["repos"] for row in summary["byMonth"]} == valued
    # two repositories are too few for a rank correlation
    assert all(row["spearman"] is None for row in summary["byMonth"])


@pytest.mark.parametrize(
    ("months_flag", "message"),
    [
        ("2020-05:2020-01", "--months: '2020-05:2020-01' is reversed"),
        ("2020-13:2020-14", "--months: '2020-13' is not a month"),
        ("2019-01:2020-03", "--months: 2019-01:2020-03 reaches outside the loaded data, which covers 2020-01:2020-07"),
    ],
)
def test_bad_months_are_refused(scratch: Graph, months_flag: str, message: str) -> None:
    create_graph(scratch, REPOS, CONTRIBUTIONS)
    result = nichegraph(scratch.uri, "openrank", "--months", months_flag)
    assert result.returncode == 2
    assert message in result.stderr
