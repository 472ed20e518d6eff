"""Seed expansion (the landscape report's method) on the whole snapshot, checked against counts
made directly in Cypher from the contributions."""

from __future__ import annotations

import csv
import math

import pytest

from nichegraph.analysis.expand import LANGUAGE_REASON, ExpandParams, expand, resolve_seeds
from nichegraph.analysis.hubs import HubParams
from nichegraph.analysis.network import load_network
from nichegraph.analysis.pipeline import expand_from_seeds, mark_hubs
from nichegraph.analysis.relations import mean_openrank
from nichegraph.db import Graph
from nichegraph.errors import BadParameter
from nichegraph.months import parse_window
from nichegraph.progress import Progress
from tests.conftest import METADATA_FILE
from tests.support.github_server import metadata_loaded

WINDOW = "2022-04:2023-03"

# developers (bots left out) active in the window in each repository and in any of the seeds
SHARED_WITH_SEEDS = """
MATCH (d:Developer)-[c:CONTRIBUTED]->(s:Repo)
WHERE s.name IN $seeds AND $first <= c.month <= $last AND NOT d.isBot
WITH DISTINCT d
MATCH (d)-[c:CONTRIBUTED]->(r:Repo)
WHERE $first <= c.month <= $last AND NOT r.name IN $seeds
RETURN r.name AS repo, count(DISTINCT d) AS shared
"""


@pytest.fixture(scope="module")
def expanded(full_settings):
    with Graph(full_settings) as graph:
        network = load_network(graph, parse_window(WINDOW))
        hubs = mark_hubs(graph, network, HubParams(), Progress(total=None, quiet=True))
        openrank = mean_openrank(graph, WINDOW)
        seeds = resolve_seeds(graph, "PyTorch/PyTorch, huggingface/transformers")
        first, last = WINDOW.split(":")
        shared = {
            row["repo"]: row["shared"] for row in graph.read(SHARED_WITH_SEEDS, seeds=seeds, first=first, last=last)
        }
    return network, hubs, openrank, seeds, shared


def test_first_round_ranks_by_developers_shared_with_the_seeds(expanded) -> None:
    network, hubs, openrank, seeds, shared = expanded
    assert seeds == ["pytorch/pytorch", "huggingface/transformers"]
    params = ExpandParams(min_openrank=10, depth=1, top=10)
    result = expand(network, seeds, openrank, params, hubs)
    first_round = [m for m in result.members if m.depth == 1]
    assert len(first_round) == 10
    # the counts equal the independent Cypher count, and the round is ordered by them
    for member in first_round:
        assert member.shared == shared[member.repo], member.repo
    counts = [m.shared for m in first_round]
    assert counts == sorted(counts, reverse=True)
    assert {"Lightning-AI/lightning", "tensorflow/tensorflow", "microsoft/onnxruntime"} <= set(result.member_names())
    # everything that shares more developers than the round's weakest member and is not in it
    # was turned down for a stated reason
    weakest = min(counts)
    reasons = {item.repo: item.reason for item in result.left_out}
    # projects met only through this round's members would have joined in a further round
    assert any(reason == "beyond --depth 1" for reason in reasons.values())
    for repo, count in shared.items():
        if count > weakest and repo not in result.member_names() and repo in network.activity.index():
            linked = network.neighbours().get(network.activity.index()[repo], {})
            if {network.activity.index()[s] for s in seeds} & set(linked):
                assert repo in reasons, repo


def test_lift_is_shared_over_what_random_mixing_predicts(expanded) -> None:
    network, hubs, openrank, seeds, shared = expanded
    result = expand(network, seeds, openrank, ExpandParams(depth=1), hubs)
    activity = network.activity
    index = activity.index()
    seed_developers = {dev for dev, repos in enumerate(activity.activity) if {index[s] for s in seeds} & set(repos)}
    for member in result.members[2:5]:
        expected = activity.repo_developers[index[member.repo]] * len(seed_developers) * network.kappa
        assert math.isclose(member.lift, shared[member.repo] / expected, rel_tol=1e-9)
        assert member.lift >= 4.0 and member.shared >= 3


