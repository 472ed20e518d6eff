"""Graph writes for one parsed repository, in one transaction (atomic per repository).

A month is rewritten only when its fingerprint (RepoMonth.hash) differs from the one in
the graph, so reloading the same data writes nothing and loading newer months only adds
them. Contributions are created in developer-key order, so parallel transactions lock
developers in the same order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from neo4j import ManagedTransaction

from nichegraph.errors import NichegraphError
from nichegraph.loader.landscape import REFRESH_DOMAINS
from nichegraph.loader.opendigger import Contributions, RepoData

# Rows per statement; one repository may need several statements in its transaction.
CHUNK_ROWS = 20_000

EXISTING_MONTHS = """
MATCH (m:RepoMonth {repo: $name})
RETURN m.month AS month, m.hash AS hash
"""

MERGE_REPO = """
MERGE (r:Repo {name: $name})
ON CREATE SET r.owner = $owner, r.nameLower = toLower($name)
SET r.openDiggerUpdatedAt = $updatedAt
"""

DELETE_MONTH_CONTRIBUTIONS = """
MATCH (:Repo {name: $name})<-[c:CONTRIBUTED]-()
WHERE c.month IN $months
DELETE c
"""

UPSERT_MONTHS = """
MATCH (r:Repo {name: $name})
UNWIND $rows AS row
MERGE (m:RepoMonth {repo: $name, month: row.month})
SET m = row.props
MERGE (r)-[:HAS_MONTH]->(m)
"""

# One row per developer (merged beforehand by the pipeline's developer stage), then
# one CONTRIBUTED per month. The count lets write_repo refuse a partial write.
WRITE_CONTRIBUTIONS = """
MATCH (r:Repo {name: $name})
UNWIND $rows AS row
MATCH (d:Developer {key: row.key})
UNWIND range(0, size(row.months) - 1) AS i
CREATE (d)-[:CONTRIBUTED {month: row.months[i], activity: row.activity[i]}]->(r)
RETURN count(*) AS created
"""


class MissingDevelopers(NichegraphError):
    """Contribution rows whose developer node is absent; the transaction is rolled back."""


@dataclass(frozen=True)
class RepoWriteResult:
    name: str
    months_written: int
    months_unchanged: int
    contributions_written: int

    @property
    def unchanged(self) -> bool:
        return self.months_written == 0


def write_repo(tx: ManagedTransaction, data: RepoData) -> RepoWriteResult:
    """Write one repository; run it inside one transaction (Graph.write_tx)."""
    existing = {row["month"]: row["hash"] for row in tx.run(EXISTING_MONTHS, name=data.name)}
    changed = {m for m, digest in data.month_hashes.items() if existing.get(m) != digest}
    tx.run(MERGE_REPO, name=data.name, owner=data.owner, updatedAt=data.updated_at).consume()
    tx.run(REFRESH_DOMAINS, names=[data.name]).consume()
    if not changed:
        return RepoWriteResult(data.name, 0, len(data.month_hashes), 0)
    rewritten = sorted(changed & existing.keys())
    if rewritten:
        tx.run(DELETE_MONTH_CONTRIBUTIONS, name=data.name, months=rewritten).consume()
    tx.run(UPSERT_MONTHS, name=data.name, rows=month_rows(data, changed)).consume()
    contributions = data.contributions.only_months(changed)
    for rows in contribution_chunks(contributions):
        expected = sum(len(row["months"]) for row in rows)
        created = tx.run(WRITE_CONTRIBUTIONS, name=data.name, rows=rows).single(strict=True)[0]
        if created != expected:
            raise MissingDevelopers(f"{data.name}: {expected - created} contribution rows have no Developer node")
    return RepoWriteResult(data.name, len(changed), len(data.month_hashes) - len(changed), len(contributions))


def month_rows(data: RepoData, months: set[str]) -> list[dict[str, Any]]:
    return [
        {
            "month": month,
            "props": {
                **data.months[month],
                "repo": data.name,
                "month": month,
                "hash": data.month_hashes[month],
                "interpolated": any(key.endswith("Raw") for key in data.months[month]),
            },
        }
        for month in sorted(months)
    ]


def contribution_chunks(contributions: Contributions) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    size = 0
    for key, months, activity in zip(contributions.keys, contributions.months, contributions.activity, strict=True):
        chunk.append({"key": key, "months": months, "activity": activity})
        size += len(months)
        if size >= CHUNK_ROWS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk
