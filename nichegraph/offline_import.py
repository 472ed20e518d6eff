"""Neo4j's offline importer, run for the local server nichegraph manages.

`neo4j-admin database import full` (the `neo4j-import-tool` jar among those `nichegraph db
install` cached) writes a store from CSV files many times faster than transactions can, but
only into a database no server has open. `import_offline` imports into a staging folder
beside the server's data while the server still runs, checks the counts the importer reports,
stops the server, swaps the staged database in (renames recorded in a journal first:
`localdb.swap_in_store`) and starts the server with the command line it ran with before.
Until the swap the old database is untouched and, until the import is done, still served: a
failed or killed import leaves the server running on it; a new database that will not start
is swapped out again. A kill after the import leaves either the old database (the server
stopped: `nichegraph db start`) or a journal the next start finishes.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from nichegraph import localdb
from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import NichegraphError

Say = Callable[[str], None]

WORKDIR = "bulk-import"
SERVER_PID = "CALL dbms.queryJmx('java.lang:type=Runtime') YIELD attributes RETURN attributes.Pid.value AS pid"
IMPORTED = re.compile(r"Imported:\s+(\d+) nodes\s+(\d+) relationships", re.MULTILINE)


class ImportFailed(NichegraphError):
    """The offline import did not complete; the message says what state the database is in."""


@dataclass(frozen=True)
class ManagedServer:
    """A running local server started by nichegraph, and how to run it again."""

    pid: int
    command: list[str]  # its command line, reused as it is to restart it
    server: localdb.LocalServer

    @property
    def home(self) -> Path:
        return self.server.home

    @property
    def class_path(self) -> str:
        return self.command[self.command.index("-cp") + 1]

    @property
    def java(self) -> str:
        return self.command[0]

    @property
    def workdir(self) -> Path:
        return self.home / WORKDIR


@dataclass(frozen=True)
class ImportInput:
    """CSV files for the importer (one header line each) and what they must produce."""

    nodes: list[tuple[str, Path]]  # (label, file)
    relationships: list[tuple[str, Path]]  # (type, file)
    node_count: int
    relationship_count: int


@dataclass
class ImportTimings:
    """Wall seconds per step and, where it can be read, CPU seconds: on a shared machine the
    wall time of a step moves with other people's load, its CPU time far less."""

    seconds: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)

    def lap(self, name: str, started: float) -> float:
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - started
        return now

    def cpu_lap(self, name: str, before: float, after: float) -> None:
        self.cpu[name] = self.cpu.get(name, 0.0) + max(0.0, after - before)


def own_cpu_seconds() -> float:
    """CPU of this process and of its children that have been waited for (the parsing
    processes, the importer)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def process_cpu_seconds(pid: int) -> float:
    """CPU a running process on this machine has used so far (0.0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def find_managed_server(graph: Graph, settings: Settings) -> tuple[ManagedServer | None, str]:
    """The local server nichegraph runs at graph's URI, or None and the reason it is not one."""
    host = urlsplit(graph.uri).hostname or "localhost"
    if host not in localdb.LOOPBACK_HOSTS:
        return None, f"{graph.uri} is not on this machine"
    rows = graph.read(SERVER_PID)
    pid = rows[0]["pid"] if rows else None
    if not isinstance(pid, int):
        return None, f"the server at {graph.uri} does not report its process id"
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]
    except OSError:
        return None, f"the server at {graph.uri} runs outside this machine's processes (a container?)"
    homes = [arg.split("=", 1)[1] for arg in command if arg.startswith("--home-dir=")]
    if localdb.ENTRY_POINT not in command or "-cp" not in command or not homes:
        return None, f"the server at {graph.uri} (pid {pid}) was not started by nichegraph"
    _host, port = localdb.bolt_address(graph.uri)
    home = Path(homes[0])
    server = localdb.LocalServer(
        home=home,
        bolt_port=port,
        http_port=localdb.configured_http_port(localdb.LocalServer(home, port, 0, "", "", settings.cache_dir)),
        user=settings.neo4j_user,
        password=settings.neo4j_password,
        cache_dir=settings.cache_dir,
    )
    if localdb.read_pid(server) != pid:
        return None, f"the server at {graph.uri} (pid {pid}) is not the one whose pid file is in {home}"
    return ManagedServer(pid, command, server), ""


