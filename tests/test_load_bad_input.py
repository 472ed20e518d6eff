"""Bad input: each broken repository is named with its file and problem, skipped, the others
are loaded, nothing of the broken one reaches the graph, and the exit status is non-zero."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from nichegraph.db import Graph
from nichegraph.loader import writes
from nichegraph.loader.pipeline import LoadOptions, load_repos
from nichegraph.loader.sources import FolderSource
from tests.conftest import TOP300, quiet_progress
from tests.support.cli import nichegraph

GOOD = ["JacksonKearl/testissues", "freddier/hyperblog", "helium/denylist"]
VICTIM = "element-fi/elf-council-frontend"


def make_source(tmp_path: Path, corrupt: str | None = None, edit=None) -> Path:  # type: ignore[no-untyped-def]
    """A folder of real repositories; VICTIM's `corrupt` file replaced by `edit(original)`."""
    root = tmp_path / "source"
    for repo in [*GOOD, VICTIM]:
        shutil.copytree(TOP300 / "github" / repo, root / "github" / repo)
    if corrupt:
        path = root / "github" / VICTIM / f"{corrupt}.json"
        path.write_bytes(edit(path.read_bytes()))
    return root


def json_edit(change):  # type: ignore[no-untyped-def]
    def edit(body: bytes) -> bytes:
        data = json.loads(body)
        change(data)
        return json.dumps(data).encode()

    return edit


def first_month(data: dict) -> str:  # type: ignore[type-arg]
    return next(iter(data))


CASES = {
    "truncated JSON": (
        "activity_details",
        lambda body: body[: len(body) // 2],
        "activity_details.json is not valid JSON",
    ),
    "empty file": ("openrank", lambda body: b"", "openrank.json is empty"),
    "wrong shape: a list, not an object": (
        "stars",
        lambda body: b"[1, 2, 3]",
        "stars.json: expected an object of month -> number",
    ),
    "wrong shape: a details row that is not a pair": (
        "activity_details",
        json_edit(lambda data: data[first_month(data)].append(["someone", 1.0, "extra"])),
        "expected [login, score]",
    ),
    "a value that is not a number": (
        "participants",
        json_edit(lambda data: data.update({first_month(data): "many"})),
        "participants.json: month",
    ),
    "bad month key": (
        "activity",
        json_edit(lambda data: data.update({"2022-13": 1.0})),
        "activity.json: key '2022-13' is not a month",
    ),
    "negative score": (
        "activity_details",
        json_edit(lambda data: data[first_month(data)].append(["someone-new", -2.0])),
        "is negative",
    ),
    "negative series value": (
        "openrank",
        json_edit(lambda data: data.update({first_month(data): -1.5})),
        "negative value -1.5",
    ),
}


def repo_nodes(graph: Graph, repo: str) -> int:
    return graph.read(
        "OPTIONAL MATCH (r:Repo {name: $repo}) OPTIONAL MATCH (m:RepoMonth {repo: $repo}) "
        "RETURN count(DISTINCT r) + count(DISTINCT m) AS n",
        repo=repo,
    )[0]["n"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_is_named_skipped_and_the_rest_loaded(scratch: Graph, tmp_path: Path, case: str) -> None:
    stem, edit, message = CASES[case]
    source = FolderSource(make_source(tmp_path, stem, edit))
    summary = load_repos(scratch, source, [*GOOD, VICTIM], LoadOptions(), quiet_progress())

    assert not summary.ok
    assert [failure.repo for failure in summary.failed] == [VICTIM]
    problem = summary.failed[0].message
    assert f"{VICTIM}/{stem}.json" in problem and message in problem, problem
    assert sorted(summary.loaded) == sorted(GOOD)
    assert repo_nodes(scratch, VICTIM) == 0
    # the victim's developers that work nowhere else were never created
    assert scratch.read("MATCH (d:Developer) WHERE NOT (d)-->() RETURN count(d) AS n")[0]["n"] == 0


def test_unknown_repo_names_are_reported(scratch: Graph, tmp_path: Path) -> None:
    source = FolderSource(make_source(tmp_path))
    summary = load_repos(scratch, source, [*GOOD, "nobody/nothing", "not-a-repo-name"], LoadOptions(), quiet_progress())
    messages = {failure.repo: failure.message for failure in summary.failed}
    assert "not found in" in messages["nobody/nothing"]
    assert "is not a repository name of the form owner/repo" in messages["not-a-repo-name"]
    assert sorted(summary.loaded) == sorted(GOOD)


def test_strict_writes_nothing_when_anything_is_bad(scratch: Graph, tmp_path: Path) -> None:
    stem, edit, _ = CASES["bad month key"]
    source = FolderSource(make_source(tmp_path, stem, edit))
    summary = load_repos(scratch, source, [*GOOD, VICTIM], LoadOptions(strict=True), quiet_progress())
    assert summary.stopped_early and [f.repo for f in summary.failed] == [VICTIM]
    assert scratch.read("MATCH (n) WHERE NOT n:LoadRun RETURN count(n) AS n")[0]["n"] == 0


def test_a_failure_inside_the_transaction_rolls_the_repository_back(
    scratch: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fault injection: the second statement of VICTIM's contributions raises mid-transaction."""
    real_chunks = writes.contribution_chunks

    def failing_chunks(contributions):  # type: ignore[no-untyped-def]
        for index, chunk in enumerate(real_chunks(contributions)):
            if index == 1 and contributions.keys[0] == victim_first_key:
                raise RuntimeError("injected failure after the first statement")
            yield chunk

    source = FolderSource(make_source(tmp_path))
    from nichegraph.loader.opendigger import parse_repo

    victim_first_key = parse_repo(VICTIM, source.read(VICTIM)).contributions.keys[0]
    monkeypatch.setattr(writes, "CHUNK_ROWS", 10)
    monkeypatch.setattr(writes, "contribution_chunks", failing_chunks)
    summary = load_repos(scratch, source, [*GOOD, VICTIM], LoadOptions(), quiet_progress())

    assert [failure.repo for failure in summary.failed] == [VICTIM]
    assert "rolled back" in summary.failed[0].message
    assert repo_nodes(scratch, VICTIM) == 0
    assert summary.developers_removed > 0
    assert scratch.read("MATCH (d:Developer) WHERE NOT (d)-->() RETURN count(d) AS n")[0]["n"] == 0


def test_cli_exits_non_zero_with_a_summary(scratch: Graph, tmp_path: Path) -> None:
    stem, edit, message = CASES["negative score"]
    root = make_source(tmp_path, stem, edit)
    result = nichegraph(scratch.uri, "load", "opendigger", str(root))
    assert result.returncode == 1
    assert f"FAILED {VICTIM}" in result.stderr and message in result.stderr
    assert "3 repos written, 0 unchanged, 1 failed (of 4)" in result.stderr
