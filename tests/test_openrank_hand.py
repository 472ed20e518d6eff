"""OpenRank on small hand-made graphs (scratch server), checked against values worked out by
hand from the method's rules: each month is the linear system v = r*init + (1-r)*(W v),
written out below node by node, then the background's value shared out, then decay."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from nichegraph.analysis.openrank.method import OpenRankParams
from nichegraph.analysis.openrank.run import run_openrank
from nichegraph.analysis.openrank.storage import old_layout_keys
from nichegraph.db import Graph
from nichegraph.months import Window
from nichegraph.queries.library import run_query
from tests.support.cli import nichegraph
from tests.support.openrank_by_hand import (
    EXACT,
    SEVEN_MONTHS,
    K,
    check_seven_months,
    one_listed_two_unlisted,
    one_repo_month,
    seven_months,
    sigmoid,
)
from tests.support.openrank_slots import developer_series, read_computed
from tests.support.trend_fixtures import create_graph, months
from tests.unit.test_openrank_legacy import alone, january

# These tests work the sigmoid start rule out by hand (X-lab's task now);
# tests/unit/test_openrank_legacy.py does the same for the default, legacy rule.
SIGMOID = OpenRankParams(developer_init="sigmoid")


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
CONTRIBUTIONS = [*SEVEN_MONTHS, ("robot", "x/a", "2020-01", 5.0)]  # a bot: never part of OpenRank


def stored(graph: Graph) -> dict[tuple[str, str], float]:
    values = {
        (row["repo"], row["month"]): row["value"]
        for row in read_computed(
            graph,
            "MATCH (m:RepoMonth) WHERE m[$computed] IS NOT NULL "
            "RETURN m.repo AS repo, m.month AS month, m[$computed] AS value",
        )
    }
    # developers store their active months; the library query derives the inactive ones
    for key, row in developer_series(graph).items():
        assert row["months"] == sorted(set(row["months"])) and len(row["months"]) == len(row["values"])
        series = run_query(graph, "developer_openrank", login=key, first="0001-01", last="9999-12")
        assert {s["month"] for s in series if s["active"]} == set(row["months"])
        values.update({(key, s["month"]): s["computed"] for s in series})
    return values


def test_values_match_the_hand_calculation(scratch: Graph) -> None:
    create_graph(scratch, REPOS, CONTRIBUTIONS, bots=["robot"])
    run = run_openrank(scratch, Window("2020-01", "2020-07"), EXACT)

    got = stored(scratch)
    check_seven_months(got)  # every value, the decay rule, who drops out
    assert not any(name == "robot" for name, _ in got)  # the bot never gets a value
    assert [m.active_developers for m in run.months[:2]] == [4, 1]
    # published values are untouched
    published = scratch.read("MATCH (m:RepoMonth {repo: 'x/a'}) RETURN m.month AS month, m.openrank AS v")
    assert {row["month"]: row["v"] for row in published} == {"2020-01": 5.0, **dict.fromkeys(months(2, 7), 4.0)}
    runs = scratch.read("MATCH (r:OpenRankRun) RETURN r.first AS first, r.last AS last, r.paramTolerance AS tol")
    assert runs == [{"first": "2020-01", "last": "2020-07", "tol": 1e-12}]


def test_the_default_legacy_rule_is_stored_and_its_decay_derived(scratch: Graph) -> None:
    """The default rule: new nodes start at 1, inactive ones decay by 0.85 while above 0.1; the
    graph stores developers' active months and the library derives the others."""
    create_graph(scratch, REPOS, CONTRIBUTIONS, bots=["robot"])
    run_openrank(scratch, Window("2020-01", "2020-07"), OpenRankParams(tolerance=1e-12, max_iterations=1000))
    dev1, repo1 = january()
    dev2, repo2 = alone(dev1)
    expected = {(login, "2020-01"): dev1 for login in ("d1", "d2", "d3", "d4")}
    expected |= {("x/a", "2020-01"): repo1, ("d1", "2020-02"): dev2, ("x/b", "2020-02"): repo2}
    for name, value, first in [("x/a", repo1, 2), ("x/b", repo2, 3), ("d1", dev2, 3)] + [
        (login, dev1, 2) for login in ("d2", "d3", "d4")
    ]:
        for month in months(first, 7):
            if value <= 0.1:
                break
            value = expected[(name, month)] = 0.85 * value
    got = stored(scratch)
    assert got.keys() == expected.keys()
    assert got == pytest.approx(expected, rel=1e-9)
    assert developer_series(scratch, "d.key = 'd2'")["d2"]["months"] == ["2020-01"]


def test_default_tolerance_stays_close_to_the_fixed_point(scratch: Graph) -> None:
    create_graph(scratch, REPOS, CONTRIBUTIONS, bots=["robot"])
    run = run_openrank(scratch, Window("2020-01", "2020-07"), SIGMOID)
    got = stored(scratch)
    # stopping once no node moves by 0.01 leaves a node within a few hundredths of the fixed
    # point (the remaining steps shrink geometrically: tol * q / (1 - q))
    for key, value in seven_months().items():
        assert got[key] == pytest.approx(value, abs=0.05), key
    assert all(month.iterations < 100 for month in run.months)


def test_a_later_window_continues_from_the_stored_month_before(scratch: Graph) -> None:
    create_graph(scratch, REPOS, CONTRIBUTIONS, bots=["robot"])
    run_openrank(scratch, Window("2020-01", "2020-07"), EXACT)
    whole = stored(scratch)
    # recompute the middle months: they start from the stored January, later months are kept
    run = run_openrank(scratch, Window("2020-02", "2020-03"), EXACT)
    assert run.warm_start
    again = stored(scratch)
    assert again.keys() == whole.keys()
    for key, value in whole.items():
        assert again[key] == pytest.approx(value, rel=1e-9), key


