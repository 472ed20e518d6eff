"""Which load path runs: decided before any query for a server that is not on this machine."""

from __future__ import annotations

import pytest

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.errors import NichegraphError
from nichegraph.loader.pipeline import LoadOptions, bulk_target
from nichegraph.loader.summary import AUTO, BULK, INCREMENTAL
from nichegraph.progress import Progress

REMOTE = "bolt://db.example.org:7687"


def remote() -> Graph:
    # nothing answers there: a query would fail with DatabaseUnavailable
    return Graph(Settings(neo4j_uri=REMOTE), connection_timeout=1.0, retry_time=0.0)


def test_a_remote_server_keeps_the_incremental_path() -> None:
    notes: list[str] = []
    progress = Progress(total=None, quiet=True)
    progress.note = notes.append  # type: ignore[method-assign]
    assert bulk_target(remote(), LoadOptions(method=AUTO), progress) is None
    assert notes == [f"incremental load: {REMOTE} is not on this machine"]
    assert bulk_target(remote(), LoadOptions(method=INCREMENTAL), progress) is None


def test_forcing_bulk_on_a_remote_server_says_why_not() -> None:
    with pytest.raises(NichegraphError, match=f"--method bulk: not possible, {REMOTE} is not on this machine"):
        bulk_target(remote(), LoadOptions(method=BULK), Progress(total=None, quiet=True))


def test_an_unknown_method_is_named() -> None:
    with pytest.raises(NichegraphError, match="--method: 'fast' is not one of auto, bulk, incremental"):
        bulk_target(remote(), LoadOptions(method="fast"), Progress(total=None, quiet=True))
