"""Commands for niches and relations: `niches`, `relations`, `expand`, `export` (the work is in
`pipeline`, `network`, `niches`, `relations`, `expand`, `export`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from nichegraph.analysis import export as exporter
from nichegraph.analysis import networks
from nichegraph.analysis.events_expand import EventsExpandParams, EventsExpansion, explain, graph_openrank
from nichegraph.analysis.expand import ExpandParams, expand_json
from nichegraph.analysis.hubs import HubParams
from nichegraph.analysis.network import NetworkParams
from nichegraph.analysis.niches import (
    NicheParams,
    result_json,
    summary_rows,
)
from nichegraph.analysis.pipeline import compute_niches, compute_relations, expand_from_seeds
from nichegraph.analysis.relations import (
    COMPETITOR,
    PEER,
    UPSTREAM,
    relation_logins,
    relations_json,
    write_relations,
)
from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import BadParameter
from nichegraph.loader.networks import REPORT_WEIGHT, NetworkData, NetworkEdge, NetworkNode, NetworkWrite, write_network
from nichegraph.names import NETWORK_SCOPE
from nichegraph.output import to_csv, to_json, to_table
from nichegraph.progress import Progress
from nichegraph.queries import windows
from nichegraph.writelock import no_wait_option, writer_lock

F = TypeVar("F", bound=Callable[..., Any])


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


window_option = click.option(
    "--window", help="Months FIRST:LAST, e.g. 2022-04:2023-03 [default: the last 12 months in the graph]"
)
out_option = click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Also write the result: .csv rows or JSON"
)


def fields_as_options(cls: type, name: str, helps: dict[str, str]) -> Callable[[F], F]:
    """One --flag per field of the dataclass `cls` named in `helps` (in that order), with the
    field's type and default; the command gets their values together as one `cls` in `name`."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def command(*args: Any, **kwargs: Any) -> Any:
            values = {field: kwargs.pop(field) for field in helps}
            return function(*args, **kwargs, **{name: cls(**values)})

        for field, text in reversed(helps.items()):
            default = getattr(cls, field)
            flag = "--" + field.replace("_", "-")
            command = click.option(flag, type=type(default), default=default, show_default=True, help=text)(command)
        return command  # type: ignore[return-value]

    return decorate


# the columns printed: "name", or "shown=key" for a column shown under another name
RELATION_COLUMNS = "source target confidence shared=sharedDevelopers topDevelopers why=reason"
MEMBER_COLUMNS = "repo depth shared=sharedDevelopers lift closest=closestMember openrank=meanOpenrank note"
LEFT_OUT_COLUMNS = "repo shared=sharedDevelopers why=reason"


def shown(rows: list[dict[str, Any]], columns: str) -> list[dict[str, Any]]:
    """The rows cut to `columns` (see above) for a printed table."""
    pairs = [column.partition("=")[::2] for column in columns.split()]
    return [{name: row[key or name] for name, key in pairs} for row in rows]


NICHE_OPTIONS = {
    "resolution": "Leiden resolution (higher: smaller niches) [1.0 with --network]",
    "runs": "Leiden runs (seeds SEED, SEED+1, ...)",
    "seed": "First seed; the same seed gives the same niches",
    "min_size": "Smaller groups are reported as unassigned",
    "drawer_coherence": "Split a niche whose members' metadata is less alike than this many times random "
    "(0: never) [not with --network]",
    "drawer_modularity": "... when its own links form groups of at least this modularity",
    "drawer_gain": "... or when those groups' metadata is this many times as alike as the whole's (0: not asked)",
    "kind_min_size": "Gather at least this many projects of one declared kind, tied by the data, into a niche "
    "of their kind (0: never) [not with --network]",
    "place_similarity": "Place an unassigned project in the niche it shares most developers with when that "
    "niche's metadata is also the most like its own, this many times random (0: never) [not with --network]",
}
DRAWER_OPTIONS = ("drawer_coherence", "drawer_modularity", "drawer_gain", "kind_min_size", "place_similarity")
EXPAND_OPTIONS = {
    "min_openrank": "Mean monthly OpenRank to keep",
    "depth": "Rounds of growth from the seeds",
    "top": "Projects added per round at most [with --events: candidates considered, 50]",
    "min_shared": "Developers shared with the landscape [with --events: of an edge, 10]",
    "min_lift": "Shared developers / random expectation",
}


network_option = click.option(
    "--network", help="A network loaded with `nichegraph load network` instead of a window of contributions"
)


def window_or_network(window: str | None, network: str | None) -> None:
    if window and network:
        raise BadParameter("--window and --network: give one or the other")


