"""Running the `nichegraph` console command as a user would, against one Neo4j."""

from __future__ import annotations

import os
import subprocess
import sys


def nichegraph(uri: str, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """`nichegraph ARGS` in a fresh process with NEO4J_URI=uri; output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "nichegraph", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ, NEO4J_URI=uri),
        timeout=timeout,
    )
