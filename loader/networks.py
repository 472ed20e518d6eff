"""Project-level collaboration networks from outside (a file, or another source such as
GitHub events) as named networks in the graph, never mixed with our own `COLLABORATES`.

A network is stored as

    (:Network {name, kind, source, format, period, weightMeaning, nodes, edges, loadedAt})
    (:Repo)-[:IN_NETWORK {openrank}]->(:Network)
    (:Repo)-[:NETWORK_LINK {network, weight, sharedDevelopers}]->(:Repo)   smaller name as source

Projects not in the graph become `Repo` nodes without contributions. `write_network`
validates the whole network first and replaces a network of the same name (and the niches
and relations computed on it, now stale) in one transaction: a bad network writes nothing.

Files (`read_network_file`), recognised by their extension:
- `.json`: the landscape report's `{"nodes": [[repo, openrank], ...], "edges": [[a, b, shared], ...]}`;
- `.csv`: an edge list `source,target,weight[,shared]`, with an optional nodes file
  `id[,label][,openrank]` (Gephi's "Id,Label" spreadsheets work; edges name node ids);
- `.graphml` and `.gexf` as Gephi (or igraph, or `nichegraph export`) writes them.
Every problem is reported with the file and line.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import xml.parsers.expat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nichegraph.db import Graph
from nichegraph.errors import BadParameter
from nichegraph.loader.landscape import REFRESH_DOMAINS
from nichegraph.months import parse_window
from nichegraph.names import REPO_NAME, check_network_name, network_scope

KINDS = ("file", "events")
FORMATS = {".json": "report-json", ".csv": "csv", ".graphml": "graphml", ".gexf": "gexf"}
REPORT_WEIGHT = "active developers the two projects share (the landscape report's network)"
GIVEN_WEIGHT = "the weight given in the file"


class BadNetworkFile(BadParameter):
    """A network file (or network) that cannot be loaded; the message names the file and line."""


@dataclass(frozen=True)
class NetworkNode:
    repo: str
    openrank: float | None = None
    where: str = field(default="", compare=False)  # "file line N", for messages


@dataclass(frozen=True)
class NetworkEdge:
    source: str
    target: str
    weight: float
    shared: int | None = None  # developers the two projects share, when the source says
    where: str = field(default="", compare=False)


@dataclass
class NetworkData:
    """A whole network as a source gives it: what `write_network` stores."""

    name: str
    kind: str
    source: str
    format: str
    period: str | None
    weight_meaning: str
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    notes: list[str] = field(default_factory=list)  # what the reader had to assume

    def properties(self) -> dict[str, Any]:
        """What the Network node stores (with `loadedAt`)."""
        return {
            "name": self.name,
            "kind": self.kind,
            "source": self.source,
            "format": self.format,
            "period": self.period,
            "weightMeaning": self.weight_meaning,
            "nodes": len(self.nodes),
            "edges": len(self.edges),
        }

    def check(self) -> NetworkData:
        """Refuse anything that cannot be stored as it is; messages name the item."""
        check_network_name(self.name)
        if self.kind not in KINDS:
            raise BadParameter(f"network {self.name}: kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if self.period is not None:
            parse_window(self.period, f"network {self.name} period")
        check_items(self.nodes, self.edges, f"network {self.name} ({self.source})")
        return self


def check_items(nodes: list[NetworkNode], edges: list[NetworkEdge], label: str) -> None:
    """Node names, duplicates, dangling edges, weights, self-links and repeated pairs; items a
    file reader located carry their line, the others are named by their position."""
    if not nodes:
        raise BadNetworkFile(f"{label}: the network has no projects")

    def place(kind: str, index: int) -> str:
        return f"{label} {kind} {index + 1}"

    first_seen: dict[str, str] = {}
    for i, node in enumerate(nodes):
        where = node.where or place("node", i)
        if not isinstance(node.repo, str) or not REPO_NAME.match(node.repo):
            raise BadNetworkFile(f"{where}: {node.repo!r} is not a repository name of the form owner/repo")
        key = node.repo.lower()
        if key in first_seen:
            raise BadNetworkFile(f"{where}: duplicate node {node.repo} (already at {first_seen[key]})")
        first_seen[key] = where
        if node.openrank is not None and not (math.isfinite(node.openrank) and node.openrank >= 0):
            raise BadNetworkFile(f"{where}: OpenRank {node.openrank!r} of {node.repo} must be a number >= 0")
    pairs: dict[tuple[str, str], str] = {}
    for i, edge in enumerate(edges):
        where = edge.where or place("edge", i)
        for end in (edge.source, edge.target):
            if not isinstance(end, str) or end.lower() not in first_seen:
                raise BadNetworkFile(f"{where}: dangling edge: {end!r} is not a node of the network")
        if not (isinstance(edge.weight, int | float) and math.isfinite(edge.weight)):
            raise BadNetworkFile(f"{where}: weight {edge.weight!r} is not a number")
        if edge.weight < 0:
            raise BadNetworkFile(f"{where}: negative weight {edge.weight:g} ({edge.source} - {edge.target})")
        if edge.shared is not None and edge.shared < 0:
            raise BadNetworkFile(f"{where}: negative shared-developer count {edge.shared}")
        a, b = sorted((edge.source.lower(), edge.target.lower()))
        if a == b:
            raise BadNetworkFile(f"{where}: the edge links {edge.source} to itself")
        if (a, b) in pairs:
            raise BadNetworkFile(
                f"{where}: the pair {edge.source} - {edge.target} is listed twice (also at {pairs[a, b]})"
            )
        pairs[a, b] = where


# --- reading files -----------------------------------------------------------------------------


def read_network_file(
    file: Path,
    name: str | None = None,
    window: str | None = None,
    nodes_file: Path | None = None,
    weight_meaning: str | None = None,
) -> NetworkData:
    """Read and check a network file; nothing is written."""
    fmt = FORMATS.get(file.suffix.lower())
    if fmt is None:
        known = ", ".join(FORMATS)
        raise BadNetworkFile(f"{file}: unknown network format {file.suffix or '(no extension)'!r}; expected {known}")
    if nodes_file is not None and fmt != "csv":
        raise BadParameter(f"--nodes: a nodes file goes with a .csv edge list, not with {file.suffix}")
    name = check_network_name(name or re.sub(r"[^A-Za-z0-9_.-]", "-", file.stem), "--name")
    period = str(parse_window(window, "--window")) if window else None
    text = read_text(file)
    notes: list[str] = []
    if fmt == "report-json":
        nodes, edges = parse_report_json(text, file.name)
    elif fmt == "csv":
        nodes, edges = parse_csv_edges(text, file.name, read_text(nodes_file) if nodes_file else None, nodes_file)
    elif fmt == "graphml":
        nodes, edges = parse_graphml(text, file.name, notes)
    else:
        nodes, edges = parse_gexf(text, file.name, notes)
    check_items(nodes, edges, file.name)
    meaning = weight_meaning or (REPORT_WEIGHT if fmt == "report-json" else GIVEN_WEIGHT)
    return NetworkData(name, "file", str(file), fmt, period, meaning, nodes, edges, notes)


def read_text(file: Path) -> str:
    try:
        return file.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise BadNetworkFile(f"{file}: cannot read it ({error.strerror or error})") from error
    except UnicodeDecodeError as error:
        raise BadNetworkFile(f"{file}: not UTF-8 text ({error.reason} at byte {error.start})") from error


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def number_or_none(value: object) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    return float(value)  # type: ignore[arg-type]


def parse_report_json(text: str, label: str) -> tuple[list[NetworkNode], list[NetworkEdge]]:
    """The report's file, each node and edge located by line (json reads it element by element)."""
    try:
        sections = json_arrays(text, ("nodes", "edges"))
    except json.JSONDecodeError as error:
        raise BadNetworkFile(f"{label} line {error.lineno}: not valid JSON ({error.msg})") from error
    if "nodes" not in sections:
        raise BadNetworkFile(f'{label}: expected an object with a "nodes" list (and an "edges" list)')
    nodes = []
    for value, line in sections["nodes"]:
        where = f"{label} line {line}"
        if not (isinstance(value, list) and 1 <= len(value) <= 2):
            raise BadNetworkFile(f'{where}: a node is ["owner/repo", openrank], not {json.dumps(value)[:80]}')
        try:
            nodes.append(NetworkNode(value[0], number_or_none(value[1] if len(value) > 1 else None), where))
        except (TypeError, ValueError) as error:
            raise BadNetworkFile(f"{where}: OpenRank {value[1]!r} is not a number") from error
    edges = []
    for value, line in sections.get("edges", []):
        where = f"{label} line {line}"
        if not (isinstance(value, list) and len(value) == 3):
            raise BadNetworkFile(f'{where}: an edge is ["owner/a", "owner/b", shared], not {json.dumps(value)[:80]}')
        weight = value[2]
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise BadNetworkFile(f"{where}: weight {weight!r} is not a number")
        shared = int(weight) if float(weight).is_integer() else None
        edges.append(NetworkEdge(value[0], value[1], float(weight), shared, where))
    return nodes, edges