@click.command()
@window_option
@network_option
@fields_as_options(NicheParams, "params", NICHE_OPTIONS)
@click.option("--top-links", type=int, help="Links each project keeps (its strongest) [5; 3 with --network]")
@click.option("--min-shared", type=int, help="Shared developers a link needs [3; not with --network]")
@click.option("--min-lift", type=float, help="Shared developers / random expectation [3.0; not with --network]")
@click.option("--hub-origins", type=float, default=12.0, show_default=True, help="Hubs: visitors' home projects")
@click.option("--hub-stars", type=float, default=3.0, show_default=True, help="Hubs: new stars per developer, at most")
@click.option("--hub-links", type=int, default=10, show_default=True, help="Hubs: significant links, at least")
@out_option
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON")
@no_wait_option
@click.pass_obj
def niches(
    settings: Settings,
    window: str | None,
    network: str | None,
    params: NicheParams,
    top_links: int | None,
    min_shared: int | None,
    min_lift: float | None,
    hub_origins: float,
    hub_stars: float,
    hub_links: int,
    out: Path | None,
    as_json: bool,
    no_wait: bool,
) -> None:
    """Find niches: Leiden communities of the window's collaboration network (or of a loaded
    --network), a consensus over seeded runs, per-project stability; stored as (:Niche) and
    [:IN_NICHE] (this window or network only)."""
    window_or_network(window, network)
    params.check()
    steps = progress()
    # every option checked before the lock (which connects)
    if network:
        if min_shared is not None or min_lift is not None:
            raise BadParameter("--min-shared / --min-lift: a loaded network has no developers to count")
        source = click.get_current_context().get_parameter_source
        if any(source(name) is not ParameterSource.DEFAULT for name in DRAWER_OPTIONS):
            raise BadParameter(
                "--drawer-*, --kind-min-size, --place-similarity: a loaded network's niches are never "
                "checked for drawers or kinds (they read no metadata)"
            )
        links = networks.TOP_LINKS if top_links is None else top_links
        if click.get_current_context().get_parameter_source("resolution") is ParameterSource.DEFAULT:
            params = replace(params, resolution=networks.RESOLUTION)
    else:
        given = {"top_links": top_links, "min_shared": min_shared, "min_lift": min_lift}
        network_params = NetworkParams(**{k: v for k, v in given.items() if v is not None}).check()
        hub_params = HubParams(min_origins=hub_origins, max_stars_per_developer=hub_stars, min_links=hub_links)
    with Graph(settings) as graph, writer_lock(graph, "nichegraph niches", wait=not no_wait):
        if network:
            result = networks.compute_network_niches(graph, network, params, steps, links)
        else:
            result = compute_niches(graph, window, network_params, params, steps, hub_params)
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
    ]
    rows += [{"repo": repo, "niche": "", "label": "", "reason": why} for repo, why in sorted(result.unassigned.items())]
    rows += [{"repo": repo, "niche": "", "label": "", "reason": e.reason} for repo, e in sorted(result.hubs.items())]
    write_out(out, payload, rows)
    if as_json:
        click.echo(to_json(payload))
        return
    click.echo(
        f"{describe_scope(result.window)}: {len(result.niches)} niches, partition stability (mean pairwise ARI of "
        f"{result.params.runs} runs) {result.mean_ari:.3f}, modularity {result.modularity:.3f}"
    )
    click.echo(to_table(summary_rows(result), ["niche", "size", "stability", "label"]))
    if result.hubs:
        click.echo(f"\n{len(result.hubs)} distribution hubs (in no niche; their links glue nothing together):")
        click.echo(to_table([{"repo": r, "why": e.reason} for r, e in sorted(result.hubs.items())]))
    if result.unassigned:
        click.echo(f"\n{len(result.unassigned)} projects unassigned:")
        click.echo(to_table([{"repo": r, "reason": why} for r, why in sorted(result.unassigned.items())]))
    again = f"--network {network}" if network else f"--window {result.window}"
    click.echo(f"\nRelations (if any) were cleared; run `nichegraph relations {again}` to recompute them.")


