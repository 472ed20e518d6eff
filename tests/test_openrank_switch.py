"""Two `nichegraph openrank` processes started at once on the full server: the second waits for
the first (the writer lock), the graph ends with exactly the values of one run, and a reader
polling all the while sees either the previous run's values or a new run's, never a mix (the
run's values go to the slot readers do not read, and one small transaction makes it current).
The test leaves OpenRank computed with the default parameters, as the other tests expect it.

The reader checks every repository month and a fixed sample of developers (every 250th by key,
about 2,900 of 732 k) rather than all of them: a run writes its developers in batches of a few
thousand, so a run writing into the slot readers read would change sampled developers within
its first batches, and a whole scan (6 s per read on this server) starved the two runs of CPU.
The end state is compared with the default run's stored before the test on the server, by a
fingerprint of every developer's series (reading 732 k series into Python took 50 s a time)."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import threading
from typing import Any

from nichegraph.analysis.openrank.method import OpenRankParams
from nichegraph.analysis.openrank.run import run_openrank
from nichegraph.db import Graph
from nichegraph.queries.windows import data_range, require_data
from tests.support.openrank_slots import read_computed

# what a reader does: read which run is current, then that run's values (repository months:
# their count and total; the sampled developers: how many hold a series and the sum of a value
# from the middle of each, which differ between the runs)
STATE = """
OPTIONAL MATCH (current:OpenRankRun {current: true})
WITH current.id AS run, current.slot AS slot
CALL (slot) {
  MATCH (d:Developer) WHERE d.key IN $sample AND d['openrankSeries' + slot] IS NOT NULL
  WITH d['openrankSeries' + slot] AS series
  RETURN count(*) AS developers, sum(series[size(series) / 3]) AS developerTotal
}
CALL (slot) {
  MATCH (m:RepoMonth) WHERE m['openrankComputed' + slot] IS NOT NULL
  RETURN sum(m['openrankComputed' + slot]) AS total, count(m) AS months
}
RETURN run, developers, developerTotal, total, months
"""
# every developer's stored series, summed in buckets (by first active month): the months and
# activity exactly, the values weighted by their position and the developer's key length, so a
# value moved between months or between developers changes the sums
FINGERPRINT = """
MATCH (d:Developer) WHERE d[$series] IS NOT NULL
WITH d[$series] AS s, size(d.key) AS w
WITH s, w, size(s) / 3 AS n
RETURN s[0] AS firstMonth, count(*) AS developers, sum(n) AS months,
       sum(reduce(t = 0, i IN range(0, n - 1) | t + toInteger(s[i]))) AS monthTotal,
       sum(w * reduce(t = 0.0, i IN range(n, 2 * n - 1) | t + s[i] * (i - n + 1))) AS values,
       sum(w * reduce(t = 0.0, i IN range(2 * n, 3 * n - 1) | t + s[i])) AS activity
ORDER BY firstMonth
"""


def fingerprint(graph: Graph) -> list[dict[str, Any]]:
    return read_computed(graph, FINGERPRINT)


def same_fingerprint(found: list[dict[str, Any]], expected: list[dict[str, Any]]) -> bool:
    exact = ("firstMonth", "developers", "months", "monthTotal")
    return len(found) == len(expected) and all(
        all(a[key] == b[key] for key in exact)
        and all(math.isclose(a[key], b[key], rel_tol=1e-9) for key in ("values", "activity"))
        for a, b in zip(found, expected, strict=True)
    )


SAMPLE = """
MATCH (d:Developer) WITH d.key AS key ORDER BY key
WITH collect(key) AS keys
RETURN [i IN range(0, size(keys) - 1, 250) | keys[i]] AS sample
"""


def state(graph: Graph, sample: list[str]) -> dict[str, Any]:
    return graph.read(STATE, sample=sample)[0]


class Reader(threading.Thread):
    """Reads the state again and again, as a leaderboard page would."""

    def __init__(self, graph: Graph, sample: list[str]) -> None:
        super().__init__(daemon=True)
        self.graph, self.sample, self.seen, self.stop = graph, sample, [], threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.2):
            self.seen.append(state(self.graph, self.sample))


def start_openrank(uri: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "nichegraph", "openrank", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, NEO4J_URI=uri),
    )


def test_two_runs_at_once_end_with_one_runs_values_and_readers_never_see_a_mix(
    full_graph: Graph, openrank_computed: dict[str, Any]
) -> None:
    window = openrank_computed["window"]
    assert window == require_data(data_range(full_graph))
    # the values of one run with the default parameters, as the session fixture stored them
    expected, expected_state = fingerprint(full_graph), state(full_graph, [])
    assert sum(bucket["developers"] for bucket in expected) > 700_000
    # a previous state whose values differ from the default (legacy) run's
    run_openrank(full_graph, window, OpenRankParams(developer_init="sigmoid"))
    assert not same_fingerprint(fingerprint(full_graph), expected), "the fingerprint cannot tell two runs apart"
    sample = full_graph.read(SAMPLE)[0]["sample"]
    before = state(full_graph, sample)
    assert before["run"] is not None and before["developers"] > 2_500

    with Graph(full_graph.settings) as reader_graph:
        reader = Reader(reader_graph, sample)
        reader.start()
        first, second = start_openrank(full_graph.uri), start_openrank(full_graph.uri)
        outputs = [process.communicate(timeout=3600) for process in (first, second)]
        reader.stop.set()
        reader.join()
    assert [first.returncode, second.returncode] == [0, 0], "\n".join(err for _out, err in outputs)
    waited = [err for _out, err in outputs if "waiting for `nichegraph openrank` (pid" in err]
    assert len(waited) == 1, [err for _out, err in outputs]

    after = state(full_graph, sample)
    assert after["run"] != before["run"]
    assert not math.isclose(after["total"], before["total"], rel_tol=1e-6)
    assert not math.isclose(after["developerTotal"], before["developerTotal"], rel_tol=1e-6)
    # exactly the values of one run with the default parameters
    assert same_fingerprint(fingerprint(full_graph), expected)
    assert after["months"] == expected_state["months"]
    assert math.isclose(after["total"], expected_state["total"], rel_tol=1e-9)

    # every observation is one whole state: the old one, or one of the new runs' (equal values)
    assert len(reader.seen) >= 3
    for seen in reader.seen:
        reference = before if seen["run"] == before["run"] else after
        assert seen["developers"] == reference["developers"], f"a reader saw values of two runs at once: {seen}"
        assert math.isclose(seen["developerTotal"], reference["developerTotal"], rel_tol=1e-9), seen
        assert seen["months"] == reference["months"], seen
        assert math.isclose(seen["total"], reference["total"], rel_tol=1e-9), seen
    assert reader.seen[0]["run"] == before["run"] and reader.seen[-1]["run"] != before["run"]