def json_arrays(text: str, keys: Iterable[str]) -> dict[str, list[tuple[Any, int]]]:
    """The elements of the top-level object's arrays named `keys`, each with its line number."""
    decoder = json.JSONDecoder()
    wanted = set(keys)
    found: dict[str, list[tuple[Any, int]]] = {}
    pos = skip_space(text, 0)
    expect(text, pos, "{")
    pos = skip_space(text, pos + 1)
    if text.startswith("}", pos):
        return found
    while True:
        key, pos = decoder.raw_decode(text, pos)
        pos = skip_space(text, pos)
        expect(text, pos, ":")
        pos = skip_space(text, pos + 1)
        if key in wanted and text.startswith("[", pos):
            items: list[tuple[Any, int]] = []
            pos = skip_space(text, pos + 1)
            if not text.startswith("]", pos):
                while True:
                    value, end = decoder.raw_decode(text, pos)
                    items.append((value, line_of(text, pos)))
                    pos = skip_space(text, end)
                    if text.startswith("]", pos):
                        break
                    expect(text, pos, ",")
                    pos = skip_space(text, pos + 1)
            found[key] = items
            pos += 1
        else:
            value, pos = decoder.raw_decode(text, pos)
            if key in wanted:
                raise json.JSONDecodeError(f'"{key}" must be a list', text, pos)
        pos = skip_space(text, pos)
        if text.startswith("}", pos):
            if skip_space(text, pos + 1) != len(text):
                raise json.JSONDecodeError("Extra data", text, pos + 1)
            return found
        expect(text, pos, ",")
        pos = skip_space(text, pos + 1)


def skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def expect(text: str, pos: int, char: str) -> None:
    if not text.startswith(char, pos):
        raise json.JSONDecodeError(f"Expecting '{char}'", text, pos)


def parse_csv_edges(
    text: str, label: str, nodes_text: str | None, nodes_file: Path | None
) -> tuple[list[NetworkNode], list[NetworkEdge]]:
    names: dict[str, str] = {}  # node id in the edge file -> repository name
    nodes: list[NetworkNode] = []
    if nodes_text is not None:
        nodes = read_csv_nodes(nodes_text, nodes_file.name if nodes_file else "nodes", names)
    reader = csv.DictReader(io.StringIO(text))
    columns = {column.strip().lower(): column for column in reader.fieldnames or []}
    missing = [column for column in ("source", "target", "weight") if column not in columns]
    if missing:
        raise BadNetworkFile(
            f"{label} line 1: the header must name source,target,weight (missing: {', '.join(missing)})"
        )
    shared_column = columns.get("shared") or columns.get("shareddevelopers")
    edges = []
    implicit: dict[str, str] = {}
    for row in reader:
        where = f"{label} line {reader.line_num}"
        ends = []
        for column in ("source", "target"):
            value = (row.get(columns[column]) or "").strip()
            end = names.get(value, value) if nodes_text is not None else value
            if nodes_text is None and value and value.lower() not in implicit:
                implicit[value.lower()] = where
                nodes.append(NetworkNode(value, None, where))
            ends.append(end)
        weight = csv_number(row.get(columns["weight"]), where, "weight")
        if weight is None:
            raise BadNetworkFile(f"{where}: the weight is empty")
        shared = csv_number(row.get(shared_column), where, "shared") if shared_column else None
        if shared is not None and not shared.is_integer():
            raise BadNetworkFile(f"{where}: shared {shared:g} is not a whole number of developers")
        edges.append(NetworkEdge(ends[0], ends[1], weight, None if shared is None else int(shared), where))
    return nodes, edges


