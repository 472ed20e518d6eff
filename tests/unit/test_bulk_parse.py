"""Parsing for the bulk path in worker processes (loader/bulk_parse.py): real repositories from
the shared data split over processes give the same import files as one process writing them
all, and a file that cannot be read stops the run naming it."""

from __future__ import annotations

import csv
import multiprocessing
from pathlib import Path

import pytest

from nichegraph.errors import NichegraphError
from nichegraph.loader.bulk_parse import ParallelParse, _PartDone, _work, shares
from nichegraph.loader.import_files import HASH_PROBE, ImportFiles, RepoRecord, check_unique_ids, developer_id
from nichegraph.loader.opendigger import parse_repo
from nichegraph.loader.sources import FolderSource
from nichegraph.loader.summary import RepoFailure
from tests.conftest import TOP300
from tests.unit.unreadable_source import source_with_unreadable_file

# vite is far the largest: the byte-balanced split puts it alone or nearly so; the small ones
# share developers with it and with each other
REPOS = [
    "JacksonKearl/testissues",
    "freddier/hyperblog",
    "vitejs/vite",
    "helium/denylist",
    "element-fi/elf-council-frontend",
]


def rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))[1:]


def contributions(folder: Path, files: list[Path]) -> list[tuple[str, ...]]:
    return sorted(tuple(row) for path in files for row in rows(path))


def test_shares_are_consecutive_runs_covering_every_repository_once() -> None:
    runs = shares(FolderSource(TOP300), [*REPOS, "nobody/nothing"], 2)
    assert len(runs) == 2
    assert [pair for run in runs for pair in run] == list(enumerate([*REPOS, "nobody/nothing"]))
    assert shares(FolderSource(TOP300), REPOS[:1], 2) == [[(0, REPOS[0])]]


def test_worker_processes_write_what_one_process_writes(tmp_path: Path) -> None:
    source = FolderSource(TOP300)
    one = ImportFiles(tmp_path / "one")
    for name in REPOS:
        one.add_repo(parse_repo(name, source.read(name)))
    one_spec = one.finish()

    many = ImportFiles(tmp_path / "many")
    parsed = ParallelParse(source, REPOS, None, many.folder, workers=2)
    items = list(parsed)
    assert sorted(index for index, _item in items) == list(range(len(REPOS)))
    assert all(isinstance(item, RepoRecord) for _index, item in items) and parsed.error is None
    assert len(parsed.parts) == 2
    for _index, item in items:
        many.add_record(item)  # type: ignore[arg-type]
    for part in parsed.parts:
        many.add_part(part)
    many_spec = many.finish()

    assert (many_spec.node_count, many_spec.relationship_count) == (one_spec.node_count, one_spec.relationship_count)
    # developers: same IDs, display logins and order of first appearance
    assert rows(many.folder / "developers.csv") == rows(one.folder / "developers.csv")
    one_parts = [path for kind, path in one_spec.relationships if kind == "CONTRIBUTED"]
    many_parts = [path for kind, path in many_spec.relationships if kind == "CONTRIBUTED"]
    assert len(many_parts) == 2
    assert contributions(many.folder, many_parts) == contributions(one.folder, one_parts)
    for name in ("repos-0.csv", "has_month.csv"):
        assert rows(many.folder / name) == rows(one.folder / name)


def test_a_bad_repository_is_named_and_the_others_still_parse(tmp_path: Path) -> None:
    parsed = ParallelParse(FolderSource(TOP300), [REPOS[0], "nobody/nothing"], None, tmp_path)
    items = dict(parsed)
    assert isinstance(items[0], RepoRecord) and isinstance(items[1], RepoFailure)
    assert "nobody/nothing" in items[1].message and parsed.error is None


def test_a_file_that_cannot_be_read_stops_the_run_with_its_name(tmp_path: Path) -> None:
    root = tmp_path / "source"
    unreadable = source_with_unreadable_file(root, REPOS, REPOS[3])
    (tmp_path / "out").mkdir()
    parsed = ParallelParse(FolderSource(root), REPOS, None, tmp_path / "out", workers=2)
    list(parsed)
    assert parsed.error is not None
    assert str(unreadable) in parsed.error and "IsADirectoryError" in parsed.error
    assert "after 3 of 5 repositories" in parsed.error  # the ones requested before it


def test_developer_ids_fit_the_importer_and_collisions_are_refused() -> None:
    ids = {developer_id(f"dev{number}") for number in range(10_000)}
    assert len(ids) == 10_000 and max(ids) < 2**56 and min(ids) >= 0
    assert developer_id("ezyang") == developer_id("ezyang")
    check_unique_ids({"a": (1, "a", "2022-01", False), "b": (2, "b", "2022-01", False)})
    with pytest.raises(NichegraphError, match="'a' and 'b' have the same importer ID 7"):
        check_unique_ids({"a": (7, "a", "2022-01", False), "b": (7, "b", "2022-01", False)})


def test_a_worker_that_hashes_unlike_its_parent_stops_the_run(tmp_path: Path) -> None:
    # a process spawned rather than forked keys its string hash afresh: its developer IDs would
    # not match the other parts', so it must refuse before writing anything
    out = multiprocessing.get_context("fork").Queue()
    share = [(0, REPOS[0])]
    _work(0, FolderSource(TOP300), share, None, tmp_path / "c.csv", out, multiprocessing.Event(), hash(HASH_PROBE) ^ 1)
    done = out.get(timeout=10)
    assert isinstance(done, _PartDone) and done.part.rows == 0
    assert done.error is not None and "hashes strings unlike its parent" in done.error[1]
