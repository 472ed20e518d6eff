"""`nichegraph load events`: activity from GitHub events, written through the loader's own path.

The events are read and aggregated first, entirely (a bad file stops everything before the graph
is touched); then the repositories go through `load_repos` like OpenDigger's, one transaction each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import BadParameter, NichegraphError
from nichegraph.loader.events.activity import ActivityResult, ActivitySource, compute_activity, weights_named
from nichegraph.loader.events.expansion import Overlap, seed_overlap
from nichegraph.loader.events.stores import EventsStore, FilesStore, ImportReport, is_server_url, open_events
from nichegraph.loader.opendigger import check_repo_name
from nichegraph.loader.pipeline import LoadOptions, LoadSummary, load_repos, read_repo_list
from nichegraph.months import Window, parse_window
from nichegraph.progress import Progress

DEFAULT_TOP = 50


@dataclass(frozen=True)
class Selection:
    """Which repositories to load: named ones, the seeds and their strongest neighbours, or all."""

    repos: list[str] | None = None
    seeds: list[str] | None = None
    top: int = DEFAULT_TOP

    @classmethod
    def from_options(cls, repos: str | None, seeds: str | None, top: int = DEFAULT_TOP) -> Selection:
        if repos is not None and seeds is not None:
            raise BadParameter("--repos and --seeds: give one or the other")
        if seeds is not None:
            return cls(seeds=named(seeds, "--seeds"), top=top)
        if repos is not None:
            return cls(repos=named(repos, "--repos"))
        return cls()


def named(text: str, flag: str) -> list[str]:
    """The repository names a flag lists; a malformed one is a bad parameter."""
    try:
        return [check_repo_name(name, flag) for name in read_repo_list(text, flag)]
    except NichegraphError as error:
        raise BadParameter(str(error)) from None


@dataclass
class EventsLoad:
    summary: LoadSummary
    activity: ActivityResult
    imported: ImportReport | None
    overlap: Overlap | None

    def to_dict(self) -> dict[str, Any]:
        data = self.summary.to_dict()
        data["events"] = {
            "activityRows": self.activity.rows,
            "deletedAccountRows": self.activity.deleted_account_rows,
            "renamed": self.activity.renamed(),
            "notFound": self.activity.missing,
        }
        if self.imported:
            data["events"]["files"] = self.imported.files
            data["events"]["eventsImported"] = self.imported.rows
            data["events"]["importSeconds"] = round(self.imported.seconds, 2)
        if self.overlap:
            data["events"]["seedDevelopers"] = self.overlap.seed_developers
        return data

    def describe(self) -> str:
        lines = []
        if self.imported:
            lines.append(
                f"{self.imported.files} GH Archive file(s): {self.imported.rows:,} events of the kinds that count, "
                f"read in {self.imported.seconds:.1f}s"
            )
        lines.append(
            f"{self.activity.rows:,} (repository, developer, month) activity rows from the events"
            + (
                f"; {self.activity.deleted_account_rows} of deleted accounts (ghost) dropped"
                if self.activity.deleted_account_rows
                else ""
            )
        )
        lines += [f"renamed: {', '.join(old)} -> {new}" for new, old in self.activity.renamed().items()]
        return "\n".join([*lines, self.summary.describe()])


def run_events_load(
    settings: Settings,
    source: str,
    selection: Selection,
    months: str | None = None,
    weights: str = "current",
    workers: int = 1,
    quiet: bool = False,
) -> EventsLoad:
    """Everything `load events` does."""
    if workers < 1:
        raise BadParameter("--workers: must be at least 1")
    window = parse_window(months, "--months") if months else None
    weight_set = weights_named(weights)
    if is_server_url(source) and not (selection.repos or selection.seeds):
        raise BadParameter(
            "--repos or --seeds: a ClickHouse server holds far more than one graph should; name the repositories"
        )
    progress = Progress(total=None, quiet=quiet)
    with open_events(source, password=settings.clickhouse_password, note=progress.note) as store:
        names, overlap = choose_repos(store, selection, window)
        activity = compute_activity(store, names, window, weight_set)
        label = store.label
        imported = store.report if isinstance(store, FilesStore) else None
    events = ActivitySource(label, activity)
    repos = events.repo_names()
    progress.total = len(repos)
    progress.note(f"Loading {len(repos)} repositories from {label} into {settings.neo4j_uri}")
    with Graph(settings) as graph:
        summary = load_repos(graph, events, repos, LoadOptions(window=window, workers=workers), progress)
    return EventsLoad(summary, activity, imported, overlap)


def choose_repos(
    store: EventsStore, selection: Selection, window: Window | None
) -> tuple[list[str] | None, Overlap | None]:
    """The names to load (None: every repository in the events) and the expansion behind them."""
    if selection.seeds:
        overlap = seed_overlap(store, selection.seeds, window, selection.top)
        names = [seed.name for seed in overlap.seeds] + overlap.missing_seeds
        names += [candidate.name for candidate in overlap.candidates[: selection.top]]
        return names, overlap
    return selection.repos, None
