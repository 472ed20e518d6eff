"""`nichegraph bench scale` end to end, as a user runs it: two real repositories resampled at
factor 2, loaded into a throw-away Neo4j (nichegraph.scratch) and measured. The expected sizes
are counted from the snapshot's files, not taken from the command. (One factor: each factor
costs a server of its own; the resampling's counts at other factors, and the refusal of bad
arguments, are fast tests: tests/unit/test_scale_resample.py, tests/unit/test_cli_errors.py.)"""

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
    "parse workers peak RSS MB",
    "under 4 GB",
}


def counted_from_files(top300: FolderSource) -> tuple[int, int, int]:
    """Distinct developers, distinct (repository, developer, month) rows and all detail rows
    (repeats of a login in one month included) of the slice."""
    logins: set[str] = set()
    rows: set[tuple[str, str, str]] = set()
    detail_rows = 0
    for repo in top300.list_repos()[:SLICE]:
        for month, entries in orjson.loads(top300.read(repo)["activity_details"]).items():
            if is_month(month):
                detail_rows += len(entries)
                for login, _score in entries:
                    logins.add(login.lower())
                    rows.add((repo, login.lower(), month))
    return len(logins), len(rows), detail_rows


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
        "2",
        "--repeats",
        "1",
        "--json",
        timeout=1800,
    )
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)
    assert set(row) == KEYS
    developers, contributions, detail_rows = counted_from_files(top300)
    sizes = ("factor", "repos", "developers", "contributions", "detail rows")
    # every developer and every row once per copy; copies are new names, never merged
    assert tuple(row[key] for key in sizes) == (2, 2 * SLICE, 2 * developers, 2 * contributions, 2 * detail_rows)
    assert all(row[key] > 0 for key in ("load s", "niches + relations s", "openrank s", "queries p95 ms"))
    assert set(row["peak RSS by step MB"]) == {"load", "niches + relations", "openrank", "library queries"}
    assert row["peak RSS MB"] == max(row["peak RSS by step MB"].values())
    assert row["parse workers peak RSS MB"] > 0  # the bulk load parses a folder in worker processes
    assert row["under 4 GB"] is True
    assert row["load method"] == "bulk"  # an empty scratch server of nichegraph's own
    assert "factor 2:" in done.stderr  # progress goes to stderr, stdout is only the JSON
