"""Where events are read: GH Archive files through embedded ClickHouse (chdb), or a ClickHouse
server through the official client (clickhouse-connect). Both answer the same SQL text.

- `FilesStore` imports the files into a table in X-lab's layout inside a throw-away chdb
  database (one pass of JSON parsing, only the event kinds that count), refusing any malformed
  line, truncated gzip or event of an unknown shape with the file and line; every later
  statement reads that table.
- `ServerStore` reads a table in place; its layout (X-lab's `opensource.events` or ClickHouse's
  `github_events`) is recognised from its columns.
"""

from __future__ import annotations

import glob
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from nichegraph.errors import BadParameter, NichegraphError
from nichegraph.loader.events import sql
from nichegraph.loader.events.diagnose import diagnose_file

SERVER_SCHEMES = {"clickhouse": (8123, False), "clickhouses": (8443, True)}
IMPORT_DATABASE = "nichegraph"
IMPORT_TABLE = "events"
FILES_PER_STATEMENT = 8
PROBLEMS_SHOWN = 5
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# where ClickHouse names the file it was reading when it failed
FAILED_FILE = re.compile(r"\(in file/uri (.+?)\)")


class EventsInputError(NichegraphError):
    """Events that cannot be read: the message names the file and line (nothing was written)."""


class EventsStore(Protocol):
    label: str
    layout: str

    def rows(self, name: str, parameters: dict[str, Any], views: tuple[str, ...] = ()) -> list[dict[str, Any]]: ...


def is_server_url(text: str) -> bool:
    return urlsplit(text).scheme in SERVER_SCHEMES


@contextmanager
def open_events(
    source: str,
    *,
    password: str | None = None,
    note: Callable[[str], None] = lambda _text: None,
) -> Iterator[EventsStore]:
    """The events of SOURCE: a clickhouse(s):// URL, or GH Archive files (a folder, a glob or a file)."""
    if is_server_url(source):
        server = ServerStore.connect(source, password)
        try:
            yield server
        finally:
            server.client.close()
        return
    store = FilesStore(source, find_files(source))
    try:
        store.load(note)
        yield store
    finally:
        store.close()


def find_files(source: str) -> list[Path]:
    path = Path(source).expanduser()
    if path.is_dir():
        files = sorted(path.glob("*.json.gz"))
        where = f"{source} holds no GH Archive files (*.json.gz)"
    elif path.is_file():
        files = [path]
        where = ""
    else:
        files = sorted(Path(name) for name in glob.glob(str(path)) if Path(name).is_file())
        where = f"{source} is not a clickhouse:// URL and matches no file"
    if not files:
        raise BadParameter(f"SOURCE: {where}")
    return files


@dataclass
class ImportReport:
    files: int = 0
    bytes_read: int = 0
    rows: int = 0  # events of the kinds that count, in the months asked for
    seconds: float = 0.0