def prepare_workdir(target: ManagedServer) -> Path:
    """An empty folder beside the server's data (renames into place need the same disk)."""
    if (target.home / localdb.SWAP_JOURNAL).exists():
        raise ImportFailed(
            f"{target.home} holds an unfinished database swap; restart the server "
            "(`nichegraph db stop`, then `nichegraph db start`) to finish it"
        )
    shutil.rmtree(target.workdir, ignore_errors=True)  # what an interrupted import left
    target.workdir.mkdir(parents=True)
    return target.workdir


def import_offline(target: ManagedServer, files: ImportInput, say: Say, timings: ImportTimings) -> None:
    """Import `files` into a new database, then stop the server, swap it in and start it."""
    clock, cpu = time.perf_counter(), own_cpu_seconds()
    # the importer writes into a folder of its own: the server keeps serving the old database
    # until the import is done, so a failed or interrupted import leaves it running untouched
    importer = Importer(target, files, say)
    try:
        staged = importer.finish()
    finally:
        importer.kill()
    clock = timings.lap("import", clock)
    timings.cpu_lap("import", cpu, own_cpu_seconds())
    localdb.stop(target.server, say=lambda _message: None)
    clock = timings.lap("stop server", clock)
    replaced = target.workdir / "replaced"
    moves = localdb.swap_in_store(target.home, staged, replaced)
    clock = timings.lap("swap", clock)
    try:
        pid = restart(target, say)
    except NichegraphError as error:
        localdb.stop(target.server, say=lambda _message: None)
        localdb.undo_swap(moves)
        restart(target, say)
        raise ImportFailed(f"the imported database did not start ({error}); the old one is back in place") from error
    timings.lap("start server", clock)
    timings.cpu_lap("start server", 0.0, process_cpu_seconds(pid))
    shutil.rmtree(target.workdir, ignore_errors=True)


def importer_command(target: ManagedServer, files: ImportInput, data_dir: Path) -> list[str]:
    return [
        target.java,
        *localdb.class_sharing_flags(target.server, target.java, record=False),
        "-cp",
        target.class_path,
        localdb.ADMIN_TOOL,
        "database",
        "import",
        "full",
        localdb.DATABASE,
        "--overwrite-destination=true",
        "--bad-tolerance=0",
        "--id-type=actual",  # loader/import_files.py gives every node its node ID
        f"--report-file={data_dir.parent / 'import.report'}",
        *[f"--nodes={label}={path}" for label, path in files.nodes],
        *[f"--relationships={rel_type}={path}" for rel_type, path in files.relationships],
    ]


class Importer:
    """`neo4j-admin database import full` running into <workdir>/data."""

    def __init__(self, target: ManagedServer, files: ImportInput, say: Say) -> None:
        self.files = files
        self.data_dir = target.workdir / "data"
        conf_dir = target.workdir / "conf"
        conf_dir.mkdir(exist_ok=True)
        # the admin tool validates its configuration strictly: only the data folder
        (conf_dir / "neo4j.conf").write_text(f"server.directories.data={self.data_dir}\n", encoding="utf-8")
        self.log = target.workdir / "import.log"
        env = dict(os.environ, NEO4J_HOME=str(target.workdir), NEO4J_CONF=str(conf_dir))
        say(f"importing {files.node_count:,} nodes and {files.relationship_count:,} relationships offline ...")
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                importer_command(target, files, self.data_dir), stdout=out, stderr=subprocess.STDOUT, env=env
            )

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def finish(self) -> Path:
        """Wait for the importer; return the data folder once the counts are right."""
        returncode = self.process.wait()
        text = self.log.read_text(errors="replace")
        if returncode != 0:
            tail = "\n".join([line for line in text.splitlines() if not line.startswith(".")][-12:])
            raise ImportFailed(
                f"neo4j-admin database import failed (exit {returncode}); the database is unchanged. "
                f"Last lines of {self.log}:\n{tail}"
            )
        counts = IMPORTED.search(text)
        got = (int(counts.group(1)), int(counts.group(2))) if counts else None
        expected = (self.files.node_count, self.files.relationship_count)
        if got != expected:
            raise ImportFailed(
                f"neo4j-admin imported {got} (nodes, relationships), expected {expected}; "
                f"the database is unchanged (see {self.log})"
            )
        return self.data_dir


def restart(target: ManagedServer, say: Say, timeout: float = 300.0) -> int:
    """Start the server again exactly as it ran before; return its process id."""
    process = localdb.launch_command(target.server, localdb.with_class_archive(target.server, target.command))
    localdb.wait_until_answering(target.server, timeout, process)
    say(f"Neo4j answers again at {target.server.uri}")
    return process.pid