def read_csv_nodes(text: str, label: str, names: dict[str, str]) -> list[NetworkNode]:
    reader = csv.DictReader(io.StringIO(text))
    columns = {column.strip().lower(): column for column in reader.fieldnames or []}
    id_column = columns.get("id") or columns.get("repo") or columns.get("name")
    if id_column is None:
        raise BadNetworkFile(
            f"{label} line 1: the nodes file's header must name id (or repo), optionally label, openrank"
        )
    nodes = []
    for row in reader:
        where = f"{label} line {reader.line_num}"
        ident = (row.get(id_column) or "").strip()
        repo = (row.get(columns["label"]) or "").strip() if "label" in columns else ""
        repo = repo if REPO_NAME.match(repo) else ident
        if ident in names:
            raise BadNetworkFile(f"{where}: duplicate node {ident}")
        names[ident] = repo
        openrank = csv_number(row.get(columns["openrank"]), where, "openrank") if "openrank" in columns else None
        nodes.append(NetworkNode(repo, openrank, where))
    return nodes


def csv_number(value: str | None, where: str, what: str) -> float | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return float(value)
    except ValueError as error:
        raise BadNetworkFile(f"{where}: {what} {value!r} is not a number") from error


# --- GraphML and GEXF (read with expat, which knows each element's line) ------------------


@dataclass
class XmlElement:
    tag: str  # local name, namespace dropped
    attrs: dict[str, str]
    line: int
    children: list[XmlElement] = field(default_factory=list)
    text: str = ""

    def find_all(self, tag: str) -> list[XmlElement]:
        found = []
        for child in self.children:
            if child.tag == tag:
                found.append(child)
            found.extend(child.find_all(tag))
        return found


def parse_xml(text: str, label: str) -> XmlElement:
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    root = XmlElement("", {}, 0)
    stack = [root]

    def start(tag: str, attrs: dict[str, str]) -> None:
        element = XmlElement(tag.rsplit(" ", 1)[-1], attrs, parser.CurrentLineNumber)
        stack[-1].children.append(element)
        stack.append(element)

    def end(_tag: str) -> None:
        stack.pop()

    def chars(data: str) -> None:
        stack[-1].text += data

    def refuse_entities(*_args: object) -> None:
        # entity declarations are how "billion laughs" files explode; graph files need none
        raise BadNetworkFile(f"{label} line {parser.CurrentLineNumber}: entity declarations are not accepted")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.EntityDeclHandler = refuse_entities
    try:
        parser.Parse(text, True)
    except xml.parsers.expat.ExpatError as error:
        raise BadNetworkFile(
            f"{label} line {error.lineno}: not well-formed XML ({xml.parsers.expat.errors.messages[error.code]})"
        ) from error
    if not root.children:
        raise BadNetworkFile(f"{label}: empty XML document")
    return root.children[0]


NAME_KEYS = ("name", "label", "repo")
SHARED_KEYS = ("shareddevelopers", "shared")