@dataclass
class FilesStore:
    """GH Archive files imported into a private chdb database that lives as long as the store."""

    source: str
    files: list[Path]
    layout: str = sql.XLAB
    report: ImportReport = field(default_factory=ImportReport)

    def __post_init__(self) -> None:
        self.label = f"events:{self.source}"
        self.folder = Path(tempfile.mkdtemp(prefix="nichegraph-chdb-"))
        from chdb import session

        self.session = session.Session(str(self.folder / "db"))

    def close(self) -> None:
        self.session.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def table(self) -> dict[str, str]:
        return {"database": IMPORT_DATABASE, "table": IMPORT_TABLE}

    def run(self, text: str, parameters: dict[str, Any], output: str = "ArrowTable") -> Any:
        return self.session.query(text, output, params=sql.text_parameters(parameters))

    def rows(self, name: str, parameters: dict[str, Any], views: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        result = self.run(sql.over_events(self.layout, name, views), {**self.table(), **parameters})
        return result.to_pylist()

    def load(self, note: Callable[[str], None], quiet: bool = False) -> ImportReport:
        """Import every file; refuse the lot at the first bad line."""
        import time

        from nichegraph.progress import Progress

        started = time.monotonic()
        self.run(f"CREATE DATABASE {IMPORT_DATABASE}", {}, "CSV")
        self.run(sql.statement("create_events_table"), self.table(), "CSV")
        todo = list(batches(self.files, FILES_PER_STATEMENT))
        progress = Progress(total=len(todo), unit="batches of files", quiet=quiet or len(todo) < 8)
        note(f"reading {len(self.files)} GH Archive file(s) from {self.source} with chdb")
        for batch in todo:
            self.import_batch(batch)
            progress.item_done(f"{batch[0].name} .. {batch[-1].name}", 0)
        progress.finish()
        self.check_problems()
        self.report.files = len(self.files)
        self.report.bytes_read = sum(path.stat().st_size for path in self.files)
        self.report.rows = self.run(
            "SELECT count() AS rows FROM {database:Identifier}.{table:Identifier}", self.table()
        ).to_pylist()[0]["rows"]
        self.report.seconds = time.monotonic() - started
        return self.report

    def import_batch(self, batch: list[Path]) -> None:
        parameters = {**self.table(), "path": file_pattern(batch)}
        try:
            self.run(sql.statement("import_gharchive"), parameters, "CSV")
        except Exception as error:  # chdb raises its own error types; every one is about the input here
            raise EventsInputError(explain_failure(str(error), batch)) from None

    def check_problems(self) -> None:
        problems = self.run(
            "SELECT source_file, source_line, problem FROM {database:Identifier}.{table:Identifier} "
            "WHERE problem != '' ORDER BY source_file, source_line LIMIT {limit:UInt32}",
            {**self.table(), "limit": PROBLEMS_SHOWN},
        ).to_pylist()
        if problems:
            lines = [f"{row['source_file']} line {row['source_line']}: {row['problem']}" for row in problems]
            raise EventsInputError("events of an unknown shape (nothing was loaded):\n  " + "\n  ".join(lines))


def batches(files: list[Path], size: int) -> Iterator[list[Path]]:
    """Files of one folder together, at most `size` a statement."""
    by_folder: dict[Path, list[Path]] = {}
    for path in files:
        by_folder.setdefault(path.resolve().parent, []).append(path.resolve())
    for folder_files in by_folder.values():
        for start in range(0, len(folder_files), size):
            yield folder_files[start : start + size]


def file_pattern(batch: list[Path]) -> str:
    """One path ClickHouse's file() reads as exactly these files: folder/{a,b,c}."""
    names = [path.name for path in batch]
    if any(set(name) & set("{},*?\\'") for name in names):
        raise BadParameter(f"SOURCE: file names with any of {{}},*?\\' cannot be read: {names[0]}")
    if len(names) == 1:
        return str(batch[0])
    return f"{batch[0].parent}/{{{','.join(names)}}}"


def explain_failure(message: str, batch: list[Path]) -> str:
    """Name the file and line a failed import choked on: ClickHouse names the file, a line-by-line
    read of that file finds the line (it also checks the others, should the name be missing)."""
    named = FAILED_FILE.search(message)
    suspects = [Path(named.group(1))] if named else []
    suspects += [path for path in batch if path not in suspects]
    for path in suspects:
        found = diagnose_file(path)
        if found:
            return f"{found} (nothing was loaded)"
    first_line = message.strip().splitlines()[0]
    where = named.group(1) if named else ", ".join(str(path) for path in batch)
    return f"{where}: ClickHouse could not read it: {first_line} (nothing was loaded)"


@dataclass
class ServerStore:
    """A table on a ClickHouse server or cluster, read with clickhouse-connect."""

    label: str
    client: Any
    database: str
    name: str
    layout: str

    @classmethod
    def connect(cls, url: str, password: str | None) -> ServerStore:
        target = parse_server_url(url)
        import clickhouse_connect

        try:
            client = clickhouse_connect.get_client(
                host=target.host,
                port=target.port,
                username=target.user,
                password=password or "",
                secure=target.secure,
                database=target.database,
            )
        except Exception as error:
            raise NichegraphError(f"SOURCE: cannot use the ClickHouse server at {target.label}: {error}") from None
        layout = detect_layout(target.label, server_columns(client, target))
        return cls(target.label, client, target.database, target.table, layout)

    def rows(self, name: str, parameters: dict[str, Any], views: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        text = sql.over_events(self.layout, name, views)
        try:
            result = self.client.query(text, parameters={"database": self.database, "table": self.name, **parameters})
        except Exception as error:
            raise NichegraphError(f"{self.label}: the query {name} failed: {error}") from None
        return [dict(zip(result.column_names, row, strict=True)) for row in result.result_rows]


@dataclass(frozen=True)
class ServerTarget:
    host: str
    port: int
    user: str
    database: str
    table: str
    secure: bool

    @property
    def label(self) -> str:
        scheme = "clickhouses" if self.secure else "clickhouse"
        return f"{scheme}://{self.user}@{self.host}:{self.port}/{self.database}.{self.table}"


def parse_server_url(url: str) -> ServerTarget:
    """clickhouse://[user@]host[:port]/database.table (clickhouses:// for TLS)."""
    parts = urlsplit(url)
    default_port, secure = SERVER_SCHEMES[parts.scheme]
    if parts.password is not None:
        raise BadParameter("SOURCE: put no password in the URL; set NICHEGRAPH_CLICKHOUSE_PASSWORD instead")
    path = parts.path.strip("/")
    database, _, table = path.partition(".")
    if not parts.hostname or not IDENTIFIER.match(database) or not IDENTIFIER.match(table):
        raise BadParameter(f"SOURCE: {url!r} is not clickhouse://[user@]host[:port]/database.table")
    try:
        port = parts.port or default_port
    except ValueError:
        raise BadParameter(f"SOURCE: {url!r} has a port that is not a number") from None
    return ServerTarget(parts.hostname, port, unquote(parts.username or "default"), database, table, secure)


def server_columns(client: Any, target: ServerTarget) -> set[str]:
    try:
        result = client.query(
            "SELECT name FROM system.columns WHERE database = {database:String} AND table = {table:String}",
            parameters={"database": target.database, "table": target.table},
        )
    except Exception as error:
        raise NichegraphError(f"SOURCE: cannot read the columns of {target.label}: {error}") from None
    return {row[0] for row in result.result_rows}


def detect_layout(label: str, columns: set[str]) -> str:
    """X-lab's opensource.events or ClickHouse's github_events, from the table's columns."""
    if not columns:
        raise BadParameter(f"SOURCE: {label}: no such table")
    missing = {layout: [c for c in needed if c not in columns] for layout, needed in sql.LAYOUT_COLUMNS.items()}
    for layout in sql.LAYOUTS:
        if not missing[layout]:
            return layout
    raise BadParameter(
        f"SOURCE: {label} has neither layout: X-lab's opensource.events lacks {', '.join(missing[sql.XLAB])}; "
        f"ClickHouse's github_events lacks {', '.join(missing[sql.GITHUB_EVENTS])}"
    )