def test_a_developer_given_no_value_any_more_keeps_none_in_either_slot(scratch: Graph) -> None:
    """A slot keeps nothing from the run that wrote it before: d3, flagged a bot after the first
    run (bots get no value), has no series after the next run, nor in any slot once every slot
    has been written again (the fourth run writes the first run's slot)."""
    create_graph(scratch, REPOS, CONTRIBUTIONS, bots=["robot"])
    window = Window("2020-01", "2020-07")
    run_openrank(scratch, window, EXACT)
    assert set(developer_series(scratch)) == {"d1", "d2", "d3", "d4"}
    scratch.write("MATCH (d:Developer {key: 'd3'}) SET d.isBot = true")
    for _ in range(3):
        run_openrank(scratch, window, EXACT)
        assert set(developer_series(scratch)) == {"d1", "d2", "d4"}
    holding = scratch.read(
        "MATCH (d:Developer) WHERE d.openrankSeriesA IS NOT NULL OR d.openrankSeriesB IS NOT NULL "
        "OR d.openrankSeriesC IS NOT NULL RETURN d.key AS key"
    )
    assert {row["key"] for row in holding} == {"d1", "d2", "d4"}


def test_the_first_run_removes_an_older_layout_once(scratch: Graph) -> None:
    """Values an earlier version stored (four properties per developer and slot, a slotless
    RepoMonth value) are removed by the first run of this layout; the names register in the
    database, which is how a run knows whether to look for them at all."""
    create_graph(scratch, REPOS, CONTRIBUTIONS, bots=["robot"])
    scratch.write(
        "MATCH (d:Developer {key: 'd1'}) SET d.openrankMonthsA = ['2020-01'], d.openrankComputedA = [1.0], "
        "d.openrankActivityA = [1.0], d.openrankRunA = 'old'"
    )
    scratch.write("MATCH (m:RepoMonth {repo: 'x/a', month: '2020-01'}) SET m.openrankComputed = 9.0")
    assert {"openrankComputed", "openrankMonthsA", "openrankRunA"} <= set(old_layout_keys(scratch))
    run_openrank(scratch, Window("2020-01", "2020-07"), EXACT)
    # (RepoMonth.openrankComputedA is this layout's slot A: only developers held the old arrays)
    left = scratch.read(
        "MATCH (d:Developer) WHERE d.openrankMonthsA IS NOT NULL OR d.openrankComputedA IS NOT NULL "
        "OR d.openrankActivityA IS NOT NULL OR d.openrankRunA IS NOT NULL RETURN count(d) AS n"
    )
    assert left == [{"n": 0}]
    assert scratch.read("MATCH (m:RepoMonth) WHERE m.openrankComputed IS NOT NULL RETURN count(m) AS n") == [{"n": 0}]
    assert set(developer_series(scratch)) == {"d1", "d2", "d3", "d4"}


def test_unlisted_developers_are_stood_in_for(scratch: Graph) -> None:
    # one listed developer (score 2) and, by OpenDigger's totals, two more with score 1.2 each
    repos = {"y/c": [{"month": "2021-01", "openrank": 3.0, "participants": 3, "activity": 2 + 2 * 1.2}]}
    create_graph(scratch, repos, [("e1", "y/c", "2021-01", 2.0)])
    run_openrank(scratch, Window("2021-01", "2021-01"), EXACT)
    got = stored(scratch)

    # the tail estimate: 3 participants, 1 listed: two more sharing 2.4 of activity, 1.2 each
    dev, repo = one_listed_two_unlisted(2.0, 1.2)
    assert got == pytest.approx({("e1", "2021-01"): dev, ("y/c", "2021-01"): repo}, rel=1e-9)

    # without the tail it is the one-developer case
    run_openrank(
        scratch, Window("2021-01", "2021-01"), OpenRankParams(developer_init="sigmoid", tolerance=1e-12, tail=False)
    )
    dev, repo = one_repo_month(sigmoid(K * 4.0), 1, 1.0)
    assert stored(scratch) == pytest.approx({("e1", "2021-01"): dev, ("y/c", "2021-01"): repo}, rel=1e-9)


def test_cli_writes_the_csv_and_reports(scratch: Graph, tmp_path: Path) -> None:
    create_graph(scratch, REPOS, CONTRIBUTIONS, bots=["robot"])
    out = tmp_path / "openrank.csv"
    result = nichegraph(scratch.uri, "openrank", "--out", str(out))
    assert result.returncode == 0, result.stderr
    # without --months: the months with activity data (the published series run on to 2020-07)
    assert "OpenRank computed for 2020-01:2020-02" in result.stdout
    lines = out.read_text().splitlines()
    assert lines[0] == "kind,name,month,computed,published"
    rows = pd.read_csv(out, keep_default_na=False)
    got = stored(scratch)
    # every repository value, and every developer's active months (the CSV, like the graph,
    # leaves out the values that follow from the decay rule)
    active = {(c[0].lower(), c[2]) for c in CONTRIBUTIONS if c[0] != "robot"}
    expected = {key for key in got if key[0] in REPOS or key in active}
    assert set(zip(rows["name"], rows["month"], strict=True)) == expected and len(rows) == len(expected)
    for row in rows.itertuples():
        assert got[(row.name, row.month)] == pytest.approx(row.computed)
        if row.kind == "repo":
            assert row.published != ""  # every x/a and x/b month has a published value
        else:
            assert row.published == ""
    report = nichegraph(scratch.uri, "openrank", "--report", "--json")
    assert report.returncode == 0, report.stderr


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
