"""CSV files for Neo4j's offline importer holding exactly what the incremental path writes.

The same parsed `RepoData` becomes the same nodes, relationships and properties as
`writes.write_repo` and the developer stage produce (docs/model.md), with the same property
types: a column has one type per file, so nodes whose values differ in type (OpenDigger
writes `3` in one month and `3.5` in another) go to separate files with their own header.

Nodes are identified by their actual node IDs (`--id-type=actual`): the importer then maps no
IDs at all (with integer IDs per label it sorted 760,000 IDs and looked up both ends of 2.2
million relationships: a third of its time). IDs are dense and global: repositories first (a
repository's is its place in the requested list), then developers in the order they are first
asked for (`DeveloperNumbers`, one table in the main process that every process writing a
contribution file asks, `ContributionPart`), then months and the other nodes. The keys the graph
stores (`Repo.name`, `Developer.key`) are ordinary columns.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
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
CONTRIBUTED_HEADER = ":START_ID,month,activity:double,:END_ID\n"
# developer key -> (node ID, login, loginMonth, isBot)
Developers = dict[str, tuple[int, str, str, bool]]
NumberDevelopers = Callable[[list[str]], list[int]]


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


def write_nodes(folder: Path, stem: str, rows: list[dict[str, Any]]) -> list[Path]:
    """Node files for `rows` (property maps), each with an "_id" entry: its node ID, not a
    property."""
    paths = []
    for number, (columns, members) in enumerate(typed_groups(rows)):
        names = sorted(name for name in columns if name != "_id")
        path = folder / f"{stem}-{number}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([":ID", *[f"{name}:{columns[name]}" for name in names]])
            writer.writerows([member["_id"], *[cell(member.get(name)) for name in names]] for member in members)
        paths.append(path)
    return paths


class DeveloperNumbers:
    """Developers' node IDs, dense from `first` in the order they are first asked for. One table
    (in the main process) numbers every process's developers, so a developer met by two parsing
    processes is one node, and no two developers share an ID."""

    def __init__(self, first: int) -> None:
        self.first = first
        self.ids: dict[str, int] = {}

    def __call__(self, keys: list[str]) -> list[int]:
        ids, numbers = self.ids, []
        for key in keys:
            number = ids.get(key)
            if number is None:
                number = ids[key] = self.first + len(ids)
            numbers.append(number)
        return numbers

    @property
    def next_free(self) -> int:
        return self.first + len(self.ids)


def merge_developers(into: Developers, table: Developers) -> None:
    """Merge `table` into `into`, keeping the display login `better_display` chooses (an
    order-free rule, so tables merge in any grouping)."""
    for key, entry in table.items():
        seen = into.get(key)
        if seen is None or better_display(entry[1], entry[2], seen[1], seen[2]):
            into[key] = entry


@dataclass(frozen=True)
class RepoRecord:
    """What the main process needs of a parsed repository once its contributions are written:
    the Repo node, its months and the summary's counts."""

    index: int  # position in the requested list: the Repo's importer ID
    name: str
    updated_at: int | None
    months: list[dict[str, Any]]
    rows_in: int
    contributions: int
    merged_repeats: int
    skipped_aggregate_keys: int

    @classmethod
    def of(cls, index: int, data: RepoData) -> RepoRecord:
        return cls(
            index=index,
            name=data.name,
            updated_at=data.updated_at,
            months=[row["props"] for row in month_rows(data, set(data.month_hashes))],
            rows_in=data.rows_in,
            contributions=len(data.contributions),
            merged_repeats=data.merged_repeats,
            skipped_aggregate_keys=data.skipped_aggregate_keys,
        )


@dataclass
class ContributionPart:
    """One CONTRIBUTED file and the developers it names, written by one process."""

    path: Path
    number_developers: NumberDevelopers  # the keys' node IDs, from the one DeveloperNumbers
    developers: Developers = field(default_factory=dict)
    rows: int = 0

    def __post_init__(self) -> None:
        # contributions stream to disk as they come: they are 2.2 million of the 3 million rows
        self._out = self.path.open("w", encoding="utf-8", newline="", buffering=1 << 20)
        self._out.write(CONTRIBUTED_HEADER)

    def add(self, data: RepoData, repo_id: int) -> None:
        developers, new = self.developers, []
        for key, (login, month, bot) in data.developers.items():
            seen = developers.get(key)
            if seen is None:
                new.append(key)
            elif better_display(login, month, seen[1], seen[2]):
                developers[key] = (seen[0], login, month, bot)
        if new:  # asked once per repository: in a parsing process, a message to the main one
            for key, number in zip(new, self.number_developers(new), strict=True):
                developers[key] = (number, *data.developers[key])
        contributions = data.contributions
        ids = [str(developers[key][0]) for key in contributions.keys]
        suffix = f",{repo_id}\n"
        # one flat comprehension per repository (a quarter faster than one per developer; the
        # IDs as text once per developer, not once per row); repr: the shortest text that reads
        # back as the same double
        lines = [
            f"{developer},{month},{value!r}{suffix}"
            for developer, months, activity in zip(ids, contributions.months, contributions.activity, strict=True)
            for month, value in zip(months, activity, strict=True)
        ]
        self._out.write("".join(lines))
        self.rows += len(contributions)

    def close(self) -> None:
        self._out.close()

    def __getstate__(self) -> dict[str, Any]:
        # a finished part travels back to the main process without its (closed) file and numbering
        return {"path": self.path, "developers": self.developers, "rows": self.rows}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, number_developers=_numbered_already)


