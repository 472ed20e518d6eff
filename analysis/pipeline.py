"""The analysis steps as plain functions: niches of a window, relations of a window, and the
whole analysis the main job runs (niches, relations, OpenRank). Commands and `nichegraph run`
call these; they print nothing themselves but report through a Progress."""

from __future__ import annotations

import time
from collections.abc import Callable

from nichegraph.analysis.display_labels import apply_display_labels
from nichegraph.analysis.network import Network, NetworkParams, load_network
from nichegraph.analysis.niches import (
    NicheParams,
    NicheResult,
    detect_niches,
    read_domains,
    stored_membership,
    stored_run,
    write_niches,
)
from nichegraph.analysis.openrank.method import OpenRankParams
from nichegraph.analysis.openrank.run import correlation_by_month, correlation_summary, run_openrank
from nichegraph.analysis.relations import (
    COMPETITOR,
    PEER,
    UPSTREAM,
    RelationResult,
    classify_relations,
    mean_openrank,
    relation_logins,
    write_relations,
)
from nichegraph.db import Graph
from nichegraph.progress import Progress
from nichegraph.queries import windows


def compute_niches(
    graph: Graph, window_text: str | None, network_params: NetworkParams, niche_params: NicheParams, steps: Progress
) -> NicheResult:
    """Build the window's network, find its niches and store both (replacing the window's
    network, niches and now stale relations)."""
    niche_params.check()
    network_params.check()
    window = windows.resolve_window(graph, window_text)
    network = load_network(graph, window, network_params, note=steps.note)
    result = detect_niches(network, niche_params, read_domains(graph))
    steps.note(
        f"Leiden: {niche_params.runs} runs (seeds {niche_params.seed}..{niche_params.seed + niche_params.runs - 1}, "
        f"resolution {niche_params.resolution:g}), consensus in {result.consensus_rounds} round(s): "
        f"{len(result.niches)} niches, mean pairwise ARI {result.mean_ari:.3f} ({result.seconds:.1f} s)"
    )
    started = time.perf_counter()
    write_niches(graph, result)
    coloured = apply_display_labels(graph, window)
    seconds = time.perf_counter() - started
    steps.note(
        f"stored {len(result.niches)} niches and {len(network.backbone())} links; "
        f"Neo4j Browser display labels set for {coloured} niche members ({seconds:.1f} s)"
    )
    return result


def compute_relations(graph: Graph, window_text: str | None, steps: Progress) -> RelationResult:
    """Relations of a window from its stored niches (computing the niches first when the window
    has none), with the network rebuilt under the parameters the niches were found with."""
    window = windows.resolve_window(graph, window_text)
    run = stored_run(graph, str(window))
    if run is None:
        steps.note(f"no niches stored for {window}: computing them with the default settings first")
        niches = compute_niches(graph, str(window), NetworkParams(), NicheParams(), steps)
        return relations_of(graph, niches.network, niches.membership(), steps)
    params = NetworkParams(min_shared=run["minShared"], min_lift=run["minLift"], top_links=run["topLinks"])
    network = load_network(graph, window, params, note=steps.note)
    return relations_of(graph, network, stored_membership(graph, str(window)), steps)


def relations_of(graph: Graph, network: Network, membership: dict[str, str], steps: Progress) -> RelationResult:
    """Classify the pairs of a network whose niches are known (in memory or read back)."""
    openrank = {repo: value for repo, (value, _months) in mean_openrank(graph, str(network.window)).items()}
    result = classify_relations(network, membership, openrank)
    counts = result.counts()
    steps.note(
        f"relations: {result.candidates} candidate pairs -> {counts[UPSTREAM]} upstream, {counts[COMPETITOR]} "
        f"competitor, {counts[PEER]} peer ({result.seconds:.1f} s)"
    )
    return result


def analyse(graph: Graph, say: Callable[[str], None]) -> None:
    """The main job's analysis: niches and relations of the default window (the last 12 months),
    reusing the network and niches it has just computed, then OpenRank over all the data."""
    steps = Progress(total=None)
    niches = compute_niches(graph, None, NetworkParams(), NicheParams(), steps)
    relations = relations_of(graph, niches.network, niches.membership(), steps)
    write_relations(graph, relations, relation_logins(graph, relations))
    window = windows.resolve_window(graph, None, what="--months", default=windows.ALL)
    say(f"Computing OpenRank for {window} ...")
    progress = Progress(total=window.length, unit="months")
    run_openrank(graph, window, OpenRankParams(), progress)
    progress.finish()
    summary = correlation_summary(correlation_by_month(graph, window))
    say(
        f"OpenRank computed for {window}: Spearman correlation with OpenDigger's published values "
        f"{summary['mean']} on average, {summary['last12Mean']} over the last 12 months"
    )
