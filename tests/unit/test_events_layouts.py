"""The same SQL text over the three layouts, run here through chdb (no ClickHouse server can run
on these machines): GH Archive files imported by nichegraph, a table in X-lab's opensource.events
layout, and a table in ClickHouse's github_events layout built from the same files by that
dataset's own recipe (ClickHouse/github-explorer update.sh: creator_user_login is the comment's,
the issue's or the pull request's user, number the issue's or the pull request's)."""

from __future__ import annotations

from typing import Any

import pytest

from nichegraph.loader.events import sql
from nichegraph.loader.events.activity import WEIGHTS, shape_activity
from nichegraph.loader.events.expansion import active_parameters
from nichegraph.loader.events.stores import FilesStore, detect_layout, open_events
from tests.support.event_cases import write_small_case

GITHUB_EVENTS_TABLE = """
CREATE TABLE nichegraph.github_events
(
    event_type Enum8('CommitCommentEvent' = 1, 'CreateEvent' = 2, 'DeleteEvent' = 3, 'ForkEvent' = 4,
                     'GollumEvent' = 5, 'IssueCommentEvent' = 6, 'IssuesEvent' = 7, 'MemberEvent' = 8,
                     'PublicEvent' = 9, 'PullRequestEvent' = 10, 'PullRequestReviewCommentEvent' = 11,
                     'PushEvent' = 12, 'ReleaseEvent' = 13, 'SponsorshipEvent' = 14, 'WatchEvent' = 15,
                     'GistEvent' = 16, 'FollowEvent' = 17, 'DownloadEvent' = 18, 'PullRequestReviewEvent' = 19,
                     'ForkApplyEvent' = 20, 'Event' = 21, 'TeamAddEvent' = 22),
    actor_login LowCardinality(String),
    repo_name LowCardinality(String),
    created_at DateTime,
    action Enum8('none' = 0, 'created' = 1, 'added' = 2, 'edited' = 3, 'deleted' = 4, 'opened' = 5, 'closed' = 6,
                 'reopened' = 7, 'assigned' = 8, 'unassigned' = 9, 'labeled' = 10, 'unlabeled' = 11,
                 'review_requested' = 12, 'review_request_removed' = 13, 'synchronize' = 14, 'started' = 15,
                 'published' = 16, 'update' = 17, 'create' = 18, 'fork' = 19, 'merged' = 20),
    comment_id UInt64,
    creator_user_login LowCardinality(String),
    number UInt32,
    merged UInt8
)
ENGINE = MergeTree ORDER BY (event_type, repo_name, created_at)
"""

GITHUB_EVENTS_FROM_FILES = """
INSERT INTO nichegraph.github_events
SELECT type, actor.login, repo.name, parseDateTimeBestEffort(created_at), ifNull(payload.action, 'none'),
       ifNull(payload.comment.id, 0),
       coalesce(payload.comment.user.login, payload.issue.user.login, payload.pull_request.user.login, ''),
       coalesce(payload.issue.number, payload.pull_request.number, payload.number, 0),
       ifNull(payload.pull_request.merged, 0)
FROM file({path:String}, 'JSONEachRow',
  'type String, actor Tuple(login String), repo Tuple(name String), created_at String,
   payload Tuple(action Nullable(String), number Nullable(UInt32),
     comment Tuple(id Nullable(UInt64), user Tuple(login Nullable(String))),
     issue Tuple(number Nullable(UInt32), user Tuple(login Nullable(String))),
     pull_request Tuple(number Nullable(UInt32), merged Nullable(UInt8), user Tuple(login Nullable(String))))')
"""

