"""Trend analytics: the landscape report's readings of OpenRank over time.

Each kind runs its library query (`queries/trend_*.cypher`, pasteable into Neo4j Browser) and
returns one JSON-ready dict that a page can show as it is: the kind, the window, whether
OpenRank is published (OpenDigger) or computed (`nichegraph openrank`), the set of projects,
the parameters, and the rows. docs/trends.md defines every metric.

A set of projects is given as repository names, a niche id (issue 3's `Niche` nodes), or a
hand-made landscape domain / layer / landscape name; with none, every project in the graph.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from nichegraph.db import Graph
from nichegraph.errors import NOT_NEGATIVE, BadParameter, at_least, checked
from nichegraph.months import Window, add_months, month_index
from nichegraph.queries import windows
from nichegraph.queries.library import run_query

PUBLISHED, COMPUTED = "published", "computed"
MAX_COMPARE_DEVELOPERS = 500
PERIODS = ("year", "quarter")
# what a project known only from a published OpenRank series (no developer data) cannot have
MISSING_WITHOUT_DEVELOPERS = [
    "computed OpenRank",
    "contributors",
    "participants",
    "bus factor",
    "new contributors",
    "new stars",
    "top developers",
    "shared developers",
]


# --- which projects ------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """The projects a trend reads; at most one of repos, niche and domain is set."""

    repos: tuple[str, ...] = ()
    niche: str | None = None
    niche_window: str | None = None
    niche_label: str | None = None
    domain: str | None = None
    domain_kind: str | None = None
    members: tuple[str, ...] = field(default=(), compare=False)

    def params(self) -> dict[str, Any]:
        return {"repos": list(self.repos), "niche": self.niche, "domain": self.domain}

    def to_dict(self) -> dict[str, Any]:
        if self.niche:
            return {
                "niche": self.niche,
                "nicheWindow": self.niche_window,
                "label": self.niche_label,
                "members": list(self.members),
            }
        if self.domain:
            return {"domain": self.domain, "kind": self.domain_kind, "members": list(self.members)}
        if self.repos:
            return {"repos": list(self.repos)}
        return {"all": True}


ALL = Selection()


def split_names(text: str | Sequence[str] | None) -> list[str]:
    """'a/b,c/d' or ['a/b', 'c/d'] -> names, blanks dropped."""
    if text is None:
        return []
    parts = text.split(",") if isinstance(text, str) else [p for item in text for p in item.split(",")]
    return [part.strip() for part in parts if part.strip()]


def resolve_repos(graph: Graph, names: Sequence[str], what: str = "--repos") -> tuple[str, ...]:
    """The graph's spelling of each name; unknown names are refused, all of them named."""
    rows = run_query(graph, "trend_repos", names=list(names))
    unknown = [row for row in rows if row["repo"] is None]
    if unknown:
        named = ", ".join(
            row["name"] + (f" (only a {' / '.join(row['landscape'])} landscape entry)" if row["landscape"] else "")
            for row in unknown
        )
        raise BadParameter(f"{what}: not in the graph: {named}")
    return tuple(dict.fromkeys(row["repo"] for row in rows))


def select(
    graph: Graph,
    repos: str | Sequence[str] | None = None,
    niche: str | None = None,
    domain: str | None = None,
) -> Selection:
    """Check and resolve the set of projects given on the command line (or by a page)."""
    names = split_names(repos)
    given = [flag for flag, value in (("--repos", names), ("--niche", niche), ("--domain", domain)) if value]
    if len(given) > 1:
        raise BadParameter(f"{' and '.join(given)}: give only one way to choose projects")
    if names:
        return Selection(repos=resolve_repos(graph, names))
    if niche:
        return _niche(graph, niche)
    if domain:
        return _domain(graph, domain)
    return ALL


def _niche(graph: Graph, niche: str) -> Selection:
    rows = run_query(graph, "trend_niche", niche=niche)
    if not rows:
        raise BadParameter(f"--niche: no niche with id {niche!r} in the graph (`nichegraph niches` finds them)")
    row = rows[0]
    return Selection(
        niche=row["niche"],
        niche_window=row["window"],
        niche_label=row["label"],
        members=tuple(row["members"]),
    )


def _domain(graph: Graph, domain: str) -> Selection:
    rows = run_query(graph, "landscape_domains")
    matches = [row for row in rows if row["value"].lower() == domain.strip().lower()]
    if not matches:
        known = sorted({row["value"] for row in rows if row["repos"]})
        hint = (
            f"; with projects in the graph: {', '.join(known)}"
            if known
            else "; load one with `nichegraph load landscape`"
        )
        raise BadParameter(f"--domain: {domain!r} is no landscape domain, layer or landscape name{hint}")
    row = max(matches, key=lambda r: r["repos"])
    if not row["repos"]:
        raise BadParameter(f"--domain: {row['value']!r} groups no project that is in the graph")
    return Selection(domain=row["value"], domain_kind=row["kind"], members=tuple(row["members"]))


