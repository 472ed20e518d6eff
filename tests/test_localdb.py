"""`nichegraph db start | stop | status` on a real local server built from Maven Central jars."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from nichegraph import localdb
from nichegraph.config import Settings
from nichegraph.scratch import free_port


def nichegraph(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nichegraph", *args], capture_output=True, text=True, env=env, timeout=300
    )


def base_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("JAVA_HOME", None)
    env.update(
        NEO4J_URI=f"bolt://localhost:{free_port()}",
        NICHEGRAPH_HTTP_PORT=str(free_port()),
        NICHEGRAPH_DATA_DIR=str(tmp_path / "data"),
    )
    return env


def test_first_start_without_maven_says_so(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    java = shutil.which("java")
    assert java
    (bin_dir / "java").symlink_to(java)
    env = base_env(tmp_path) | {"PATH": str(bin_dir), "NICHEGRAPH_CACHE_DIR": str(tmp_path / "empty-cache")}
    result = nichegraph("db", "start", env=env)
    assert result.returncode == 4
    assert "Maven (`mvn`) is required once" in result.stderr


def test_start_status_stop_from_the_cache_without_maven(tmp_path: Path) -> None:
    """The server outlives `db start`; later starts use the cached jars, so they work with
    no Maven on PATH (Maven is the only thing that touches the network)."""
    installed = localdb.LocalServer.from_settings(Settings.from_env())
    assert localdb.is_installed(installed), "run `nichegraph db install` first"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "java").symlink_to(shutil.which("java"))  # type: ignore[arg-type]
    env = base_env(tmp_path) | {"PATH": str(bin_dir)}
    try:
        started = nichegraph("db", "start", env=env)
        assert started.returncode == 0, started.stderr
        assert f"Neo4j {localdb.NEO4J_VERSION} community answering at {env['NEO4J_URI']}" in started.stdout
        status = nichegraph("db", "status", env=env)
        assert status.returncode == 0
        assert localdb.NEO4J_VERSION in status.stdout and str(tmp_path / "data" / "neo4j") in status.stdout
        assert f"http://localhost:{env['NICHEGRAPH_HTTP_PORT']}/browser/" in status.stdout
        again = nichegraph("db", "start", env=env)
        assert "Already running" in again.stdout
        conf = (tmp_path / "data" / "neo4j" / "conf" / "neo4j.conf").read_text()
        assert "server.default_listen_address=127.0.0.1" in conf
        # air-gapped: the server neither phones home nor says it does (Neo4j's default logs
        # "Anonymous Usage Data is being sent to Neo4j" at every start)
        log = (tmp_path / "data" / "neo4j" / "logs" / "neo4j.log").read_text()
        assert "Bolt enabled" in log and "Usage Data is being sent" not in log
    finally:
        stopped = nichegraph("db", "stop", env=env)
    assert stopped.returncode == 0 and "Stopped." in stopped.stdout
    after = nichegraph("db", "status", env=env)
    assert after.returncode == 1 and "stopped" in after.stdout


def test_browser_is_served_by_the_local_server(scratch_settings: Settings) -> None:
    import httpx

    from tests.support.servers import PORTS

    response = httpx.get(f"http://localhost:{PORTS['scratch'][1]}/browser/", timeout=10)
    assert response.status_code == 200 and "<title>Neo4j Browser</title>" in response.text