# X-lab's table also holds other platforms; only GitHub's rows may count
XLAB_WITH_OTHER_PLATFORMS = """
CREATE TABLE nichegraph.xlab_events AS nichegraph.events;
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("gharchive-layouts")
    write_small_case(folder)
    with open_events(str(folder)) as files:
        files.run(GITHUB_EVENTS_TABLE, {}, "CSV")
        files.run(GITHUB_EVENTS_FROM_FILES, {"path": f"{folder}/*.json.gz"}, "CSV")
        files.run(XLAB_WITH_OTHER_PLATFORMS, {}, "CSV")
        files.run("INSERT INTO nichegraph.xlab_events SELECT * FROM nichegraph.events", {}, "CSV")
        files.run(
            "INSERT INTO nichegraph.xlab_events SELECT * REPLACE ('Gitee' AS platform) FROM nichegraph.events",
            {},
            "CSV",
        )
        yield files


def run_as(store: FilesStore, layout: str, table: str, name: str, parameters: dict[str, Any], views=()) -> list:  # type: ignore[no-untyped-def]
    """What a ClickHouse server holding `table` in `layout` would be sent, run through chdb."""
    text = sql.over_events(layout, name, views)
    return store.run(text, {"database": "nichegraph", "table": table, **parameters}).to_pylist()


def activity_parameters() -> dict[str, Any]:
    return {**sql.window_bounds(None), "repos": [], **WEIGHTS["current"].parameters()}


def scores(rows: list[dict[str, Any]]) -> dict[tuple[str, str, str], float]:
    result = shape_activity(rows, None)
    return {
        (name, month, login): round(score, 6)
        for name, repo in result.repos.items()
        for month, developers in repo.months.items()
        for login, (score, _, _) in developers.items()
    }


def test_the_xlab_layout_gives_what_the_files_give(store: FilesStore) -> None:
    files = scores(store.rows("activity", activity_parameters()))
    xlab = scores(run_as(store, sql.XLAB, "xlab_events", "activity", activity_parameters()))
    assert len(files) == 8
    assert xlab == files


def test_the_github_events_layout_agrees_except_for_the_rename_it_cannot_follow(store: FilesStore) -> None:
    files = scores(store.rows("activity", activity_parameters()))
    github = scores(run_as(store, sql.GITHUB_EVENTS, "github_events", "activity", activity_parameters()))
    # github_events has names, no ids: January's rows stay under the old name
    renamed_back = {
        (("acme/rocket" if month == "2023-01" and repo == "rocketorg/rocket" else repo), month, login): score
        for (repo, month, login), score in files.items()
    }
    assert github == renamed_back


def test_active_developers_agree_across_layouts(store: FilesStore) -> None:
    parameters = {**active_parameters(None), "seeds": ["acme/engine"], "limit": 10}
    views = ("active", "seed_developers")
    files = run_as(store, sql.XLAB, "events", "expand_candidates", parameters, views)
    github = run_as(store, sql.GITHUB_EVENTS, "github_events", "expand_candidates", parameters, views)
    as_rows = lambda rows: sorted((r["role"], r["name"], r["active_developers"], r["shared"]) for r in rows)  # noqa: E731
    # acme/engine: alice and bob; the rocket shares both. Its active developers are alice, bob,
    # dave and Carol (dependabot[bot] is a bot); github_events splits it at the rename:
    # acme/rocket (January) had alice, bob and dave, rocketorg/rocket (February) bob and Carol
    assert as_rows(files) == [("candidate", "rocketorg/rocket", 4, 2), ("seed", "acme/engine", 2, 2)]
    assert as_rows(github) == [
        ("candidate", "acme/rocket", 3, 2),
        ("candidate", "rocketorg/rocket", 2, 1),
        ("seed", "acme/engine", 2, 2),
    ]


def test_layouts_are_recognised_by_their_columns() -> None:
    assert detect_layout("t", set(sql.LAYOUT_COLUMNS[sql.XLAB]) | {"org_id"}) == sql.XLAB
    assert detect_layout("t", set(sql.LAYOUT_COLUMNS[sql.GITHUB_EVENTS]) | {"body"}) == sql.GITHUB_EVENTS
    with pytest.raises(Exception, match="lacks platform, type") as caught:
        detect_layout("clickhouse://default@h:8123/db.t", {"repo_name", "created_at"})
    assert "github_events lacks event_type, action, actor_login" in str(caught.value)
