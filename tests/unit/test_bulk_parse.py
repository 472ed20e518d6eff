"""Parsing for the bulk path in worker processes (loader/bulk_parse.py): real repositories from
the shared data split over processes give the same import files as one process writing them
all, and a file that cannot be read stops the run naming it."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from nichegraph.loader.bulk_parse import ParallelParse, shares
from nichegraph.loader.import_files import DeveloperNumbers, ImportFiles, RepoRecord
from nichegraph.loader.opendigger import parse_repo
from nichegraph.loader.sources import FolderSource
from nichegraph.loader.summary import RepoFailure
from nichegraph.offline_import import ImportInput
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


def by_keys(spec: ImportInput) -> dict[str, Any]:
    """The files' graph with node IDs replaced by the nodes' keys (developer key, repository
    name, repository and month), and every node ID checked to be used once."""
    keys: dict[str, tuple[str, ...]] = {}
    nodes: dict[str, list[tuple[str, ...]]] = {}
    for label, path in spec.nodes:
        with path.open(newline="", encoding="utf-8") as handle:
            header, *body = list(csv.reader(handle))
        names = [name.split(":")[0] for name in header]
        for row in body:
            props = dict(zip(names[1:], row[1:], strict=True))
            key = {"Developer": ("key",), "Repo": ("name",), "RepoMonth": ("repo", "month")}[label]
            assert row[0] not in keys, f"node ID {row[0]} used twice"
            keys[row[0]] = tuple(props[name] for name in key)
            nodes.setdefault(label, []).append(tuple(sorted(props.items())))
    relationships = {
        kind: sorted((keys[start], *middle, keys[end]) for start, *middle, end in rows(path))
        for kind, path in spec.relationships
        if kind != "CONTRIBUTED"
    }
    contributed = [path for kind, path in spec.relationships if kind == "CONTRIBUTED"]
    relationships["CONTRIBUTED"] = sorted(
        (keys[start], *middle, keys[end]) for path in contributed for start, *middle, end in rows(path)
    )
    assert sorted(int(number) for number in keys) == list(range(len(keys))), "node IDs are dense"
    return {"nodes": {label: sorted(rows) for label, rows in nodes.items()}, "relationships": relationships}


def test_shares_are_consecutive_runs_covering_every_repository_once() -> None:
    runs = shares(FolderSource(TOP300), [*REPOS, "nobody/nothing"], 2)
    assert len(runs) == 2
    assert [pair for run in runs for pair in run] == list(enumerate([*REPOS, "nobody/nothing"]))
    assert shares(FolderSource(TOP300), REPOS[:1], 2) == [[(0, REPOS[0])]]


def test_worker_processes_write_what_one_process_writes(tmp_path: Path) -> None:
    source = FolderSource(TOP300)
    one = ImportFiles(tmp_path / "one", repo_slots=len(REPOS))
    for name in REPOS:
        one.add_repo(parse_repo(name, source.read(name)))
    one_spec = one.finish()

    many = ImportFiles(tmp_path / "many", repo_slots=len(REPOS))
    parsed = ParallelParse(source, REPOS, None, many.folder, many.number_developers, workers=2)
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
    assert len([path for kind, path in many_spec.relationships if kind == "CONTRIBUTED"]) == 2
    # the same nodes, properties and relationships, whichever process numbered a developer first
    assert by_keys(many_spec) == by_keys(one_spec)


def test_developers_are_numbered_densely_once_each() -> None:
    numbers = DeveloperNumbers(first=5)
    assert numbers(["a", "b", "a"]) == [5, 6, 5]
    assert numbers(["c", "b"]) == [7, 6]
    assert numbers.next_free == 8 and numbers([]) == []


def test_a_bad_repository_is_named_and_the_others_still_parse(tmp_path: Path) -> None:
    numbers = DeveloperNumbers(first=2)
    parsed = ParallelParse(FolderSource(TOP300), [REPOS[0], "nobody/nothing"], None, tmp_path, numbers)
    items = dict(parsed)
    assert isinstance(items[0], RepoRecord) and isinstance(items[1], RepoFailure)
    assert "nobody/nothing" in items[1].message and parsed.error is None
    # only the good repository's developers were numbered, each once
    assert numbers.next_free - 2 == len({key for part in parsed.parts for key in part.developers}) > 0


def test_a_file_that_cannot_be_read_stops_the_run_with_its_name(tmp_path: Path) -> None:
    root = tmp_path / "source"
    unreadable = source_with_unreadable_file(root, REPOS, REPOS[3])
    (tmp_path / "out").mkdir()
    parsed = ParallelParse(FolderSource(root), REPOS, None, tmp_path / "out", DeveloperNumbers(5), workers=2)
    list(parsed)
    assert parsed.error is not None
    assert str(unreadable) in parsed.error and "IsADirectoryError" in parsed.error
    assert "after 3 of 5 repositories" in parsed.error  # the ones requested before it
