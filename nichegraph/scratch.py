"""A throw-away local Neo4j in a temporary folder, for benchmarks that need an empty database.

It is a real server like `nichegraph db start` runs (same jars, same configuration), on
free loopback ports, removed again when the block ends.
"""

from __future__ import annotations

import shutil
import socket
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from nichegraph import localdb
from nichegraph.config import Settings


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def scratch_server(settings: Settings, say: Callable[[str], None] = print, keep: bool = False) -> Iterator[Settings]:
    """Start an empty server; yield Settings pointing at it; stop and delete it afterwards."""
    home = Path(tempfile.mkdtemp(prefix="nichegraph-scratch-"))
    scratch_settings = settings.with_overrides(neo4j_uri=f"bolt://localhost:{free_port()}")
    server = localdb.LocalServer.from_settings(scratch_settings, home=home, http_port=free_port())
    try:
        localdb.start(server, say=say)
        yield scratch_settings
    finally:
        localdb.stop(server, say=lambda _message: None)
        if not keep:
            shutil.rmtree(home, ignore_errors=True)