class ImportFiles:
    """Collects parsed repositories into import files; `finish` writes the rest and says
    what the importer must read and produce. Contributions are written by `ContributionPart`s,
    in this process (`add_repo`) or in others (`add_record` and `add_part`)."""

    def __init__(self, folder: Path, repo_slots: int) -> None:
        """`repo_slots`: how many repositories were requested (their node IDs come first)."""
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.number_developers = DeveloperNumbers(first=repo_slots)
        self.records: dict[int, RepoRecord] = {}
        self.developers: Developers = {}  # key -> (node ID, login, loginMonth, isBot)
        self.parts: list[Path] = []
        self.other_nodes: dict[str, list[dict[str, Any]]] = {}
        self.contributions = 0
        self._own_part: ContributionPart | None = None

    def add_repo(self, data: RepoData) -> None:
        """Everything the incremental path writes for a repository loaded for the first time."""
        if self._own_part is None:
            self._own_part = ContributionPart(self.folder / "contributed.csv", self.number_developers)
        repo_id = len(self.records)
        if repo_id >= self.number_developers.first:  # developers are numbered from the last repository slot on
            raise ValueError(f"more repositories than the {self.number_developers.first} requested")
        self._own_part.add(data, repo_id)
        self.add_record(RepoRecord.of(repo_id, data))

    def add_record(self, record: RepoRecord) -> None:
        """A repository whose contributions a part holds."""
        self.records[record.index] = record

    def add_part(self, part: ContributionPart) -> None:
        """A finished contribution file; parts covering earlier repositories first, so developers
        keep the order they first appear in."""
        if not self.developers:
            self.developers = part.developers  # the first table as it is: no copy
        else:
            merge_developers(self.developers, part.developers)
        self.parts.append(part.path)
        self.contributions += part.rows

    def add_node(self, label: str, properties: dict[str, Any]) -> None:
        """A node of its own (a load record, the writer lock), with its properties' own types."""
        self.other_nodes.setdefault(label, []).append(properties)

    def finish(self) -> ImportInput:
        if self._own_part is not None:
            self._own_part.close()
            self.add_part(self._own_part)
            self._own_part = None
        repos, months = self._repos_and_months(first_month=self.number_developers.next_free)
        nodes = [("Repo", path) for path in write_nodes(self.folder, "repos", repos)]
        nodes += [("RepoMonth", path) for path in write_nodes(self.folder, "months", months)]
        nodes.append(("Developer", self._write_developers()))
        others, next_id = 0, self.number_developers.next_free + len(months)
        for label, rows in self.other_nodes.items():
            numbered = [{"_id": next_id + number, **row} for number, row in enumerate(rows)]
            nodes += [(label, path) for path in write_nodes(self.folder, label.lower(), numbered)]
            others += len(rows)
            next_id += len(rows)
        return ImportInput(
            nodes=nodes,
            relationships=[
                *[("CONTRIBUTED", path) for path in self.parts],
                ("HAS_MONTH", self.folder / "has_month.csv"),
            ],
            node_count=len(repos) + len(months) + len(self.developers) + others,
            relationship_count=self.contributions + len(months),
        )

    def _repos_and_months(self, first_month: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Repo and RepoMonth rows in the requested order (whatever order parts finished in),
        months numbered from `first_month`, and the HAS_MONTH file linking them."""
        repos: list[dict[str, Any]] = []
        months: list[dict[str, Any]] = []
        with (self.folder / "has_month.csv").open("w", encoding="utf-8", newline="") as links:
            links.write(":START_ID,:END_ID\n")
            for index in sorted(self.records):
                record = self.records[index]
                owner = record.name.split("/", 1)[0]
                repos.append(
                    {
                        "_id": index,
                        "name": record.name,
                        "owner": owner,
                        "nameLower": record.name.lower(),
                        "openDiggerUpdatedAt": record.updated_at,
                    }
                )
                for props in record.months:
                    links.write(f"{index},{first_month + len(months)}\n")
                    months.append({"_id": first_month + len(months), **props})
        return repos, months

    def _write_developers(self) -> Path:
        path = self.folder / "developers.csv"
        developers = self.developers
        logins = (login for _id, login, _month, _bot in developers.values())
        quote = csv_field if any_needs_quotes(developers) or any_needs_quotes(logins) else str
        with path.open("w", encoding="utf-8", newline="", buffering=1 << 20) as handle:
            handle.write(":ID,key,login,loginMonth,isBot:boolean\n")
            handle.writelines(
                f"{number},{quote(key)},{quote(login)},{month},{'true' if bot else 'false'}\n"
                for key, (number, login, month, bot) in self._developers_by_id()
            )
        return path

    def _developers_by_id(self) -> list[tuple[str, tuple[int, str, str, bool]]]:
        """Developers in node ID order: the importer writes nodes given in ID order half again
        as fast (measured: 15-16 s of CPU against 20-29 s for the order workers asked in)."""
        first = self.number_developers.first
        ordered: list[Any] = [None] * (self.number_developers.next_free - first)
        for item in self.developers.items():
            ordered[item[1][0] - first] = item
        return [item for item in ordered if item is not None]


def _numbered_already(keys: list[str]) -> list[int]:
    raise RuntimeError("a finished contribution part numbers no more developers")
