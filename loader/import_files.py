"""CSV files for Neo4j's offline importer holding exactly what the incremental path writes.

The same parsed `RepoData` becomes the same nodes, relationships and properties as
`writes.write_repo` and the developer stage produce (docs/model.md), with the same property
types: a column has one type per file, so nodes whose values differ in type (OpenDigger
writes `3` in one month and `3.5` in another) go to separate files with their own header.

Nodes are identified by integers, numbered per label (`--id-type=integer`): the importer maps
integers far faster than strings (it sorts and checks every string ID for collisions), and the
files are smaller. The keys the graph stores (`Repo.name`, `Developer.key`) are ordinary columns.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from nichegraph.loader.opendigger import RepoData, better_display
from nichegraph.loader.writes import month_rows
from nichegraph.offline_import import ImportInput

# Python value type -> importer column type
COLUMN_TYPES: dict[type, str] = {str: "string", bool: "boolean", int: "long", float: "double"}
ARRAY_DELIMITER = ";"
NEEDS_QUOTES = frozenset(',"\n\r;')


def csv_field(text: str) -> str:
    """One string field as the importer reads it (RFC 4180 quotes only where needed)."""
    if NEEDS_QUOTES.isdisjoint(text):
        return text
    return '"' + text.replace('"', '""') + '"'


def any_needs_quotes(texts: Iterable[str]) -> bool:
    """Whether any of many strings needs quotes: one pass in C instead of a call per string."""
    return not NEEDS_QUOTES.isdisjoint("".join(texts))


def column_type(value: Any) -> str:
    """The importer type of a property value: string, long, double, boolean, datetime, arrays."""
    if isinstance(value, list | tuple):
        types = {column_type(item) for item in value}
        if len(types) > 1:
            raise ValueError(f"mixed array {value!r} cannot be imported")
        return f"{types.pop() if types else 'string'}[]"
    if hasattr(value, "iso_format") or isinstance(value, datetime):
        return "datetime"
    if type(value) not in COLUMN_TYPES:
        raise ValueError(f"value {value!r} of type {type(value).__name__} cannot be imported")
    return COLUMN_TYPES[type(value)]


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ARRAY_DELIMITER.join(cell(item) for item in value)
    if hasattr(value, "iso_format"):  # neo4j.time.DateTime, as read from the database
        return value.iso_format()
    if isinstance(value, datetime):
        return value.isoformat()
    return repr(value) if isinstance(value, float) else str(value)


def typed_groups(rows: Iterable[dict[str, Any]]) -> list[tuple[dict[str, str], list[dict[str, Any]]]]:
    """Split rows into groups in which every property has one type (absent ones aside)."""
    groups: list[tuple[dict[str, str], list[dict[str, Any]]]] = []
    for row in rows:
        types = {name: column_type(value) for name, value in row.items() if value is not None}
        for columns, members in groups:
            if all(columns.get(name, kind) == kind for name, kind in types.items()):
                columns.update(types)
                members.append(row)
                break
        else:
            groups.append((dict(types), [row]))
    return groups


def write_nodes(folder: Path, stem: str, label: str, rows: list[dict[str, Any]]) -> list[Path]:
    """Node files for `rows` (property maps), each with an "_id" entry: its integer importer ID
    within `label`, not stored."""
    paths = []
    for number, (columns, members) in enumerate(typed_groups(rows)):
        names = sorted(name for name in columns if name != "_id")
        path = folder / f"{stem}-{number}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([f":ID({label})", *[f"{name}:{columns[name]}" for name in names]])
            writer.writerows([member["_id"], *[cell(member.get(name)) for name in names]] for member in members)
        paths.append(path)
    return paths


class ImportFiles:
    """Collects parsed repositories into import files; `finish` writes the rest and says
    what the importer must read and produce."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.contributed_path = folder / "contributed.csv"
        self.has_month_path = folder / "has_month.csv"
        # contributions stream to disk as they come: they are 2.2 million of the 3 million rows
        self._contributed = self.contributed_path.open("w", encoding="utf-8", newline="", buffering=1 << 20)
        self._contributed.write(":START_ID(Developer),month,activity:double,:END_ID(Repo)\n")
        self._has_month = self.has_month_path.open("w", encoding="utf-8", newline="", buffering=1 << 18)
        self._has_month.write(":START_ID(Repo),:END_ID(RepoMonth)\n")
        self.repos: list[dict[str, Any]] = []  # a repository's importer ID is its index here
        self.months: list[dict[str, Any]] = []
        # key -> (importer ID, login, loginMonth, isBot); IDs in the order developers first appear
        self.developers: dict[str, tuple[int, str, str, bool]] = {}
        self.other_nodes: dict[str, list[dict[str, Any]]] = {}
        self.contributions = 0

    def add_repo(self, data: RepoData) -> None:
        """Everything the incremental path writes for a repository loaded for the first time."""
        repo_id = len(self.repos)
        self.repos.append(
            {
                "_id": repo_id,
                "name": data.name,
                "owner": data.owner,
                "nameLower": data.name.lower(),
                "openDiggerUpdatedAt": data.updated_at,
            }
        )
        for row in month_rows(data, set(data.month_hashes)):
            self._has_month.write(f"{repo_id},{len(self.months)}\n")
            self.months.append({"_id": len(self.months), **row["props"]})
        self._add_developers(data)
        self._write_contributions(data, f",{repo_id}\n")

    def _add_developers(self, data: RepoData) -> None:
        developers = self.developers
        for key, (login, month, bot) in data.developers.items():
            seen = developers.get(key)
            if seen is None:
                developers[key] = (len(developers), login, month, bot)
            elif better_display(login, month, seen[1], seen[2]):
                developers[key] = (seen[0], login, month, bot)

    def _write_contributions(self, data: RepoData, suffix: str) -> None:
        contributions = data.contributions
        developers = self.developers
        ids = [developers[key][0] for key in contributions.keys]
        # one flat comprehension per repository (a quarter faster than one per developer);
        # repr: the shortest text that reads back as the same double
        lines = [
            f"{developer},{month},{value!r}{suffix}"
            for developer, months, activity in zip(ids, contributions.months, contributions.activity, strict=True)
            for month, value in zip(months, activity, strict=True)
        ]
        self._contributed.write("".join(lines))
        self.contributions += len(contributions)

    def add_node(self, label: str, properties: dict[str, Any]) -> None:
        """A node of its own (a load record, the writer lock), with its properties' own types."""
        self.other_nodes.setdefault(label, []).append(properties)

    def finish(self) -> ImportInput:
        self._contributed.close()
        self._has_month.close()
        nodes = [("Repo", path) for path in write_nodes(self.folder, "repos", "Repo", self.repos)]
        nodes += [("RepoMonth", path) for path in write_nodes(self.folder, "months", "RepoMonth", self.months)]
        nodes.append(("Developer", self._write_developers()))
        others = 0
        for label, rows in self.other_nodes.items():
            numbered = [{"_id": number, **row} for number, row in enumerate(rows)]
            nodes += [(label, path) for path in write_nodes(self.folder, label.lower(), label, numbered)]
            others += len(rows)
        return ImportInput(
            nodes=nodes,
            relationships=[("CONTRIBUTED", self.contributed_path), ("HAS_MONTH", self.has_month_path)],
            node_count=len(self.repos) + len(self.months) + len(self.developers) + others,
            relationship_count=self.contributions + len(self.months),
        )

    def _write_developers(self) -> Path:
        path = self.folder / "developers.csv"
        developers = self.developers
        logins = (login for _id, login, _month, _bot in developers.values())
        quote = csv_field if any_needs_quotes(developers) or any_needs_quotes(logins) else str
        with path.open("w", encoding="utf-8", newline="", buffering=1 << 20) as handle:
            handle.write(":ID(Developer),key,login,loginMonth,isBot:boolean\n")
            handle.writelines(
                f"{number},{quote(key)},{quote(login)},{month},{'true' if bot else 'false'}\n"
                for key, (number, login, month, bot) in developers.items()
            )
        return path
