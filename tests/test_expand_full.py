"""Seed expansion (the landscape method) on the whole snapshot."""

from __future__ import annotations

import pytest

from nichegraph.analysis.expand import ExpandParams, expand, resolve_seeds
from nichegraph.analysis.network import load_network
from nichegraph.analysis.relations import mean_openrank
from nichegraph.db import Graph
from nichegraph.errors import BadParameter
from nichegraph.months import parse_window

WINDOW = "2022-04:2023-03"


@pytest.fixture(scope="module")
def expanded(full_settings):
    with Graph(full_settings) as graph:
        network = load_network(graph, parse_window(WINDOW))
        openrank = mean_openrank(graph, WINDOW)
        seeds = resolve_seeds(graph, "PyTorch/PyTorch, huggingface/transformers")
    return network, openrank, seeds


def test_members_are_reached_along_strong_links_and_clear_the_threshold(expanded) -> None:
    network, openrank, seeds = expanded
    assert seeds == ["pytorch/pytorch", "huggingface/transformers"]
    result = expand(network, seeds, openrank, ExpandParams(min_openrank=250, depth=2))
    names = result.member_names()
    assert {"Lightning-AI/lightning", "tensorflow/tensorflow", "microsoft/onnxruntime"} <= set(names)
    index = network.activity.index()
    for member in result.members:
        assert member.path[0] in seeds and member.path[-1] == member.repo and member.depth == len(member.path) - 1
        assert member.depth <= 2
        for a, b, weight in zip(member.path[:-1], member.path[1:], member.path_weights, strict=True):
            link = network.link(index[a], index[b])
            assert link is not None and link.weight == weight
        if member.depth:
            assert member.openrank >= 250 and member.rank_at_parent <= 5
    reasons = {item.repo: item.reason for item in result.left_out}
    assert not set(reasons) & set(names)
    below = [item for item in result.left_out if item.reason.startswith("below threshold")]
    assert below and all((item.openrank or 0) < 250 for item in below)
    assert any(item.reason.startswith("too weak") for item in result.left_out)
    assert any(item.reason.startswith("beyond --depth") for item in result.left_out)


def test_threshold_and_depth_shrink_the_landscape(expanded) -> None:
    network, openrank, seeds = expanded
    wide = expand(network, seeds, openrank, ExpandParams(min_openrank=10, depth=2)).member_names()
    narrow = expand(network, seeds, openrank, ExpandParams(min_openrank=300, depth=1)).member_names()
    assert set(narrow) < set(wide)
    assert expand(network, seeds, openrank, ExpandParams(depth=0)).member_names() == seeds


def test_unknown_seed_is_refused(full_graph: Graph) -> None:
    with pytest.raises(BadParameter, match=r"--seeds: unknown repository 'nobody/nothing'"):
        resolve_seeds(full_graph, "pytorch/pytorch,nobody/nothing")
