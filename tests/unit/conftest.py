"""The fast tier: pure logic on small real or hand-made inputs, no Java and no Neo4j.

Nothing here may start a server. The full tier's server fixtures (tests/conftest.py) are
refused at collection, so a fast test that asks for one fails at once instead of quietly
starting Neo4j; commands are pointed at a port where nothing listens, so a refusal that
should come before any connection shows up as exit 3 (Neo4j unavailable) if it does not.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nichegraph.config import Settings
from nichegraph.db import Graph
from nichegraph.scratch import free_port

UNIT_DIR = Path(__file__).resolve().parent
# the fixtures of tests/conftest.py that start a Neo4j server
SERVER_FIXTURES = {"scratch_settings", "full_settings"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if UNIT_DIR in Path(str(item.path)).resolve().parents:
            needs = SERVER_FIXTURES & set(getattr(item, "fixturenames", ()))
            if needs:
                raise pytest.UsageError(f"{item.nodeid}: a fast test may not use {', '.join(sorted(needs))}")


@pytest.fixture(scope="session")
def nowhere_uri() -> str:
    """A bolt address on this machine where nothing listens."""
    return f"bolt://127.0.0.1:{free_port()}"


@pytest.fixture
def nowhere(nowhere_uri: str) -> Iterator[Graph]:
    """A Graph whose server does not exist: for checks that must refuse before any query
    (one that queries fails at once with DatabaseUnavailable)."""
    with Graph(Settings(neo4j_uri=nowhere_uri), connection_timeout=1.0, retry_time=0.0) as graph:
        yield graph
