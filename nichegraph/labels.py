"""Label files written by people, for measuring verdicts (docs/evaluation.md).

Three CSV formats, told apart by their header (any column order, case-insensitive):

- relation pairs  `a,b,relation`: relation is upstream (a is upstream of b), competitor,
  peer or unrelated; `source,target` may stand for `a,b`;
- same-job pairs  `a,b,collection`: two projects a curated collection puts together as
  doing the same job (positives only: they count as competitors);
- domains         `repo,label` or `repo,source,label`: a repository may have several rows.

Labels are for measuring and showing beside the detected structure; nothing that decides
a verdict reads them. Shared by `nichegraph load labels` (which stores them) and
`nichegraph evaluate` (which reads a file directly).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from nichegraph.errors import BadParameter
from nichegraph.names import REPO_NAME

UPSTREAM, COMPETITOR, PEER, UNRELATED = "upstream", "competitor", "peer", "unrelated"
RELATIONS = (UPSTREAM, COMPETITOR, PEER, UNRELATED)
PAIRS, SAME_JOB, DOMAINS = "pairs", "same-job", "domains"
KINDS = (PAIRS, SAME_JOB, DOMAINS)
MAX_ROWS = 100_000

ALIASES = {"source": "a", "target": "b"}


@dataclass(frozen=True)
class PairLabel:
    """A judged pair: `relation` of a to b (for upstream, a is the upstream)."""

    a: str
    b: str
    relation: str
    line: int
    collection: str | None = None

    @property
    def key(self) -> frozenset[str]:
        return frozenset((self.a.lower(), self.b.lower()))


@dataclass(frozen=True)
class DomainLabel:
    repo: str
    label: str
    line: int
    source: str | None = None


@dataclass
class LabelFile:
    """The rows of one label file (or of one stored label set), checked."""

    name: str
    kind: str
    pairs: list[PairLabel] = field(default_factory=list)
    domains: list[DomainLabel] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.pairs) + len(self.domains)

    def describe(self) -> str:
        if self.kind == DOMAINS:
            repos = len({label.repo.lower() for label in self.domains})
            return f"{self.name}: {len(self.domains)} domain labels of {repos} repositories"
        counts = {relation: sum(1 for p in self.pairs if p.relation == relation) for relation in RELATIONS}
        shown = ", ".join(f"{count} {relation}" for relation, count in counts.items() if count)
        what = "same-job pairs" if self.kind == SAME_JOB else "judged pairs"
        return f"{self.name}: {len(self.pairs)} {what} ({shown})"


def header_kind(columns: list[str], where: str) -> str:
    names = {ALIASES.get(column, column) for column in columns}
    if {"a", "b", "relation"} <= names:
        return PAIRS
    if {"a", "b", "collection"} <= names:
        return SAME_JOB
    if {"repo", "label"} <= names:
        return DOMAINS
    raise BadParameter(
        f"{where}: header {','.join(columns)!r} is none of the label formats: a,b,relation (judged pairs), "
        "a,b,collection (same-job pairs), repo,label or repo,source,label (domains)"
    )


def read_labels(path: Path, what: str = "--labels") -> LabelFile:
    """Read and check a label file; every problem names the file and the line."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise BadParameter(f"{what}: cannot read {path}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise BadParameter(f"{what}: {path} is not UTF-8 text ({error.reason} at byte {error.start})") from error
    return parse_labels(text, str(path), name=path.stem)


def parse_labels(text: str, where: str, name: str) -> LabelFile:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    while header is not None and not any(cell.strip() for cell in header):
        header = next(reader, None)
    if header is None:
        raise BadParameter(f"{where}: the file is empty (expected a header such as a,b,relation)")
    columns = [cell.strip().lower() for cell in header]
    kind = header_kind(columns, where)
    # source/target stand for a/b in pair files; in domain files `source` is where a label comes from
    position = {(column if kind == DOMAINS else ALIASES.get(column, column)): i for i, column in enumerate(columns)}
    labels = LabelFile(name=name, kind=kind)
    seen: dict[frozenset[str], PairLabel] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if labels.rows >= MAX_ROWS:
            raise BadParameter(f"{where}: more than {MAX_ROWS:,} rows; split the file")
        if len(row) != len(columns):
            raise BadParameter(f"{where}, line {line}: {len(row)} fields where the header has {len(columns)}")
        values = {column: row[i].strip() for column, i in position.items()}
        if kind == DOMAINS:
            labels.domains.append(domain_row(values, where, line))
            continue
        pair = pair_row(values, kind, where, line)
        known = seen.get(pair.key)
        if known is None:
            seen[pair.key] = pair
            labels.pairs.append(pair)
        elif not same_judgement(known, pair):
            raise BadParameter(
                f"{where}, line {line}: {pair.a} / {pair.b} contradicts line {known.line} "
                f"({known.relation}, {known.a} first)"
            )
    if not labels.rows:
        raise BadParameter(f"{where}: no labels after the header")
    return labels


def same_judgement(known: PairLabel, pair: PairLabel) -> bool:
    """A repeated pair is harmless when it says the same (an upstream the same way round)."""
    if known.relation != pair.relation:
        return False
    return pair.relation != UPSTREAM or known.a.lower() == pair.a.lower()


def check_repo(value: str, column: str, where: str, line: int) -> str:
    if not value:
        raise BadParameter(f"{where}, line {line}: the {column} column is empty")
    if not REPO_NAME.match(value):
        raise BadParameter(f"{where}, line {line}: {column} {value!r} is not a repository name of the form owner/repo")
    return value


def pair_row(values: dict[str, str], kind: str, where: str, line: int) -> PairLabel:
    a = check_repo(values["a"], "a", where, line)
    b = check_repo(values["b"], "b", where, line)
    if a.lower() == b.lower():
        raise BadParameter(f"{where}, line {line}: a pair needs two different repositories ({a} twice)")
    if kind == SAME_JOB:
        collection = values["collection"]
        if not collection:
            raise BadParameter(f"{where}, line {line}: the collection column is empty")
        return PairLabel(a, b, COMPETITOR, line, collection)
    relation = values["relation"].lower()
    if relation not in RELATIONS:
        raise BadParameter(
            f"{where}, line {line}: relation {values['relation']!r} is not one of {', '.join(RELATIONS)}"
        )
    return PairLabel(a, b, relation, line)


def domain_row(values: dict[str, str], where: str, line: int) -> DomainLabel:
    repo = check_repo(values["repo"], "repo", where, line)
    label = values["label"]
    if not label:
        raise BadParameter(f"{where}, line {line}: the label column is empty")
    return DomainLabel(repo, label, line, values.get("source") or None)