def parse_graphml(text: str, label: str, notes: list[str]) -> tuple[list[NetworkNode], list[NetworkEdge]]:
    root = parse_xml(text, label)
    if root.tag != "graphml":
        raise BadNetworkFile(f"{label} line {root.line}: expected a <graphml> document, found <{root.tag}>")
    keys: dict[str, str] = {}  # key id -> lower-cased attribute name
    defaults: dict[str, str] = {}
    for key in root.find_all("key"):
        keys[key.attrs.get("id", "")] = (key.attrs.get("attr.name") or key.attrs.get("id", "")).lower()
        for default in key.find_all("default"):
            defaults[keys[key.attrs.get("id", "")]] = default.text.strip()

    def values(element: XmlElement) -> dict[str, str]:
        data = {
            keys.get(d.attrs.get("key", ""), d.attrs.get("key", "").lower()): d.text.strip()
            for d in element.children
            if d.tag == "data"
        }
        return {**defaults, **data}

    return graph_items(root, label, notes, lambda element, _kind: values(element))


def parse_gexf(text: str, label: str, notes: list[str]) -> tuple[list[NetworkNode], list[NetworkEdge]]:
    root = parse_xml(text, label)
    if root.tag != "gexf":
        raise BadNetworkFile(f"{label} line {root.line}: expected a <gexf> document, found <{root.tag}>")
    titles: dict[tuple[str, str], str] = {}  # (class, attribute id) -> lower-cased title
    for block in root.find_all("attributes"):
        for attribute in block.find_all("attribute"):
            titles[block.attrs.get("class", "node"), attribute.attrs.get("id", "")] = attribute.attrs.get(
                "title", ""
            ).lower()

    def values(element: XmlElement, cls: str) -> dict[str, str]:
        return {
            titles.get((cls, value.attrs.get("for", "")), value.attrs.get("for", "").lower()): value.attrs.get(
                "value", ""
            )
            for value in element.find_all("attvalue")
        }

    return graph_items(root, label, notes, values)


def graph_items(
    root: XmlElement, label: str, notes: list[str], values: Callable[[XmlElement, str], dict[str, str]]
) -> tuple[list[NetworkNode], list[NetworkEdge]]:
    """Nodes and edges of a GraphML or GEXF document, given how to read an element's attribute
    values. A node's name: its label or a name attribute that looks like owner/repo, else its id."""
    names: dict[str, str] = {}
    nodes = []
    for node in root.find_all("node"):
        where = f"{label} line {node.line}"
        ident = node.attrs.get("id", "")
        data = values(node, "node")
        candidates = [node.attrs.get("label", ""), *(data.get(k, "") for k in NAME_KEYS)]
        repo = next((c for c in candidates if REPO_NAME.match(c)), ident)
        if ident in names:
            raise BadNetworkFile(f"{where}: duplicate node id {ident!r}")
        names[ident] = repo
        nodes.append(NetworkNode(repo, xml_number(data.get("openrank"), where, "openrank"), where))
    edges = []
    unweighted = 0
    for edge in root.find_all("edge"):
        where = f"{label} line {edge.line}"
        data = values(edge, "edge")
        weight = xml_number(edge.attrs.get("weight", data.get("weight")), where, "weight")
        if weight is None:
            unweighted += 1
            weight = 1.0
        shared = next((data[k] for k in SHARED_KEYS if k in data), None)
        edges.append(edge_of(names, edge, weight, xml_number(shared, where, "shared"), where))
    if unweighted:
        notes.append(f"{unweighted} edges without a weight counted as 1")
    return nodes, edges


def edge_of(names: dict[str, str], edge: XmlElement, weight: float, shared: float | None, where: str) -> NetworkEdge:
    ends = []
    for end in ("source", "target"):
        ident = edge.attrs.get(end, "")
        if ident not in names:
            raise BadNetworkFile(f"{where}: dangling edge: {end} {ident!r} is not a node of the network")
        ends.append(names[ident])
    if shared is not None and not shared.is_integer():
        raise BadNetworkFile(f"{where}: shared {shared:g} is not a whole number of developers")
    return NetworkEdge(ends[0], ends[1], weight, None if shared is None else int(shared), where)


