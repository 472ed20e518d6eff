"""GH Archive-format hourly files for tests and the events benchmark (no download is possible here).

Every line is one GitHub event as the Events API gives it and GH Archive stores it
(https://www.gharchive.org/, files `YYYY-MM-DD-H.json.gz`): the envelope `id, type, actor{...},
repo{...}, payload{...}, public, created_at, org{...}` with the payload of each type nested as
GitHub nests it. Two ways to write them:

- `Archive`: events added one by one (a hand-made small case whose activity a test computes
  by hand);
- `write_bulk`: many hours of a realistic mix for the benchmark (`python -m
  tests.support.gharchive OUT --events 10000000`), deterministic for a seed, one hour per task so
  both cores can work.
"""

from __future__ import annotations

import argparse
import gzip
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

API = "https://api.github.com"


@dataclass(frozen=True)
class User:
    id: int
    login: str

    def short(self) -> dict[str, Any]:
        """The user object nested in payloads (issue.user, comment.user, pull_request.user)."""
        return {
            "login": self.login,
            "id": self.id,
            "node_id": f"MDQ6VXNlcj{self.id}",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{self.id}?v=4",
            "url": f"{API}/users/{self.login}",
            "type": "Bot" if self.login.endswith("[bot]") else "User",
            "site_admin": False,
        }

    def actor(self) -> dict[str, Any]:
        """The event envelope's actor object."""
        return {
            "id": self.id,
            "login": self.login,
            "display_login": self.login.removesuffix("[bot]"),
            "gravatar_id": "",
            "url": f"{API}/users/{self.login}",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{self.id}?",
        }


GHOST = User(10137, "ghost")  # GitHub shows every deleted account as this user


@dataclass(frozen=True)
class Repo:
    id: int
    name: str

    def ref(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "url": f"{API}/repos/{self.name}"}

    def full(self) -> dict[str, Any]:
        """The repository object inside pull_request.head / base (a subset of GitHub's fields)."""
        owner = self.name.split("/")[0]
        return {
            "id": self.id,
            "node_id": f"MDEwOlJlcG9zaXRvcnk{self.id}",
            "name": self.name.split("/")[1],
            "full_name": self.name,
            "private": False,
            "owner": {"login": owner, "id": self.id + 7, "type": "Organization"},
            "html_url": f"https://github.com/{self.name}",
            "description": "A repository for tests",
            "fork": False,
            "url": f"{API}/repos/{self.name}",
            "created_at": "2019-05-01T10:00:00Z",
            "language": "Python",
            "stargazers_count": 1200,
            "default_branch": "main",
        }


def stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def hour_file(at: datetime) -> str:
    """GH Archive's file name for the hour of `at`: the hour has no leading zero."""
    return f"{at:%Y-%m-%d}-{at.hour}.json.gz"


class Archive:
    """Events added by hand, written as GH Archive hourly files (sorted by time within each file)."""

    def __init__(self, first_event_id: int = 26_000_000_000) -> None:
        self.events: list[tuple[datetime, dict[str, Any]]] = []
        self.next_id = first_event_id

    # --- the envelope -------------------------------------------------------------------------

    def add(self, at: datetime, kind: str, actor: User, repo: Repo, payload: dict[str, Any]) -> dict[str, Any]:
        self.next_id += 1
        event = {
            "id": str(self.next_id),
            "type": kind,
            "actor": actor.actor(),
            "repo": repo.ref(),
            "payload": payload,
            "public": True,
            "created_at": stamp(at),
        }
        owner = repo.name.split("/")[0]
        event["org"] = {"id": repo.id + 7, "login": owner, "gravatar_id": "", "url": f"{API}/orgs/{owner}"}
        self.events.append((at, event))
        return event

    def add_raw(self, at: datetime, line: bytes) -> None:
        """A line written as it is (malformed input for the error tests)."""
        self.events.append((at, {"__raw__": line}))

    # --- issues -----------------------------------------------------------------------------

    def issue(self, repo: Repo, number: int, issue_id: int, author: User, at: datetime) -> dict[str, Any]:
        return {
            "url": f"{API}/repos/{repo.name}/issues/{number}",
            "repository_url": f"{API}/repos/{repo.name}",
            "id": issue_id,
            "node_id": f"I_kwDO{issue_id}",
            "number": number,
            "title": f"Issue {number}",
            "user": author.short(),
            "labels": [],
            "state": "open",
            "locked": False,
            "comments": 0,
            "created_at": stamp(at),
            "updated_at": stamp(at),
            "closed_at": None,
            "author_association": "CONTRIBUTOR",
            "body": "Steps to reproduce: run it.",
        }

    def issue_opened(self, at: datetime, repo: Repo, actor: User, number: int, issue_id: int) -> dict[str, Any]:
        payload = {"action": "opened", "issue": self.issue(repo, number, issue_id, actor, at)}
        return self.add(at, "IssuesEvent", actor, repo, payload)

    def issue_closed(self, at: datetime, repo: Repo, actor: User, number: int, issue_id: int, author: User) -> None:
        issue = self.issue(repo, number, issue_id, author, at) | {"state": "closed", "closed_at": stamp(at)}
        self.add(at, "IssuesEvent", actor, repo, {"action": "closed", "issue": issue})

    def issue_comment(
        self, at: datetime, repo: Repo, actor: User, number: int, issue_id: int, comment_id: int, author: User
    ) -> dict[str, Any]:
        payload = {
            "action": "created",
            "issue": self.issue(repo, number, issue_id, author, at),
            "comment": {
                "url": f"{API}/repos/{repo.name}/issues/comments/{comment_id}",
                "html_url": f"https://github.com/{repo.name}/issues/{number}#issuecomment-{comment_id}",
                "id": comment_id,
                "node_id": f"IC_kwDO{comment_id}",
                "user": actor.short(),
                "created_at": stamp(at),
                "updated_at": stamp(at),
                "author_association": "MEMBER",
                "body": "Thanks, looking into it.",
            },
        }
        return self.add(at, "IssueCommentEvent", actor, repo, payload)

    # --- pull requests ------------------------------------------------------------------------

    def pull(
        self,
        repo: Repo,
        number: int,
        pull_id: int,
        author: User,
        at: datetime,
        state: str = "open",
        merged: bool = False,
        merged_by: User | None = None,
    ) -> dict[str, Any]:
        return {
            "url": f"{API}/repos/{repo.name}/pulls/{number}",
            "id": pull_id,
            "node_id": f"PR_kwDO{pull_id}",
            "number": number,
            "state": state,
            "locked": False,
            "title": f"Change {number}",
            "user": author.short(),
            "body": "This change fixes the problem.",
            "created_at": stamp(at),
            "updated_at": stamp(at),
            "closed_at": stamp(at) if state == "closed" else None,
            "merged_at": stamp(at) if merged else None,
            "merge_commit_sha": f"{pull_id:040x}" if merged else None,
            "requested_reviewers": [],
            "labels": [],
            "head": {"label": f"{author.login}:fix-{number}", "ref": f"fix-{number}", "sha": f"{pull_id + 1:040x}"},
            "base": {"label": "main", "ref": "main", "sha": f"{pull_id + 2:040x}", "repo": repo.full()},
            "author_association": "CONTRIBUTOR",
            "merged": merged,
            "mergeable": None,
            "merged_by": merged_by.short() if merged_by else None,
            "comments": 1,
            "review_comments": 1,
            "maintainer_can_modify": False,
            "commits": 2,
            "additions": 40,
            "deletions": 3,
            "changed_files": 2,
        }

    def pull_opened(self, at: datetime, repo: Repo, actor: User, number: int, pull_id: int) -> dict[str, Any]:
        payload = {"action": "opened", "number": number, "pull_request": self.pull(repo, number, pull_id, actor, at)}
        return self.add(at, "PullRequestEvent", actor, repo, payload)

    def pull_closed(
        self, at: datetime, repo: Repo, actor: User, number: int, pull_id: int, author: User, merged: bool
    ) -> dict[str, Any]:
        pull = self.pull(repo, number, pull_id, author, at, "closed", merged, actor if merged else None)
        return self.add(
            at, "PullRequestEvent", actor, repo, {"action": "closed", "number": number, "pull_request": pull}
        )

    def review(self, at: datetime, repo: Repo, actor: User, number: int, pull_id: int, author: User, review_id: int):
        payload = {
            "action": "created",
            "review": {
                "id": review_id,
                "node_id": f"PRR_kwDO{review_id}",
                "user": actor.short(),
                "body": "Looks good.",
                "commit_id": f"{pull_id + 1:040x}",
                "submitted_at": stamp(at),
                "state": "approved",
                "author_association": "MEMBER",
            },
            "pull_request": self.pull(repo, number, pull_id, author, at),
        }
        return self.add(at, "PullRequestReviewEvent", actor, repo, payload)

    def review_comment(
        self, at: datetime, repo: Repo, actor: User, number: int, pull_id: int, author: User, comment_id: int
    ) -> dict[str, Any]:
        payload = {
            "action": "created",
            "comment": {
                "url": f"{API}/repos/{repo.name}/pulls/comments/{comment_id}",
                "pull_request_review_id": comment_id + 1,
                "id": comment_id,
                "node_id": f"PRRC_kwDO{comment_id}",
                "diff_hunk": "@@ -1,3 +1,4 @@\n import os\n+import sys",
                "path": "src/main.py",
                "commit_id": f"{pull_id + 1:040x}",
                "user": actor.short(),
                "body": "Could this be a constant?",
                "created_at": stamp(at),
                "updated_at": stamp(at),
                "author_association": "MEMBER",
                "line": 2,
            },
            "pull_request": self.pull(repo, number, pull_id, author, at),
        }
        return self.add(at, "PullRequestReviewCommentEvent", actor, repo, payload)

    # --- events that carry no activity --------------------------------------------------------

    def push(self, at: datetime, repo: Repo, actor: User, push_id: int) -> dict[str, Any]:
        payload = {
            "repository_id": repo.id,
            "push_id": push_id,
            "size": 1,
            "distinct_size": 1,
            "ref": "refs/heads/main",
            "head": f"{push_id:040x}",
            "before": f"{push_id - 1:040x}",
            "commits": [
                {
                    "sha": f"{push_id:040x}",
                    "author": {"email": f"{actor.login}@example.com", "name": actor.login},
                    "message": "Fix the build",
                    "distinct": True,
                    "url": f"{API}/repos/{repo.name}/commits/{push_id:040x}",
                }
            ],
        }
        return self.add(at, "PushEvent", actor, repo, payload)

    def star(self, at: datetime, repo: Repo, actor: User) -> dict[str, Any]:
        return self.add(at, "WatchEvent", actor, repo, {"action": "started"})

    def fork(self, at: datetime, repo: Repo, actor: User, fork_id: int) -> dict[str, Any]:
        forkee = Repo(fork_id, f"{actor.login}/{repo.name.split('/')[1]}").full() | {"fork": True}
        return self.add(at, "ForkEvent", actor, repo, {"forkee": forkee})

    def create_branch(self, at: datetime, repo: Repo, actor: User, ref: str) -> dict[str, Any]:
        payload = {
            "ref": ref,
            "ref_type": "branch",
            "master_branch": "main",
            "description": None,
            "pusher_type": "user",
        }
        return self.add(at, "CreateEvent", actor, repo, payload)

    # --- writing ------------------------------------------------------------------------------

    def write(self, folder: Path) -> list[Path]:
        """One gzip file per hour, lines in time order (stable for equal times)."""
        by_hour: dict[str, list[tuple[datetime, dict[str, Any]]]] = defaultdict(list)
        for at, event in self.events:
            by_hour[hour_file(at)].append((at, event))
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, events in sorted(by_hour.items()):
            events.sort(key=lambda item: item[0])
            path = folder / name
            with gzip.open(path, "wb") as out:
                for _, event in events:
                    out.write(event["__raw__"] if "__raw__" in event else orjson.dumps(event) + b"\n")
            paths.append(path)
        return paths


