"""`nichegraph bench newcomer`: how long a newcomer waits. `nichegraph run --source sample` in a
fresh data folder on free loopback ports (its own new Neo4j, started by `run` itself), timed
from the command to the explorer answering with the LLM landscape; the target is under 2
minutes after `./setup.sh` (docs/landscape.md). Run it inside `unshare -rn` to be sure no
network is used. Everything it starts is stopped and removed afterwards."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import click

from nichegraph import localdb
from nichegraph.config import Settings
from nichegraph.loader.sample import NETWORK_NAME
from nichegraph.output import to_json, to_table
from nichegraph.scratch import free_port

TARGET_SECONDS = 120.0

# output lines of `nichegraph run` that end a phase, and the phase's name
MILESTONES = [
    ("community answering at", "Neo4j answering"),
    ("repos written", "sample's OpenDigger slice loaded"),
    ("network '", "landscape lists, series and network loaded"),
    ("niches and", "niches and relations of the last 12 months"),
    ("OpenRank computed", "OpenRank computed"),
    (f"network {NETWORK_NAME}:", "niches and relations of the network"),
    ("nichegraph explorer:", "explorer started"),
]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


@click.command("newcomer")
@click.option("--timeout", default=900.0, show_default=True, help="Give up after this many seconds")
@click.option("--keep", is_flag=True, help="Keep the data folder (its path is printed)")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON (wallSeconds, phases)")
@click.pass_obj
def bench_newcomer(settings: Settings, timeout: float, keep: bool, as_json: bool) -> None:
    """Time `nichegraph run --source sample` from nothing (fresh data folder, new Neo4j) until the
    explorer serves the LLM landscape; prints each phase."""
    data_dir = Path(tempfile.mkdtemp(prefix="nichegraph-newcomer-"))
    bolt, http, web = free_port(), free_port(), free_port()
    env = dict(
        os.environ,
        NICHEGRAPH_DATA_DIR=str(data_dir),
        NEO4J_URI=f"bolt://localhost:{bolt}",
        NICHEGRAPH_HTTP_PORT=str(http),
    )
    env.pop("NICHEGRAPH_SOURCE", None)
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "nichegraph", "run", "--source", "sample", "--port", str(web)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen: list[tuple[str, float]] = []

    def follow() -> None:
        for line in process.stdout or []:
            for marker, phase in MILESTONES:
                if marker in line and phase not in {name for name, _ in seen}:
                    seen.append((phase, time.monotonic() - started))

    threading.Thread(target=follow, daemon=True).start()
    url = f"http://127.0.0.1:{web}/landscape/{NETWORK_NAME}"
    ready = None
    try:
        while time.monotonic() - started < timeout and process.poll() is None:
            if answers(url):
                ready = time.monotonic() - started
                break
            time.sleep(0.5)
    finally:
        process.terminate()
        process.wait(timeout=60)
        server = localdb.LocalServer.from_settings(
            settings.with_overrides(neo4j_uri=env["NEO4J_URI"], data_dir=data_dir), http_port=http
        )
        localdb.stop(server, say=lambda _message: None)
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    rows = [{"phase": phase, "seconds": round(at, 1)} for phase, at in seen]
    rows.append({"phase": f"explorer answering {url}", "seconds": round(ready, 1) if ready else None})
    load = os.getloadavg()
    if as_json:
        figures = {
            "wallSeconds": round(ready, 1) if ready else None,
            "targetSeconds": TARGET_SECONDS,
            "phases": rows,
            "loadAverage": [round(value, 2) for value in load],
            "cores": os.cpu_count(),
        }
        click.echo(to_json(figures))
    else:
        click.echo(to_table(rows))
        click.echo(f"load average during the run: {load[0]:.1f} (1 min), {load[1]:.1f} (5 min), {os.cpu_count()} cores")
    if keep:
        click.echo(f"data folder kept: {data_dir}", err=as_json)
    if ready is None:
        raise click.ClickException(f"the explorer did not answer within {timeout:g} s (exit code {process.returncode})")
    if not as_json:
        click.echo(f"newcomer wait: {ready:.1f} s (target: under {TARGET_SECONDS:g} s)")


BENCH_COMMANDS = [bench_newcomer]
