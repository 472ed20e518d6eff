"""Niches on the whole top-300 snapshot: the network, Leiden with consensus, what is stored."""

from __future__ import annotations

import math

from nichegraph.analysis.hubs import HubParams
from nichegraph.analysis.network import NetworkParams, build_network, cypher_pair_sums, load_network, stream_activity
from nichegraph.analysis.niches import NicheParams, detect_niches, stored_membership
from nichegraph.analysis.pipeline import compute_niches, mark_hubs
from nichegraph.db import Graph
from nichegraph.months import parse_window
from nichegraph.queries.library import run_query
from tests.conftest import quiet_progress
from tests.support.niche_fixtures import BEGINNER_REPOS, Analysed

PYTORCH_NICHE_MUST = [
    "tensorflow/tensorflow",
    "huggingface/transformers",
    "Lightning-AI/lightning",
    "microsoft/onnxruntime",
]
PYTORCH_NICHE_MUST_NOT = ["kubernetes/kubernetes", "facebook/react", *BEGINNER_REPOS]


def test_pytorch_niche_holds_the_ml_frameworks_and_nothing_unrelated(full_graph: Graph, analysed: Analysed) -> None:
    rows = run_query(full_graph, "niche_of_repo", repo="pytorch/pytorch", window=analysed.window)
    members = [row["member"] for row in rows]
    assert set(PYTORCH_NICHE_MUST) <= set(members)
    assert not set(PYTORCH_NICHE_MUST_NOT) & set(members)
    # members come most central first, and pytorch/pytorch is the centre of its niche
    assert [row["rank"] for row in rows] == list(range(1, len(rows) + 1))
    centralities = [row["centrality"] for row in rows]
    assert centralities == sorted(centralities, reverse=True)
    assert members[0] == "pytorch/pytorch"
    assert rows[0]["niche"] == f"{analysed.window}/pytorch/pytorch"
    # the hand-made landscape labels the niche: PyTorch's domain in the LLM landscape is Training
    assert "Training (" in rows[0]["label"]


def test_beginner_repositories_are_reported_unassigned_not_forced_in(full_graph: Graph, analysed: Analysed) -> None:
    rows = {row["repo"]: row["reason"] for row in run_query(full_graph, "unassigned_repos", window=analysed.window)}
    for repo in BEGINNER_REPOS:
        assert repo in rows and "no link passes the filters" in rows[repo]
    assert rows == analysed.niches.unassigned
    membership = stored_membership(full_graph, analysed.window)
    assert not set(rows) & set(membership)


def test_stored_niches_match_the_computed_result(full_graph: Graph, analysed: Analysed) -> None:
    result = analysed.niches
    stored = run_query(full_graph, "niches_in_window", window=analysed.window)
    assert [row["niche"] for row in stored] == [niche.id for niche in result.niches]
    for row, niche in zip(stored, result.niches, strict=True):
        assert row["size"] == niche.size == len(row["members"])
        assert math.isclose(row["stability"], niche.stability)
        assert 0 < row["stability"] <= 1
    links = run_query(full_graph, "collaboration_links", window=analysed.window)
    assert len(links) == len(result.network.backbone())
    assert 10 <= len(result.niches) <= 40 and 0.7 <= result.mean_ari <= 1.0


def test_same_seed_same_niches_and_stability(full_graph: Graph, analysed: Analysed) -> None:
    # a fresh read of the graph and two runs with one seed: identical, number for number
    network = load_network(full_graph, parse_window(analysed.window))
    hubs = mark_hubs(full_graph, network, HubParams(), quiet_progress())
    first = detect_niches(network, NicheParams(seed=7, runs=10), None, hubs)
    again_network = build_network(stream_activity(full_graph, network.window))
    again_hubs = mark_hubs(full_graph, again_network, HubParams(), quiet_progress())
    second = detect_niches(again_network, NicheParams(seed=7, runs=10), None, again_hubs)

    def shape(result):
        return [(n.id, [(m.repo, m.rank, round(m.stability, 12)) for m in n.members]) for n in result.niches]

    assert shape(first) == shape(second)
    assert first.mean_ari == second.mean_ari and first.unassigned == second.unassigned
    # and the stored default run is reproduced exactly
    again = detect_niches(network, NicheParams(), None, hubs)
    assert [n.members[0].repo for n in again.niches] == [n.members[0].repo for n in analysed.niches.niches]
    assert again.membership() == analysed.niches.membership()


