"""The analysis steps as plain functions: niches of a window, relations of a window, and the
whole analysis the main job runs (niches, relations, OpenRank). Commands and `nichegraph run`
call these; they print nothing themselves but report through a Progress."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from nichegraph.analysis.display_labels import apply_display_labels
from nichegraph.analysis.expand import ExpandParams, ExpandResult, declared_languages, expand, resolve_seeds
from nichegraph.analysis.hubs import HubEvidence, HubParams, find_hubs
from nichegraph.analysis.metadata import MetadataIndex, metadata_index, read_metadata
from nichegraph.analysis.network import (
    Network,
    NetworkParams,
    WindowActivity,
    exclude_from_backbone,
    load_network,
    stream_activity,
)
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
from nichegraph.errors import BadParameter
from nichegraph.months import Window, add_months
from nichegraph.progress import Progress
from nichegraph.queries import windows
from nichegraph.queries.library import run_query


def window_stars(graph: Graph, window: str) -> dict[str, int | None]:
    return {row["repo"]: row["stars"] for row in run_query(graph, "stars_in_window", window=window)}


def mark_hubs(graph: Graph, network: Network, params: HubParams, steps: Progress) -> dict[int, HubEvidence]:
    """Find the window's distribution hubs and leave their links out of the niche network."""
    hubs = find_hubs(network, window_stars(graph, str(network.window)), params)
    exclude_from_backbone(network, set(hubs))
    names = ", ".join(sorted(evidence.repo for evidence in hubs.values()))
    steps.note(f"{len(hubs)} distribution hubs, kept out of the niche network: {names or 'none'}")
    return hubs


def compute_niches(
    graph: Graph,
    window_text: str | None,
    network_params: NetworkParams,
    niche_params: NicheParams,
    steps: Progress,
    hub_params: HubParams | None = None,
) -> NicheResult:
    """Build the window's network, recognise its distribution hubs, find its niches and store
    them (replacing the window's network, niches and now stale relations)."""
    niche_params.check()
    network_params.check()
    hub_params = (hub_params or HubParams()).check()
    window = windows.resolve_window(graph, window_text)
    network = load_network(graph, window, network_params, note=steps.note)
    hubs = mark_hubs(graph, network, hub_params, steps)
    result = detect_niches(network, niche_params, read_domains(graph), hubs, graph_metadata(graph, network))
    steps.note(
        f"Leiden: {niche_params.runs} runs (seeds {niche_params.seed}..{niche_params.seed + niche_params.runs - 1}, "
        f"resolution {niche_params.resolution:g}), consensus in {result.consensus_rounds} round(s): "
        f"{len(result.niches)} niches, mean pairwise ARI {result.mean_ari:.3f} ({result.seconds:.1f} s)"
    )
    steps.note(drawer_note(result))
    if result.described:
        steps.note(kind_note(result))
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
    network = stored_network(graph, window, run, steps)
    return relations_of(graph, network, stored_membership(graph, str(window)), steps)


def stored_network(graph: Graph, window: Window, run: dict[str, Any], steps: Progress) -> Network:
    """The window's network rebuilt with the parameters and hubs its stored niches were found with."""
    params = NetworkParams(min_shared=run["minShared"], min_lift=run["minLift"], top_links=run["topLinks"])
    network = load_network(graph, window, params, note=steps.note)
    index = network.activity.index()
    exclude_from_backbone(network, {index[repo] for repo in run.get("hubs") or [] if repo in index})
    return network


def graph_metadata(graph: Graph, network: Network) -> MetadataIndex:
    """The GitHub metadata stored on the graph's projects (`nichegraph load github`), as evidence."""
    return metadata_index(read_metadata(graph).values(), network.repos)


def drawer_note(result: NicheResult) -> str:
    if not result.described:
        return "drawers: no GitHub metadata in the graph (`nichegraph load github`), no niche checked for one"
    found = "; ".join(split.reason for split in result.drawers) or "none"
    return f"drawers (GitHub metadata of {result.described} linked projects): {found}"


def kind_note(result: NicheResult) -> str:
    kinds = "; ".join(kind.reason for kind in result.kinds) or "none"
    placed = "; ".join(f"{repo}: {placement.reason}" for repo, placement in result.placed.items()) or "none"
    return f"niches of one kind: {kinds}\nplaced unassigned projects: {placed}"


def previous_activity(graph: Graph, window: Window, steps: Progress) -> WindowActivity | None:
    """The contributions of the window of the same length just before (persistence evidence);
    None when the graph holds no data there."""
    before = Window(add_months(window.first, -window.length), add_months(window.first, -1))
    try:
        activity = stream_activity(graph, before)
    except BadParameter:
        steps.note(f"no contributions in {before}: relations go without the previous window's evidence")
        return None
    steps.note(f"previous window {before}: {activity.rows:,} monthly contributions ({activity.seconds:.1f} s)")
    return activity


def relations_of(graph: Graph, network: Network, membership: dict[str, str], steps: Progress) -> RelationResult:
    """Classify the pairs of a network whose niches are known (in memory or read back), with the
    window before it and the GitHub metadata in the graph as further evidence."""
    openrank = {repo: value for repo, (value, _months) in mean_openrank(graph, str(network.window)).items()}
    previous = previous_activity(graph, network.window, steps)
    metadata = graph_metadata(graph, network)
    result = classify_relations(network, membership, openrank, previous=previous, metadata=metadata)
    counts = result.counts()
    steps.note(
        f"relations: {result.candidates} candidate pairs -> {counts[UPSTREAM]} upstream, {counts[COMPETITOR]} "
        f"competitor, {counts[PEER]} peer; GitHub metadata for {result.metadata_projects} projects "
        f"({result.seconds:.1f} s)"
    )
    return result


def expand_from_seeds(
    graph: Graph, seeds_text: str, window_text: str | None, params: ExpandParams, steps: Progress
) -> ExpandResult:
    """Seed expansion on the window's network (the parameters its stored niches used, if any),
    with the window's distribution hubs recognised and skipped, and the programming languages the
    GitHub metadata in the graph declares."""
    seeds = resolve_seeds(graph, seeds_text)
    window = windows.resolve_window(graph, window_text)
    run = stored_run(graph, str(window)) or {}
    network_params = NetworkParams(
        min_shared=run.get("minShared", 3), min_lift=run.get("minLift", 3.0), top_links=run.get("topLinks", 5)
    )
    network = load_network(graph, window, network_params, note=steps.note)
    hubs = mark_hubs(graph, network, HubParams(), steps)
    languages = declared_languages(network, graph_metadata(graph, network))
    return expand(network, seeds, mean_openrank(graph, str(window)), params, hubs, languages)


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
