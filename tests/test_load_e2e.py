"""End to end on 24 real repositories: every row loaded, counts equal to an independent
reading of the files, reload changes nothing, newer months are added without rewriting.

One clean serial load is read out once (`clean`) and shared: the tests that only read a
clean load check that read-out, and the tests that load again in other ways (twice, in two
windows, with parallel writers) compare their graph with its fingerprint. Each load of the 24
repositories costs 15-20 s on the busy test machine."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.loader.bots import is_bot
from nichegraph.loader.opendigger import SERIES_FILES
from nichegraph.loader.pipeline import LoadSummary
from tests.conftest import SMALL_REPOS, TOP300, load_folder, wipe
from tests.support.expected import read_expected
from tests.support.fingerprint import graph_fingerprint

ALL_CONTRIBUTIONS = """
MATCH (d:Developer)-[c:CONTRIBUTED]->(r:Repo)
RETURN d.key AS key, r.name AS repo, c.month AS month, c.activity AS activity
"""


def contributions_in(graph: Graph) -> dict[tuple[str, str, str], float]:
    rows = graph.read(ALL_CONTRIBUTIONS)
    found = {(row["key"], row["repo"], row["month"]): row["activity"] for row in rows}
    assert len(found) == len(rows), "two CONTRIBUTED relationships for one (developer, repo, month)"
    return found


@dataclass
class CleanLoad:
    """What one serial load of SMALL_REPOS into an empty database wrote, as read back."""

    summary: LoadSummary
    contributions: dict[tuple[str, str, str], float]
    developers: list[dict[str, Any]]
    months: list[dict[str, Any]]
    fingerprint: Any


@pytest.fixture(scope="module")
def clean(scratch_settings: Settings) -> CleanLoad:
    with Graph(scratch_settings) as graph:
        wipe(graph)
        summary = load_folder(graph, SMALL_REPOS)
        return CleanLoad(
            summary,
            contributions_in(graph),
            graph.read("MATCH (d:Developer) RETURN d.key AS key, d.login AS login, d.isBot AS bot"),
            graph.read("MATCH (r:Repo)-[:HAS_MONTH]->(m:RepoMonth) RETURN r.name AS repo, m"),
            graph_fingerprint(graph),
        )


def test_every_row_is_loaded_and_counts_match_the_files(clean: CleanLoad) -> None:
    expected = read_expected(TOP300, SMALL_REPOS)
    summary = clean.summary

    assert summary.ok, summary.describe()
    assert sorted(summary.loaded) == sorted(SMALL_REPOS)
    assert summary.rows_in == expected.rows_in
    assert summary.contributions == len(expected.contributions)
    assert summary.merged_repeats == expected.repeats > 0

    found = clean.contributions
    assert found.keys() == expected.contributions.keys()
    for key, activity in expected.contributions.items():
        assert math.isclose(found[key], activity, rel_tol=1e-6), key

    developers = clean.developers
    assert {row["key"] for row in developers} == expected.developers
    for row in developers:
        assert row["login"] in expected.casings[row["key"]]
        assert row["bot"] == is_bot(row["login"])


def test_the_series_are_stored_per_month_and_missing_months_stay_missing(clean: CleanLoad) -> None:
    expected = read_expected(TOP300, SMALL_REPOS)
    stored = {(row["repo"], row["m"]["month"]): row["m"] for row in clean.months}
    for (repo, month), values in expected.series.items():
        node = stored[(repo, month)]
        for stem, value in values.items():
            assert node[SERIES_FILES[stem]] == value, (repo, month, stem)
    # a month absent from a file is absent from the node, never zero
    for (repo, month), node in stored.items():
        present = expected.series.get((repo, month), {})
        for stem, prop in SERIES_FILES.items():
            if stem not in present:
                assert prop not in node, (repo, month, prop)
    # the October 2021 gap: the interpolated value and the measured ("-raw") one, both kept
    october = stored[("vitejs/vite", "2021-10")]
    assert october["interpolated"] is True
    assert october["openrankRaw"] != october["openrank"]


def test_case_insensitive_developers_keep_one_node(clean: CleanLoad) -> None:
    expected = read_expected(TOP300, SMALL_REPOS)
    two_casings = {key for key, casings in expected.casings.items() if len(casings) > 1}
    assert two_casings, "the sample should contain logins seen in two casings"
    nodes = Counter(row["key"] for row in clean.developers if row["key"] in two_casings)
    assert nodes.keys() == two_casings
    assert all(count == 1 for count in nodes.values())


def test_loading_twice_leaves_exactly_the_same_graph(scratch_settings: Settings, clean: CleanLoad) -> None:
    with Graph(scratch_settings) as graph:
        before = graph_fingerprint(graph)
        if before != clean.fingerprint:  # the clean load is gone: another test of this file ran since
            wipe(graph)
            load_folder(graph, SMALL_REPOS)
            before = graph_fingerprint(graph)
        assert before == clean.fingerprint
        again = load_folder(graph, SMALL_REPOS)
        assert again.ok
        assert again.contributions_written == 0 and again.months_written == 0
        assert sorted(again.unchanged) == sorted(SMALL_REPOS)
        assert graph_fingerprint(graph) == before


def test_newer_months_are_added_without_rewriting_old_ones(scratch: Graph, clean: CleanLoad) -> None:
    from nichegraph.months import Window

    early = load_folder(scratch, SMALL_REPOS, window=Window("2015-01", "2022-06"))
    assert early.ok
    assert scratch.read("MATCH ()-[c:CONTRIBUTED]->() RETURN max(c.month) AS m")[0]["m"] == "2022-06"
    old_ids = {row["id"] for row in scratch.read("MATCH ()-[c:CONTRIBUTED]->() RETURN elementId(c) AS id")}

    later = load_folder(scratch, SMALL_REPOS)
    assert later.ok
    new_ids = {row["id"] for row in scratch.read("MATCH ()-[c:CONTRIBUTED]->() RETURN elementId(c) AS id")}
    assert old_ids <= new_ids, "months already loaded were rewritten"
    expected_new = len(read_expected(TOP300, SMALL_REPOS, first="2022-07").contributions)
    assert later.contributions_written == expected_new == len(new_ids - old_ids)
    assert graph_fingerprint(scratch) == clean.fingerprint


def test_a_months_window_loads_only_those_months(scratch: Graph) -> None:
    from nichegraph.months import Window

    expected = read_expected(TOP300, SMALL_REPOS, first="2021-01", last="2021-12")
    summary = load_folder(scratch, SMALL_REPOS, window=Window("2021-01", "2021-12"))
    assert summary.ok
    assert contributions_in(scratch).keys() == expected.contributions.keys()
    months = scratch.read("MATCH (m:RepoMonth) RETURN min(m.month) AS first, max(m.month) AS last")[0]
    assert (months["first"], months["last"]) == ("2021-01", "2021-12")


@pytest.mark.parametrize("workers", [2])
def test_parallel_writers_give_the_same_graph(scratch: Graph, clean: CleanLoad, workers: int) -> None:
    assert load_folder(scratch, SMALL_REPOS, workers=workers).ok
    assert graph_fingerprint(scratch) == clean.fingerprint  # the serial load's