# --- windows -------------------------------------------------------------------------------


def resolve_window(graph: Graph, text: str | None, default: str = windows.LAST12, selection: Selection = ALL) -> Window:
    """--window, or a default: the niche's window, the last 12 months of data (windows.LAST12) or
    all the data (windows.ALL). A window must lie inside the loaded data."""
    if not text and default == windows.LAST12 and selection.niche_window:
        text = selection.niche_window
    return windows.resolve_window(graph, text, default=default, fit=windows.INSIDE)


def require_computed(graph: Graph, window: Window) -> None:
    """--computed needs stored values for every month of the window that has data."""
    data = windows.require_data(windows.data_range(graph))
    covered: set[str] = {month for month in window.months() if month not in data}
    for run in run_query(graph, "openrank_runs"):
        covered.update(Window(run["first"], run["last"]).months())
    missing = [month for month in window.months() if month not in covered]
    if missing:
        raise BadParameter(
            f"--computed: no computed OpenRank for {missing[0]}..{missing[-1]} of {window}; "
            "run `nichegraph openrank` first"
        )


def source(computed: bool) -> str:
    return COMPUTED if computed else PUBLISHED


def result(kind: str, window: Window, computed: bool | None, selection: Selection, **extra: Any) -> dict[str, Any]:
    head: dict[str, Any] = {"kind": kind, "window": str(window)}
    if computed is not None:
        head["openrank"] = source(computed)
    head["selection"] = selection.to_dict()
    return head | extra


def _base(selection: Selection, window: Window) -> dict[str, Any]:
    return selection.params() | {"first": window.first, "last": window.last}


def _trend(
    graph: Graph, name: str, selection: Selection, window: Window, computed: bool, **params: Any
) -> list[dict[str, Any]]:
    """Run a trend library query for the set and window, refusing --computed without values."""
    if computed:
        require_computed(graph, window)
    return run_query(graph, name, **_base(selection, window), computed=computed, **params)


# --- the kinds -----------------------------------------------------------------------------


def curves(
    graph: Graph, selection: Selection, window: Window, computed: bool = False, top: int | None = None
) -> dict[str, Any]:
    """Monthly OpenRank, activity, stars and participants of each project, and their sum."""
    rows = _trend(graph, "trend_curves", selection, window, computed)
    members: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        members.setdefault(row["repo"], []).append(
            {key: row[key] for key in ("month", "openrank", "activity", "stars", "participants")}
        )
    ranked = sorted(members, key=lambda repo: (-_mean(members[repo], "openrank", window.length), repo))
    shown = ranked[:top] if top else ranked
    shown_set = set(shown)
    keys = ("openrank", "activity", "stars", "participants")
    # the sum covers every project of the set; a month where none has a value stays null
    totals: dict[str, dict[str, float | None]] = {month: dict.fromkeys(keys) for month in window.months()}
    for row in rows:
        for key in keys:
            if row[key] is not None:
                totals[row["month"]][key] = (totals[row["month"]][key] or 0) + row[key]
    total = [{"month": month, **values} for month, values in totals.items()]
    return result(
        "curves",
        window,
        computed,
        selection,
        projects=len(members),
        shown=shown,
        members={repo: members[repo] for repo in shown},
        sum=total,
        rows=[row for row in rows if row["repo"] in shown_set],
    )


def _mean(series: list[dict[str, Any]], key: str, length: int) -> float:
    return sum(point[key] or 0 for point in series) / length


def yoy(
    graph: Graph, selection: Selection, window: Window, computed: bool = False, top: int | None = 10
) -> dict[str, Any]:
    """Year-over-year change of mean monthly OpenRank, ranked by absolute change."""
    if window.length > 12:
        raise BadParameter(f"--window: {window} is longer than 12 months; a year-over-year window has at most 12")
    previous = Window(add_months(window.first, -12), add_months(window.last, -12))
    if computed:
        require_computed(graph, previous)
    rows = _trend(graph, "trend_yoy", selection, window, computed)
    risers = rows[:top] if top else rows
    fallers = sorted(rows, key=lambda row: (row["change"], row["repo"]))[:top] if top else []
    return result(
        "yoy",
        window,
        computed,
        selection,
        previousWindow=str(previous),
        projects=len(rows),
        risers=risers,
        fallers=fallers,
        rows=rows,
    )


