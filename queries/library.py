"""The query library: every `queries/*.cypher` file, its header, and how to run it.

A file is what a person pastes into Neo4j Browser, and the CLI and web run the very
same text. Its header is a `//` comment block:

    // <name>: <the question it answers, one line>
    // <more lines of explanation, optional>
    //
    // Parameters:
    // :param repo => 'pytorch/pytorch'
    //
    // Columns:
    //   repo      what the column holds
    //   ...

`:param` lines are Browser's own syntax, so a Browser user can copy them as they are.
A description line `Cost: whole graph` marks analytics that read the whole graph; the
query benchmark reports them apart from the 200 ms target of the others.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from neo4j import ManagedTransaction

from nichegraph.db import Graph
from nichegraph.errors import BadParameter, NichegraphError

QUERY_DIR = Path(__file__).resolve().parent

_PARAM_LINE = re.compile(r"^:param\s+([A-Za-z_][A-Za-z0-9_]*)\s*=>\s*(.+?)\s*;?\s*$")
_PARAM_USE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COLUMN_LINE = re.compile(r"^\s+([A-Za-z_][A-Za-z0-9_]*)\s+(.+)$")
_STRING_LITERAL = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


class QueryFileError(NichegraphError):
    """A library file whose header is missing or inconsistent with its body."""


@dataclass(frozen=True)
class LibraryQuery:
    name: str
    path: Path
    question: str
    description: str
    examples: dict[str, Any]
    columns: dict[str, str]
    cypher: str = field(repr=False)

    @property
    def whole_graph(self) -> bool:
        return "cost: whole graph" in self.description.lower()

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def used_parameters(self) -> set[str]:
        return set(_PARAM_USE.findall(_STRING_LITERAL.sub("''", self.cypher)))

    def parameters(self, given: dict[str, Any] | None = None) -> dict[str, Any]:
        """Example values from the header, overridden by `given`; unknown names are refused."""
        given = given or {}
        unknown = sorted(set(given) - set(self.examples))
        if unknown:
            documented = ", ".join(sorted(self.examples)) or "none"
            raise BadParameter(
                f"--param {unknown[0]}: query {self.name!r} has no such parameter (it takes: {documented})"
            )
        return {**self.examples, **given}


def parse_literal(text: str, where: str) -> Any:
    """A Cypher literal as used in :param lines: string, number, boolean, null, list."""
    python_text = re.sub(
        r"\b(true|false|null)\b",
        lambda match: {"true": "True", "false": "False", "null": "None"}[match.group(1)],
        text,
    )
    try:
        return ast.literal_eval(python_text)
    except (ValueError, SyntaxError) as error:
        raise QueryFileError(f"{where}: cannot read the value {text!r}") from error


def parse_query_file(path: Path) -> LibraryQuery:
    lines = path.read_text(encoding="utf-8").splitlines()
    header: list[str] = []
    for line in lines:
        if not line.startswith("//"):
            break
        header.append(line[2:].removeprefix(" "))
    body = "\n".join(lines[len(header) :]).strip()
    where = path.name
    if not header or ":" not in header[0]:
        raise QueryFileError(f"{where}: must start with a '// {path.stem}: <question>' header line")
    name, question = (part.strip() for part in header[0].split(":", 1))
    if name != path.stem:
        raise QueryFileError(f"{where}: header names {name!r}, but the file is {path.stem!r}")
    examples, columns, description = _parse_sections(header[1:], where)
    if not columns:
        raise QueryFileError(f"{where}: the header has no 'Columns:' section")
    if not body:
        raise QueryFileError(f"{where}: has a header but no query")
    query = LibraryQuery(name, path, question, description, examples, columns, body.rstrip(";").strip())
    undocumented = sorted(query.used_parameters() - set(examples))
    if undocumented:
        raise QueryFileError(f"{where}: uses ${undocumented[0]} but has no ':param {undocumented[0]} =>' line")
    return query


def _parse_sections(lines: list[str], where: str) -> tuple[dict[str, Any], dict[str, str], str]:
    examples: dict[str, Any] = {}
    columns: dict[str, str] = {}
    description: list[str] = []
    section = "description"
    column_indent: int | None = None  # a line indented deeper than the first column continues the last
    for line in lines:
        stripped = line.strip()
        if stripped.lower() in {"parameters:", "parameters: none"}:
            section = "parameters"
            continue
        if stripped.lower() == "columns:":
            section = "columns"
            continue
        if section == "parameters" and stripped.startswith(":param"):
            match = _PARAM_LINE.match(stripped)
            if not match:
                raise QueryFileError(f"{where}: cannot read parameter line {stripped!r}")
            examples[match.group(1)] = parse_literal(match.group(2), f"{where} :param {match.group(1)}")
        elif (
            section == "columns"
            and (match := _COLUMN_LINE.match(line))
            and (column_indent is None or len(line) - len(line.lstrip()) <= column_indent)
        ):
            column_indent = len(line) - len(line.lstrip())
            columns[match.group(1)] = match.group(2).strip()
        elif section == "columns" and stripped and columns:
            last = next(reversed(columns))
            columns[last] += " " + stripped
        elif section == "description" and stripped:
            description.append(stripped)
    return examples, columns, " ".join(description)


@cache
def load_library(directory: Path = QUERY_DIR) -> dict[str, LibraryQuery]:
    return {path.stem: parse_query_file(path) for path in sorted(directory.glob("*.cypher"))}


def get_query(name: str) -> LibraryQuery:
    library = load_library()
    if name not in library:
        raise BadParameter(f"no library query named {name!r}; `nichegraph query --list` lists them")
    return library[name]


def run_query(graph: Graph, name: str, **params: Any) -> list[dict[str, Any]]:
    """Run a library query read-only with its header's examples for any parameter not given."""
    query = get_query(name)
    return graph.read(query.cypher, **query.parameters(params))


def plan_library(graph: Graph) -> int:
    """Have Neo4j plan every library query (EXPLAIN with the header's examples: nothing runs).

    Neo4j caches plans by query text, so the first page views after a server restart
    skip planning; measured on the full snapshot, that made them two to three times faster.
    """
    with graph.session() as session:
        for query in load_library().values():
            session.execute_read(_explain, query)
    return len(load_library())


def _explain(tx: ManagedTransaction, query: LibraryQuery) -> None:
    tx.run("EXPLAIN " + query.cypher, query.examples).consume()
