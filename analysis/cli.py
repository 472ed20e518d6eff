"""Commands for niches and relations: `niches`, `relations`, `expand`, `export` (the work is in
`pipeline`, `network`, `niches`, `relations`, `expand`, `export`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from nichegraph.analysis import export as exporter
from nichegraph.analysis.expand import ExpandParams, expand, expand_json, resolve_seeds
from nichegraph.analysis.network import NetworkParams, load_network
from nichegraph.analysis.niches import (
    NicheParams,
    result_json,
    stored_run,
    summary_rows,
)
from nichegraph.analysis.pipeline import compute_niches, compute_relations
from nichegraph.analysis.relations import (
    COMPETITOR,
    PEER,
    UPSTREAM,
    mean_openrank,
    relation_logins,
    relations_json,
    write_relations,
)
from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.output import to_csv, to_json, to_table
from nichegraph.progress import Progress
from nichegraph.queries import windows
from nichegraph.writelock import no_wait_option, writer_lock


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
@no_wait_option
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
    no_wait: bool,
) -> None:
    """Find niches: Leiden communities of the window's collaboration network, a consensus over
    seeded runs, per-project stability; stored as (:Niche) and [:IN_NICHE] (this window only)."""
    steps = progress()
    with Graph(settings) as graph, writer_lock(graph, "nichegraph niches", wait=not no_wait):
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


@click.command()
@window_option
@out_option
@click.option("--json", "as_json", is_flag=True, help="Print every relation as JSON")
@click.option("--show", type=int, default=10, show_default=True, help="Relations of each kind to list")
@no_wait_option
@click.pass_obj
def relations(
    settings: Settings, window: str | None, out: Path | None, as_json: bool, show: int, no_wait: bool
) -> None:
    """Classify linked projects as upstream/downstream, competitors or peers, with confidence and
    evidence; stored as UPSTREAM_OF (upstream -> downstream), COMPETES_WITH and PEER_OF."""
    steps = progress()
    with Graph(settings) as graph, writer_lock(graph, "nichegraph relations", wait=not no_wait):
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
        resolved = windows.resolve_window(graph, window)
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
        resolved = str(windows.resolve_window(graph, window))
        count = exporter.export(graph, resolved, what, fmt, out)
    unit = "nodes and edges" if fmt in {"graphml", "gexf"} else "rows"
    click.echo(f"wrote {count:,} {unit} of {what} for {resolved} to {out}")


COMMANDS = [niches, relations, expand_command, export_command]