def ranks(
    graph: Graph, selection: Selection, window: Window, period: str = "year", computed: bool = False, top: int = 10
) -> dict[str, Any]:
    """Rank by mean OpenRank per year or quarter, for a bump chart of the top `top`."""
    if period not in PERIODS:
        raise BadParameter(f"--period: {period!r} is not one of {', '.join(PERIODS)}")
    if top < 1:
        raise BadParameter(f"--top: {top} must be at least 1")
    rows = _trend(graph, "trend_ranks", selection, window, computed, period=period, top=top)
    periods = sorted({row["period"] for row in rows})
    series: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        series.setdefault(row["repo"], []).append(
            {"period": row["period"], "rank": row["rank"], "meanOpenrank": row["meanOpenrank"]}
        )
    return result(
        "ranks", window, computed, selection, period=period, top=top, periods=periods, series=series, rows=rows
    )


def growth(
    graph: Graph, selection: Selection, window: Window, computed: bool = False, top: int | None = None
) -> dict[str, Any]:
    """Quarter-over-quarter growth of mean monthly OpenRank (whole quarters of the window)."""
    quarters = whole_quarters(window)
    if len(quarters) < 2:
        raise BadParameter(
            f"--window: {window} holds {len(quarters)} whole calendar quarter(s); growth needs at least 2 "
            "(e.g. 2022-04:2023-03)"
        )
    rows = _trend(graph, "trend_growth", selection, window, computed)
    return result(
        "growth", window, computed, selection, quarters=quarters, projects=len(rows), rows=rows[:top] if top else rows
    )


def whole_quarters(window: Window) -> list[str]:
    first = month_index(window.first)
    start = first + (-first % 3)  # the first month that opens a quarter
    return [f"{index // 12}Q{index % 12 // 3 + 1}" for index in range(start, month_index(window.last) - 1, 3)]


@dataclass(frozen=True)
class GraveyardRule:
    min_peak_openrank: float = 100.0
    min_peak_attention: int = 1000
    activity_floor: float = 10.0
    quiet_months: int = 6

    def check(self) -> GraveyardRule:
        return checked(
            self,
            min_peak_openrank=NOT_NEGATIVE,
            min_peak_attention=NOT_NEGATIVE,
            activity_floor=NOT_NEGATIVE,
            quiet_months=at_least(1),
        )

    def params(self) -> dict[str, Any]:
        return {
            "minPeakOpenrank": float(self.min_peak_openrank),
            "minPeakAttention": int(self.min_peak_attention),
            "activityFloor": float(self.activity_floor),
            "quietMonths": int(self.quiet_months),
        }


def graveyard(
    graph: Graph, selection: Selection, window: Window, rule: GraveyardRule | None = None, computed: bool = False
) -> dict[str, Any]:
    """Projects that were prominent and went quiet up to the end of the window."""
    rule = (rule or GraveyardRule()).check()
    if rule.quiet_months > window.length:
        raise BadParameter(f"--quiet-months: {rule.quiet_months} is longer than the window {window}")
    rows = _trend(graph, "trend_graveyard", selection, window, computed, **rule.params())
    return result("graveyard", window, computed, selection, thresholds=rule.params(), projects=len(rows), rows=rows)


def newcomers(
    graph: Graph, selection: Selection, window: Window, min_openrank: float = 100.0, computed: bool = False
) -> dict[str, Any]:
    """Trending projects (OpenRank reached the threshold in the window) whose first activity is in it."""
    if min_openrank < 0 or math.isnan(min_openrank):
        raise BadParameter(f"--min-openrank: {min_openrank} must not be negative")
    rows = _trend(graph, "trend_newcomers", selection, window, computed, minOpenrank=float(min_openrank))
    new = [row for row in rows if row["newcomer"]]
    return result(
        "newcomers",
        window,
        computed,
        selection,
        thresholds={"minOpenrank": float(min_openrank)},
        trending=len(rows),
        newcomers=len(new),
        share=len(new) / len(rows) if rows else None,
        rows=new,
        trendingRows=rows,
    )


def stars(graph: Graph, selection: Selection, window: Window, top: int | None = 10) -> dict[str, Any]:
    """Monthly new stars per project, the sum over the set, and each project's peak."""
    rows = run_query(graph, "trend_stars", **_base(selection, window))
    total = {month: 0 for month in window.months()}
    for row in rows:
        for month, count in zip(row["months"], row["monthly"], strict=True):
            total[month] += count or 0
    return result(
        "stars",
        window,
        None,
        selection,
        source=PUBLISHED,
        projects=len(rows),
        sum=[{"month": month, "stars": count} for month, count in total.items()],
        rows=rows[:top] if top else rows,
    )