def test_recomputing_a_window_replaces_only_that_window(
    full_graph: Graph, analysed: Analysed, other_windows: list[str]
) -> None:
    # quarters, not years: replacing one window's niches means the same for any length, and a
    # quarter's network reads a quarter of the rows (each compute on a year took ~20 s, load 13)
    older, other = "2020-01:2020-03", "2021-01:2021-03"
    other_windows += [older, other]
    compute_niches(full_graph, older, NetworkParams(), NicheParams(), quiet_progress())
    before = stored_membership(full_graph, older)
    assert before  # the window does have niches to keep
    compute_niches(full_graph, other, NetworkParams(), NicheParams(runs=5, seed=3), quiet_progress())
    replaced = compute_niches(
        full_graph, other, NetworkParams(), NicheParams(runs=6, seed=11, resolution=1.5), quiet_progress()
    )
    assert stored_membership(full_graph, older) == before
    assert stored_membership(full_graph, other) == replaced.membership()
    count = full_graph.read("MATCH (n:Niche {window: $w}) RETURN count(n) AS n", w=other)[0]["n"]
    assert count == len(replaced.niches)
    run = full_graph.read("MATCH (r:NicheRun {window: $w}) RETURN r.seed AS seed, r.runs AS runs", w=other)
    assert run == [{"seed": 11, "runs": 6}]
    assert stored_membership(full_graph, analysed.window) == analysed.niches.membership()


def test_python_aggregation_equals_cypher_aggregation(full_graph: Graph, analysed: Analysed) -> None:
    """The network's raw sums computed two independent ways: streamed rows summed in Python,
    and the whole aggregation done by Neo4j."""
    network = analysed.niches.network
    cypher = cypher_pair_sums(full_graph, network.window)
    repos = network.repos
    python_pairs = {(repos[s], repos[t]): (link.shared, link.pair_sum) for (s, t), link in network.pairs.items()}
    assert python_pairs.keys() == cypher["pairs"].keys()
    for key, (shared, pair_sum) in python_pairs.items():
        assert cypher["pairs"][key][0] == shared
        assert math.isclose(cypher["pairs"][key][1], pair_sum, rel_tol=1e-9)
    for i, repo in enumerate(repos):
        activity, developers = cypher["totals"][repo]
        assert math.isclose(activity, network.activity.repo_activity[i], rel_tol=1e-9)
        assert developers == network.activity.repo_developers[i]


def test_weights_follow_the_documented_formula_and_exclude_bots(full_graph: Graph, analysed: Analysed) -> None:
    """pytorch/pytorch - huggingface/transformers recomputed by hand from the contributions."""
    rows = full_graph.read(
        """
        MATCH (d:Developer)-[c:CONTRIBUTED]->(r:Repo)
        WHERE $first <= c.month <= $last AND r.name IN $pair AND NOT d.isBot
        WITH d, r.name AS repo, sum(c.activity) AS a
        WITH d, collect([repo, a]) AS both WHERE size(both) = 2
        MATCH (d)-[c:CONTRIBUTED]->() WHERE $first <= c.month <= $last
        RETURN d.key AS dev, both, sum(c.activity) AS total
        """,
        first="2022-04",
        last="2023-03",
        pair=["pytorch/pytorch", "huggingface/transformers"],
    )
    totals = full_graph.read(
        """
        MATCH (d:Developer)-[c:CONTRIBUTED]->(r:Repo)
        WHERE $first <= c.month <= $last AND r.name IN $pair AND NOT d.isBot
        RETURN r.name AS repo, sum(c.activity) AS a
        """,
        first="2022-04",
        last="2023-03",
        pair=["pytorch/pytorch", "huggingface/transformers"],
    )
    sizes = {row["repo"]: row["a"] for row in totals}
    pair_sum = sum(row["both"][0][1] * row["both"][1][1] / row["total"] for row in rows)
    weight = pair_sum / math.sqrt(sizes["pytorch/pytorch"] * sizes["huggingface/transformers"])
    link = next(
        row
        for row in run_query(full_graph, "collaboration_links", window=analysed.window)
        if {row["source"], row["target"]} == {"pytorch/pytorch", "huggingface/transformers"}
    )
    assert link["sharedDevelopers"] == len(rows)
    assert math.isclose(link["weight"], weight, rel_tol=1e-9)
    bots = full_graph.read(
        """
        MATCH (:Repo)-[c:COLLABORATES {window: $w}]->(:Repo)
        UNWIND c.topDevelopers AS login
        MATCH (d:Developer {key: toLower(login)}) WHERE d.isBot
        RETURN count(*) AS n
        """,
        w=analysed.window,
    )
    assert bots[0]["n"] == 0
