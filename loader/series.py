"""Published monthly OpenRank series of landscape projects (`month, repo_id, repo_name, openrank`),
the report's series of LLM inference engines, agent frameworks and vector databases.

Rows are keyed by GitHub's `repo_id`, so a renamed repository (hwchase17/langchain ->
langchain-ai/langchain) is one project. Its name in the graph is the newest one known: the
name a loaded landscape list gives that repo_id (the lists are newer than the series), else the
name of its latest month in the series. The months become `RepoMonth {openrank, series}` of
that `Repo` (created without contributions when needed), so project pages, Trends and Compare
read them like OpenDigger's; a month the OpenDigger loader already holds is kept as it is.
One file is written in one transaction; bad rows are named and skipped.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nichegraph.db import Graph
from nichegraph.errors import BadParameter
from nichegraph.loader.landscape import REFRESH_DOMAINS, decode
from nichegraph.names import REPO_NAME

COLUMNS = {"month", "repo_id", "repo_name", "openrank"}
# the agent-framework file writes its months as YYYY-MM-01
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])(?:-01)?$")


def is_series_header(fieldnames: list[str] | None) -> bool:
    return {name.strip() for name in fieldnames or []} >= COLUMNS


def series_file(file: Path) -> bool:
    """Whether a CSV's header is a series' (an unreadable file is left to the list reader's error)."""
    try:
        with file.open("rb") as handle:
            first = handle.readline()
    except OSError:
        return False
    text, _ = decode(first)
    return is_series_header(next(csv.reader([text]), []))


@dataclass
class SeriesLoad:
    file: Path
    series: str
    values: dict[str, dict[str, float]] = field(default_factory=dict)  # repo_id -> month -> openrank
    names: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # repo_id -> [(month, name)]
    bad_rows: list[str] = field(default_factory=list)
    projects: dict[str, str] = field(default_factory=dict)  # repo_id -> the name it is stored under
    written: int = 0
    kept: int = 0  # months OpenDigger's data already holds

    @property
    def ok(self) -> bool:
        return not self.bad_rows

    @property
    def rows(self) -> int:
        return sum(len(months) for months in self.values.values())

    def latest_names(self) -> dict[str, str]:
        return {repo_id: max(names)[1] for repo_id, names in self.names.items()}

    def former_names(self, repo_id: str) -> list[str]:
        current = self.projects.get(repo_id)
        return sorted({name for _, name in self.names[repo_id]} - {current})

    def describe(self) -> str:
        renamed = {repo_id: self.former_names(repo_id) for repo_id in self.values if self.former_names(repo_id)}
        lines = [
            f"{self.file}: OpenRank series '{self.series}': {self.rows} monthly values of {len(self.values)} projects; "
            f"{self.written} months written, {self.kept} kept from OpenDigger's data"
        ]
        lines += [f"  {self.projects[r]} also appears as {', '.join(names)}" for r, names in sorted(renamed.items())]
        lines += [f"  SKIPPED {problem}" for problem in self.bad_rows]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.file),
            "series": self.series,
            "projects": {self.projects.get(r, r): self.former_names(r) for r in sorted(self.values)},
            "values": self.rows,
            "written": self.written,
            "kept": self.kept,
            "badRows": self.bad_rows,
        }


def read_series(file: Path, name: str | None = None) -> SeriesLoad:
    try:
        text, _replaced = decode(file.read_bytes())
    except OSError as error:
        raise BadParameter(f"FILE: cannot read {file}: {error}") from error
    reader = csv.DictReader(io.StringIO(text))
    if not is_series_header(reader.fieldnames):
        raise BadParameter(f"{file}: not an OpenRank series; the header must contain {', '.join(sorted(COLUMNS))}")
    load = SeriesLoad(file, name or file.stem)
    for row in reader:
        where = f"{file.name} row {reader.line_num}"
        problem = add_row(load, {key.strip(): (value or "").strip() for key, value in row.items() if key}, where)
        if problem:
            load.bad_rows.append(f"{where}: {problem}")
    return load