def compare(graph: Graph, names: Sequence[str], window: Window, developers: int = 10) -> dict[str, Any]:
    """Side by side: OpenRank (published and computed) and its growth, contributors, participants,
    bus factor, new contributors, top developers by computed OpenRank with their share, and the
    developers the projects share."""
    repos = list(resolve_repos(graph, split_names(names), "compare"))
    if len(repos) < 2:
        raise BadParameter(
            "compare: give at least two different projects, e.g. compare pytorch/pytorch tensorflow/tensorflow"
        )
    if not 1 <= developers <= MAX_COMPARE_DEVELOPERS:
        # the ranking keeps every row of a large project in one transaction's memory
        raise BadParameter(f"--developers: {developers} must be between 1 and {MAX_COMPARE_DEVELOPERS}")
    base = {"repos": repos, "first": window.first, "last": window.last}
    # four independent reads at once: on a busy server a comparison then waits for its
    # slowest query rather than for the sum of them
    with ThreadPoolExecutor(max_workers=4, thread_name_prefix="compare") as pool:
        summary_rows = pool.submit(run_query, graph, "trend_compare", **base)
        growth = pool.submit(_compare_growth, graph, repos, window)
        top_rows = pool.submit(run_query, graph, "trend_compare_developers", **base, limit=developers)
        shared_rows = pool.submit(run_query, graph, "trend_compare_shared", **base, limit=developers)
    summary = {row["repo"]: row for row in summary_rows.result()}
    growth_by = growth.result()
    tops: dict[str, list[dict[str, Any]]] = {repo: [] for repo in repos}
    for row in top_rows.result():
        tops[row["repo"]].append(
            {k: row[k] for k in ("rank", "login", "attributed", "share", "meanOpenrank", "activeMonths")}
        )
    shared = shared_rows.result()
    projects = [summary[repo] | {"growth": growth_by.get(repo), "topDevelopers": tops[repo]} for repo in repos]
    computed_missing = all(row["meanOpenrankComputed"] is None for row in projects)
    # projects known only from a landscape series: say which figures they cannot have
    without_developers = [project["repo"] for project in projects if not project["developerData"]]
    return result(
        "compare",
        window,
        None,
        Selection(repos=tuple(repos)),
        openrank="published and computed" if not computed_missing else "published (no computed values yet)",
        quarters=whole_quarters(window),
        withoutDeveloperData=without_developers,
        missingForThem=MISSING_WITHOUT_DEVELOPERS if without_developers else [],
        projects=projects,
        shared=shared,
        rows=[_compare_row(project) for project in projects],
    )


def _compare_growth(graph: Graph, repos: list[str], window: Window) -> dict[str, dict[str, Any]]:
    if len(whole_quarters(window)) < 2:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for computed in (False, True):
        for row in run_query(
            graph,
            "trend_growth",
            repos=repos,
            niche=None,
            domain=None,
            first=window.first,
            last=window.last,
            computed=computed,
        ):
            out.setdefault(row["repo"], {})[source(computed)] = {
                "meanGrowth": row["meanGrowth"],
                "compoundGrowth": row["compoundGrowth"],
                "quarterly": row["quarterly"],
            }
    return out


def _compare_row(project: dict[str, Any]) -> dict[str, Any]:
    growth_of = project["growth"] or {}
    top = project["topDevelopers"][:3]
    return {
        "repo": project["repo"],
        "meanOpenrank": project["meanOpenrank"],
        "meanOpenrankComputed": project["meanOpenrankComputed"],
        "qoqGrowth": (growth_of.get(PUBLISHED) or {}).get("meanGrowth"),
        "qoqGrowthComputed": (growth_of.get(COMPUTED) or {}).get("meanGrowth"),
        "contributors": project["contributors"],
        "participants": project["participants"],
        "busFactor": project["busFactor"],
        "newContributors": project["newContributors"],
        "topDevelopers": [f"{d['login']} {d['share']:.0%}" for d in top],
    }


def trends_page(
    graph: Graph,
    selection: Selection,
    window: Window,
    computed: bool = False,
    rule: GraveyardRule | None = None,
    newcomer_min_openrank: float = 100.0,
) -> dict[str, Any]:
    """Everything the explorer's trends page shows, in one call: the 10 largest year-over-year
    gains and losses in the window (its last 12 months when longer), the yearly top-10 bump chart
    from the start of the data to the window's end, the 20 fastest-growing projects by quarter in
    the window (when it holds two whole quarters), the graveyard up to the window's end, and the
    window's newcomers, with their thresholds."""
    if computed:
        require_computed(graph, window)
    data = windows.require_data(windows.data_range(graph))
    since_start = Window(data.first, window.last)
    yoy_window = window if window.length <= 12 else Window.ending(window.last)
    enough_quarters = len(whole_quarters(window)) >= 2
    return {
        "window": str(window),
        "openrank": source(computed),
        "selection": selection.to_dict(),
        "yoy": yoy(graph, selection, yoy_window, computed, top=10),
        "ranks": ranks(graph, selection, since_start, "year", computed),
        "growth": growth(graph, selection, window, computed, top=20) if enough_quarters else None,
        "graveyard": graveyard(graph, selection, since_start, rule, computed),
        "newcomers": newcomers(graph, selection, window, newcomer_min_openrank, computed),
    }
