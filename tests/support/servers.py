"""The Neo4j servers the tests use: real local servers from nichegraph's own jars.

Two instances, so that tests that wipe the database never cost the others the full load:
- `scratch`: loader tests clear and load it freely (small sets of real repositories);
- `full`:    holds the whole top-300 snapshot, loaded once and reused.

Both stay up between test runs (the full one keeps its data); `.ci/run` starts them before
and stops them after the suite. `python -m tests.support.servers start|stop|status` does the same.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from nichegraph import localdb
from nichegraph.config import Settings, default_data_dir

TEST_ROOT = Path(os.environ.get("NICHEGRAPH_TEST_DIR") or default_data_dir() / "test")
# bolt and http ports; NICHEGRAPH_TEST_PORT_BASE moves all four (e.g. for a second checkout)
_BASE = int(os.environ.get("NICHEGRAPH_TEST_PORT_BASE", "7688"))
PORTS = {"scratch": (_BASE, _BASE + 100), "full": (_BASE + 1, _BASE + 101)}


def settings_for(name: str) -> Settings:
    bolt, _http = PORTS[name]
    uri = os.environ.get(f"NICHEGRAPH_TEST_{name.upper()}_URI") or f"bolt://localhost:{bolt}"
    return Settings.from_env().with_overrides(neo4j_uri=uri)


def server_for(name: str) -> localdb.LocalServer:
    settings = settings_for(name)
    return localdb.LocalServer.from_settings(
        settings, home=TEST_ROOT / name, http_port=PORTS[name][1], heap="1g", pagecache="512m"
    )


def ensure_started(name: str) -> Settings:
    settings = settings_for(name)
    localdb.start(server_for(name), say=lambda message: print(message, file=sys.stderr))
    return settings


def main(argv: list[str]) -> int:
    action = argv[0] if argv else "status"
    for name in PORTS:
        server = server_for(name)
        if action == "start":
            print(localdb.start(server).describe())
        elif action == "stop":
            localdb.stop(server)
        else:
            print(localdb.status(server).describe())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