def test_hubs_are_never_followed(expanded) -> None:
    network, hubs, openrank, seeds, _shared = expanded
    hub_names = {evidence.repo for evidence in hubs.values()}
    assert {"conda-forge/staged-recipes", "Homebrew/homebrew-core"} <= hub_names
    result = expand(network, seeds, openrank, ExpandParams(depth=3), hubs)
    assert not hub_names & set(result.member_names())
    reasons = {item.repo: item.reason for item in result.left_out}
    assert reasons["conda-forge/staged-recipes"].startswith("distribution hub: not followed")


def test_every_rejection_says_why(expanded) -> None:
    network, hubs, openrank, seeds, _shared = expanded
    result = expand(network, seeds, openrank, ExpandParams(min_openrank=250, depth=1, top=3), hubs)
    names = set(result.member_names())
    assert all(item.repo not in names for item in result.left_out)
    kinds = {item.reason.split(":")[0].split(" (")[0] for item in result.left_out}
    assert {"below threshold", "too weak", "distribution hub"} <= kinds
    assert any(item.reason.startswith("not among the 3 best of depth 1") for item in result.left_out)
    below = [item for item in result.left_out if item.reason.startswith("below threshold")]
    assert all((item.openrank or 0) < 250 for item in below)
    for member in result.members[2:]:
        assert member.openrank >= 250 and member.depth == 1 and member.via in seeds


def test_threshold_and_depth_shrink_the_landscape(expanded) -> None:
    network, hubs, openrank, seeds, _shared = expanded
    wide = expand(network, seeds, openrank, ExpandParams(min_openrank=10, depth=2), hubs).member_names()
    narrow = expand(network, seeds, openrank, ExpandParams(min_openrank=300, depth=1), hubs).member_names()
    assert set(narrow) < set(wide)
    assert expand(network, seeds, openrank, ExpandParams(depth=0), hubs).member_names() == seeds


def test_unknown_seed_is_refused(full_graph: Graph) -> None:
    with pytest.raises(BadParameter, match=r"--seeds: unknown repository 'nobody/nothing'"):
        resolve_seeds(full_graph, "pytorch/pytorch,nobody/nothing")


def declares_language(row: dict[str, str]) -> bool:
    """A language in the metadata file's own words: the phrase in its description or the topic."""
    topics = row["topics"].split("|")
    return "programming language" in row["description"].lower() or "language" in topics


def test_projects_calling_themselves_languages_are_not_followed(full_graph: Graph) -> None:
    """With the shared metadata file loaded, a project whose description or topics say it is a
    programming language never joins; cpython, which shares the most developers with the seeds of
    any project, is turned down for it. Without metadata, or with --follow-languages, it joins."""
    with METADATA_FILE.open(encoding="utf-8", newline="") as file:
        languages = {row["repo"] for row in csv.DictReader(file) if declares_language(row)}
    assert {"python/cpython", "rust-lang/rust", "golang/go"} <= languages
    seeds = "pytorch/pytorch,huggingface/transformers"
    steps = Progress(total=None, quiet=True)
    plain = expand_from_seeds(full_graph, seeds, WINDOW, ExpandParams(), steps)
    assert "python/cpython" in plain.member_names()
    with metadata_loaded(full_graph, METADATA_FILE):
        skipped = expand_from_seeds(full_graph, seeds, WINDOW, ExpandParams(), steps)
        followed = expand_from_seeds(full_graph, seeds, WINDOW, ExpandParams(follow_languages=True), steps)
    assert not languages & set(skipped.member_names())
    reasons = {item.repo: item.reason for item in skipped.left_out}
    assert reasons["python/cpython"] == LANGUAGE_REASON
    assert all(reason == LANGUAGE_REASON for repo, reason in reasons.items() if repo in languages)
    assert set(skipped.member_names()) == set(plain.member_names()) - languages
    assert followed.member_names() == plain.member_names()
