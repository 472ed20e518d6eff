"""The report's monthly OpenRank series as the landscape projects' series: renamed projects are
one Repo under the current name, and Trends and Compare read them (the report's vLLM vs SGLang
comparison), saying which figures are missing without developer data."""

from __future__ import annotations

import csv
import itertools
import json
from collections import defaultdict

from click.testing import CliRunner

from nichegraph.cli import main
from nichegraph.db import Graph
from nichegraph.months import add_months
from tests.support.landscape_fixtures import (
    SERIES,
    WITH_DEVELOPERS,
    LandscapeGraph,
)

WINDOW = "2023-10:2024-09"


def series_rows() -> list[dict[str, str]]:
    rows = []
    for path in SERIES:
        with path.open(encoding="utf-8-sig") as handle:
            rows += list(csv.DictReader(handle))
    return rows


def by_id() -> dict[str, dict[str, float]]:
    values: dict[str, dict[str, float]] = defaultdict(dict)
    for row in series_rows():
        values[row["repo_id"]][row["month"][:7]] = float(row["openrank"])
    return values


def run_json(report_graph: LandscapeGraph, *args: str) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(main, ["--neo4j-uri", report_graph.settings.neo4j_uri, *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_renamed_projects_are_one_repo_under_the_current_name(report_graph: LandscapeGraph) -> None:
    with Graph(report_graph.settings) as graph:
        rows = graph.read(
            "MATCH (r:Repo) WHERE r.repoId IS NOT NULL "
            "RETURN r.repoId AS id, r.name AS name, r.formerNames AS former, "
            "[(r)-[:HAS_MONTH]->(m) | [m.month, m.openrank]] AS months"
        )
        old = graph.read(
            "MATCH (r:Repo) WHERE r.name IN ['hwchase17/langchain', 'ggerganov/llama.cpp', 'jerryjliu/gpt_index'] "
            "RETURN count(r) AS n"
        )
    stored = {row["id"]: row for row in rows}
    values = by_id()
    assert set(stored) == set(values)
    for repo_id, months in values.items():
        assert dict(map(tuple, stored[repo_id]["months"])) == months
    assert stored["552661142"]["name"] == "langchain-ai/langchain"
    assert stored["552661142"]["former"] == ["hwchase17/langchain"]
    # the report's 2025-05 list knows llama.cpp under its newest name; the series only the old one
    assert stored["612354784"]["name"] == "ggml-org/llama.cpp"
    assert old[0]["n"] == 0


def test_vllm_against_sglang(report_graph: LandscapeGraph) -> None:
    values = by_id()
    vllm, sglang = values["599547518"], values["740303686"]
    curves = run_json(
        report_graph,
        "trends",
        "curves",
        "--repos",
        "vllm-project/vllm,sgl-project/sglang",
        "--window",
        WINDOW,
        "--json",
    )
    for repo, expected in (("vllm-project/vllm", vllm), ("sgl-project/sglang", sglang)):
        got = {point["month"]: point["openrank"] for point in curves["members"][repo] if point["openrank"] is not None}
        assert got == {month: value for month, value in expected.items() if "2023-10" <= month <= "2024-09"}
    growth = run_json(
        report_graph,
        "trends",
        "growth",
        "--repos",
        "vllm-project/vllm,sgl-project/sglang",
        "--window",
        WINDOW,
        "--json",
    )
    row = next(r for r in growth["rows"] if r["repo"] == "vllm-project/vllm")
    # mean monthly OpenRank per calendar quarter, a month without a value counting 0
    quarters = []
    for start in ("2023-10", "2024-01", "2024-04", "2024-07"):
        quarters.append(sum(vllm.get(add_months(start, i), 0.0) for i in range(3)) / 3)
    assert [round(q, 6) for q in row["quarterly"]] == [round(q, 6) for q in quarters]
    expected_rates = [b / a - 1 for a, b in itertools.pairwise(quarters)]
    assert [round(r, 6) for r in row["rates"]] == [round(r, 6) for r in expected_rates]
    ranks = run_json(
        report_graph,
        "trends",
        "ranks",
        "--repos",
        "vllm-project/vllm,sgl-project/sglang",
        "--window",
        WINDOW,
        "--period",
        "quarter",
        "--json",
    )
    assert [point["rank"] for point in ranks["series"]["vllm-project/vllm"]] == [1, 1, 1, 1]


def test_compare_says_what_is_missing(report_graph: LandscapeGraph) -> None:
    payload = run_json(
        report_graph,
        "trends",
        "compare",
        "vllm-project/vllm",
        "sgl-project/sglang",
        WITH_DEVELOPERS,
        "--window",
        "2022-04:2023-03",
        "--json",
    )
    assert payload["withoutDeveloperData"] == ["vllm-project/vllm", "sgl-project/sglang"]
    assert "contributors" in payload["missingForThem"] and "bus factor" in payload["missingForThem"]
    projects = {p["repo"]: p for p in payload["projects"]}
    for repo in ("vllm-project/vllm", "sgl-project/sglang"):
        assert projects[repo]["contributors"] is None and projects[repo]["newContributors"] is None
        assert projects[repo]["topDevelopers"] == []
    assert projects[WITH_DEVELOPERS]["developerData"] is True and projects[WITH_DEVELOPERS]["contributors"] > 0
