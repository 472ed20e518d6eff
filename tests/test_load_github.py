"""`nichegraph load github` against the real scratch Neo4j: the offline path on real rows of
the shared metadata file, and the API path against a local server shaped like GitHub's REST
API (tests/support/github_server.py) with rate limits, ETags, faults, a 404 and a rename.

Expected values come from the files by an independent reading (csv.DictReader here, the
served JSON documents there), never from the loader's own output."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.loader.github import ApiOptions, load_metadata_api, load_metadata_file
from nichegraph.loader.sources import HttpPolicy
from nichegraph.progress import Progress
from tests.conftest import METADATA_FILE, load_folder, quiet_progress, wipe
from tests.support.cli import nichegraph
from tests.support.github_server import documents_from_csv, remove_metadata, serve_github

# small real repositories with rows in the file (nuxt/framework is archived, apache/apisix has a
# homepage, helium/denylist has only a licence and a creation date), and one without a row
WITH_ROWS = ["freddier/hyperblog", "helium/denylist", "nuxt/framework", "remix-run/remix", "apache/apisix"]
WITHOUT_ROW = "JacksonKearl/testissues"
FIELDS = ["description", "language", "topics", "license", "archived", "createdAt", "homepage"]
STORED = [*FIELDS, "metadataSource", "metadataProvenance", "metadataFetchedAt"]
FAST = HttpPolicy(concurrency=4, timeout=1.0, retries=3, backoff=0.05)
TOKEN = "ghp_test0123456789abcdefTOKEN"
ISO_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def file_rows() -> dict[str, dict[str, str]]:
    with METADATA_FILE.open(encoding="utf-8", newline="") as file:
        return {row["repo"]: row for row in csv.DictReader(file)}


def expected_from_row(row: dict[str, str]) -> dict[str, Any]:
    """What the file says, as Repo properties: an empty cell is an absent property."""
    expected: dict[str, Any] = {
        "description": row["description"],
        "language": row["language"],
        "topics": row["topics"].split("|") if row["topics"] else None,
        "license": row["license"],
        "archived": {"true": True, "false": False}.get(row["archived"]),
        "createdAt": row["created_at"],
        "homepage": row["homepage"],
        "metadataSource": "repo_metadata.csv",
        "metadataProvenance": row["source"],
    }
    return {key: value for key, value in expected.items() if value not in ("", None)}


def expected_from_document(document: dict[str, Any], today: str) -> dict[str, Any]:
    """What GitHub's answer says, as Repo properties (the SPDX id of the licence; "" and [] are absent)."""
    values = {
        "description": document["description"],
        "language": document["language"],
        "topics": document["topics"] or None,
        "license": document["license"]["spdx_id"] if document["license"] else None,
        "archived": document["archived"],
        "createdAt": document["created_at"],
        "homepage": document["homepage"] or None,
    }
    present = {key: value for key, value in values.items() if value is not None}
    columns = {"createdAt": "created_at"}
    provenance = ";".join(f"{columns.get(key, key)}=github-api@{today}" for key in present)
    return {**present, "metadataSource": "github-api", "metadataProvenance": provenance}


def stored(graph: Graph) -> dict[str, dict[str, Any]]:
    """Every repository's metadata properties (fetch time left out), by name."""
    rows = graph.read("MATCH (r:Repo) RETURN r.name AS repo, properties(r) AS props")
    return {
        row["repo"]: {key: value for key, value in row["props"].items() if key in STORED and key != "metadataFetchedAt"}
        for row in rows
    }


def fetched_at(graph: Graph) -> dict[str, str]:
    rows = graph.read(
        "MATCH (r:Repo) WHERE r.metadataFetchedAt IS NOT NULL RETURN r.name AS repo, r.metadataFetchedAt AS t"
    )
    return {row["repo"]: row["t"] for row in rows}


@pytest.fixture(scope="module")
def loaded_settings(scratch_settings: Settings) -> Settings:
    """The six real repositories, loaded once for the module by the real loader."""
    with Graph(scratch_settings) as graph:
        wipe(graph)
        assert load_folder(graph, [*WITH_ROWS, WITHOUT_ROW]).ok
    return scratch_settings


@pytest.fixture
def graph(loaded_settings: Settings) -> Iterator[Graph]:
    """The six repositories without any metadata (what an earlier test stored is removed)."""
    with Graph(loaded_settings) as graph:
        remove_metadata(graph)
        assert graph.read("MATCH (r:Repo) RETURN count(r) AS n")[0]["n"] == 6
        yield graph


