"""Commands for niches and relations: `niches`, `relations`, `expand`, `export`, `bench niches`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import BadParameter
from nichegraph.output import to_csv, to_json, to_table
from nichegraph.progress import Progress
from nichegraph.queries import export as exporter
from nichegraph.queries.display_labels import apply_display_labels
from nichegraph.queries.expand import ExpandParams, expand, expand_json, resolve_seeds
from nichegraph.queries.network import NetworkParams, cypher_pair_sums, load_network, resolve_window
from nichegraph.queries.niches import (
    NicheParams,
    NicheResult,
    detect_niches,
    read_domains,
    result_json,
    stored_membership,
    stored_run,
    summary_rows,
    write_niches,
)
from nichegraph.queries.relations import (
    COMPETITOR,
    PEER,
    UPSTREAM,
    RelationResult,
    classify_relations,
    mean_openrank,
    relation_logins,
    relations_json,
    write_relations,
)


def progress() -> Progress:
    return Progress(total=None, unit="steps")


def write_out(out: Path | None, payload: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    """--out FILE: CSV of the main rows when FILE ends in .csv, the whole result as JSON otherwise."""
    if out is None:
        return
    if out.suffix.lower() == ".csv":
        out.write_text(to_csv(rows), encoding="utf-8")
    else:
        out.write_text(to_json(payload) + "\n", encoding="utf-8")


def window_option(function):  # type: ignore[no-untyped-def]
    return click.option(
        "--window", help="Months FIRST:LAST, e.g. 2022-04:2023-03 [default: the last 12 months in the graph]"
    )(function)


def out_option(function):  # type: ignore[no-untyped-def]
    return click.option(
        "--out", type=click.Path(dir_okay=False, path_type=Path), help="Also write the result: .csv rows or JSON"
    )(function)


def compute_niches(
    graph: Graph, window_text: str | None, network_params: NetworkParams, niche_params: NicheParams, steps: Progress
) -> NicheResult:
    niche_params.check()
    network_params.check()
    window = resolve_window(graph, window_text)
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


@click.command()
@window_option
@click.option(
    "--resolution", type=float, default=1.0, show_default=True, help="Leiden resolution (higher: smaller niches)"
)
@click.option("--runs", type=int, default=20, show_default=True, help="Leiden runs (seeds SEED, SEED+1, ...)")
@click.option("--seed", type=int, default=1, show_default=True, help="First seed; the same seed gives the same niches")
@click.option("--min-size", type=int, default=2, show_default=True, help="Smaller groups are reported as unassigned")
@click.option("--top-links", type=int, default=5, show_default=True, help="Links each project keeps (its strongest)")
@click.option("--min-shared", type=int, default=3, show_default=True, help="Shared developers a link needs")
@click.option("--min-lift", type=float, default=3.0, show_default=True, help="Shared developers / random expectation")
@out_option
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON")
@click.pass_obj
def niches(
    settings: Settings,
    window: str | None,
    resolution: float,
    runs: int,
    seed: int,
    min_size: int,
    top_links: int,
    min_shared: int,
    min_lift: float,
    out: Path | None,
    as_json: bool,
) -> None:
    """Find niches: Leiden communities of the window's collaboration network, a consensus over
    seeded runs, per-project stability; stored as (:Niche) and [:IN_NICHE] (this window only)."""
    steps = progress()
    with Graph(settings) as graph:
        result = compute_niches(
            graph,
            window,
            NetworkParams(min_shared=min_shared, min_lift=min_lift, top_links=top_links),
            NicheParams(resolution=resolution, runs=runs, seed=seed, min_size=min_size),
            steps,
        )
    payload = result_json(result)
    rows = [
        {
            "repo": m.repo,
            "niche": n.id,
            "label": n.label,
            "stability": m.stability,
            "centrality": m.centrality,
            "rank": m.rank,
        }
        for n in result.niches
        for m in n.members
    ] + [{"repo": repo, "niche": "", "label": "", "reason": why} for repo, why in sorted(result.unassigned.items())]
    write_out(out, payload, rows)
    if as_json:
        click.echo(to_json(payload))
        return
    click.echo(
        f"window {result.window}: {len(result.niches)} niches, partition stability (mean pairwise ARI of "
        f"{result.params.runs} runs) {result.mean_ari:.3f}, modularity {result.modularity:.3f}"
    )
    click.echo(to_table(summary_rows(result), ["niche", "size", "stability", "label"]))
    if result.unassigned:
        click.echo(f"\n{len(result.unassigned)} projects unassigned:")
        click.echo(to_table([{"repo": r, "reason": why} for r, why in sorted(result.unassigned.items())]))
    click.echo("\nRelations for this window (if any) were cleared; run `nichegraph relations` to recompute them.")


def compute_relations(graph: Graph, window_text: str | None, steps: Progress) -> RelationResult:
    window = resolve_window(graph, window_text)
    run = stored_run(graph, str(window))
    if run is None:
        steps.note(f"no niches stored for {window}: computing them with the default settings first")
        compute_niches(graph, str(window), NetworkParams(), NicheParams(), steps)
        run = stored_run(graph, str(window)) or {}
    params = NetworkParams(min_shared=run["minShared"], min_lift=run["minLift"], top_links=run["topLinks"])
    network = load_network(graph, window, params, note=steps.note)
    membership = stored_membership(graph, str(window))
    openrank = {repo: value for repo, (value, _months) in mean_openrank(graph, str(window)).items()}
    result = classify_relations(network, membership, openrank)
    counts = result.counts()
    steps.note(
        f"relations: {result.candidates} candidate pairs -> {counts[UPSTREAM]} upstream, {counts[COMPETITOR]} "
        f"competitor, {counts[PEER]} peer ({result.seconds:.1f} s)"
    )
    return result


@click.command()
@window_option
@out_option
@click.option("--json", "as_json", is_flag=True, help="Print every relation as JSON")
@click.option("--show", type=int, default=10, show_default=True, help="Relations of each kind to list")
@click.pass_obj
def relations(settings: Settings, window: str | None, out: Path | None, as_json: bool, show: int) -> None:
    """Classify linked projects as upstream/downstream, competitors or peers, with confidence and
    evidence; stored as UPSTREAM_OF (upstream -> downstream), COMPETES_WITH and PEER_OF."""
    steps = progress()
    with Graph(settings) as graph:
        result = compute_relations(graph, window, steps)
        logins = relation_logins(graph, result)
        write_relations(graph, result, logins)
    payload = relations_json(result, logins)
    write_out(out, payload, payload["relations"])
    if as_json:
        click.echo(to_json(payload))
        return
    counts = result.counts()
    click.echo(f"window {result.window}: " + ", ".join(f"{count} {kind}" for kind, count in counts.items()))
    for kind in (UPSTREAM, COMPETITOR, PEER):
        rows = [row for row in payload["relations"] if row["relation"] == kind][:show]
        if not rows:
            continue
        click.echo(f"\n{kind} (strongest {len(rows)}; for upstream, source is upstream of target):")
        shown = [
            {
                "source": r["source"],
                "target": r["target"],
                "confidence": r["confidence"],
                "shared": r["sharedDevelopers"],
                "topDevelopers": r["topDevelopers"][:3],
                "why": r["reason"],
            }
            for r in rows
        ]
        click.echo(to_table(shown))


@click.command("expand")
@click.option("--seeds", required=True, help="Seed projects, comma-separated: pytorch/pytorch,huggingface/transformers")
@window_option
@click.option("--min-openrank", type=float, default=10.0, show_default=True, help="Mean monthly OpenRank to keep")
@click.option("--depth", type=int, default=2, show_default=True, help="Links followed outwards from the seeds")
@click.option("--follow", type=int, default=5, show_default=True, help="Strongest links followed from each member")
@out_option
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON")
@click.pass_obj
def expand_command(
    settings: Settings,
    seeds: str,
    window: str | None,
    min_openrank: float,
    depth: int,
    follow: int,
    out: Path | None,
    as_json: bool,
) -> None:
    """Grow a landscape from seed projects along the strongest collaboration links, keeping
    projects whose mean monthly OpenRank reaches the threshold; says how each was reached and
    why others were left out."""
    params = ExpandParams(min_openrank=min_openrank, depth=depth, follow=follow).check()
    steps = progress()
    with Graph(settings) as graph:
        seed_names = resolve_seeds(graph, seeds)
        resolved = resolve_window(graph, window)
        run = stored_run(graph, str(resolved)) or {}
        network_params = NetworkParams(
            min_shared=run.get("minShared", 3), min_lift=run.get("minLift", 3.0), top_links=run.get("topLinks", 5)
        )
        network = load_network(graph, resolved, network_params, note=steps.note)
        result = expand(network, seed_names, mean_openrank(graph, str(resolved)), params)
    payload = expand_json(result)
    write_out(out, payload, payload["members"])
    if as_json:
        click.echo(to_json(payload))
        return
    click.echo(f"window {result.window}: {len(result.members)} members from {len(result.seeds)} seed(s)")
    members = [
        {
            "repo": m["repo"],
            "depth": m["depth"],
            "from": m["reachedFrom"],
            "link": m["linkWeight"],
            "rank": m["rankAtParent"],
            "openrank": m["meanOpenrank"],
            "note": m["note"],
        }
        for m in payload["members"]
    ]
    click.echo(to_table(members))
    if payload["leftOut"]:
        click.echo(f"\nleft out ({len(payload['leftOut'])}):")
        click.echo(
            to_table(
                [
                    {"repo": r["repo"], "via": r["via"], "link": r["linkWeight"], "why": r["reason"]}
                    for r in payload["leftOut"]
                ]
            )
        )


@click.command("export")
@click.option("--what", type=click.Choice(exporter.WHATS), required=True, help="Which stored results")
@click.option("--format", "fmt", type=click.Choice(exporter.FORMATS), required=True, help="File format")
@window_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write")
@click.pass_obj
def export_command(settings: Settings, what: str, fmt: str, window: str | None, out: Path) -> None:
    """Export a window's niches, relations or collaboration network as CSV, JSON, GraphML or GEXF."""
    with Graph(settings) as graph:
        resolved = str(resolve_window(graph, window))
        count = exporter.export(graph, resolved, what, fmt, out)
    unit = "nodes and edges" if fmt in {"graphml", "gexf"} else "rows"
    click.echo(f"wrote {count:,} {unit} of {what} for {resolved} to {out}")