def xml_number(value: str | None, where: str, what: str) -> float | None:
    return csv_number(value, where, what)


# --- writing ---------------------------------------------------------------------------------

DELETE_NETWORK = """
CALL () { MATCH (:Repo)-[l:NETWORK_LINK {network: $name}]->(:Repo) DELETE l }
CALL () { MATCH (n:Network {name: $name}) DETACH DELETE n }
CALL () { MATCH (n:Niche {window: $scope}) DETACH DELETE n }
CALL () { MATCH (run:NicheRun {window: $scope}) DELETE run }
CALL () { MATCH (:Repo)-[x:UPSTREAM_OF|COMPETES_WITH|PEER_OF {window: $scope}]->(:Repo) DELETE x }
"""

CREATE_MISSING_REPOS = """
UNWIND $nodes AS node
WITH node WHERE NOT EXISTS { MATCH (:Repo {nameLower: node.key}) }
MERGE (r:Repo {name: node.repo})
  ON CREATE SET r.nameLower = node.key, r.owner = node.owner
RETURN collect(r.name) AS created
"""

WRITE_MEMBERS = """
CREATE (n:Network)
SET n = $props
WITH n
UNWIND $nodes AS node
MATCH (r:Repo {nameLower: node.key})
WITH n, node, r ORDER BY r.name
WITH n, node, collect(r)[0] AS r
CREATE (r)-[:IN_NETWORK {openrank: node.openrank}]->(n)
RETURN node.key AS key, r.name AS name
"""

WRITE_LINKS = """
UNWIND $edges AS edge
MATCH (s:Repo {name: edge.source})
MATCH (t:Repo {name: edge.target})
CREATE (s)-[:NETWORK_LINK {network: $name, weight: edge.weight, sharedDevelopers: edge.shared}]->(t)
RETURN count(*) AS links
"""


@dataclass
class NetworkWrite:
    data: NetworkData
    created: list[str]  # projects that were not in the graph: new Repo nodes without contributions
    links: int

    def describe(self) -> str:
        data = self.data
        period = f"period {data.period}" if data.period else "period not stated (give --window A:B)"
        lines = [
            f"{data.source}: network '{data.name}' ({data.format}): {len(data.nodes)} projects, {self.links} links; "
            f"{len(self.created)} projects were not in the graph and are new Repo nodes without contributions; "
            f"weights: {data.weight_meaning}; {period}"
        ]
        lines += [f"  note: {note}" for note in data.notes]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return self.data.properties() | {"edges": self.links, "createdRepos": self.created, "notes": self.data.notes}


def write_network(graph: Graph, data: NetworkData) -> NetworkWrite:
    """Validate `data`, then replace the network of that name in one transaction."""
    data.check()
    graph.apply_schema()
    props = data.properties() | {"loadedAt": datetime.now(UTC).isoformat(timespec="seconds")}
    nodes = [
        {"repo": node.repo, "key": node.repo.lower(), "owner": node.repo.split("/")[0], "openrank": node.openrank}
        for node in data.nodes
    ]

    def work(tx: Any) -> NetworkWrite:
        tx.run(DELETE_NETWORK, name=data.name, scope=network_scope(data.name)).consume()
        created = tx.run(CREATE_MISSING_REPOS, nodes=nodes).single(strict=True)["created"]
        spelling = {row["key"]: row["name"] for row in tx.run(WRITE_MEMBERS, props=props, nodes=nodes)}
        edges = []
        for edge in data.edges:
            a, b = sorted((spelling[edge.source.lower()], spelling[edge.target.lower()]))
            edges.append({"source": a, "target": b, "weight": float(edge.weight), "shared": edge.shared})
        links = tx.run(WRITE_LINKS, name=data.name, edges=edges).single(strict=True)["links"]
        tx.run(REFRESH_DOMAINS, names=created).consume()
        return NetworkWrite(data, sorted(created), int(links))

    return graph.write_tx(work)
