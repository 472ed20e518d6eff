"""GitHub's descriptive fields of a repository, from a metadata CSV or from a REST answer.

Nothing here talks to Neo4j or the network: a CSV file becomes `RepoMetadata` records (or
the list of its bad rows, each naming the file and line), a `GET /repos/{owner}/{repo}`
answer becomes one record. A field the source does not give is None, and is stored as an
absent property: never an empty string, never a default.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from nichegraph.errors import BadParameter, NichegraphError
from nichegraph.names import REPO_NAME
from nichegraph.repo_metadata import (
    FIELD_COLUMNS,
    FIELD_PROPERTIES,
    GITHUB_API_SOURCE,
    METADATA_FIELDS,
    BadProvenance,
    format_provenance,
    parse_provenance,
)

FILE_COLUMNS = ("repo", *FIELD_COLUMNS, "source")
# GitHub's own rule for topics: lower-case letters, digits and hyphens, at most 50 characters
TOPIC = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))?$")
BOOLEANS = {"true": True, "false": False}


class BadMetadata(NichegraphError):
    """A metadata value, row or file that cannot be loaded; the message says where."""


@dataclass(frozen=True)
class RepoMetadata:
    """One repository's fields (FIELD_PROPERTIES -> value or None) and their provenance."""

    repo: str
    fields: dict[str, Any]
    provenance: str | None = None

    def present(self) -> list[str]:
        return [name for name in FIELD_PROPERTIES if self.fields.get(name) is not None]


@dataclass
class MetadataFile:
    path: Path
    records: list[RepoMetadata] = field(default_factory=list)
    bad_rows: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.bad_rows


# --- values ---------------------------------------------------------------------------


def text_value(value: str) -> str | None:
    value = value.strip()
    return value or None


def boolean_value(value: str, what: str) -> bool | None:
    value = value.strip()
    if not value:
        return None
    if value.lower() not in BOOLEANS:
        raise BadMetadata(f"{what} {value!r} is not true or false")
    return BOOLEANS[value.lower()]


def created_value(value: str, what: str) -> str | None:
    """An ISO 8601 date or UTC/offset date-time, kept as written once checked to be a real one."""
    value = value.strip()
    if not value:
        return None
    if not ISO_DATE.match(value):
        raise BadMetadata(f"{what} {value!r} is not an ISO 8601 date (2016-08-13 or 2016-08-13T05:26:41Z)")
    try:
        datetime.fromisoformat(value)
    except ValueError as error:
        raise BadMetadata(f"{what} {value!r} is not a real date ({error})") from error
    return value


def topics_value(topics: list[str], what: str) -> list[str] | None:
    for topic in topics:
        if not TOPIC.match(topic):
            raise BadMetadata(
                f"{what}: {topic!r} is not a GitHub topic (lower-case letters, digits and hyphens; "
                "separate topics with |)"
            )
    return list(dict.fromkeys(topics)) or None


# --- the metadata CSV -----------------------------------------------------------------


def csv_record(row: dict[str, str], where: str) -> RepoMetadata:
    """One row of the metadata CSV (columns FILE_COLUMNS) as a record; BadMetadata names the cell."""
    repo = row["repo"].strip()
    if not REPO_NAME.match(repo):
        raise BadMetadata(f"{where}: repo {repo!r} is not owner/repo")
    topics = row["topics"].strip()
    try:
        provenance = parse_provenance(row["source"])
    except BadProvenance as error:
        raise BadMetadata(f"{where}: source: {error}") from error
    fields = {
        "description": text_value(row["description"]),
        "language": text_value(row["language"]),
        "topics": topics_value([t.strip() for t in topics.split("|")], f"{where}: topics") if topics else None,
        "license": text_value(row["license"]),
        "archived": boolean_value(row["archived"], f"{where}: archived"),
        "createdAt": created_value(row["created_at"], f"{where}: created_at"),
        "homepage": text_value(row["homepage"]),
    }
    return RepoMetadata(repo, fields, format_provenance(provenance) or None)


def check_header(header: list[str] | None, path: Path) -> list[str]:
    if not header:
        raise BadMetadata(f"{path} line 1: empty file; expected the header {','.join(FILE_COLUMNS)}")
    columns = [column.strip() for column in header]
    missing = [column for column in FILE_COLUMNS if column not in columns]
    unknown = [column for column in columns if column not in FILE_COLUMNS]
    repeated = sorted({column for column in columns if columns.count(column) > 1})
    if missing or unknown or repeated:
        problems = [
            f"{label} {', '.join(names)}"
            for label, names in (("missing", missing), ("unknown", unknown), ("repeated", repeated))
            if names
        ]
        raise BadMetadata(
            f"{path} line 1: unknown column set ({'; '.join(problems)}); "
            f"a metadata file has the columns {','.join(FILE_COLUMNS)}"
        )
    return columns