@click.command("niches")
@window_option
@click.option("--runs", type=int, default=20, show_default=True, help="Leiden runs")
@click.option("--repeat", type=int, default=3, show_default=True, help="Timed repetitions (the median is shown)")
@click.pass_obj
def bench_niches(settings: Settings, window: str | None, runs: int, repeat: int) -> None:
    """Time the network build (Python over streamed rows, and the Cypher aggregation it replaced),
    Leiden with consensus, and relations on the graph at NEO4J_URI (the full snapshot)."""
    if repeat < 1:
        raise BadParameter(f"--repeat: {repeat} must be at least 1")
    timings: dict[str, list[float]] = {}

    def timed(name: str, work: Any) -> Any:
        started = time.perf_counter()
        value = work()
        timings.setdefault(name, []).append(time.perf_counter() - started)
        return value

    with Graph(settings) as graph:
        resolved = resolve_window(graph, window)
        for _ in range(repeat):
            network = timed("network build (stream + Python)", lambda: load_network(graph, resolved))
            timings.setdefault("  of which streaming", []).append(network.activity.seconds)
            timed("network build (Cypher aggregation)", lambda: cypher_pair_sums(graph, resolved))
            result = timed(
                f"Leiden, {runs} runs + consensus", lambda n=network: detect_niches(n, NicheParams(runs=runs), {})
            )
            openrank = {r: v for r, (v, _) in mean_openrank(graph, str(resolved)).items()}
            timed(
                "relations",
                lambda n=network, res=result, o=openrank: classify_relations(n, res.membership(), o),
            )
    rows = [
        {"step": name, "median s": sorted(values)[len(values) // 2], "runs": len(values)}
        for name, values in timings.items()
    ]
    total = sum(
        row["median s"]
        for row in rows
        if row["step"] in {"network build (stream + Python)", f"Leiden, {runs} runs + consensus", "relations"}
    )
    click.echo(
        f"window {resolved}: {len(network.activity.repos)} projects, {network.activity.rows:,} monthly rows, "
        f"{len(network.backbone())} links, {len(result.niches)} niches"
    )
    click.echo(to_table(rows))
    click.echo(f"total (build + Leiden + relations): {total:.2f} s  (target < 30 s)")


COMMANDS = [niches, relations, expand_command, export_command]
BENCH_COMMANDS = [bench_niches]
