"""Loader accounting without a database: a run is ok only when every requested repository was
processed, and a producer that dies on a file it cannot read ends the stream with an error
naming that file (the full tier checks the exit status and the LoadRun)."""

from __future__ import annotations

from pathlib import Path

from nichegraph.loader.opendigger import RepoData
from nichegraph.loader.parsing import ParsedRepos
from nichegraph.loader.sources import FolderSource
from nichegraph.loader.summary import LoadSummary, RepoFailure, run_properties
from tests.unit.unreadable_source import source_with_unreadable_file

REPOS = ["JacksonKearl/testissues", "freddier/hyperblog", "helium/denylist", "element-fi/elf-council-frontend"]


def test_ok_needs_every_requested_repository_processed() -> None:
    summary = LoadSummary(source="s", requested=3, loaded=["a/a", "b/b"])
    assert not summary.ok and summary.status == "failed"
    assert "1 of 3 repositories not processed" in summary.describe()
    summary.unchanged.append("c/c")
    assert summary.ok and summary.status == "ok"
    summary.failed.append(RepoFailure("d/d", "bad"))
    summary.requested = 4
    assert not summary.ok and summary.status == "partial"


def test_an_error_fails_the_run_and_is_recorded_on_one_line() -> None:
    summary = LoadSummary(source="s", requested=2, loaded=["a/a"], error="reading x failed:\n[Errno 21] ...")
    assert summary.status == "failed"
    properties = run_properties(summary)
    assert properties["status"] == "failed" and properties["reposNotProcessed"] == 1
    assert properties["error"] == "reading x failed: [Errno 21] ..."


def test_a_producer_that_cannot_read_a_file_stops_with_the_files_name(tmp_path: Path) -> None:
    root = tmp_path / "source"
    unreadable = source_with_unreadable_file(root, REPOS, REPOS[2])
    parsed = ParsedRepos(FolderSource(root), REPOS, None)
    items = list(parsed)
    assert [item.name for item in items if isinstance(item, RepoData)] == REPOS[:2]
    assert parsed.error is not None
    assert str(unreadable) in parsed.error and "IsADirectoryError" in parsed.error
    assert "after 2 of 4 repositories" in parsed.error