def csv_text(*rows: dict[str, str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(next(iter(file_rows().values()))), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


# --- offline: the metadata file -----------------------------------------------------------


def test_the_file_lands_on_the_repositories_in_the_graph_and_creates_none(graph: Graph) -> None:
    rows = file_rows()
    summary = load_metadata_file(graph, METADATA_FILE)
    assert summary.ok, summary.describe()
    assert sorted(summary.stored) == sorted(WITH_ROWS)
    assert summary.requested == len(rows) == 268
    assert sorted(summary.not_in_graph) == sorted(set(rows) - set(WITH_ROWS))
    after = stored(graph)
    assert set(after) == {*WITH_ROWS, WITHOUT_ROW}  # no repository created for the other 263 rows
    for repo in WITH_ROWS:
        assert after[repo] == expected_from_row(rows[repo]), repo
    assert after[WITHOUT_ROW] == {}
    assert after["nuxt/framework"]["archived"] is True
    assert "description" not in after["helium/denylist"] and after["helium/denylist"]["license"] == "Apache-2.0"
    assert all(ISO_SECOND.match(value) for value in fetched_at(graph).values())
    assert summary.fields["homepage"] == 1 and summary.fields["createdAt"] == 5


def test_a_reload_replaces_every_field_and_removes_what_the_source_no_longer_gives(
    graph: Graph, tmp_path: Path
) -> None:
    apisix = file_rows()["apache/apisix"]
    first = tmp_path / "first.csv"
    first.write_text(csv_text(apisix), encoding="utf-8")
    assert load_metadata_file(graph, first).ok
    assert stored(graph)["apache/apisix"]["homepage"] == "https://apisix.apache.org/blog/"
    second = tmp_path / "second.csv"
    changed = {**apisix, "homepage": "", "topics": "api-gateway", "source": "topics=hand@2026-12-01"}
    second.write_text(csv_text(changed), encoding="utf-8")
    summary = load_metadata_file(graph, second)
    assert summary.ok and summary.stored == ["apache/apisix"]
    now = stored(graph)["apache/apisix"]
    assert "homepage" not in now and now["topics"] == ["api-gateway"]
    assert now["metadataSource"] == "second.csv" and now["metadataProvenance"] == "topics=hand@2026-12-01"


def test_repos_choose_rows_of_the_file(graph: Graph) -> None:
    summary = load_metadata_file(graph, METADATA_FILE, ["HELIUM/denylist", "nobody/anywhere"])
    assert summary.ok and summary.stored == ["helium/denylist"] and summary.not_in_file == ["nobody/anywhere"]
    assert [repo for repo, props in stored(graph).items() if props] == ["helium/denylist"]


def test_a_bad_row_writes_nothing_at_all(graph: Graph, tmp_path: Path) -> None:
    rows = file_rows()
    bad = tmp_path / "bad.csv"
    good_then_bad = [rows[repo] for repo in WITH_ROWS]
    good_then_bad[3] = {**good_then_bad[3], "archived": "yes"}
    good_then_bad[4] = {**good_then_bad[4], "created_at": "2019-02-29T00:00:00Z"}
    bad.write_text(csv_text(*good_then_bad), encoding="utf-8")
    summary = load_metadata_file(graph, bad)
    assert not summary.ok
    assert summary.bad_rows == [
        f"{bad} line 5: archived 'yes' is not true or false",
        f"{bad} line 6: created_at '2019-02-29T00:00:00Z' is not a real date (day is out of range for month)",
    ]
    assert all(props == {} for props in stored(graph).values())


def test_the_command_names_the_file_and_line_and_exits_non_zero(graph: Graph, tmp_path: Path) -> None:
    rows = file_rows()
    bad = tmp_path / "bad.csv"
    bad.write_text(csv_text(rows["remix-run/remix"], {**rows["nuxt/framework"], "archived": "TRUE-ish"}))
    result = nichegraph(graph.uri, "load", "github", "--file", str(bad))
    assert result.returncode == 1, result.stderr
    assert f"{bad} line 3: archived 'TRUE-ish' is not true or false" in result.stderr
    assert "nothing written" in result.stderr
    unknown = tmp_path / "columns.csv"
    unknown.write_text("repo,stars\nremix-run/remix,3\n")
    result = nichegraph(graph.uri, "load", "github", "--file", str(unknown))
    assert result.returncode == 1 and f"error: {unknown} line 1: unknown column set" in result.stderr
    result = nichegraph(graph.uri, "load", "github", "--file", str(tmp_path / "absent.csv"))
    assert result.returncode == 2 and "--file: cannot read" in result.stderr
    result = nichegraph(graph.uri, "load", "github", "--repos", "a/b", "--repos-file", str(bad))
    assert result.returncode == 2 and "give one or the other" in result.stderr
    assert all(props == {} for props in stored(graph).values())
    result = nichegraph(graph.uri, "load", "github", "--file", str(METADATA_FILE), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert sorted(summary["stored"]) == sorted(WITH_ROWS) and len(summary["not_in_graph"]) == 263


@pytest.fixture
def metadata_on_full(full_graph: Graph) -> Iterator[Graph]:
    """The full server with the metadata this test stores removed again afterwards: the relation
    rules read metadata, so other tests' verdicts must not depend on whether this one ran first."""
    yield full_graph
    remove_metadata(full_graph)


def test_the_whole_shared_file_on_the_full_snapshot(metadata_on_full: Graph) -> None:
    full_graph = metadata_on_full
    rows = file_rows()
    summary = load_metadata_file(full_graph, METADATA_FILE)
    assert summary.ok and not summary.not_in_graph and len(summary.stored) == 268
    after = stored(full_graph)
    assert len(after) == 300
    for repo, props in after.items():
        assert props == (expected_from_row(rows[repo]) if repo in rows else {}), repo
    counts = {name: sum(name in props for props in after.values()) for name in FIELDS}
    # the figures the data README gives for the file
    assert counts == {
        "description": 243,
        "language": 252,
        "topics": 196,
        "license": 70,
        "archived": 250,
        "createdAt": 266,
        "homepage": 32,
    }
    assert summary.fields == counts


# --- online: a local server shaped like GitHub's REST API ----------------------------------


def api_settings(graph: Graph, url: str, cache: Path, token: str | None = TOKEN) -> Settings:
    return graph.settings.with_overrides(github_api=url, github_token=token, cache_dir=cache)


def load_api(graph: Graph, settings: Settings, repos: list[str] | None = None, **options: Any):  # type: ignore[no-untyped-def]
    progress = options.pop("progress", quiet_progress())
    return load_metadata_api(graph, settings, repos, progress, ApiOptions(policy=FAST, **options))


def today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


@pytest.fixture(scope="module")
def documents() -> dict[str, dict[str, Any]]:
    return documents_from_csv(METADATA_FILE, WITH_ROWS)


def test_api_answers_land_on_every_repository_of_the_graph(
    graph: Graph, documents: dict[str, Any], tmp_path: Path
) -> None:
    with serve_github(documents) as (url, plan):
        summary = load_api(graph, api_settings(graph, url, tmp_path))
    assert summary.ok, summary.describe()
    assert sorted(summary.stored) == sorted(WITH_ROWS) and summary.requests == 6
    assert [(p.repo, p.message) for p in summary.not_found] == [
        (WITHOUT_ROW, "GitHub answered 404: the repository does not exist or is private")
    ]
    after = stored(graph)
    for repo in WITH_ROWS:
        assert after[repo] == expected_from_document(documents[repo], today()), repo
    assert after[WITHOUT_ROW] == {}
    assert after["helium/denylist"].keys() >= {"license", "createdAt"} and "topics" not in after["helium/denylist"]
    # the token travels as a header on every request, with GitHub's media type and version
    assert len(plan.seen) == 6
    for _path, headers in plan.seen:
        assert headers["authorization"] == f"Bearer {TOKEN}"
        assert headers["accept"] == "application/vnd.github+json" and headers["x-github-api-version"]


def test_a_second_run_asks_with_etags_and_costs_no_rate_limit(
    graph: Graph, documents: dict[str, Any], tmp_path: Path
) -> None:
    with serve_github(documents) as (url, plan):
        plan.limit_to(budget=10, reset_in=3600)
        first = load_api(graph, api_settings(graph, url, tmp_path), WITH_ROWS)
        values = stored(graph)
        assert first.ok and plan.budget == 5 and first.unchanged == 0
        second = load_api(graph, api_settings(graph, url, tmp_path), WITH_ROWS)
        assert second.ok and sorted(second.stored) == sorted(WITH_ROWS)
        assert second.unchanged == 5 and plan.statuses[304] == 5
        assert plan.budget == 5  # nothing spent by the second run
        assert all("if-none-match" in headers for _path, headers in plan.seen[5:])
        assert stored(graph) == values
        # a changed repository answers 200 again and its new value is stored
        plan.documents["remix-run/remix"]["description"] = "Now something else"
        third = load_api(graph, api_settings(graph, url, tmp_path), WITH_ROWS)
    assert third.unchanged == 4 and plan.budget == 4
    assert stored(graph)["remix-run/remix"]["description"] == "Now something else"


@pytest.mark.parametrize("faults", [("500", "503"), ("timeout",), ("truncate",), ("502", "timeout", "truncate")])
def test_transient_faults_are_retried(
    graph: Graph, documents: dict[str, Any], tmp_path: Path, faults: tuple[str, ...]
) -> None:
    with serve_github(documents) as (url, plan):
        plan.delay = 1.5  # beyond the 1 s client timeout
        plan.add("/repos/nuxt/framework", *faults)
        summary = load_api(graph, api_settings(graph, url, tmp_path), WITH_ROWS)
    assert summary.ok, summary.describe()
    assert plan.requests["/repos/nuxt/framework"] == len(faults) + 1
    assert stored(graph)["nuxt/framework"] == expected_from_document(documents["nuxt/framework"], today())


def test_a_repository_that_keeps_failing_is_reported_and_the_others_stored(
    graph: Graph, documents: dict[str, Any], tmp_path: Path
) -> None:
    with serve_github(documents) as (url, plan):
        plan.always("/repos/remix-run/remix", "500")
        plan.always("/repos/apache/apisix", "403")
        summary = load_api(graph, api_settings(graph, url, tmp_path), WITH_ROWS)
    assert not summary.ok
    failures = {problem.repo: problem.message for problem in summary.failed}
    assert set(failures) == {"remix-run/remix", "apache/apisix"}
    assert "HTTP 500 after 4 attempts" in failures["remix-run/remix"]
    assert "answered HTTP 403 (injected)" in failures["apache/apisix"]  # a client error is not retried
    assert plan.requests["/repos/remix-run/remix"] == 4 and plan.requests["/repos/apache/apisix"] == 1
    assert sorted(summary.stored) == ["freddier/hyperblog", "helium/denylist", "nuxt/framework"]
    after = stored(graph)
    assert after["remix-run/remix"] == {} and after["apache/apisix"] == {}


def test_a_renamed_repository_is_reported_and_its_metadata_kept_under_the_graphs_name(
    graph: Graph, documents: dict[str, Any], tmp_path: Path
) -> None:
    with serve_github(documents) as (url, plan):
        plan.rename("remix-run/remix", "remix-run/react-router")
        summary = load_api(graph, api_settings(graph, url, tmp_path), WITH_ROWS)
    assert summary.ok and summary.renamed == [{"repo": "remix-run/remix", "now": "remix-run/react-router"}]
    assert plan.statuses[301] == 1
    redirected = [headers for path, headers in plan.seen if path.startswith("/repositories/")]
    assert len(redirected) == 1 and redirected[0]["authorization"] == f"Bearer {TOKEN}"
    after = stored(graph)
    assert after["remix-run/remix"]["description"] == documents["remix-run/remix"]["description"]
    assert "remix-run/react-router" not in after  # no repository created for the new name
    assert "RENAMED remix-run/remix: GitHub calls it remix-run/react-router now" in summary.describe()


def test_an_answer_of_the_wrong_shape_is_reported_not_stored(
    graph: Graph, documents: dict[str, Any], tmp_path: Path
) -> None:
    broken = {**documents, "helium/denylist": {**documents["helium/denylist"], "archived": "no", "topics": ["x"]}}
    with serve_github(broken) as (url, _plan):
        summary = load_api(graph, api_settings(graph, url, tmp_path), WITH_ROWS)
    assert [(p.repo, p.message) for p in summary.failed] == [
        ("helium/denylist", "helium/denylist: GitHub's answer: archived is a str, not a bool")
    ]
    assert stored(graph)["helium/denylist"] == {} and len(summary.stored) == 4


def test_a_cache_that_cannot_be_written_is_said_but_changes_nothing(
    graph: Graph, documents: dict[str, Any], tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should go")
    with serve_github(documents) as (url, _plan):
        summary = load_api(graph, api_settings(graph, url, blocked), WITH_ROWS)
    assert summary.ok and sorted(summary.stored) == sorted(WITH_ROWS)
    assert len(summary.notes) == 1 and summary.notes[0].startswith(f"cannot write the cache {blocked}/github-api/")
    assert "NOTE cannot write the cache" in summary.describe()


def test_a_spent_rate_limit_is_waited_for_with_a_message(
    graph: Graph, documents: dict[str, Any], tmp_path: Path
) -> None:
    messages = io.StringIO()
    with serve_github(documents) as (url, plan):
        plan.limit_to(budget=2, reset_in=2)
        summary = load_api(
            graph,
            api_settings(graph, url, tmp_path),
            WITH_ROWS,
            max_wait=30,
            progress=Progress(total=None, stream=messages, live=False),
        )
    assert summary.ok, summary.describe()
    assert sorted(summary.stored) == sorted(WITH_ROWS)
    assert 0 < summary.waited <= 4
    assert re.search(r"GitHub rate limit \(0 of 5000 requests left\): waiting 0:0\d until", messages.getvalue())
    assert all(stored(graph)[repo] == expected_from_document(documents[repo], today()) for repo in WITH_ROWS)


def test_a_reset_too_far_away_stops_cleanly_with_what_was_stored(
    graph: Graph, documents: dict[str, Any], tmp_path: Path
) -> None:
    with serve_github(documents) as (url, plan):
        plan.limit_to(budget=2, reset_in=3600)
        summary = load_api(graph, api_settings(graph, url, tmp_path), WITH_ROWS, max_wait=60)
    assert not summary.ok and summary.stopped is not None
    assert "longer than --max-wait 1:00" in summary.stopped and "GITHUB_TOKEN" in summary.stopped
    assert len(summary.stored) == 2 and sorted(summary.stored + summary.not_fetched) == sorted(WITH_ROWS)
    after = stored(graph)
    for repo in WITH_ROWS:
        # each repository has all of its fields or none
        assert after[repo] == (expected_from_document(documents[repo], today()) if repo in summary.stored else {})


def test_a_refused_token_stops_at_once_and_is_never_shown(
    graph: Graph, documents: dict[str, Any], tmp_path: Path
) -> None:
    with serve_github(documents) as (url, plan):
        plan.token = "the-right-one"
        summary = load_api(graph, api_settings(graph, url, tmp_path), WITH_ROWS)
    assert summary.stopped == "GitHub refused the token (401 Bad credentials): check GITHUB_TOKEN"
    assert summary.stored == [] and sorted(summary.not_fetched) == sorted(WITH_ROWS)
    assert plan.statuses[401] <= FAST.concurrency  # the requests already under way, no more
    assert TOKEN not in summary.describe() and TOKEN not in json.dumps(summary.to_dict())


def test_the_command_online_sends_the_token_and_never_prints_it(
    graph: Graph, documents: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve_github(documents) as (url, plan):
        monkeypatch.setenv("NICHEGRAPH_GITHUB_API", url)
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        monkeypatch.setenv("NICHEGRAPH_CACHE_DIR", str(tmp_path))
        result = nichegraph(graph.uri, "load", "github", "--repos", "nuxt/framework,nobody/anywhere", "--json")
        assert result.returncode == 0, result.stderr
        summary = json.loads(result.stdout)
        assert summary["stored"] == ["nuxt/framework"] and summary["not_in_graph"] == ["nobody/anywhere"]
        assert [headers["authorization"] for _path, headers in plan.seen] == [f"Bearer {TOKEN}"]
        assert TOKEN not in result.stdout + result.stderr
        plan.token = "another"
        result = nichegraph(graph.uri, "load", "github", "--repos", "nuxt/framework")
        assert result.returncode == 1 and "401 Bad credentials" in result.stderr
        assert TOKEN not in result.stdout + result.stderr
        monkeypatch.setenv("NICHEGRAPH_GITHUB_API", "ftp://example.org")
        result = nichegraph(graph.uri, "load", "github")
        assert result.returncode == 2 and "NICHEGRAPH_GITHUB_API: 'ftp://example.org' is not an http(s):// URL" in (
            result.stderr
        )
    assert (tmp_path / "github-api").is_dir()  # the cache lives under NICHEGRAPH_CACHE_DIR