@click.command()
@window_option
@network_option
@out_option
@click.option("--json", "as_json", is_flag=True, help="Print every relation as JSON")
@click.option("--show", type=int, default=10, show_default=True, help="Relations of each kind to list")
@no_wait_option
@click.pass_obj
def relations(
    settings: Settings,
    window: str | None,
    network: str | None,
    out: Path | None,
    as_json: bool,
    show: int,
    no_wait: bool,
) -> None:
    """Classify linked projects as upstream/downstream, competitors or peers, with confidence and
    evidence; stored as UPSTREAM_OF (upstream -> downstream), COMPETES_WITH and PEER_OF. On a
    loaded --network the evidence is its link weights, OpenRank and structure (docs/niches.md)."""
    window_or_network(window, network)
    steps = progress()
    with Graph(settings) as graph, writer_lock(graph, "nichegraph relations", wait=not no_wait):
        if network:
            result = networks.compute_network_relations(graph, network, steps)
        else:
            result = compute_relations(graph, window, steps)
        logins = relation_logins(graph, result)
        write_relations(graph, result, logins)
    payload = relations_json(result, logins)
    write_out(out, payload, payload["relations"])
    if as_json:
        click.echo(to_json(payload))
        return
    counts = result.counts()
    click.echo(f"{describe_scope(result.window)}: " + ", ".join(f"{count} {kind}" for kind, count in counts.items()))
    for kind in (UPSTREAM, COMPETITOR, PEER):
        rows = [row for row in payload["relations"] if row["relation"] == kind][:show]
        if not rows:
            continue
        click.echo(f"\n{kind} (strongest {len(rows)}; for upstream, source is upstream of target):")
        rows = [row | {"topDevelopers": row["topDevelopers"][:3]} for row in rows]
        click.echo(to_table(shown(rows, RELATION_COLUMNS)))


@click.command("expand")
@click.option("--seeds", required=True, help="Seed projects, comma-separated: pytorch/pytorch,huggingface/transformers")
@window_option
@fields_as_options(ExpandParams, "params", EXPAND_OPTIONS)
@click.option(
    "--events",
    "events_source",
    help="Expand in SQL over GitHub events (GH Archive files or clickhouse://...) instead of the graph's contributions",
)
@click.option("--months", help="With --events: the period FIRST:LAST [default: the last 12 months in the graph]")
@click.option(
    "--network-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --events: also write the landscape as the report's network file ({nodes, edges} JSON)",
)
@click.option(
    "--save-network",
    "network_name",
    help="With --events: also store the landscape in the graph as the named network NAME (as `load network` does)",
)
@click.option(
    "--follow-languages",
    is_flag=True,
    help="Follow projects whose GitHub metadata declares a programming language (skipped by default)",
)
@out_option
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON")
@click.pass_obj
def expand_command(
    settings: Settings,
    seeds: str,
    window: str | None,
    params: ExpandParams,
    events_source: str | None,
    months: str | None,
    network_out: Path | None,
    network_name: str | None,
    follow_languages: bool,
    out: Path | None,
    as_json: bool,
) -> None:
    """Grow a landscape from seed projects the way the landscape report does: rank projects by
    active developers shared with the landscape so far, keep those over the OpenRank threshold,
    skip distribution hubs and programming languages, grow round by round; says why each joined and
    why others did not. With --events, the report's SQL over GitHub events."""
    if events_source:
        if follow_languages:
            raise BadParameter("--follow-languages: only without --events (the events expansion reads no metadata)")
        events = expand_from_events(settings, events_source, seeds, months, events_params(params, window))
        if network_out:
            network_out.write_text(to_json(events.landscape_file()) + "\n", encoding="utf-8")
        show_events_expansion(events, out, as_json)
        if network_name:
            saved = save_events_network(settings, events, network_name, events_source)
            click.echo(saved.describe(), err=as_json)
        return
    for flag, value in (("--network-out", network_out), ("--save-network", network_name), ("--months", months)):
        if value:
            raise BadParameter(f"{flag}: only with --events")
    params = replace(params, follow_languages=follow_languages).check()
    steps = progress()
    with Graph(settings) as graph:
        result = expand_from_seeds(graph, seeds, window, params, steps)
    payload = expand_json(result)
    write_out(out, payload, payload["members"])
    if as_json:
        click.echo(to_json(payload))
        return
    click.echo(f"window {result.window}: {len(result.members)} members from {len(result.seeds)} seed(s)")
    click.echo(to_table(shown(payload["members"], MEMBER_COLUMNS)))
    if payload["leftOut"]:
        click.echo(f"\nleft out ({len(payload['leftOut'])}):")
        click.echo(to_table(shown(payload["leftOut"], LEFT_OUT_COLUMNS)))


