"""`nichegraph bench scale` end to end, as a user runs it: two real repositories resampled at
factors 1 and 2, each loaded into its own throw-away Neo4j (nichegraph.scratch) and measured.
The expected sizes are counted from the snapshot's files, not taken from the command."""

from __future__ import annotations

import json

import orjson

from nichegraph.loader.sources import FolderSource
from nichegraph.months import is_month
from tests.conftest import TOP300
from tests.support.cli import nichegraph

SLICE = 2
KEYS = {
    "factor",
    "repos",
    "developers",
    "contributions",
    "detail rows",
    "load s",
    "load method",
    "niches + relations s",
    "openrank s",
    "openrank read / compute / write s",
    "queries p95 ms",
    "slowest query",
    "peak RSS MB",
    "peak RSS by step MB",
    "under 4 GB",
}


def counted_from_files(top300: FolderSource) -> tuple[int, int]:
    """Distinct developers and distinct (repository, developer, month) rows of the slice."""
    logins: set[str] = set()
    rows: set[tuple[str, str, str]] = set()
    for repo in top300.list_repos()[:SLICE]:
        for month, entries in orjson.loads(top300.read(repo)["activity_details"]).items():
            if is_month(month):
                for login, _score in entries:
                    logins.add(login.lower())
                    rows.add((repo, login.lower(), month))
    return len(logins), len(rows)


def test_bench_scale_measures_every_step_and_the_counts_scale(top300: FolderSource) -> None:
    done = nichegraph(
        "bolt://localhost:1",  # never used: the command starts its own servers
        "bench",
        "scale",
        "--source",
        str(TOP300),
        "--slice",
        str(SLICE),
        "--factor",
        "1",
        "--factor",
        "2",
        "--repeats",
        "1",
        "--json",
        timeout=1800,
    )
    assert done.returncode == 0, done.stderr
    one, two = json.loads(done.stdout)
    assert set(one) == KEYS and set(two) == KEYS
    developers, contributions = counted_from_files(top300)
    sizes = ("factor", "repos", "developers", "contributions")
    assert tuple(one[key] for key in sizes) == (1, SLICE, developers, contributions)
    # every developer and every row once per copy; copies are new names, never merged
    assert tuple(two[key] for key in sizes) == (2, 2 * SLICE, 2 * developers, 2 * contributions)
    assert two["detail rows"] == 2 * one["detail rows"]
    for row in (one, two):
        assert all(row[key] > 0 for key in ("load s", "niches + relations s", "openrank s", "queries p95 ms"))
        assert set(row["peak RSS by step MB"]) == {"load", "niches + relations", "openrank", "library queries"}
        assert row["peak RSS MB"] == max(row["peak RSS by step MB"].values())
        assert row["under 4 GB"] is True
        assert row["load method"] == "bulk"  # an empty scratch server of nichegraph's own
    assert "factor 2:" in done.stderr  # progress goes to stderr, stdout is only the JSON


def test_bench_scale_rejects_bad_arguments_by_name() -> None:
    for args, name in [
        (["--factor", "0"], "--factor"),
        (["--factor", "21"], "--factor"),
        (["--slice", "0"], "--slice"),
        (["--repeats", "0"], "--repeats"),
        (["--mix", "1.5"], "--mix"),
        (["--source", "https://oss.open-digger.cn"], "--source"),
    ]:
        # the last --source wins, so the web-service case overrides the folder
        done = nichegraph("bolt://localhost:1", "bench", "scale", "--source", str(TOP300), *args, timeout=120)
        assert done.returncode == 2, (args, done.stderr)
        assert name in done.stderr