def add_row(load: SeriesLoad, row: dict[str, str], where: str) -> str | None:
    """Add one row; the problem in words when it is bad."""
    match = MONTH.match(row["month"])
    if not match:
        return f"month {row['month']!r} is not YYYY-MM (or YYYY-MM-01)"
    month = f"{match.group(1)}-{match.group(2)}"
    repo_id = row["repo_id"]
    if not repo_id.isdigit():
        return f"repo_id {repo_id!r} is not a GitHub repository id"
    if not REPO_NAME.match(row["repo_name"]):
        return f"repo_name {row['repo_name']!r} is not owner/repo"
    try:
        value = float(row["openrank"])
    except ValueError:
        return f"openrank {row['openrank']!r} is not a number"
    if not math.isfinite(value) or value < 0:
        return f"openrank {row['openrank']} must be a number >= 0"
    months = load.values.setdefault(repo_id, {})
    if month in months:
        return f"{month} of repo_id {repo_id} is listed twice; the first row is kept"
    months[month] = value
    load.names.setdefault(repo_id, []).append((month, row["repo_name"]))
    return None


# Names a landscape list or an earlier load gives these repo ids.
KNOWN_NAMES = """
UNWIND $ids AS id
OPTIONAL MATCH (e:LandscapeEntry {repoId: id}) WHERE e.repo IS NOT NULL
WITH id, e ORDER BY e.landscape DESC
WITH id, collect(e.repo)[0] AS listed
OPTIONAL MATCH (r:Repo {repoId: id})
RETURN id, listed, collect(r.name) AS stored
"""

# A project renamed since an earlier load: its series months move to the current name.
DROP_OLD_NAMES = """
UNWIND $projects AS project
MATCH (old:Repo {repoId: project.id}) WHERE old.nameLower <> toLower(project.name)
OPTIONAL MATCH (old)-[:HAS_MONTH]->(m:RepoMonth) WHERE m.hash IS NULL
DETACH DELETE m
WITH DISTINCT old
REMOVE old.repoId
WITH old WHERE NOT EXISTS { (old)--() }
DELETE old
"""

MERGE_PROJECTS = """
UNWIND $projects AS project
WITH project WHERE NOT EXISTS { MATCH (:Repo {nameLower: toLower(project.name)}) }
MERGE (r:Repo {name: project.name})
  ON CREATE SET r.nameLower = toLower(project.name), r.owner = split(project.name, '/')[0]
"""

WRITE_MONTHS = """
UNWIND $projects AS project
MATCH (r:Repo {nameLower: toLower(project.name)})
WITH project, r ORDER BY r.name
WITH project, collect(r)[0] AS r
SET r.repoId = project.id, r.formerNames = project.formerNames
WITH project, r
UNWIND project.months AS row
WITH r, row, EXISTS { MATCH (m:RepoMonth {repo: r.name, month: row.month}) WHERE m.hash IS NOT NULL } AS held
CALL (r, row, held) {
  WITH r, row WHERE NOT held
  MERGE (m:RepoMonth {repo: r.name, month: row.month})
  SET m.openrank = row.openrank, m.series = $series
  MERGE (r)-[:HAS_MONTH]->(m)
}
RETURN count(CASE WHEN NOT held THEN 1 END) AS written, count(CASE WHEN held THEN 1 END) AS kept,
       collect(DISTINCT r.name) AS names
"""


def current_names(tx: Any, load: SeriesLoad) -> dict[str, str]:
    """repo_id -> the name to store it under: a landscape list's, else an earlier load's, else
    the series' latest."""
    latest = load.latest_names()
    known = {row["id"]: row for row in tx.run(KNOWN_NAMES, ids=sorted(load.values))}
    names = {}
    for repo_id in load.values:
        row = known.get(repo_id) or {}
        stored = sorted(row.get("stored") or [])
        names[repo_id] = row.get("listed") or (stored[0] if stored else latest[repo_id])
    return names


def write_series(graph: Graph, load: SeriesLoad) -> SeriesLoad:
    graph.apply_schema()

    def work(tx: Any) -> None:
        load.projects = current_names(tx, load)
        projects = [
            {
                "id": repo_id,
                "name": load.projects[repo_id],
                "formerNames": load.former_names(repo_id),
                "months": [{"month": m, "openrank": v} for m, v in sorted(months.items())],
            }
            for repo_id, months in sorted(load.values.items())
        ]
        tx.run(DROP_OLD_NAMES, projects=projects).consume()
        tx.run(MERGE_PROJECTS, projects=projects).consume()
        row = tx.run(WRITE_MONTHS, projects=projects, series=load.series).single(strict=True)
        load.written, load.kept = int(row["written"]), int(row["kept"])
        tx.run(REFRESH_DOMAINS, names=row["names"]).consume()

    if load.values:
        graph.write_tx(work)
    return load
