"""Label files (nichegraph.labels) stored as `(:LabelSet)-[:HAS_LABEL]->(:Label)`, apart from the
verdicts: the explorer's evaluation page compares them with the stored relations and niches.
No analysis reads them (docs/evaluation.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nichegraph.db import Graph
from nichegraph.errors import BadParameter
from nichegraph.labels import LabelFile, read_labels

SET_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,80}$")

# one transaction: the set replaces any set of the same name, nothing else changes
REPLACE_SET = """
OPTIONAL MATCH (old:LabelSet {name: $name})
OPTIONAL MATCH (old)-[:HAS_LABEL]->(row:Label)
DETACH DELETE row, old
"""

WRITE_SET = """
CREATE (s:LabelSet {name: $name, kind: $kind, file: $file, rows: size($rows), loadedAt: $at})
WITH s
UNWIND $rows AS row
CREATE (s)-[:HAS_LABEL]->(l:Label)
SET l = row, l.set = $name
"""


@dataclass
class LabelSetLoad:
    name: str
    labels: LabelFile
    file: Path

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.labels.kind, "file": str(self.file), "rows": self.labels.rows}

    def describe(self) -> str:
        return f"label set {self.name!r} from {self.file}: {self.labels.describe().split(': ', 1)[1]}"


def label_rows(labels: LabelFile) -> list[dict[str, Any]]:
    if labels.pairs:
        return [
            {"line": p.line, "a": p.a, "b": p.b, "relation": p.relation, "collection": p.collection}
            for p in labels.pairs
        ]
    return [{"line": d.line, "repo": d.repo, "label": d.label, "source": d.source} for d in labels.domains]


def load_label_set(graph: Graph, file: Path, name: str | None = None) -> LabelSetLoad:
    """Read and check the file first (nothing is written when it is bad), then store it."""
    chosen = name or file.stem
    if not SET_NAME.match(chosen):
        raise BadParameter(f"--name: {chosen!r} must be 1-80 letters, digits, '.', '_' or '-'")
    labels = read_labels(file, "FILE")
    rows = label_rows(labels)
    at = datetime.now(UTC).isoformat(timespec="seconds")

    def work(tx: Any) -> None:
        tx.run(REPLACE_SET, name=chosen).consume()
        tx.run(WRITE_SET, name=chosen, kind=labels.kind, file=str(file), rows=rows, at=at).consume()

    graph.apply_schema()
    graph.write_tx(work)
    return LabelSetLoad(chosen, labels, file)
