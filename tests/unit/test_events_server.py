"""The server path where no server can run here: a clickhouse:// SOURCE that does not answer is a
clear error, not a traceback (a real refused connection on loopback, no fake server)."""

from __future__ import annotations

import pytest

from nichegraph.errors import NichegraphError
from nichegraph.loader.events.stores import open_events
from nichegraph.scratch import free_port


def test_a_server_that_does_not_answer_is_named() -> None:
    url = f"clickhouse://reader@127.0.0.1:{free_port()}/opensource.events"
    with (
        pytest.raises(
            NichegraphError, match=r"SOURCE: cannot use the ClickHouse server at clickhouse://reader@127\.0\.0\.1"
        ),
        open_events(url),
    ):
        pass
