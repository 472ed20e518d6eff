"""`load events` and `expand --events` refuse bad parameters with exit 2, naming the flag, before
touching Neo4j or reading any event (the Neo4j address here answers nothing)."""

from __future__ import annotations

import pytest

from nichegraph.scratch import free_port
from tests.support.cli import nichegraph


@pytest.fixture(scope="module")
def nowhere_uri() -> str:
    """A bolt address on this machine where nothing listens."""
    return f"bolt://127.0.0.1:{free_port()}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["load", "events", "x", "--repos", "a/b", "--seeds", "c/d"], "--repos and --seeds: give one or the other"),
        (["load", "events", "x", "--repos", "not-a-repo"], "--repos: 'not-a-repo' is not a repository name"),
        (["load", "events", "x", "--months", "2023-13"], "--months: '2023-13' is not a month"),
        (["load", "events", "x", "--workers", "0"], "--workers: must be at least 1"),
        (["load", "events", "clickhouse://h/db.events"], "--repos or --seeds: a ClickHouse server holds"),
        (["load", "events", "clickhouse://h/events", "--repos", "a/b"], "is not clickhouse://[user@]host"),
        (["load", "events", "/no/such/folder/*.json.gz"], "SOURCE: /no/such/folder/*.json.gz is not a clickhouse"),
        (["expand", "--events", "x", "--seeds", "a/b", "--window", "2023-01:2023-02"], "--events: use --months"),
        (["expand", "--events", "x", "--seeds", "a/b", "--min-shared", "0"], "--min-shared: 0 must be at least 1"),
        (["expand", "--events", "x", "--seeds", "a/b", "--top", "-1"], "--top: -1 must not be negative"),
        (["expand", "--seeds", "a/b", "--network-out", "x.json"], "--network-out: only with --events"),
    ],
)
def test_bad_parameters_are_refused_first(nowhere_uri: str, args: list[str], message: str) -> None:
    done = nichegraph(nowhere_uri, *args)
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert message in done.stderr