# --- the bulk generator (benchmark) ----------------------------------------------------------------

# A GH Archive-like mix of event types (roughly the 2023 shares: pushes dominate; the five kinds
# that count towards activity plus reviews are about a third).
MIX = [
    ("PushEvent", 44),
    ("CreateEvent", 12),
    ("PullRequestEvent", 9),
    ("IssueCommentEvent", 8),
    ("WatchEvent", 8),
    ("DeleteEvent", 4),
    ("PullRequestReviewEvent", 3),
    ("IssuesEvent", 3),
    ("PullRequestReviewCommentEvent", 3),
    ("ForkEvent", 2),
    ("ReleaseEvent", 1),
    ("GollumEvent", 1),
    ("MemberEvent", 1),
    ("CommitCommentEvent", 1),
]


@dataclass(frozen=True)
class BulkPlan:
    folder: Path
    first_hour: datetime
    hours: int
    events_per_hour: int
    repos: int
    developers: int
    seed: int


def plan_bulk(
    folder: Path,
    events: int,
    first_month: str = "2023-01",
    months: int = 3,
    repos: int = 20_000,
    developers: int = 200_000,
    seed: int = 1,
) -> BulkPlan:
    """Spread `events` over the hours of `months` months starting at `first_month`."""
    first = datetime.strptime(first_month, "%Y-%m").replace(tzinfo=UTC)
    year, month = first.year + (first.month - 1 + months) // 12, (first.month - 1 + months) % 12 + 1
    end = datetime(year, month, 1, tzinfo=UTC)
    hours = int((end - first).total_seconds() // 3600)
    return BulkPlan(folder, first, hours, -(-events // hours), repos, developers, seed)


def write_bulk(plan: BulkPlan, workers: int = 2, say=None) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Write every hour of the plan; return (events, bytes before compression)."""
    plan.folder.mkdir(parents=True, exist_ok=True)
    events = raw_bytes = done = 0
    started = time.monotonic()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for count, size in pool.map(_write_hour, [(plan, hour) for hour in range(plan.hours)], chunksize=4):
            events += count
            raw_bytes += size
            done += 1
            if say and done % 100 == 0:
                say(f"{done}/{plan.hours} hours, {events:,} events, {time.monotonic() - started:.0f}s")
    return events, raw_bytes


def _write_hour(task: tuple[BulkPlan, int]) -> tuple[int, int]:
    plan, hour = task
    rng = random.Random(plan.seed * 1_000_003 + hour)
    start = plan.first_hour + timedelta(hours=hour)
    kinds = [kind for kind, _ in MIX]
    weights = [weight for _, weight in MIX]
    templates = _templates()
    size = count = 0
    with gzip.open(plan.folder / hour_file(start), "wb", compresslevel=1) as out:
        for second, kind in zip(
            sorted(rng.randrange(3600) for _ in range(plan.events_per_hour)),
            rng.choices(kinds, weights, k=plan.events_per_hour),
            strict=True,
        ):
            count += 1
            event_id = 30_000_000_000 + hour * 10_000_000 + count
            line = _bulk_line(templates, rng, plan, start + timedelta(seconds=second), kind, event_id)
            size += len(line)
            out.write(line)
    return count, size


# Bulk lines are filled into templates written by the Archive methods above (so they keep the
# real field names and nesting): these values in a template stand for the event's own.
SENTINEL_TIME = datetime(2001, 1, 1, 1, 1, 1, tzinfo=UTC)
SENTINEL_ACTOR = User(777000001, "zzactorzz")
SENTINEL_OTHER = User(777000002, "zzotherzz")
SENTINEL_REPO = Repo(777000003, "zzorgzz/zzrepozz")
SENTINEL_NUMBER, SENTINEL_ITEM, SENTINEL_COMMENT, SENTINEL_EVENT = 777000004, 777000005, 777000006, 777000008


def _templates() -> dict[str, bytes]:
    archive = Archive(first_event_id=SENTINEL_EVENT - 1)
    t, actor, other, repo = SENTINEL_TIME, SENTINEL_ACTOR, SENTINEL_OTHER, SENTINEL_REPO
    number, item, comment = SENTINEL_NUMBER, SENTINEL_ITEM, SENTINEL_COMMENT
    made = {
        "IssuesEvent": archive.issue_opened(t, repo, actor, number, item),
        "IssueCommentEvent": archive.issue_comment(t, repo, actor, number, item, comment, other),
        "PullRequestEvent:opened": archive.pull_opened(t, repo, actor, number, item),
        "PullRequestEvent:merged": archive.pull_closed(t, repo, actor, number, item, other, merged=True),
        "PullRequestEvent:closed": archive.pull_closed(t, repo, actor, number, item, other, merged=False),
        "PullRequestReviewEvent": archive.review(t, repo, actor, number, item, other, comment),
        "PullRequestReviewCommentEvent": archive.review_comment(t, repo, actor, number, item, other, comment),
        "PushEvent": archive.push(t, repo, actor, comment),
        "WatchEvent": archive.star(t, repo, actor),
        "ForkEvent": archive.fork(t, repo, actor, comment),
        "CreateEvent": archive.create_branch(t, repo, actor, f"feature-{number}"),
        "ReleaseEvent": archive.add(t, "ReleaseEvent", actor, repo, {"action": "published"}),
    }
    for kind, _ in MIX:
        made.setdefault(kind, archive.add(t, kind, actor, repo, {}))
    for event in made.values():
        event["id"] = str(SENTINEL_EVENT)
    return {kind: orjson.dumps(event) + b"\n" for kind, event in made.items()}


def _bulk_line(
    templates: dict[str, bytes], rng: random.Random, plan: BulkPlan, at: datetime, kind: str, event_id: int
) -> bytes:
    # popular repositories and developers get most events (a skewed, heavy-tailed pick; it reaches
    # about 1,300 repositories of 10 million events, far fewer than a real month has)
    repo_index = min(int(rng.paretovariate(1.2)) - 1, plan.repos - 1)
    dev_index = min(int(rng.paretovariate(1.1)) - 1, plan.developers - 1)
    other_index = (dev_index * 7 + 3) % plan.developers
    if kind == "PullRequestEvent":
        kind = "PullRequestEvent:" + ("opened" if rng.random() < 0.55 else rng.choice(["merged", "merged", "closed"]))
    number = rng.randrange(1, 5_000)
    repo_id = 1_000 + repo_index
    values = [
        (b"2001-01-01T01:01:01Z", stamp(at).encode()),
        (b"zzactorzz", (f"dev{dev_index}" + ("[bot]" if dev_index % 50 == 7 else "")).encode()),
        (b"zzotherzz", f"dev{other_index}".encode()),
        (b"zzorgzz", f"org{repo_index % 997}".encode()),
        (b"zzrepozz", f"project{repo_index}".encode()),
        (b"777000001", str(10_000 + dev_index).encode()),
        (b"777000002", str(10_000 + other_index).encode()),
        (b"777000003", str(repo_id).encode()),
        (b"777000004", str(number).encode()),
        (b"777000005", str(repo_id * 100_000 + number).encode()),
        (b"777000006", str(rng.randrange(10**9, 10**10)).encode()),
        (b"777000008", str(event_id).encode()),
    ]
    line = templates[kind]
    for sentinel, value in values:
        line = line.replace(sentinel, value)
    return line


def iter_lines(paths: Iterable[Path]) -> Iterator[bytes]:
    for path in paths:
        with gzip.open(path, "rb") as lines:
            yield from lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write GH Archive-format hourly files of generated events.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--first-month", default="2023-01")
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--repos", type=int, default=20_000)
    parser.add_argument("--developers", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    plan = plan_bulk(args.folder, args.events, args.first_month, args.months, args.repos, args.developers, args.seed)
    started = time.monotonic()
    events, raw = write_bulk(plan, args.workers, say=lambda text: print(text, file=sys.stderr))
    print(
        f"{events:,} events in {plan.hours} hourly files, {raw / 1e9:.2f} GB of JSON, {time.monotonic() - started:.0f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
