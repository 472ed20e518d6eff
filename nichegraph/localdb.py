"""A real Neo4j 5 LTS community server on loopback, built from Maven Central artifacts.

`install` resolves the server, its Bolt connector and Neo4j Browser with Maven once
and copies the jars into the cache; `start` runs the server's own entry point
(`org.neo4j.server.CommunityEntryPoint`, what the `neo4j` launcher runs) in the
background from that folder, so later starts never touch the network.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import DatabaseUnavailable, NichegraphError

NEO4J_VERSION = "5.26.30"
BROWSER_VERSION = "5.24.0"
MIN_JAVA = 17
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
POM_FILE = Path(__file__).resolve().parent / "neo4j_server" / "pom.xml"
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}

# The JVM flags the official launcher passes (conf/neo4j.conf: server.jvm.additional),
# minus AlwaysPreTouch, which makes a large heap slow to start on small machines.
JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
]


class LocalServerError(NichegraphError):
    exit_code = 4


@dataclass(frozen=True)
class LocalServer:
    """One server instance: its folder, its ports and the credentials it is created with."""

    home: Path
    bolt_port: int
    http_port: int
    user: str
    password: str
    cache_dir: Path
    heap: str = "2g"
    pagecache: str = "1g"

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        home: Path | None = None,
        http_port: int | None = None,
        heap: str | None = None,
        pagecache: str | None = None,
    ) -> LocalServer:
        host, bolt_port = bolt_address(settings.neo4j_uri)
        if host not in LOOPBACK_HOSTS:
            raise LocalServerError(
                f"NEO4J_URI points at {host}, not this machine; `nichegraph db` only manages "
                "a local server. Unset NEO4J_URI or point it at localhost."
            )
        return cls(
            home=home or settings.data_dir / "neo4j",
            bolt_port=bolt_port,
            http_port=http_port or settings.http_port,
            user=settings.neo4j_user,
            password=settings.neo4j_password,
            cache_dir=settings.cache_dir,
            heap=heap or settings.neo4j_heap,
            pagecache=pagecache or settings.neo4j_pagecache,
        )

    @property
    def uri(self) -> str:
        return f"bolt://localhost:{self.bolt_port}"

    @property
    def browser_url(self) -> str:
        return f"http://localhost:{self.http_port}/browser/"

    @property
    def lib_dir(self) -> Path:
        return self.cache_dir / f"neo4j-{NEO4J_VERSION}-browser-{BROWSER_VERSION}" / "lib"

    @property
    def conf_dir(self) -> Path:
        return self.home / "conf"

    @property
    def pid_file(self) -> Path:
        return self.home / "run" / "neo4j.pid"

    @property
    def console_log(self) -> Path:
        return self.home / "logs" / "console.log"

    def graph(self) -> Graph:
        settings = Settings(neo4j_uri=self.uri, neo4j_user=self.user, neo4j_password=self.password)
        return Graph(settings, connection_timeout=2.0)


def bolt_address(uri: str) -> tuple[str, int]:
    parts = urlsplit(uri)
    if parts.scheme not in {"bolt", "neo4j", "bolt+s", "neo4j+s", "bolt+ssc", "neo4j+ssc"}:
        raise LocalServerError(f"NEO4J_URI {uri!r} is not a bolt:// or neo4j:// address")
    return parts.hostname or "localhost", parts.port or 7687


# --- prerequisites -------------------------------------------------------------------


def java_major_version(java: str) -> int:
    result = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    if not match:
        raise LocalServerError(f"could not read the Java version from `{java} -version`")
    major = int(match.group(1))
    # Java 8 and older report "1.8"
    return int(match.group(2) or 0) if major == 1 else major


def require_java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    candidate = str(Path(java_home) / "bin" / "java") if java_home else None
    java = candidate if candidate and Path(candidate).exists() else shutil.which("java")
    if not java:
        raise LocalServerError(
            f"Java {MIN_JAVA} or newer is required to run the local Neo4j, and no `java` was "
            "found on PATH or in JAVA_HOME. Install OpenJDK 17 (Debian: apt install "
            "openjdk-17-jre-headless), or use `docker compose up` / an existing server via NEO4J_URI."
        )
    major = java_major_version(java)
    if major < MIN_JAVA:
        raise LocalServerError(f"{java} is Java {major}; Neo4j {NEO4J_VERSION} needs Java {MIN_JAVA}+")
    return java


def require_maven() -> str:
    mvn = shutil.which("mvn")
    if not mvn:
        raise LocalServerError(
            "Maven (`mvn`) is required once, to download Neo4j from Maven Central into "
            "the cache, and it was not found on PATH. Install Maven (Debian: apt install maven) "
            "or use `docker compose up` / an existing server via NEO4J_URI."
        )
    return mvn


# --- install -------------------------------------------------------------------------


def is_installed(server: LocalServer) -> bool:
    return (server.lib_dir / ".complete").exists()


def install(server: LocalServer, say: Callable[[str], None] = print) -> Path:
    """Resolve the jars with Maven into the cache, once; return the lib folder."""
    if is_installed(server):
        return server.lib_dir
    mvn = require_maven()
    require_java()
    target = server.lib_dir
    target.parent.mkdir(parents=True, exist_ok=True)
    say(f"Downloading Neo4j {NEO4J_VERSION} and Neo4j Browser {BROWSER_VERSION} from Maven Central ...")
    with tempfile.TemporaryDirectory(dir=target.parent, prefix="lib-partial-") as partial:
        command = [
            mvn,
            "-B",
            "-q",
            "-f",
            str(POM_FILE),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={partial}",
            "-DincludeScope=runtime",
            f"-Dneo4j.version={NEO4J_VERSION}",
            f"-Dbrowser.version={BROWSER_VERSION}",
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
            raise LocalServerError(f"Maven could not resolve Neo4j (exit {result.returncode}):\n{tail}")
        jars = list(Path(partial).glob("*.jar"))
        if not any(jar.name.startswith("neo4j-server-") for jar in jars):
            raise LocalServerError(f"Maven finished but no neo4j-server jar arrived in {partial}")
        (Path(partial) / ".complete").write_text(f"{len(jars)} jars\n")
        if target.exists():
            shutil.rmtree(target)
        # rename, so that an interrupted download never looks installed
        Path(partial).rename(target)
        Path(partial).mkdir()  # let TemporaryDirectory clean up an empty folder
    say(f"Cached {len(list(target.glob('*.jar')))} jars in {target}")
    return target


# --- configuration -------------------------------------------------------------------


def write_config(server: LocalServer) -> Path:
    for sub in ("conf", "data", "logs", "run", "import"):
        (server.home / sub).mkdir(parents=True, exist_ok=True)
    home = server.home.resolve()
    conf = server.conf_dir / "neo4j.conf"
    conf.write_text(
        "\n".join(
            [
                "# Written by `nichegraph db start`; edits are overwritten on the next start.",
                "server.default_listen_address=127.0.0.1",
                "server.default_advertised_address=localhost",
                f"server.bolt.listen_address=127.0.0.1:{server.bolt_port}",
                f"server.bolt.advertised_address=localhost:{server.bolt_port}",
                f"server.http.listen_address=127.0.0.1:{server.http_port}",
                f"server.http.advertised_address=localhost:{server.http_port}",
                "server.https.enabled=false",
                f"server.directories.data={home / 'data'}",
                f"server.directories.logs={home / 'logs'}",
                f"server.directories.run={home / 'run'}",
                f"server.directories.import={home / 'import'}",
                f"server.memory.pagecache.size={server.pagecache}",
                "dbms.security.auth_enabled=true",
                # the explorer must work air-gapped: Browser sends no usage data to neo4j.com
                "client.allow_telemetry=false",
                "db.tx_log.rotation.retention_policy=2 files",
                # Bolt's network threads otherwise wait out two 5 s quiet periods on every stop
                "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
                # the server otherwise reports usage to neo4j.com (air-gapped: a connection that never succeeds)
                "dbms.usage_report.enabled=false",
                "",
            ]
        ),
        encoding="utf-8",
    )
    return conf


def set_initial_password(server: LocalServer, java: str) -> None:
    """Before the very first start, give the `neo4j` user the configured password."""
    if (server.home / "data" / "dbms" / "auth.ini").exists() or (
        server.home / "data" / "databases" / "system"
    ).exists():
        return
    command = [
        java,
        *class_sharing_flags(server, java, record=False),
        "-cp",
        str(server.lib_dir / "*"),
        ADMIN_TOOL,
        "dbms",
        "set-initial-password",
        server.password,
    ]
    # The admin tool validates its config strictly and does not know the server's
    # browser.* settings, so it gets a config of its own with just the data folder.
    with tempfile.TemporaryDirectory(prefix="nichegraph-admin-conf-") as admin_conf:
        (Path(admin_conf) / "neo4j.conf").write_text(
            f"server.directories.data={(server.home / 'data').resolve()}\n", encoding="utf-8"
        )
        env = dict(os.environ, NEO4J_HOME=str(server.home.resolve()), NEO4J_CONF=admin_conf)
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        raise LocalServerError(f"could not set the initial Neo4j password: {(result.stderr or result.stdout).strip()}")


# --- process control -----------------------------------------------------------------


def read_pid(server: LocalServer) -> int | None:
    try:
        pid = int(server.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if process_is_neo4j(pid) else None


def process_is_neo4j(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return ENTRY_POINT.encode() in cmdline


def port_is_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass(frozen=True)
class Status:
    running: bool
    answering: bool
    pid: int | None
    uri: str
    browser_url: str
    home: Path
    version: str | None
    edition: str | None
    managed: bool

    def describe(self) -> str:
        if not self.answering:
            state = "starting or unresponsive" if self.running else "stopped"
            return f"Neo4j {state}; bolt {self.uri}; data {self.home}"
        owner = f"local server, pid {self.pid}" if self.managed else "not started by nichegraph"
        lines = [
            f"Neo4j {self.version} {self.edition} answering at {self.uri} ({owner})",
            f"  data:    {self.home}" if self.managed else "",
            f"  browser: {self.browser_url}" if self.managed else "",
        ]
        return "\n".join(line for line in lines if line)


def configured_http_port(server: LocalServer) -> int:
    """The HTTP port the running instance was started with (its neo4j.conf), else the planned one."""
    conf = server.conf_dir / "neo4j.conf"
    if conf.exists():
        match = re.search(r"^server\.http\.listen_address=.*:(\d+)$", conf.read_text(), re.MULTILINE)
        if match:
            return int(match.group(1))
    return server.http_port


def status(server: LocalServer) -> Status:
    pid = read_pid(server)
    info: dict[str, str] = {}
    with server.graph() as graph:
        try:
            info = graph.server_info()
        except DatabaseUnavailable:
            info = {}
    return Status(
        running=pid is not None,
        answering=bool(info),
        pid=pid,
        uri=server.uri,
        browser_url=f"http://localhost:{configured_http_port(server) if pid else server.http_port}/browser/",
        home=server.home,
        version=info.get("version"),
        edition=info.get("edition"),
        managed=pid is not None,
    )


def start(server: LocalServer, say: Callable[[str], None] = print, timeout: float = 180.0) -> Status:
    """Start the server in the background unless something already answers at its URI."""
    current = status(server)
    if current.answering:
        say(f"Already running: {current.describe()}")
        return current
    if port_is_open(server.bolt_port) and current.pid is None:
        raise LocalServerError(
            f"port {server.bolt_port} is taken by a process that does not answer as Neo4j "
            f"with the configured credentials; stop it or choose another port in NEO4J_URI"
        )
    if port_is_open(server.http_port) and current.pid is None:
        raise LocalServerError(f"HTTP port {server.http_port} is taken; set NICHEGRAPH_HTTP_PORT or --http-port")
    java = require_java()
    install(server, say)
    process = None
    if current.pid is None:
        if finish_interrupted_swap(server.home):
            say(f"Finished swapping in the database a bulk load had imported into {server.home}")
        write_config(server)
        set_initial_password(server, java)
        process = launch(server, java)
    say(f"Starting Neo4j {NEO4J_VERSION} at {server.uri} (data in {server.home}) ...")
    return wait_until_answering(server, timeout, process)


def launch(server: LocalServer, java: str) -> subprocess.Popen[bytes]:
    command = [
        java,
        f"-Xms{server.heap}",
        f"-Xmx{server.heap}",
        *JVM_FLAGS,
        *class_sharing_flags(server, java),
        "-cp",
        str(server.lib_dir / "*"),
        ENTRY_POINT,
        f"--home-dir={server.home.resolve()}",
        f"--config-dir={server.conf_dir.resolve()}",
    ]
    return launch_command(server, command)


# --- class data sharing ------------------------------------------------------------------
# Most of a start is the JVM loading and verifying thousands of classes from 214 jars. The first
# server run records them (-XX:ArchiveClassesAtExit, written when it stops); every later start,
# and the bulk importer, maps that archive instead (-XX:SharedArchiveFile): about half the CPU
# of a start. The archive is per Java binary; a JVM that cannot use it warns in console.log and
# loads the classes from the jars as before.

CLASS_DUMP = "classes.jsa.partial"  # in <home>/run, until the recording server has stopped


def class_archive(server: LocalServer, java: str) -> Path:
    """The shared class archive for the cached jars run by this Java binary."""
    binary = Path(java).resolve()
    stamp = f"{binary}:{binary.stat().st_mtime_ns}" if binary.exists() else str(binary)
    return server.lib_dir.parent / f"classes-{hashlib.sha1(stamp.encode()).hexdigest()[:12]}.jsa"


def class_sharing_flags(server: LocalServer, java: str, record: bool = True) -> list[str]:
    """Use the archive when there is one; else (record) have this server write it when it stops."""
    archive = class_archive(server, java)
    if archive.exists():
        return [f"-XX:SharedArchiveFile={archive}"]
    return [f"-XX:ArchiveClassesAtExit={(server.home / 'run' / CLASS_DUMP).resolve()}"] if record else []


def with_class_archive(server: LocalServer, command: list[str]) -> list[str]:
    """A server command line that recorded the class archive, now that the archive exists:
    map it instead of recording it again."""
    recording = [arg for arg in command if arg.startswith("-XX:ArchiveClassesAtExit=")]
    if not recording or not class_archive(server, command[0]).exists():
        return command
    return [class_sharing_flags(server, command[0])[0] if arg in recording else arg for arg in command]


def server_java(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode()
    except OSError:
        return ""


def keep_class_archive(server: LocalServer, java: str, complete: bool) -> None:
    """After a server stopped: put the archive it recorded in the cache (whole files only)."""
    dump = server.home / "run" / CLASS_DUMP
    if not dump.exists() or not java:
        return
    archive = class_archive(server, java)
    if complete and not archive.exists():
        staged = archive.with_name(f"{archive.name}.{os.getpid()}")
        shutil.copyfile(dump, staged)  # the cache may be on another disk: copy, then rename
        staged.replace(archive)
    dump.unlink(missing_ok=True)


def launch_command(server: LocalServer, command: list[str]) -> subprocess.Popen[bytes]:
    """Run a server command line in the background, detached, logging to console.log."""
    with server.console_log.open("ab") as log:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=server.home,
            start_new_session=True,  # survives the command that started it
        )
    server.pid_file.write_text(f"{process.pid}\n")
    return process


def wait_until_answering(server: LocalServer, timeout: float, process: subprocess.Popen[bytes] | None = None) -> Status:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = status(server)
        if current.answering:
            return current
        # a process we just launched may not have exec'd java yet, so ask it, not /proc
        exited = process.poll() is not None if process else not current.running
        if exited:
            raise LocalServerError(
                f"Neo4j exited during start-up; last lines of {server.console_log}:\n" + log_tail(server)
            )
        time.sleep(0.25)
    raise LocalServerError(f"Neo4j did not answer within {timeout:.0f}s; see {server.home / 'logs'}")


def log_tail(server: LocalServer, lines: int = 20) -> str:
    texts = []
    for log in (server.console_log, server.home / "logs" / "neo4j.log"):
        if log.exists():
            texts.extend(log.read_text(errors="replace").splitlines()[-lines:])
    return "\n".join(texts[-lines:])


def stop(server: LocalServer, say: Callable[[str], None] = print, timeout: float = 120.0) -> bool:
    """Stop cleanly (SIGTERM runs Neo4j's shutdown hook); SIGKILL only after `timeout`."""
    pid = read_pid(server)
    if pid is None:
        say(f"No local Neo4j is running from {server.home}")
        server.pid_file.unlink(missing_ok=True)
        return False
    say(f"Stopping Neo4j (pid {pid}) ...")
    java = server_java(pid)
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process_is_neo4j(pid):
        time.sleep(0.1)
    killed = process_is_neo4j(pid)
    if killed:
        say(f"Neo4j did not stop within {timeout:.0f}s; killing pid {pid}")
        os.kill(pid, signal.SIGKILL)
    server.pid_file.unlink(missing_ok=True)
    keep_class_archive(server, java, complete=not killed)
    say("Stopped.")
    return True


# --- swapping in a database written offline (nichegraph/offline_import.py) ------------------

SWAP_JOURNAL = "store-swap.json"
DATABASE = "neo4j"


def store_folders(data_dir: Path) -> list[Path]:
    """A database's two folders under a data directory: its store and its transaction logs."""
    return [data_dir / "databases" / DATABASE, data_dir / "transactions" / DATABASE]


def swap_moves(home: Path, staged_data: Path, replaced: Path) -> list[tuple[Path, Path]]:
    """The renames that put a staged database in place of the live one (the live one aside)."""
    moves = []
    for live, staged, aside in zip(
        store_folders(home / "data"), store_folders(staged_data), store_folders(replaced), strict=True
    ):
        moves += [(live, aside), (staged, live)]
    return moves


def swap_in_store(home: Path, staged_data: Path, replaced: Path) -> list[tuple[Path, Path]]:
    """Put a complete staged database in place of the stopped server's one. The renames are
    written to a journal first: a swap interrupted half way is finished by the next start."""
    moves = swap_moves(home, staged_data, replaced)
    for folder in store_folders(replaced):
        folder.parent.mkdir(parents=True, exist_ok=True)
    journal = home / SWAP_JOURNAL
    partial = journal.with_suffix(".partial")
    partial.write_text(json.dumps([[str(src), str(dst)] for src, dst in moves]), encoding="utf-8")
    partial.replace(journal)  # atomic: the journal is there whole or not at all
    _apply_moves(moves)
    journal.unlink()
    return moves


def undo_swap(moves: list[tuple[Path, Path]]) -> None:
    """Put the replaced database back (the staged one failed to start)."""
    _apply_moves([(dst, src) for src, dst in reversed(moves)])


def finish_interrupted_swap(home: Path) -> bool:
    """Complete the renames of a swap that was cut short (the import itself had finished)."""
    journal = home / SWAP_JOURNAL
    if not journal.exists():
        return False
    moves = [(Path(src), Path(dst)) for src, dst in json.loads(journal.read_text(encoding="utf-8"))]
    _apply_moves(moves)
    journal.unlink()
    return True


def _apply_moves(moves: list[tuple[Path, Path]]) -> None:
    # each rename happens once: after an interruption the done ones are skipped
    for src, dst in moves:
        if src.exists() and not dst.exists():
            src.rename(dst)
