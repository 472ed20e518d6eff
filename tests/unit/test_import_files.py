"""The bulk path's import files (loader/import_files.py): real repositories parsed from the
shared data, read back with the standard csv module and compared with what the parser holds."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

from nichegraph.loader.import_files import ImportFiles, cell, column_type, csv_field, typed_groups, write_nodes
from nichegraph.loader.opendigger import parse_repo
from nichegraph.loader.sources import FolderSource
from nichegraph.offline_import import ImportInput
from tests.conftest import TOP300

# vitejs/vite has the October 2021 "-raw" month, whose interpolated OpenRank and activity
# OpenDigger writes as whole numbers (213) where every other month has decimals; the two small
# repositories share developers with it
REPOS = ["vitejs/vite", "JacksonKearl/testissues", "freddier/hyperblog"]


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def parsed() -> list:  # type: ignore[type-arg]
    source = FolderSource(TOP300)
    return [parse_repo(name, source.read(name)) for name in REPOS]


def test_fields_are_quoted_only_where_the_importer_needs_it() -> None:
    assert csv_field("ezyang") == "ezyang"
    assert csv_field('a,"b"') == '"a,""b"""'
    assert csv_field("x;y") == '"x;y"'  # ; separates array elements


def test_cells_and_types_keep_what_the_incremental_path_stores() -> None:
    assert [column_type(value) for value in (3, 3.5, True, "x")] == ["long", "double", "boolean", "string"]
    assert column_type(["a/b", "c/d"]) == "string[]" and cell(["a/b", "c/d"]) == "a/b;c/d"
    assert cell(0.1 + 0.2) == repr(0.1 + 0.2) and float(cell(0.1 + 0.2)) == 0.1 + 0.2
    assert cell(True) == "true" and cell(None) == ""
    when = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)
    assert column_type(when) == "datetime" and cell(when) == "2026-12-01T10:30:00+00:00"


def test_rows_whose_values_differ_in_type_go_to_different_groups() -> None:
    rows = [{"openrank": 3, "stars": 1}, {"openrank": 3.5}, {"openrank": 2, "busFactor": 4}, {"stars": 2}]
    groups = typed_groups(rows)
    assert [members for _columns, members in groups] == [[rows[0], rows[2], rows[3]], [rows[1]]]
    assert groups[0][0] == {"openrank": "long", "stars": "long", "busFactor": "long"}
    assert groups[1][0] == {"openrank": "double"}


def test_node_files_carry_an_id_and_leave_absent_properties_empty(tmp_path: Path) -> None:
    paths = write_nodes(tmp_path, "m", [{"_id": 0, "x": 1}, {"_id": 1, "y": "s"}])
    header, rows = read_rows(paths[0])
    assert header == [":ID", "x:long", "y:string"]
    assert rows == [["0", "1", ""], ["1", "", "s"]]


def node_ids(spec: ImportInput, label: str, key: str) -> dict[str, str]:
    """Importer ID -> the node's `key` property, over every file of `label` (IDs unique)."""
    ids: dict[str, str] = {}
    for path in (path for node_label, path in spec.nodes if node_label == label):
        header, rows = read_rows(path)
        column = [name.split(":")[0] for name in header].index(key)
        for row in rows:
            assert row[0].isdigit() and row[0] not in ids
            ids[row[0]] = row[column]
    return ids


def test_import_files_hold_every_row_node_and_display_login(tmp_path: Path) -> None:
    data = parsed()
    files = ImportFiles(tmp_path, repo_slots=len(data))
    for repo in data:
        files.add_repo(repo)
    spec = files.finish()

    developer_keys, repo_names = node_ids(spec, "Developer", "key"), node_ids(spec, "Repo", "name")
    assert sorted(repo_names.values()) == sorted(REPOS)
    header, rows = read_rows(tmp_path / "contributed.csv")
    assert header == [":START_ID", "month", "activity:double", ":END_ID"]
    expected = {(k, r.name, m): a for r in data for k, m, a in r.contributions.rows()}
    assert {(developer_keys[k], repo_names[repo], m): float(a) for k, m, a, repo in rows} == expected
    assert len(rows) == len(expected) == spec.relationship_count - sum(len(r.month_hashes) for r in data)

    header, rows = read_rows(tmp_path / "developers.csv")
    assert header == [":ID", "key", "login", "loginMonth", "isBot:boolean"]
    assert [int(row[0]) for row in rows] == sorted(int(row[0]) for row in rows), "in node ID order"
    developers = {key: (login, month, bot) for _id, key, login, month, bot in rows}
    assert developers.keys() == {key for r in data for key in r.developers}
    for key, (login, month, _bot) in developers.items():
        # the casing of the latest month over all repositories (the smallest on a tie)
        seen = [r.developers[key][:2] for r in data if key in r.developers]
        latest = max(m for _l, m in seen)
        assert (login, month) == (min(lo for lo, m in seen if m == latest), latest)

    month_files = [path for label, path in spec.nodes if label == "RepoMonth"]
    assert len(month_files) >= 2, "vite's whole-number October 2021 OpenRank needs a file of its own"
    stored = {}
    for path in month_files:
        header, rows = read_rows(path)
        for row in rows:
            props = {h.split(":")[0]: v for h, v in zip(header[1:], row[1:], strict=True) if v != ""}
            stored[row[0]] = props
    october = next(p for p in stored.values() if (p["repo"], p["month"]) == ("vitejs/vite", "2021-10"))
    assert october["interpolated"] == "true" and "openrankRaw" in october and october["hash"]
    assert spec.node_count == len(developers) + len(REPOS) + len(stored)
    # actual node IDs: one numbering over every label, repositories first in the requested order
    every_id = [*repo_names, *developer_keys, *stored]
    assert sorted(int(number) for number in every_id) == list(range(spec.node_count))
    assert [repo_names[str(index)] for index in range(len(REPOS))] == REPOS
    # every month hangs off its own repository
    _header, links = read_rows(tmp_path / "has_month.csv")
    assert sorted(stored) == sorted(month for _repo, month in links)
    assert all(repo_names[repo] == stored[month]["repo"] for repo, month in links)


def test_logins_the_importer_would_misread_are_quoted(tmp_path: Path) -> None:
    """OpenDigger's logins are plain, but the parser accepts any printable text: a comma or a
    quote must not shift the columns."""
    details = b'{"2022-01": [["we\\"ird,one", 2.0], ["plain", 1.0]], "2022-02": [["We\\"ird,One", 3.0]]}'
    data = parse_repo("hand/made", {"activity_details": details})
    files = ImportFiles(tmp_path, repo_slots=1)
    files.add_repo(data)
    spec = files.finish()
    keys = node_ids(spec, "Developer", "key")
    _header, rows = read_rows(tmp_path / "contributed.csv")
    assert sorted([keys[key], *rest] for key, *rest in rows) == [
        ["plain", "2022-01", "1.0", "0"],
        ['we"ird,one', "2022-01", "2.0", "0"],
        ['we"ird,one', "2022-02", "3.0", "0"],
    ]
    _header, rows = read_rows(tmp_path / "developers.csv")
    assert sorted(row[1:] for row in rows) == [
        ["plain", "plain", "2022-01", "false"],
        ['we"ird,one', 'We"ird,One', "2022-02", "false"],
    ]
