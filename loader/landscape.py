"""Hand-made landscape labels (CSV) as `LandscapeEntry` nodes linked to the repositories.

Three published formats are recognised by their header:
- the 2025 open source LLM landscape (Ant Group / X-lab): repo_name, layer1, layer2,
  layer3, stars, language, created_at, trend, status, openrank_01, openrank_07, delta, ...
- the same report's 2025-05 classification: repo_id, repo_name, classification ("Agent
  Framework - SDK": the domain; the part before " - " is the coarser layer), stars, forks,
  openrank_25, language, created_at, description
- the PyTorch Foundation landscape: name, organization, relation, category, subcategory,
  github_repo, github_stars, ..., 2025_value
and a minimal one of our own: repo, domain[, layer, subdomain].

Every row becomes an entry, also when the repository is not in the graph (it keeps its own
OpenRank figures). Repositories in the graph get `IN_LANDSCAPE` links and the optional
properties `domain` / `domainLayer` / `domainLandscape` (from the first landscape by name,
so the choice does not depend on load order). One file is written in one transaction.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from nichegraph.db import Graph
from nichegraph.errors import BadParameter, NichegraphError
from nichegraph.names import REPO_NAME

GITHUB_URL = re.compile(r"^https?://(?:www\.)?github\.com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git)?/?$")


class BadLandscapeRow(NichegraphError):
    pass


@dataclass
class LandscapeLoad:
    file: Path
    landscape: str
    format: str
    entries: list[dict[str, Any]] = field(default_factory=list)
    bad_rows: list[str] = field(default_factory=list)
    replaced_characters: int = 0
    linked: int = 0

    @property
    def ok(self) -> bool:
        return not self.bad_rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.file),
            "landscape": self.landscape,
            "format": self.format,
            "entries": len(self.entries),
            "linked": self.linked,
            "badRows": self.bad_rows,
            "replacedCharacters": self.replaced_characters,
        }

    def describe(self) -> str:
        lines = [
            f"{self.file}: {len(self.entries)} {self.format} landscape entries as '{self.landscape}'; "
            f"{self.linked} linked to repositories in the graph, "
            f"{len(self.entries) - self.linked} kept as entries only"
        ]
        if self.replaced_characters:
            lines.append(
                f"  {self.replaced_characters} undecodable characters replaced (the file is not valid UTF-8; "
                "read as GB18030)"
            )
        lines += [f"  SKIPPED {problem}" for problem in self.bad_rows]
        return "\n".join(lines)


def decode(data: bytes) -> tuple[str, int]:
    """UTF-8 if it is; otherwise GB18030 (the LLM landscape's Chinese descriptions) with
    undecodable bytes replaced and counted."""
    try:
        return data.decode("utf-8-sig"), 0
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
        return text, text.count("\ufffd")


def number(value: str, where: str, kind: Callable[[str], Any] = float) -> Any:
    value = value.strip()
    if not value or value == "-":
        return None
    try:
        return kind(float(value)) if kind is int else kind(value)
    except ValueError as error:
        raise BadLandscapeRow(f"{where}: {value!r} is not a number") from error


def repo_name(value: str, where: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    match = GITHUB_URL.match(value)
    name = match.group(1) if match else value
    if not REPO_NAME.match(name):
        raise BadLandscapeRow(f"{where}: {value!r} is neither owner/repo nor a github.com URL")
    return name


def iso_date(value: str) -> str | None:
    value = value.strip()
    match = re.match(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})", value)
    return f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}" if match else None


def llm_entry(row: dict[str, str], where: str) -> dict[str, Any]:
    trend = row.get("trend", "").strip()
    try:
        monthly = orjson.loads(trend) if trend else []
    except orjson.JSONDecodeError as error:
        raise BadLandscapeRow(f"{where}: trend {trend!r} is not a list of numbers") from error
    if not isinstance(monthly, list) or not all(isinstance(v, int | float) for v in monthly):
        raise BadLandscapeRow(f"{where}: trend {trend!r} is not a list of numbers")
    return {
        "repo": repo_name(row["repo_name"], where),
        "project": row["repo_name"].strip(),
        "layer": row["layer1"].strip() or None,
        "domain": row["layer2"].strip() or None,
        "subdomain": row.get("layer3", "").strip() or None,
        "stars": number(row.get("stars", ""), f"{where} stars", int),
        "language": row.get("language", "").strip() or None,
        "createdAt": iso_date(row.get("created_at", "")),
        "status": row.get("status", "").strip() or None,
        "openrankTrend": [float(v) for v in monthly],
        "openrankFirst": number(row.get("openrank_01", ""), f"{where} openrank_01"),
        "openrankLast": number(row.get("openrank_07", ""), f"{where} openrank_07"),
        "openrankDelta": number(row.get("delta", ""), f"{where} delta"),
        "description": row.get("description", "").strip() or None,
        "repoId": row.get("repo_id", "").strip() or None,
    }


def report_entry(row: dict[str, str], where: str) -> dict[str, Any]:
    classification = row["classification"].strip()
    return {
        "repo": repo_name(row["repo_name"], where),
        "project": row["repo_name"].strip(),
        "repoId": row.get("repo_id", "").strip() or None,
        "layer": classification.split(" - ")[0].strip() or None,
        "domain": classification or None,
        "stars": number(row.get("stars", ""), f"{where} stars", int),
        "forks": number(row.get("forks", ""), f"{where} forks", int),
        "openrank2025": number(row.get("openrank_25", ""), f"{where} openrank_25"),
        "language": row.get("language", "").strip() or None,
        "createdAt": iso_date(row.get("created_at", "")),
        "description": row.get("description", "").strip() or None,
    }


def pytorch_entry(row: dict[str, str], where: str) -> dict[str, Any]:
    return {
        "repo": repo_name(row.get("github_repo", ""), f"{where} github_repo"),
        "project": row["name"].strip(),
        "organization": row.get("organization", "").strip() or None,
        "layer": "PyTorch Foundation",
        "domain": row["category"].strip() or None,
        "subdomain": row.get("subcategory", "").strip() or None,
        "relation": row.get("relation", "").strip() or None,
        "stars": number(row.get("github_stars", ""), f"{where} github_stars", int),
        "license": row.get("license", "").strip() or None,
        "openrank2025": number(row.get("2025_value", ""), f"{where} 2025_value"),
    }


def plain_entry(row: dict[str, str], where: str) -> dict[str, Any]:
    return {
        "repo": repo_name(row["repo"], where),
        "project": row["repo"].strip(),
        "layer": row.get("layer", "").strip() or None,
        "domain": row["domain"].strip() or None,
        "subdomain": row.get("subdomain", "").strip() or None,
    }


FORMATS: list[tuple[str, set[str], Callable[[dict[str, str], str], dict[str, Any]]]] = [
    ("LLM", {"repo_name", "layer1", "layer2"}, llm_entry),
    ("report classification", {"repo_id", "repo_name", "classification"}, report_entry),
    ("PyTorch", {"name", "category", "github_repo"}, pytorch_entry),
    ("plain", {"repo", "domain"}, plain_entry),
]


def read_landscape(file: Path, name: str | None = None) -> LandscapeLoad:
    try:
        text, replaced = decode(file.read_bytes())
    except OSError as error:
        raise BadParameter(f"FILE: cannot read {file}: {error}") from error
    reader = csv.DictReader(io.StringIO(text))
    header = {column.strip() for column in reader.fieldnames or []}
    known = next((fmt for fmt in FORMATS if fmt[1] <= header), None)
    if known is None:
        expected = "; ".join(", ".join(sorted(required)) for _, required, _ in FORMATS)
        raise BadParameter(f"{file}: unknown landscape format; the header must contain one of: {expected}")
    format_name, _required, make_entry = known
    load = LandscapeLoad(file, name or file.stem, format_name, replaced_characters=replaced)
    seen: set[str] = set()
    for line, row in enumerate(reader, start=2):
        where = f"{file.name} row {line}"
        try:
            entry = make_entry({key.strip(): (value or "") for key, value in row.items() if key}, where)
        except (BadLandscapeRow, KeyError) as error:
            load.bad_rows.append(str(error))
            continue
        entry["key"] = entry["repo"].lower() if entry["repo"] else f"project:{entry['project'].lower()}"
        if entry["key"] in seen:
            load.bad_rows.append(f"{where}: {entry['key']} is listed twice; the first row is kept")
            continue
        seen.add(entry["key"])
        entry["repoLower"] = entry["repo"].lower() if entry["repo"] else None
        load.entries.append(entry)
    return load


WRITE_ENTRIES = """
UNWIND $entries AS entry
MERGE (e:LandscapeEntry {landscape: $landscape, key: entry.key})
SET e = entry, e.landscape = $landscape
WITH e
OPTIONAL MATCH (r:Repo {nameLower: e.repoLower})
WITH e, r WHERE r IS NOT NULL
MERGE (r)-[:IN_LANDSCAPE]->(e)
RETURN count(r) AS linked
"""

REMOVE_STALE_ENTRIES = """
MATCH (e:LandscapeEntry {landscape: $landscape})
WHERE NOT e.key IN $keys
DETACH DELETE e
"""

# Also run by the OpenDigger loader for each repository it writes.
REFRESH_DOMAINS = """
UNWIND $names AS name
MATCH (r:Repo {nameLower: toLower(name)})
OPTIONAL MATCH (e:LandscapeEntry {repoLower: r.nameLower})
WITH r, e ORDER BY e.landscape
WITH r, collect(e) AS entries
FOREACH (e IN entries | MERGE (r)-[:IN_LANDSCAPE]->(e))
WITH r, head(entries) AS first
SET r.domain = first.domain, r.domainLayer = first.layer, r.domainLandscape = first.landscape
"""


def write_landscape(graph: Graph, load: LandscapeLoad) -> LandscapeLoad:
    graph.apply_schema()

    def work(tx: Any) -> int:
        linked = tx.run(WRITE_ENTRIES, entries=load.entries, landscape=load.landscape).single(strict=True)["linked"]
        tx.run(REMOVE_STALE_ENTRIES, landscape=load.landscape, keys=[e["key"] for e in load.entries]).consume()
        names = [entry["repo"] for entry in load.entries if entry["repo"]]
        tx.run(REFRESH_DOMAINS, names=names).consume()
        return int(linked)

    load.linked = graph.write_tx(work)
    return load