def decode_file(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise BadMetadata(f"{path} line {line}: not UTF-8 text ({error.reason} at byte {error.start})") from error


def read_metadata_file(path: Path) -> MetadataFile:
    """Every row checked before anything is written: the records, or the bad rows by line."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BadParameter(f"--file: cannot read {path}: {error.strerror or error}") from error
    reader = csv.reader(io.StringIO(decode_file(data, path), newline=""), strict=True)
    result = MetadataFile(path)
    try:
        columns = check_header(next(reader, None), path)
        first_line = {}  # lower-cased name -> line, to name both lines of a repeated repository
        line = reader.line_num + 1
        for cells in reader:
            if cells:
                _read_row(result, columns, cells, f"{path} line {line}", first_line, line)
            line = reader.line_num + 1
    except csv.Error as error:
        result.bad_rows.append(f"{path} line {reader.line_num}: malformed CSV ({error}); the rest is not read")
    return result


def _read_row(
    result: MetadataFile, columns: list[str], cells: list[str], where: str, first_line: dict[str, int], line: int
) -> None:
    if len(cells) != len(columns):
        result.bad_rows.append(
            f"{where}: {len(cells)} fields where the header has {len(columns)} (an unquoted comma or a missing one?)"
        )
        return
    try:
        record = csv_record(dict(zip(columns, cells, strict=True)), where)
    except BadMetadata as error:
        result.bad_rows.append(str(error))
        return
    key = record.repo.lower()
    if key in first_line:
        result.bad_rows.append(f"{where}: {record.repo} is listed twice (first on line {first_line[key]})")
        return
    first_line[key] = line
    result.records.append(record)


# --- GitHub's REST answer -------------------------------------------------------------


@dataclass(frozen=True)
class ApiRepo:
    record: RepoMetadata
    full_name: str  # the name GitHub gives today (another one after a rename or a transfer)


def _typed(document: dict[str, Any], key: str, kind: type, what: str) -> Any:
    value = document.get(key)
    if value is not None and not isinstance(value, kind):
        raise BadMetadata(f"{what}: {key} is a {type(value).__name__}, not a {kind.__name__}")
    return value


def license_value(value: Any, what: str) -> str | None:
    """The SPDX id when GitHub recognises the licence, else its name (GitHub says "Other")."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BadMetadata(f"{what}: license is {type(value).__name__}, not an object")
    spdx = value.get("spdx_id")
    if isinstance(spdx, str) and spdx.strip() and spdx != "NOASSERTION":
        return spdx.strip()
    name = value.get("name")
    if not isinstance(name, str):
        return None
    return name.strip() or None


def api_record(requested: str, document: Any, fetched_on: str) -> ApiRepo:
    """A `GET /repos/{owner}/{repo}` answer (decoded JSON) as a record for `requested`;
    `fetched_on` (YYYY-MM-DD) dates each field's provenance."""
    what = f"{requested}: GitHub's answer"
    if not isinstance(document, dict) or not isinstance(document.get("full_name"), str):
        raise BadMetadata(f"{what} is not a repository (no full_name)")
    full_name = document["full_name"]
    if not REPO_NAME.match(full_name):
        raise BadMetadata(f"{what}: full_name {full_name!r} is not owner/repo")
    topics = _typed(document, "topics", list, what)
    if topics is not None and not all(isinstance(topic, str) for topic in topics):
        raise BadMetadata(f"{what}: topics is not a list of strings")
    created = _typed(document, "created_at", str, what)
    fields = {
        "description": text_value(_typed(document, "description", str, what) or ""),
        "language": text_value(_typed(document, "language", str, what) or ""),
        "topics": topics_value(topics, f"{what}: topics") if topics else None,
        "license": license_value(document.get("license"), what),
        "archived": _typed(document, "archived", bool, what),
        "createdAt": created_value(created, f"{what}: created_at") if created else None,
        "homepage": text_value(_typed(document, "homepage", str, what) or ""),
    }
    source = f"{GITHUB_API_SOURCE}@{fetched_on}"
    sources = {spec.column: source for spec in METADATA_FIELDS if fields[spec.property] is not None}
    return ApiRepo(RepoMetadata(requested, fields, format_provenance(sources) or None), full_name)