def events_params(params: ExpandParams, window: str | None) -> EventsExpandParams:
    """--top and --min-shared mean the report's candidates and edge threshold with --events, and
    default to its 50 and 10 unless given."""
    context = click.get_current_context()

    def given(name: str) -> bool:
        return context.get_parameter_source(name) is not ParameterSource.DEFAULT

    if window or given("depth") or given("min_lift"):
        raise BadParameter(
            "--events: use --months, --top, --min-shared, --min-openrank (not --window, --depth, --min-lift)"
        )
    defaults = EventsExpandParams()
    return EventsExpandParams(
        top=params.top if given("top") else defaults.top,
        min_shared=params.min_shared if given("min_shared") else defaults.min_shared,
        min_openrank=params.min_openrank,
    ).check()


def expand_from_events(
    settings: Settings, source: str, seeds: str, months: str | None, params: EventsExpandParams
) -> EventsExpansion:
    """The events answer who shares active developers; the graph gives OpenRank; explain decides."""
    from nichegraph.loader.events.expansion import pair_overlap, seed_overlap
    from nichegraph.loader.events.stores import open_events
    from nichegraph.loader.pipeline import read_repo_list

    seed_names = read_repo_list(seeds, "--seeds")
    steps = progress()
    with Graph(settings) as graph:
        period = windows.resolve_window(graph, months, what="--months")
        openrank = graph_openrank(graph, str(period))
    with open_events(source, password=settings.clickhouse_password, note=steps.note) as store:
        overlap = seed_overlap(store, seed_names, period, params.top)
        names = [item.name for item in [*overlap.seeds, *overlap.candidates[: params.top]]]
        pairs = pair_overlap(store, overlap, names, period, params.min_shared)
    return explain(
        str(period),
        overlap.seeds,
        overlap.candidates,
        pairs,
        openrank,
        params,
        overlap.seed_developers,
        overlap.missing_seeds,
    )


def save_events_network(settings: Settings, result: EventsExpansion, name: str, source: str) -> NetworkWrite:
    """The kept landscape as a named network of kind 'events' (docs/landscape.md), in one transaction."""
    landscape = result.landscape_file()
    data = NetworkData(
        name=name,
        kind="events",
        source=source,
        format="events-sql",
        period=result.period,
        weight_meaning=REPORT_WEIGHT,
        nodes=[NetworkNode(repo, openrank) for repo, openrank in landscape["nodes"]],
        edges=[NetworkEdge(a, b, float(shared), shared) for a, b, shared in landscape["edges"]],
    ).check()
    with Graph(settings) as graph:
        return write_network(graph, data)


def show_events_expansion(result: EventsExpansion, out: Path | None, as_json: bool) -> None:
    payload = result.to_dict()
    write_out(out, payload, payload["members"] + payload["leftOut"])
    if as_json:
        click.echo(to_json(payload))
        return
    kept = result.kept()
    click.echo(
        f"period {result.period}: {len(kept)} projects and {len(result.edges)} edges from {len(result.seeds)} seed(s) "
        f"with {result.seed_developers:,} active developers"
    )
    if result.missing_seeds:
        click.echo(f"seeds without active developers in the period: {', '.join(result.missing_seeds)}")
    columns = ["repo", "rank", "sharedWithSeeds", "meanOpenrank", "openrankSource", "edges", "reason"]
    click.echo(to_table(payload["members"], columns))
    if payload["leftOut"]:
        click.echo(f"\nleft out ({len(payload['leftOut'])}):")
        click.echo(to_table(payload["leftOut"], ["repo", "rank", "sharedWithSeeds", "meanOpenrank", "reason"]))


@click.command("export")
@click.option("--what", type=click.Choice(exporter.WHATS), required=True, help="Which stored results")
@click.option("--format", "fmt", type=click.Choice(exporter.FORMATS), required=True, help="File format")
@window_option
@network_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write")
@click.pass_obj
def export_command(settings: Settings, what: str, fmt: str, window: str | None, network: str | None, out: Path) -> None:
    """Export a window's (or a loaded network's) niches, relations or network as CSV, JSON,
    GraphML or GEXF."""
    window_or_network(window, network)
    with Graph(settings) as graph:
        if network:
            resolved = f"network {network}"
            count = exporter.export_network(graph, network, what, fmt, out)
        else:
            resolved = str(windows.resolve_window(graph, window))
            count = exporter.export(graph, resolved, what, fmt, out)
    unit = "nodes and edges" if fmt in {"graphml", "gexf"} else "rows"
    click.echo(f"wrote {count:,} {unit} of {what} for {resolved} to {out}")


def describe_scope(scope: str) -> str:
    """'window A:B' or 'network NAME' for a results key."""
    return f"network {scope.removeprefix(NETWORK_SCOPE)}" if scope.startswith(NETWORK_SCOPE) else f"window {scope}"
