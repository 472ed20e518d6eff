"""OpenDigger's activity from raw events, shaped as the files the OpenDigger source reads, so the
loader's own parse and write path (fingerprints, developer merge, bot flags, one transaction per
repository) writes exactly the same graph as `load opendigger` does.

Per repository the events give `activity_details.json` (developer, month, score) and the series
`activity` (sum of the scores), `participants` (developers with activity), `issues_new` and
`change_requests`. A repository is named by the latest name it had in the events (renamed ones are
followed by id), a developer by their latest login; the deleted-account placeholder `ghost` is
dropped (it stands for many people).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from nichegraph.errors import BadParameter
from nichegraph.loader.events import sql
from nichegraph.loader.events.stores import EventsStore
from nichegraph.loader.opendigger import UnknownRepo
from nichegraph.loader.sources import Fetched, RawFiles
from nichegraph.months import Window

DELETED_ACCOUNT = "ghost"  # GitHub shows every deleted account as this one user
DECIMALS = 6  # OpenDigger publishes 2; more keeps sums exact enough for OpenRank


@dataclass(frozen=True)
class Weights:
    """The weights of OpenDigger's activity score: sqrt of the weighted counts."""

    name: str
    issue_comment: float
    open_issue: float
    open_pull: float
    review_comment: float
    merged_pull: float

    def parameters(self) -> dict[str, float]:
        return {
            "issue_comment": self.issue_comment,
            "open_issue": self.open_issue,
            "open_pull": self.open_pull,
            "review_comment": self.review_comment,
            "merged_pull": self.merged_pull,
        }


# X-lab2017/open-digger src/metrics/indices.ts (ISSUE_COMMENT_WEIGHT ... PULL_MERGED_WEIGHT); the
# integer set is the one of its earlier versions, behind the April 2023 snapshot in ../shared/data
# (its scores are square roots of integers). See docs/events.md.
WEIGHTS = {
    "current": Weights("current", 0.5252, 2.2235, 4.0679, 0.7427, 2.0339),
    "classic": Weights("classic", 1.0, 2.0, 3.0, 4.0, 2.0),
}


def weights_named(name: str) -> Weights:
    if name not in WEIGHTS:
        raise BadParameter(f"--weights: {name!r} is not one of {', '.join(WEIGHTS)}")
    return WEIGHTS[name]


@dataclass
class RepoActivity:
    name: str
    former_names: set[str] = field(default_factory=set)
    # month -> developer login -> (score, opened issues, opened pull requests)
    months: dict[str, dict[str, tuple[float, int, int]]] = field(default_factory=lambda: defaultdict(dict))

    def files(self) -> RawFiles:
        """This repository as OpenDigger's files (what the OpenDigger source would fetch)."""
        details: dict[str, list[list[Any]]] = {}
        activity: dict[str, float] = {}
        participants: dict[str, int] = {}
        issues: dict[str, int] = {}
        pulls: dict[str, int] = {}
        for month in sorted(self.months):
            developers = self.months[month]
            details[month] = [[login, score] for login, (score, _, _) in sorted(developers.items())]
            activity[month] = round(sum(score for score, _, _ in developers.values()), DECIMALS)
            participants[month] = len(developers)
            issues[month] = sum(opened for _, opened, _ in developers.values())
            pulls[month] = sum(opened for _, _, opened in developers.values())
        return {
            "activity_details": orjson.dumps(details),
            "activity": orjson.dumps(activity),
            "participants": orjson.dumps(participants),
            "issues_new": orjson.dumps(issues),
            "change_requests": orjson.dumps(pulls),
        }

    @property
    def rows(self) -> int:
        return sum(len(developers) for developers in self.months.values())


@dataclass
class ActivityResult:
    repos: dict[str, RepoActivity]  # by latest name
    missing: list[str]  # names asked for that no event mentions
    rows: int = 0  # (repository, developer, month) rows from SQL
    deleted_account_rows: int = 0

    def renamed(self) -> dict[str, list[str]]:
        return {name: sorted(repo.former_names) for name, repo in self.repos.items() if repo.former_names}


def compute_activity(
    store: EventsStore, names: list[str] | None, window: Window | None, weights: Weights
) -> ActivityResult:
    """Activity of the repositories named (any name they had in the events), or of all of them."""
    parameters = {
        **sql.window_bounds(window),
        "repos": sorted({name.lower() for name in names or []}),
        **weights.parameters(),
    }
    rows = store.rows("activity", parameters)
    ids = sorted({row["repo_id"] for row in rows})
    names_now = {row["repo_id"]: row["name"] for row in store.rows("repo_names", {"ids": ids})} if ids else {}
    return shape_activity(rows, names, names_now)


def shape_activity(
    rows: list[dict[str, Any]], names: list[str] | None, names_now: dict[int, str] | None = None
) -> ActivityResult:
    """Group SQL rows by repository under its latest name (`names_now`, else the latest in the rows),
    each developer under their latest login."""
    repo_names = names_now or _latest(rows, "repo_id", "repo_name")
    logins = _latest(rows, "developer_id", "developer_login")
    result = ActivityResult(repos={}, missing=[], rows=len(rows))
    for row in rows:
        login = logins[row["developer_id"]]
        if login.lower() == DELETED_ACCOUNT:
            result.deleted_account_rows += 1
            continue
        name = repo_names[row["repo_id"]]
        repo = result.repos.setdefault(name, RepoActivity(name))
        if row["repo_name"] != name:
            repo.former_names.add(row["repo_name"])
        repo.months[row["month"]][login] = (
            round(row["activity"], DECIMALS),
            row["open_issue"],
            row["open_pull"],
        )
    known = {name.lower() for repo in result.repos.values() for name in (repo.name, *repo.former_names)}
    result.missing = [name for name in names or [] if name.lower() not in known]
    return result


def _latest(rows: Iterable[dict[str, Any]], key: str, value: str) -> dict[Any, str]:
    """key -> the value seen last (latest event; the larger value on a tie, for a stable choice)."""
    best: dict[Any, tuple[Any, str]] = {}
    for row in rows:
        candidate = (row["last_seen"], row[value])
        if row[key] not in best or candidate > best[row[key]]:
            best[row[key]] = candidate
    return {k: name for k, (_, name) in best.items()}


class ActivitySource:
    """The events' activity offered to the load pipeline in place of the OpenDigger source."""

    kind = "events"

    def __init__(self, label: str, result: ActivityResult) -> None:
        self.label = label
        self.result = result

    def repo_names(self) -> list[str]:
        return sorted(self.result.repos) + self.result.missing

    async def fetch_all(self, repos: Iterable[str]) -> AsyncIterator[Fetched]:
        for name in repos:
            repo = self.result.repos.get(name)
            if repo is None:
                yield Fetched(name, None, UnknownRepo(f"{name}: no activity in {self.label}"))
            else:
                yield Fetched(name, repo.files())
