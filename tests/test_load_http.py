"""The HTTP path against a local server with OpenDigger's URL layout, serving the shared
folder, with injected 500s, timeouts and truncated bodies."""

from __future__ import annotations

import pytest

from nichegraph.db import Graph
from nichegraph.loader.pipeline import LoadOptions, load_repos
from nichegraph.loader.sources import FolderSource, HttpPolicy, HttpSource
from tests.conftest import TOP300, quiet_progress
from tests.support.faulty_server import serve_folder
from tests.support.fingerprint import graph_fingerprint

REPOS = ["JacksonKearl/testissues", "freddier/hyperblog", "helium/denylist", "remix-run/remix"]
FAST_RETRIES = HttpPolicy(concurrency=4, timeout=1.0, retries=3, backoff=0.05)


def path(repo: str, stem: str) -> str:
    return f"/github/{repo}/{stem}.json"


def load_http(graph: Graph, base_url: str, repos: list[str] = REPOS):  # type: ignore[no-untyped-def]
    return load_repos(graph, HttpSource(base_url, FAST_RETRIES), repos, LoadOptions(), quiet_progress())


@pytest.fixture(scope="module")
def folder_fingerprint(scratch_settings):  # type: ignore[no-untyped-def]
    with Graph(scratch_settings) as graph:
        from tests.conftest import wipe

        wipe(graph)
        assert load_repos(graph, FolderSource(TOP300), REPOS, LoadOptions(), quiet_progress()).ok
        return graph_fingerprint(graph)


def test_http_load_equals_the_folder_load(scratch: Graph, folder_fingerprint) -> None:  # type: ignore[no-untyped-def]
    with serve_folder(TOP300) as (url, plan):
        summary = load_http(scratch, url + "/github")
    assert summary.ok, summary.describe()
    assert graph_fingerprint(scratch) == folder_fingerprint
    assert plan.requests[path(REPOS[0], "openrank")] == 1


@pytest.mark.parametrize(
    "faults",
    [("500", "503"), ("timeout",), ("truncate",), ("garbled",), ("502", "timeout", "truncate")],
)
def test_transient_faults_are_retried(scratch: Graph, folder_fingerprint, faults: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    with serve_folder(TOP300) as (url, plan):
        plan.delay = 1.5  # beyond the 1 s client timeout
        target = path("helium/denylist", "activity_details")
        plan.add(target, *faults)
        summary = load_http(scratch, url)
    assert summary.ok, summary.describe()
    assert plan.requests[target] == len(faults) + 1
    assert graph_fingerprint(scratch) == folder_fingerprint


@pytest.mark.parametrize("fault", ["500", "timeout", "truncate"])
def test_a_repo_that_keeps_failing_is_skipped_whole(scratch: Graph, fault: str) -> None:
    with serve_folder(TOP300) as (url, plan):
        plan.delay = 1.5
        target = path("remix-run/remix", "stars")
        plan.always(target, fault)
        summary = load_http(scratch, url)
    assert [failure.repo for failure in summary.failed] == ["remix-run/remix"]
    message = summary.failed[0].message
    assert "stars.json" in message and "after 4 attempts" in message, message
    assert plan.requests[target] == 4
    assert sorted(summary.loaded) == sorted(REPOS[:3])
    left = scratch.read(
        "OPTIONAL MATCH (r:Repo {name: 'remix-run/remix'}) OPTIONAL MATCH (m:RepoMonth {repo: 'remix-run/remix'}) "
        "RETURN count(r) + count(m) AS n"
    )
    assert left[0]["n"] == 0


def test_404_means_not_tracked(scratch: Graph) -> None:
    with serve_folder(TOP300) as (url, _plan):
        summary = load_http(scratch, url, [*REPOS[:2], "nobody/untracked"])
    assert [failure.repo for failure in summary.failed] == ["nobody/untracked"]
    assert "not tracked by OpenDigger" in summary.failed[0].message
    assert "every file answered 404" in summary.failed[0].message


def test_a_client_error_is_not_retried(scratch: Graph) -> None:
    with serve_folder(TOP300) as (url, plan):
        target = path("helium/denylist", "openrank")
        plan.always(target, "403")
        summary = load_http(scratch, url, ["helium/denylist"])
    assert "answered HTTP 403" in summary.failed[0].message
    assert plan.requests[target] == 1
